//! The view of one matrix block: cells with exact and shown values, heatmap levels, per-cell
//! derivations, reproduce snippets, and a NumPy-style summary for large matrices.

use std::collections::HashMap;

use serde::Serialize;

use super::reproduce::{Dialect, Literals, snippet};
use crate::compute::eval::Scope;
use crate::compute::explain::{OperandRef, explain, explains};
use crate::compute::lesson::LessonValues;
use crate::compute::matrix::Matrix;
use crate::config::Tables;
use crate::format;
use crate::model::{Layout, Lesson, MatrixDef, MatrixSource};
use crate::parse::expr::{BinOp, ExprKind};

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
    /// With `layout: equation`, the operands shown before the result (`X · W_Qᵀ =`).
    pub equation: Vec<TermView>,
}

/// An operand of an equation, as its table shows it (a transposed term is shown transposed).
#[derive(Serialize)]
pub struct TermView {
    pub name: String,
    /// `W_Qᵀ` for a transposed term, else the name.
    pub title: String,
    pub transposed: bool,
    /// The matrix's own shape, `"4x8"`, for `data-shape` (a transposed table shows `8×4`).
    pub shape: String,
    /// The shape as shown, `"8×4"`.
    pub shape_text: String,
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    /// What follows the term: the operator (`·`, `+`, `−`, `⊙`), or `=` after the last.
    pub sign: &'static str,
}

/// The colour scale of a table: the range of its values, or of its group's (see [`scales`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
}

impl Scale {
    fn of(m: &Matrix) -> Scale {
        m.data.iter().fold(
            Scale {
                lo: f64::INFINITY,
                hi: f64::NEG_INFINITY,
            },
            // A masked (infinite) entry is no colour, and is left out of the scale.
            |s, &v| match v.is_finite() {
                true => Scale {
                    lo: s.lo.min(v),
                    hi: s.hi.max(v),
                },
                false => s,
            },
        )
    }

    fn join(self, o: Scale) -> Scale {
        Scale {
            lo: self.lo.min(o.lo),
            hi: self.hi.max(o.hi),
        }
    }

    /// Heatmap level of `v` from -4 to 4. Values of both signs get a diverging scale centred on
    /// 0 (the largest magnitude is ±4); values of one sign a sequential one from the value
    /// nearest 0 (level 0) to the farthest (±4).
    fn level(self, v: f64) -> i8 {
        let Scale { lo, hi } = self;
        if !v.is_finite() || !lo.is_finite() {
            return 0;
        }
        let l = if lo < 0.0 && hi > 0.0 {
            v / lo.abs().max(hi) * 4.0
        } else if hi == lo {
            if v == 0.0 { 0.0 } else { 4.0f64.copysign(v) }
        } else if lo >= 0.0 {
            (v - lo) / (hi - lo) * 4.0
        } else {
            (v - hi) / (hi - lo) * 4.0
        };
        l.round().clamp(-4.0, 4.0) as i8
    }

    /// Where 0 sits on the legend bar (percent) and how strong its two ends are (0 to 1).
    fn legend_style(self) -> String {
        let Scale { lo, hi } = self;
        let (zero, l, r) = if lo < 0.0 && hi > 0.0 {
            let m = lo.abs().max(hi);
            (-lo / (hi - lo) * 100.0, -lo / m, hi / m)
        } else if lo >= 0.0 {
            (0.0, 0.0, 1.0)
        } else {
            (100.0, 1.0, 0.0)
        };
        format!("--zero: {zero:.1}%; --l: {l:.2}; --r: {r:.2}")
    }
}

/// The colour scale of each shown table of a page, by name. Tables with the same `scale:` share
/// one; by default a product (`A @ B`, also `A @ B^T`) shares one with those of its operands
/// shown on the same page that have no `scale:` of their own; `scale: own` keeps a table apart.
pub fn scales(defs: &[MatrixDef], values: &LessonValues) -> HashMap<String, Scale> {
    let groups = scale_groups(defs, values);
    let mut by_group: HashMap<usize, Scale> = HashMap::new();
    for (name, g) in &groups {
        let s = Scale::of(&values.matrices[name]);
        by_group
            .entry(*g)
            .and_modify(|t| *t = t.join(s))
            .or_insert(s);
    }
    groups
        .into_iter()
        .map(|(name, g)| (name, by_group[&g]))
        .collect()
}

