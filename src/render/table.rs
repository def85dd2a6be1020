//! The view of one matrix block: cells with exact and shown values, heatmap levels, per-cell
//! derivations, reproduce snippets, and a NumPy-style summary for large matrices.

use serde::Serialize;

use super::reproduce::{Dialect, Literals, snippet};
use crate::compute::eval::Scope;
use crate::compute::explain::{OperandRef, explain, explains};
use crate::compute::lesson::LessonValues;
use crate::compute::matrix::Matrix;
use crate::config::Tables;
use crate::format;
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

/// One cell. Templates see `value` (the exact f64, shortest round-trip form), `text` (rounded
/// to the block's precision), `heat`, `reads` and `story`; the two texts are written straight
/// into the template's value, not kept as strings of their own (a large site has millions of
/// cells).
pub struct CellView {
    pub v: f64,
    pub precision: usize,
    /// Heatmap level from -4 to 4 (0 when the heatmap is off).
    pub heat: i8,
    /// Operand rows/columns this cell reads: `X:r:0 W_Q:r:1` (`r` row, `c` column, from 0).
    pub reads: String,
    /// The `id` of this cell's derivation, if it has one.
    pub story: Option<String>,
}

impl CellView {
    /// The exact value, shortest round-trip form.
    pub fn value(&self) -> String {
        format::exact(self.v)
    }

    /// The value rounded to the block's precision.
    pub fn text(&self) -> String {
        format::rounded(self.v, self.precision)
    }
}

impl Serialize for CellView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        thread_local! {
            static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        let mut st = s.serialize_struct("CellView", 5)?;
        format::with_exact(self.v, |exact| {
            st.serialize_field("value", exact)?;
            TEXT.with_borrow_mut(|text| {
                text.clear();
                format::round_into(text, self.v, exact, self.precision);
                st.serialize_field("text", text.as_str())
            })
        })?;
        st.serialize_field("heat", &self.heat)?;
        st.serialize_field("reads", &self.reads)?;
        st.serialize_field("story", &self.story)?;
        st.end()
    }
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

/// What a table is made from besides its block and its matrix.
pub struct TableInput<'a> {
    pub lesson: &'a Lesson,
    pub values: &'a LessonValues,
    pub tables: &'a Tables,
    pub literals: &'a Literals,
    /// For `check`: derivations keep their ids but not their text, and there are no reproduce
    /// snippets (nothing a link can point into changes).
    pub lean: bool,
}

/// The view of one matrix block, as `matrix.html` gets it.
pub fn view<'a>(def: &'a MatrixDef, m: &'a Matrix, input: &TableInput) -> MatrixView<'a> {
    let TableInput {
        lesson,
        values,
        tables,
        literals,
        lean,
    } = *input;
    // A recall shows the matrix with the decimals it was defined with, unless it sets its own.
    let precision = match def.source {
        MatrixSource::Recall { precision: None } => values
            .precision
            .get(&def.name)
            .copied()
            .unwrap_or(def.precision),
        _ => def.precision,
    };
    let (r, c) = m.shape();
    let max = m
        .data
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |a, v| a.max(v.abs()));
    let heat_max = if tables.heatmap { max } else { 0.0 };
    let heat = |v: f64| heat_level(v, heat_max);
    let scope = Names(values);
    let id = |i: usize, j: usize| story_id(&def.name, i, j);
    let stories: Option<Vec<StoryView>> = match &def.source {
        MatrixSource::Computed { expr, text, .. } if m.data.len() <= MAX_STORY_CELLS => {
            if lean {
                explains(expr, text, &scope).then(|| {
                    (0..r * c)
                        .map(|k| StoryView {
                            id: id(k / c, k % c),
                            text: String::new(),
                            reads: Vec::new(),
                        })
                        .collect()
                })
            } else {
                explain(&def.name, expr, text, m, precision, &scope).map(|s| {
                    s.into_iter()
                        .enumerate()
                        .flat_map(|(i, row)| {
                            row.into_iter().enumerate().map(move |(j, st)| (i, j, st))
                        })
                        .map(|(i, j, st)| StoryView {
                            id: id(i, j),
                            text: st.text,
                            reads: st.reads,
                        })
                        .collect()
                })
            }
        }
        _ => None,
    };
    let rows = (0..r)
        .map(|i| RowView {
            label: m.row_label(i),
            cells: (0..c)
                .map(|j| {
                    let v = m.data[[i, j]];
                    let story = stories.as_ref().map(|s| &s[i * c + j]);
                    let mut reads = String::new();
                    if let Some(s) = story {
                        push_reads(&mut reads, &s.reads);
                    }
                    CellView {
                        v,
                        precision,
                        heat: heat(v),
                        reads,
                        story: story.map(|s| s.id.clone()),
                    }
                })
                .collect(),
        })
        .collect();
    let summary = (r > tables.summarize_above || c > tables.summarize_above)
        .then(|| summarize(m, precision, tables, &heat));
    let snippet = |dialect| {
        (!lean)
            .then(|| snippet(lesson, values, &def.name, dialect, literals))
            .flatten()
    };
    MatrixView {
        name: &def.name,
        shape: format!("{r}x{c}"),
        shape_text: m.shape_text(),
        caption: def.caption.as_deref(),
        formula: match &def.source {
            MatrixSource::Computed { text, .. } => Some(text.trim()),
            MatrixSource::Literal(_) | MatrixSource::Recall { .. } => None,
        },
        columns: (0..c).map(|j| m.col_label(j)).collect(),
        rows,
        legend: (tables.heatmap && max > 0.0).then(|| LegendView {
            min: format::rounded(-max, precision),
            max: format::rounded(max, precision),
        }),
        stories: stories.unwrap_or_default(),
        numpy: snippet(Dialect::NumPy),
        pytorch: snippet(Dialect::PyTorch),
        summary,
    }
}

/// The id of the derivation of cell (i, j) of a matrix: `why-Q-0-1`.
fn story_id(name: &str, i: usize, j: usize) -> String {
    let mut id = String::with_capacity(name.len() + 12);
    id.push_str("why-");
    id.push_str(name);
    push_index(&mut id, '-', i);
    push_index(&mut id, '-', j);
    id
}

/// Appends `sep` and `n` in decimal, in place (no `format!` and its allocation per cell).
fn push_index(out: &mut String, sep: char, n: usize) {
    out.push(sep);
    // Most indices are one digit: no formatting machinery for those.
    match u8::try_from(n) {
        Ok(d @ 0..=9) => out.push(char::from(b'0' + d)),
        _ => format::push_number(out, n),
    }
}

/// Appends what a cell reads, `X:r:0 W_Q:r:1`.
fn push_reads(out: &mut String, reads: &[OperandRef]) {
    for (n, read) in reads.iter().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(&read.matrix);
        out.push_str(if read.row { ":r" } else { ":c" });
        push_index(out, ':', read.index);
    }
}

/// First and last `edge_items` rows and columns around an ellipsis, as NumPy prints.
fn summarize(
    m: &Matrix,
    precision: usize,
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
                                text: format::rounded(v, precision),
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

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
