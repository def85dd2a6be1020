//! The view of one matrix block: cells with exact and shown values, heatmap levels, per-cell
//! derivations, reproduce snippets, and a NumPy-style summary for large matrices.

use serde::Serialize;

use super::reproduce::{Dialect, Literals, snippet};
use crate::compute::eval::Scope;
use crate::compute::explain::{OperandRef, explain, explains};
use crate::compute::lesson::LessonValues;
use crate::compute::matrix::Matrix;
use crate::config::Tables;
use crate::format::{self, escape_into};
use crate::model::{Lesson, MatrixDef, MatrixSource};

/// Cells above which no per-cell derivations are written (they would dwarf the page).
const MAX_STORY_CELLS: usize = 400;

#[derive(Serialize)]
pub struct MatrixView<'a> {
    pub name: &'a str,
    /// `"4x8"`, for `data-shape`.
    pub shape: String,
    /// `"4×8"`, for people.
    pub shape_text: String,
    pub caption: Option<&'a str>,
    /// The expression of a computed matrix.
    pub formula: Option<&'a str>,
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    /// Heatmap scale: the largest magnitude, shown at both ends of the legend.
    pub legend: Option<LegendView>,
    /// Per-cell derivations, row by row (empty when there is no cell-by-cell story).
    pub stories: Vec<StoryView>,
    pub numpy: Option<String>,
    pub pytorch: Option<String>,
    /// Set for large matrices: the summary shown in place of the full table.
    pub summary: Option<SummaryView>,
    /// What [`builtin_html`] writes the cells from, straight from the matrix, when `rows` is
    /// left empty (the built-in template; templates of a project get `rows`).
    #[serde(skip)]
    pub cells: Option<Cells<'a>>,
}

/// The cells of a table, for writing them without a [`CellView`] each.
pub struct Cells<'a> {
    pub matrix: &'a Matrix,
    pub precision: usize,
    /// The heatmap's largest magnitude; 0 when the heatmap is off or the matrix is all zeros.
    pub heat_max: f64,
}

/// Heatmap level of `v` from -4 to 4 on the scale `max` (0 for no heatmap).
fn heat_level(v: f64, max: f64) -> i8 {
    // A masked (infinite) entry is no colour, and is left out of the scale.
    if max == 0.0 || !v.is_finite() {
        0
    } else {
        (v / max * 4.0).round().clamp(-4.0, 4.0) as i8
    }
}

#[derive(Serialize)]
pub struct RowView {
    pub label: String,
    pub cells: Vec<CellView>,
}

#[derive(Serialize)]
pub struct CellView {
    /// The exact f64, shortest round-trip form.
    pub value: String,
    /// Rounded to the block's precision.
    pub text: String,
    /// Heatmap level from -4 to 4 (0 when the heatmap is off).
    pub heat: i8,
    /// Operand rows/columns this cell reads: `X:r:0 W_Q:r:1` (`r` row, `c` column, from 0).
    pub reads: String,
    /// The `id` of this cell's derivation, if it has one.
    pub story: Option<String>,
}

#[derive(Serialize)]
pub struct StoryView {
    pub id: String,
    pub text: String,
    /// What the cell reads (templates get it as the cell's `reads`).
    #[serde(skip)]
    pub reads: Vec<OperandRef>,
}

#[derive(Serialize)]
pub struct LegendView {
    pub min: String,
    pub max: String,
}

#[derive(Serialize)]
pub struct SummaryView {
    pub columns: Vec<String>,
    pub rows: Vec<SummaryRow>,
}

#[derive(Serialize)]
pub struct SummaryRow {
    pub label: String,
    pub cells: Vec<SummaryCell>,
}

#[derive(Serialize)]
pub struct SummaryCell {
    pub text: String,
    /// `None` for the ellipsis.
    pub value: Option<String>,
    pub heat: i8,
}