/// The page's shown tables (those with values), each with the number of its colour-scale group
/// (see [`scales`]), in page order.
pub fn scale_groups(defs: &[MatrixDef], values: &LessonValues) -> Vec<(String, usize)> {
    // The page's tables: its shown blocks, then the operands of its equations not shown as
    // blocks of their own (an operand without a block has no `scale:`).
    let mut shown: Vec<(&str, Option<&str>)> = defs
        .iter()
        .filter(|d| d.show && values.matrices.contains_key(&d.name))
        .map(|d| (d.name.as_str(), d.scale.as_deref()))
        .collect();
    for d in defs.iter().filter(|d| d.show) {
        for name in equation_operands(d) {
            if values.matrices.contains_key(name) && !shown.iter().any(|(n, _)| *n == name) {
                shown.push((name, None));
            }
        }
    }
    // Union-find over the page's tables (a page has a handful).
    let mut group: Vec<usize> = (0..shown.len()).collect();
    fn find(g: &mut [usize], i: usize) -> usize {
        let mut i = i;
        while g[i] != i {
            g[i] = g[g[i]];
            i = g[i];
        }
        i
    }
    fn join(g: &mut [usize], i: usize, j: usize) {
        let (a, b) = (find(g, i), find(g, j));
        g[a] = b;
    }
    let index = |name: &str| shown.iter().position(|(n, _)| *n == name);
    for def in defs.iter().filter(|d| d.show) {
        let Some(i) = index(&def.name) else {
            continue;
        };
        // An equation's operands always share its scale: one colour, one value across it.
        for name in equation_operands(def) {
            if let Some(j) = index(name).filter(|&j| shown[j].1 != Some("own")) {
                join(&mut group, i, j);
            }
        }
        match def.scale.as_deref() {
            Some("own") => {}
            Some(name) => {
                if let Some(j) = shown.iter().position(|(_, s)| *s == Some(name)) {
                    join(&mut group, i, j);
                }
            }
            None => {
                if let MatrixSource::Computed { expr, .. } = &def.source
                    && let ExprKind::Binary(BinOp::MatMul, a, b) = &expr.kind
                {
                    for operand in [a, b] {
                        let name = match &operand.kind {
                            ExprKind::Name(n) => n,
                            ExprKind::Transpose(inner) => match &inner.kind {
                                ExprKind::Name(n) => n,
                                _ => continue,
                            },
                            _ => continue,
                        };
                        if let Some(j) = index(name).filter(|&j| shown[j].1.is_none()) {
                            join(&mut group, i, j);
                        }
                    }
                }
            }
        }
    }
    (0..shown.len())
        .map(|i| (shown[i].0.to_string(), find(&mut group, i)))
        .collect()
}

