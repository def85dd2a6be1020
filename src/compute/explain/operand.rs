//! How an operand of an operation is written in a derivation (a named matrix, maybe transposed,
//! or another expression) and which of its rows and columns a cell reads.

use super::cell::OperandRef;
use super::text::minus;
use crate::compute::matrix::Matrix;
use crate::parse::expr::{Expr, ExprKind};

pub(super) enum Operand<'a> {
    Matrix(std::borrow::Cow<'a, Matrix>, Ref),
    Scalar(f64, String),
}

impl Operand<'_> {
    /// How the operand appears at cell (i, j) of an element-wise result: text, value, reads.
    pub(super) fn at(&self, i: usize, j: usize, result: &Matrix) -> (String, f64, Vec<OperandRef>) {
        match self {
            Operand::Scalar(v, text) => (text.clone(), *v, Vec::new()),
            Operand::Matrix(m, r) => {
                // A 1×n row, an m×1 column or a 1×1 operand is broadcast: the cell reads its
                // only row (or column).
                let (rows, cols) = m.shape();
                let (i, j) = (i.min(rows - 1), j.min(cols - 1));
                let same = m.shape() == result.shape();
                let text = match &r.name {
                    Some(n) if r.transposed => {
                        format!("{n}[{}, {}]", m.col_label(j), m.row_label(i))
                    }
                    Some(n) => format!("{n}[{}, {}]", m.row_label(i), m.col_label(j)),
                    None if same => format!(
                        "{}[{}, {}]",
                        r.held(),
                        result.row_label(i),
                        result.col_label(j)
                    ),
                    None => format!("{}[{}, {}]", r.held(), m.row_label(i), m.col_label(j)),
                };
                let mut reads = r.refers(true, i);
                reads.extend(r.refers(false, j));
                (text, m.data[[i, j]], reads)
            }
        }
    }
}

/// How an operand is written: a named matrix (maybe transposed), or another expression.
pub(super) struct Ref {
    pub(super) name: Option<String>,
    pub(super) transposed: bool,
    pub(super) text: String,
    /// The operand is a function call, which needs no parentheses before `[r, c]`.
    pub(super) call: bool,
}

pub(super) fn reference(e: &Expr, src: &str) -> Ref {
    let text = src.get(e.span.clone()).unwrap_or("?").trim().to_string();
    let call = matches!(e.kind, ExprKind::Call(..)) && text.ends_with(')');
    match &e.kind {
        ExprKind::Name(n) => Ref {
            name: Some(n.clone()),
            transposed: false,
            text,
            call,
        },
        ExprKind::Transpose(inner) => match &inner.kind {
            ExprKind::Name(n) => Ref {
                name: Some(n.clone()),
                transposed: true,
                text,
                call,
            },
            _ => Ref {
                name: None,
                transposed: false,
                text,
                call,
            },
        },
        _ => Ref {
            name: None,
            transposed: false,
            text,
            call,
        },
    }
}

impl Ref {
    /// The operand written so that `[r, c]` can follow it: a call (`sum(Z)`) as it is, any other
    /// expression in parentheses.
    pub(super) fn held(&self) -> std::borrow::Cow<'_, str> {
        if self.call {
            self.text.as_str().into()
        } else {
            format!("({})", self.text).into()
        }
    }

    /// The k-indexed entry: row `i` of the operand (`fixed_is_row`=None means "row i, column k")
    /// or column `j` (`Some(false)`: "row k, column j"), written in the named matrix's own axes.
    pub(super) fn entry(&self, m: &Matrix, index: usize, fixed_is_row: Option<bool>) -> String {
        let fixed_row = fixed_is_row.is_none();
        let label = if fixed_row {
            m.row_label(index)
        } else {
            m.col_label(index)
        };
        match (&self.name, self.transposed) {
            (Some(n), false) if fixed_row => format!("{n}[{label}, k]"),
            (Some(n), false) => format!("{n}[k, {label}]"),
            // Row i of Wᵀ is column i of W, and the other way round.
            (Some(n), true) if fixed_row => format!("{n}[k, {label}]"),
            (Some(n), true) => format!("{n}[{label}, k]"),
            (None, _) if fixed_row => format!("{}[{label}, k]", self.held()),
            (None, _) => format!("{}[k, {label}]", self.held()),
        }
    }

    /// The row (`row`=true) or column `index` of the operand, as a row or column of the named
    /// matrix (a transposed operand swaps them).
    pub(super) fn refers(&self, row: bool, index: usize) -> Vec<OperandRef> {
        self.name
            .iter()
            .map(|n| OperandRef {
                matrix: n.clone(),
                row: row != self.transposed,
                index,
            })
            .collect()
    }
}

/// How a number-valued operand is written: a number typed in the expression as typed (with the
/// one-character minus), anything else (`sqrt(cols(K))`) as its source text.
pub(super) fn scalar_text(e: &Expr, src: &str) -> String {
    match &e.kind {
        ExprKind::Num(n) => minus(crate::format::exact(*n)),
        _ => src.get(e.span.clone()).unwrap_or("?").trim().to_string(),
    }
}