/// The view of a table; with `cell_views` unset, `rows` stays empty and `cells` is set instead,
/// for [`builtin_html`].
#[allow(clippy::too_many_arguments)]
pub fn view<'a>(
    def: &'a MatrixDef,
    m: &'a Matrix,
    lesson: &Lesson,
    values: &LessonValues,
    tables: &Tables,
    explain_cells: bool,
    literals: &Literals,
    cell_views: bool,
) -> MatrixView<'a> {
    let (r, c) = m.shape();
    let max = m
        .data
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |a, v| a.max(v.abs()));
    let heat_max = if tables.heatmap { max } else { 0.0 };
    let heat = |v: f64| heat_level(v, heat_max);
    let scope = Names(values);
    let stories = match &def.source {
        MatrixSource::Computed { expr, text, .. }
            if explain_cells && m.data.len() <= MAX_STORY_CELLS =>
        {
            explain(&def.name, expr, text, m, def.precision, &scope)
        }
        _ => None,
    };
    let id = |i: usize, j: usize| story_id(&def.name, i, j);
    // Rows of cell views are for a project's own matrix.html; the built-in table writes its
    // cells from `cells` instead.
    let rows = if !cell_views {
        Vec::new()
    } else {
        (0..r)
            .map(|i| RowView {
                label: m.row_label(i),
                cells: (0..c)
                    .map(|j| {
                        let v = m.data[[i, j]];
                        let story = stories.as_ref().map(|s| &s[i][j]);
                        let value = format::exact(v);
                        let mut reads = String::new();
                        if let Some(s) = story {
                            push_reads(&mut reads, &s.reads, &|o, name| o.push_str(name));
                        }
                        CellView {
                            text: format::rounded(v, def.precision),
                            value,
                            heat: heat(v),
                            reads,
                            story: story.map(|_| id(i, j)),
                        }
                    })
                    .collect(),
            })
            .collect()
    };
    let summary = (r > tables.summarize_above || c > tables.summarize_above)
        .then(|| summarize(m, def, tables, &heat));
    MatrixView {
        name: &def.name,
        shape: format!("{r}x{c}"),
        shape_text: m.shape_text(),
        caption: def.caption.as_deref(),
        formula: match &def.source {
            MatrixSource::Computed { text, .. } => Some(text.trim()),
            MatrixSource::Literal(_) => None,
        },
        columns: (0..c).map(|j| m.col_label(j)).collect(),
        rows,
        legend: (tables.heatmap && max > 0.0).then(|| LegendView {
            min: format::rounded(-max, def.precision),
            max: format::rounded(max, def.precision),
        }),
        stories: stories
            .map(|s| {
                s.into_iter()
                    .enumerate()
                    .flat_map(|(i, row)| row.into_iter().enumerate().map(move |(j, st)| (i, j, st)))
                    .map(|(i, j, st)| StoryView {
                        id: id(i, j),
                        text: st.text,
                        reads: st.reads,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        numpy: explain_cells
            .then(|| snippet(lesson, values, &def.name, Dialect::NumPy, literals))
            .flatten(),
        pytorch: explain_cells
            .then(|| snippet(lesson, values, &def.name, Dialect::PyTorch, literals))
            .flatten(),
        summary,
        cells: (!cell_views).then_some(Cells {
            matrix: m,
            precision: def.precision,
            heat_max,
        }),
    }
}

/// Appends `sep` and `n` in decimal, in place (no `format!` and its allocation per cell).
/// The id of the derivation of cell (i, j) of a matrix: `why-Q-0-1`.
fn story_id(name: &str, i: usize, j: usize) -> String {
    let mut id = String::with_capacity(name.len() + 12);
    id.push_str("why-");
    id.push_str(name);
    push_index(&mut id, '-', i);
    push_index(&mut id, '-', j);
    id
}

/// An empty `<li>` with the id of each cell derivation [`view`] gives a table (none for a
/// literal matrix, a large one, or an operation without a story), without the derivations: for
/// `check`, which leaves them out of its pages but must know where links to them lead.
pub fn push_story_anchors(out: &mut String, def: &MatrixDef, m: &Matrix, values: &LessonValues) {
    let MatrixSource::Computed { expr, text, .. } = &def.source else {
        return;
    };
    if m.data.len() > MAX_STORY_CELLS || !explains(expr, text, &Names(values)) {
        return;
    }
    // `why-`, the name and the indices: only the name can need escaping.
    let mut name = String::with_capacity(def.name.len());
    escape_into(&mut name, &def.name);
    let (r, c) = m.shape();
    for i in 0..r {
        for j in 0..c {
            out.push_str("<li id=\"why-");
            out.push_str(&name);
            push_index(out, '-', i);
            push_index(out, '-', j);
            out.push_str("\"></li>");
        }
    }
}

fn push_index(out: &mut String, sep: char, n: usize) {
    out.push(sep);
    // Most indices are one digit: no formatting machinery for those.
    match u8::try_from(n) {
        Ok(d @ 0..=9) => out.push(char::from(b'0' + d)),
        _ => format::push_number(out, n),
    }
}

/// Appends what a cell reads, `X:r:0 W_Q:r:1`, each matrix name written by `name` (as it is
/// for a template, which escapes the whole; escaped for the built-in table).
fn push_reads(out: &mut String, reads: &[OperandRef], name: &dyn Fn(&mut String, &str)) {
    for (n, read) in reads.iter().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        name(out, &read.matrix);
        out.push_str(if read.row { ":r" } else { ":c" });
        push_index(out, ':', read.index);
    }
}

/// First and last `edge_items` rows and columns around an ellipsis, as NumPy prints.
fn summarize(
    m: &Matrix,
    def: &MatrixDef,
    tables: &Tables,
    heat: &dyn Fn(f64) -> i8,
) -> SummaryView {
    let (r, c) = m.shape();
    let keep = |n: usize| -> Vec<Option<usize>> {
        let e = tables.edge_items.max(1);
        if n <= 2 * e {
            (0..n).map(Some).collect()
        } else {
            (0..e)
                .map(Some)
                .chain([None])
                .chain((n - e..n).map(Some))
                .collect()
        }
    };
    let (rows, cols) = (keep(r), keep(c));
    SummaryView {
        columns: cols
            .iter()
            .map(|j| j.map_or("…".into(), |j| m.col_label(j)))
            .collect(),
        rows: rows
            .iter()
            .map(|i| SummaryRow {
                label: i.map_or("⋮".into(), |i| m.row_label(i)),
                cells: cols
                    .iter()
                    .map(|j| match (i, j) {
                        (Some(i), Some(j)) => {
                            let v = m.data[[*i, *j]];
                            SummaryCell {
                                text: format::rounded(v, def.precision),
                                value: Some(format::exact(v)),
                                heat: heat(v),
                            }
                        }
                        (None, Some(_)) => SummaryCell {
                            text: "⋮".into(),
                            value: None,
                            heat: 0,
                        },
                        (Some(_), None) => SummaryCell {
                            text: "…".into(),
                            value: None,
                            heat: 0,
                        },
                        (None, None) => SummaryCell {
                            text: "⋱".into(),
                            value: None,
                            heat: 0,
                        },
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The lesson's computed matrices as a scope, for re-evaluating operands.
struct Names<'a>(&'a LessonValues);

impl Scope for Names<'_> {
    fn lookup(&self, name: &str) -> Option<&Matrix> {
        self.0.matrices.get(name)
    }
}

/// A heatmap level as text (levels run from -4 to 4).
fn heat_text(heat: i8) -> &'static str {
    const LEVELS: [&str; 9] = ["-4", "-3", "-2", "-1", "0", "1", "2", "3", "4"];
    LEVELS[(heat.clamp(-4, 4) + 4) as usize]
}

/// Renders a matrix block exactly as the built-in `templates/matrix.html` does, without going
/// through tera (serialising every cell into the template context is most of the cost of a large
/// table). Used only when the project does not override `matrix.html`; a test renders the seed
/// site both ways and compares the bytes.
pub fn builtin_html(m: &MatrixView) -> String {
    // Room for the whole block at once: growing a string copies it.
    let cells = m.cells.as_ref().map_or(0, |c| c.matrix.data.len());
    let stories: usize = m.stories.iter().map(|s| s.text.len() + 40).sum();
    let snippets =
        m.numpy.as_ref().map_or(0, String::len) + m.pytorch.as_ref().map_or(0, String::len);
    let mut o = String::with_capacity(
        512 + m.rows.len() * m.columns.len() * 160 + cells * 160 + stories + snippets * 5 / 4,
    );
    let e = |o: &mut String, s: &str| escape_into(o, s);
    let caption = |o: &mut String, summarised: bool| {
        o.push_str("<caption class=\"visually-hidden\">");
        if let Some(c) = m.caption {
            o.push_str("<span class=\"caption-text\">");
            e(o, c);
            o.push_str("</span> ");
        }
        o.push_str("<span class=\"formula\"><code>");
        e(o, m.name);
        if let Some(f) = m.formula {
            o.push_str(" = ");
            e(o, f);
        }
        o.push_str("</code></span> <span class=\"shape\">(");
        e(o, &m.shape_text);
        o.push_str(if summarised {
            ", summarised)</span></caption>\n"
        } else {
            ")</span></caption>\n"
        });
    };
    let header = |o: &mut String, cols: &[String]| {
        o.push_str("<thead><tr><td></td>");
        for c in cols {
            o.push_str("<th scope=\"col\">");
            e(o, c);
            o.push_str("</th>");
        }
        o.push_str("</tr></thead>\n<tbody>\n");
    };
    o.push_str("<figure class=\"matrix-block\" id=\"matrix-");
    e(&mut o, m.name);
    o.push_str("\">\n");
    // The visible caption sits outside the scroll box, so it wraps on narrow screens; the
    // table's own <caption> (visually hidden) names the table for assistive technology.
    o.push_str("<figcaption aria-hidden=\"true\">");
    if let Some(c) = m.caption {
        o.push_str("<span class=\"caption-text\">");
        e(&mut o, c);
        o.push_str("</span> ");
    }
    o.push_str("<span class=\"formula\"><code>");
    e(&mut o, m.name);
    if let Some(f) = m.formula {
        o.push_str(" = ");
        e(&mut o, f);
    }
    o.push_str("</code></span> <span class=\"shape\">(");
    e(&mut o, &m.shape_text);
    o.push_str(")</span></figcaption>\n");
    if let Some(s) = &m.summary {
        o.push_str("<div class=\"matrix-wrap\" role=\"region\" aria-label=\"Matrix ");
        e(&mut o, m.name);
        o.push_str(
            ", summarised\" tabindex=\"0\">\n<table class=\"matrix-summary\" data-summary-of=\"",
        );
        e(&mut o, m.name);
        o.push_str("\">\n");
        caption(&mut o, true);
        header(&mut o, &s.columns);
        for row in &s.rows {
            o.push_str("<tr><th scope=\"row\">");
            e(&mut o, &row.label);
            o.push_str("</th>");
            for cell in &row.cells {
                match &cell.value {
                    Some(v) => {
                        o.push_str("<td data-value=\"");
                        e(&mut o, v);
                        o.push_str("\" data-heat=\"");
                        o.push_str(heat_text(cell.heat));
                        o.push_str("\">");
                        e(&mut o, &cell.text);
                        o.push_str("</td>");
                    }
                    None => {
                        o.push_str("<td class=\"gap\" aria-hidden=\"true\">");
                        e(&mut o, &cell.text);
                        o.push_str("</td>");
                    }
                }
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody>\n</table>\n</div>\n<details class=\"full-table\"><summary>Show all ");
        e(&mut o, &m.shape_text);
        o.push_str(" entries of ");
        e(&mut o, m.name);
        o.push_str("</summary>\n");
    }
    o.push_str("<div class=\"matrix-wrap\" role=\"region\" aria-label=\"Matrix ");
    e(&mut o, m.name);
    o.push_str("\" tabindex=\"0\">\n<table class=\"matrix\" data-matrix=\"");
    e(&mut o, m.name);
    o.push_str("\" data-shape=\"");
    e(&mut o, &m.shape);
    o.push_str("\">\n");
    caption(&mut o, false);
    header(&mut o, &m.columns);
    let cells = m
        .cells
        .as_ref()
        .expect("the built-in table is made from a view without cell views");
    let (rows, cols) = cells.matrix.shape();
    for i in 0..rows {
        o.push_str("<tr><th scope=\"row\">");
        e(&mut o, &cells.matrix.row_label(i));
        o.push_str("</th>");
        for j in 0..cols {
            let v = cells.matrix.data[[i, j]];
            o.push_str("<td data-value=\"");
            format::with_exact(v, |exact| {
                // Digits, a sign, a point (or `inf`, `NaN`): nothing to escape, here and in the
                // rounded text.
                o.push_str(exact);
                o.push_str("\" data-heat=\"");
                o.push_str(heat_text(heat_level(v, cells.heat_max)));
                o.push('"');
                if let Some(story) = m.stories.get(i * cols + j) {
                    o.push_str(" data-reads=\"");
                    push_reads(&mut o, &story.reads, &escape_into);
                    o.push_str("\" aria-describedby=\"");
                    e(&mut o, &story.id);
                    o.push('"');
                }
                o.push('>');
                format::round_into(&mut o, v, exact, cells.precision);
            });
            o.push_str("</td>");
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n</div>\n");
    if m.summary.is_some() {
        o.push_str("</details>\n");
    }
    if let Some(l) = &m.legend {
        o.push_str("<p class=\"legend\" aria-hidden=\"true\"><span>");
        e(&mut o, &l.min);
        o.push_str("</span><span class=\"legend-bar\"></span><span>");
        e(&mut o, &l.max);
        o.push_str("</span></p>\n");
    }
    if !m.stories.is_empty() {
        o.push_str("<details class=\"stories\"><summary>How each entry of ");
        e(&mut o, m.name);
        o.push_str(" is computed</summary>\n<ol>\n");
        for s in &m.stories {
            o.push_str("<li id=\"");
            e(&mut o, &s.id);
            o.push_str("\">");
            e(&mut o, &s.text);
            o.push_str("</li>\n");
        }
        o.push_str("</ol>\n</details>\n");
    }
    if let Some(numpy) = &m.numpy {
        o.push_str("<details class=\"reproduce\"><summary>Reproduce ");
        e(&mut o, m.name);
        o.push_str(" in NumPy or PyTorch</summary>\n<p>NumPy:</p>\n<pre><code class=\"language-python\" data-lang=\"numpy\">");
        e(&mut o, numpy);
        o.push_str("</code></pre>\n<p>PyTorch:</p>\n<pre><code class=\"language-python\" data-lang=\"pytorch\">");
        if let Some(t) = &m.pytorch {
            e(&mut o, t);
        }
        o.push_str("</code></pre>\n</details>\n");
    }
    o.push_str("</figure>\n");
    o
}
