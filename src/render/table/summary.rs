//! The NumPy-style summary of a large matrix: its edge rows and columns around ellipses.

use serde::Serialize;

use crate::compute::matrix::Matrix;
use crate::config::Tables;
use crate::format;

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

/// First and last `edge_items` rows and columns around an ellipsis, as NumPy prints.
pub(super) fn summarize(
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
