//! What a computed cell's derivation carries besides its text: its id, what it reads, and the
//! value of each term of a product.

use crate::compute::eval::Scope;
use crate::compute::explain::OperandRef;
use crate::compute::lesson::LessonValues;
use crate::compute::matrix::Matrix;
use crate::format;
use crate::parse::expr::{BinOp, ExprKind};

/// Cells above which no per-cell derivations are written (they would dwarf the page).
pub(super) const MAX_DERIVATION_CELLS: usize = 400;

/// The id of the derivation of cell (i, j) of a matrix: `why-Q-0-1`.
pub(super) fn derivation_id(name: &str, i: usize, j: usize) -> String {
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
pub(super) fn push_reads(out: &mut String, reads: &[OperandRef]) {
    for (n, read) in reads.iter().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(&read.matrix);
        out.push_str(if read.row { ":r" } else { ":c" });
        push_index(out, ':', read.index);
    }
}

/// The operands of a product `A @ B`, to give each term of a cell's derivation its value.
pub(super) struct Products<'a> {
    a: std::borrow::Cow<'a, Matrix>,
    b: std::borrow::Cow<'a, Matrix>,
}

/// Terms a derivation shows in full; longer sums show the first six and the last two, as
/// `compute::explain` writes them.
const SHOWN_TERMS: usize = 12;

impl<'a> Products<'a> {
    pub(super) fn of(
        expr: &crate::parse::expr::Expr,
        src: &str,
        scope: &'a dyn Scope,
    ) -> Option<Self> {
        use crate::compute::eval::{Value, eval};
        let ExprKind::Binary(BinOp::MatMul, a, b) = &expr.kind else {
            return None;
        };
        match (eval(a, src, scope).ok()?, eval(b, src, scope).ok()?) {
            (Value::Matrix(a), Value::Matrix(b)) => Some(Products { a, b }),
            _ => None,
        }
    }

    pub(super) fn at(&self, i: usize, j: usize, precision: usize) -> String {
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
pub(super) struct Names<'a>(pub(super) &'a LessonValues);

impl Scope for Names<'_> {
    fn lookup(&self, name: &str) -> Option<&Matrix> {
        self.0.matrices.get(name)
    }
}
