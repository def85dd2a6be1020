//! The view of one matrix block: cells with exact and shown values, heatmap levels, per-cell
//! derivations, reproduce snippets, and a NumPy-style summary for large matrices.
//!
//! Split by job: this file builds a block's view (and an equation's operands); `views` holds
//! the types `matrix.html` gets, `scale` the colour scales, `derivation` what a cell's
//! derivation carries besides its text, and `summary` the summary of a large matrix.

mod derivation;
mod scale;
mod summary;
mod views;

use std::collections::HashMap;

use super::reproduce::{Dialect, Literals, snippet};
use crate::compute::explain::{explain, explains};
use crate::compute::lesson::LessonValues;
use crate::compute::matrix::Matrix;
use crate::config::Tables;
use crate::format;
use crate::model::{Layout, Lesson, MatrixDef, MatrixSource};
use derivation::{MAX_DERIVATION_CELLS, Names, Products, derivation_id, push_reads};
pub use scale::{Scale, equation_operands, scale_groups, scales};
use summary::summarize;
pub use summary::{SummaryCell, SummaryRow, SummaryView};
pub use views::{CellView, DerivationView, LegendView, MatrixView, RowView, TermView};

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

/// The decimals of a block's table: its own, or for a recall that sets none, those the matrix
/// was defined with.
pub fn precision(def: &MatrixDef, values: &LessonValues) -> usize {
    match def.source {
        MatrixSource::Recall { precision: None } => values
            .precision
            .get(&def.name)
            .copied()
            .unwrap_or(def.precision),
        _ => def.precision,
    }
}

/// The decimals matrix `name` was defined with (an equation shows its operands so).
pub fn own_precision(name: &str, values: &LessonValues) -> usize {
    values.precision.get(name).copied().unwrap_or(3)
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
    let precision = precision(def, values);
    let (r, c) = m.shape();
    let scale = scales
        .get(&def.name)
        .copied()
        .unwrap_or_else(|| Scale::of(m));
    let heat = |v: f64| if tables.heatmap { scale.level(v) } else { 0 };
    let scope = Names(values);
    let id = |i: usize, j: usize| derivation_id(&def.name, i, j);
    let derivations: Option<Vec<DerivationView>> = match &def.source {
        MatrixSource::Computed { expr, text, .. } if m.data.len() <= MAX_DERIVATION_CELLS => {
            if lean {
                explains(expr, text, &scope).then(|| {
                    (0..r * c)
                        .map(|k| DerivationView {
                            id: id(k / c, k % c),
                            text: String::new(),
                            products: String::new(),
                            reads: Vec::new(),
                        })
                        .collect()
                })
            } else {
                let products = Products::of(expr, text, &scope);
                explain(&def.name, (expr, text), m, precision, &scope).map(|s| {
                    s.into_iter()
                        .enumerate()
                        .flat_map(|(i, row)| {
                            row.into_iter().enumerate().map(move |(j, st)| (i, j, st))
                        })
                        .map(|(i, j, st)| DerivationView {
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
                    let derivation = derivations.as_ref().map(|s| &s[i * c + j]);
                    let mut reads = String::new();
                    if let Some(s) = derivation {
                        push_reads(&mut reads, &s.reads);
                    }
                    CellView {
                        v,
                        precision,
                        heat: heat(v),
                        reads,
                        derivation: derivation.map(|s| s.id.clone()),
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
        derivations: derivations.unwrap_or_default(),
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
        let precision = own_precision(t.name, input.values);
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
                                derivation: None,
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

#[cfg(test)]
mod tests;