/// The names an equation block shows beside its result (none for other blocks).
pub fn equation_operands(def: &MatrixDef) -> Vec<&str> {
    match (&def.layout, &def.source) {
        (Layout::Equation, MatrixSource::Computed { expr, .. }) => expr
            .equation()
            .map(|(_, terms)| terms.iter().map(|t| t.name).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
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
    /// For a product, the value of each term the text shows, rounded to the table's precision
    /// and separated by spaces (`0.063 -0.045 …`), for a page to line up with the terms; else
    /// empty.
    pub products: String,
    /// What the cell reads (templates get it as the cell's `reads`).
    #[serde(skip)]
    pub reads: Vec<OperandRef>,
}

#[derive(Serialize)]
pub struct LegendView {
    /// The lowest and highest value of the scale (of the table's group when it shares one).
    pub min: String,
    pub max: String,
    /// `diverging` (both signs, centred on 0) or `sequential` (one sign).
    pub kind: &'static str,
    /// CSS custom properties for the legend bar: where 0 sits, and the strength of each end.
    pub style: String,
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
    /// The colour scales of the page's tables ([`scales`]); a table not in it has its own.
    pub scales: &'a HashMap<String, Scale>,
}

/// The view of one matrix block, as `matrix.html` gets it.
pub fn view<'a>(def: &'a MatrixDef, m: &'a Matrix, input: &TableInput) -> MatrixView<'a> {
    let TableInput {
        lesson,
        values,
        tables,
        literals,
        lean,
        scales,
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
    let scale = scales
        .get(&def.name)
        .copied()
        .unwrap_or_else(|| Scale::of(m));
    let heat = |v: f64| if tables.heatmap { scale.level(v) } else { 0 };
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
                            products: String::new(),
                            reads: Vec::new(),
                        })
                        .collect()
                })
            } else {
                let products = Products::of(expr, text, &scope);
                explain(&def.name, expr, text, m, precision, &scope).map(|s| {
                    s.into_iter()
                        .enumerate()
                        .flat_map(|(i, row)| {
                            row.into_iter().enumerate().map(move |(j, st)| (i, j, st))
                        })
                        .map(|(i, j, st)| StoryView {
                            id: id(i, j),
                            text: st.text,
                            products: products
                                .as_ref()
                                .map_or_else(String::new, |p| p.at(i, j, precision)),
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
        legend: (tables.heatmap && scale.lo.is_finite() && (scale.lo != 0.0 || scale.hi != 0.0))
            .then(|| LegendView {
                min: format::rounded(scale.lo, precision),
                max: format::rounded(scale.hi, precision),
                kind: if scale.lo < 0.0 && scale.hi > 0.0 {
                    "diverging"
                } else {
                    "sequential"
                },
                style: scale.legend_style(),
            }),
        stories: stories.unwrap_or_default(),
        numpy: snippet(Dialect::NumPy),
        pytorch: snippet(Dialect::PyTorch),
        summary,
        equation: match (&def.layout, &def.source) {
            (Layout::Equation, MatrixSource::Computed { expr, .. }) => {
                equation(expr, input).unwrap_or_default()
            }
            _ => Vec::new(),
        },
    }
}

/// The operands of an equation block, each with its own decimals and the colour scale of the
/// page's table of that name (an equation's operands share the result's by default).
fn equation(expr: &crate::parse::expr::Expr, input: &TableInput) -> Option<Vec<TermView>> {
    let (sign, terms) = expr.equation()?;
    let mut out = Vec::with_capacity(terms.len());
    for (n, t) in terms.iter().enumerate() {
        let m = input.values.matrices.get(t.name)?;
        let precision = input.values.precision.get(t.name).copied().unwrap_or(3);
        let scale = input
            .scales
            .get(t.name)
            .copied()
            .unwrap_or_else(|| Scale::of(m));
        let (r, c) = m.shape();
        let (dr, dc) = if t.transposed { (c, r) } else { (r, c) };
        // Labels of the table as shown: a transposed term's rows are the matrix's columns.
        let row_label = |i| match t.transposed {
            true => m.col_label(i),
            false => m.row_label(i),
        };
        let col_label = |j| match t.transposed {
            true => m.row_label(j),
            false => m.col_label(j),
        };
        let at = |i: usize, j: usize| match t.transposed {
            true => m.data[[j, i]],
            false => m.data[[i, j]],
        };
        out.push(TermView {
            name: t.name.to_string(),
            title: match t.transposed {
                true => format!("{}ᵀ", t.name),
                false => t.name.to_string(),
            },
            transposed: t.transposed,
            shape: format!("{r}x{c}"),
            shape_text: crate::compute::matrix::shape_text((dr, dc)),
            columns: (0..dc).map(col_label).collect(),
            rows: (0..dr)
                .map(|i| RowView {
                    label: row_label(i),
                    cells: (0..dc)
                        .map(|j| {
                            let v = at(i, j);
                            CellView {
                                v,
                                precision,
                                heat: if input.tables.heatmap {
                                    scale.level(v)
                                } else {
                                    0
                                },
                                reads: String::new(),
                                story: None,
                            }
                        })
                        .collect(),
                })
                .collect(),
            sign: if n + 1 < terms.len() { sign } else { "=" },
        });
    }
    Some(out)
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

/// The operands of a product `A @ B`, to give each term of a cell's derivation its value.
struct Products<'a> {
    a: std::borrow::Cow<'a, Matrix>,
    b: std::borrow::Cow<'a, Matrix>,
}

/// Terms a derivation shows in full; longer sums show the first six and the last two, as
/// `compute::explain` writes them.
const SHOWN_TERMS: usize = 12;

impl<'a> Products<'a> {
    fn of(expr: &crate::parse::expr::Expr, src: &str, scope: &'a dyn Scope) -> Option<Self> {
        use crate::compute::eval::{Value, eval};
        let ExprKind::Binary(BinOp::MatMul, a, b) = &expr.kind else {
            return None;
        };
        match (eval(a, src, scope).ok()?, eval(b, src, scope).ok()?) {
            (Value::Matrix(a), Value::Matrix(b)) => Some(Products { a, b }),
            _ => None,
        }
    }

    fn at(&self, i: usize, j: usize, precision: usize) -> String {
        let k = self.a.shape().1;
        let shown: Vec<usize> = if k <= SHOWN_TERMS {
            (0..k).collect()
        } else {
            (0..SHOWN_TERMS / 2).chain(k - 2..k).collect()
        };
        let mut out = String::with_capacity(shown.len() * 8);
        for (n, t) in shown.into_iter().enumerate() {
            if n > 0 {
                out.push(' ');
            }
            format::rounded_into(
                &mut out,
                self.a.data[[i, t]] * self.b.data[[t, j]],
                precision,
            );
        }
        out
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
