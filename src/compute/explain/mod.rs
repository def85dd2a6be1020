//! Where each entry of a computed matrix comes from, for learners.
//!
//! For the top operation of a `compute:` expression, [`explain`] gives, per cell, the operands it
//! reads (so a page can highlight them) and a derivation with the real numbers:
//! `Q[cat, q2] = Σₖ X[cat, k]·W_Q[q2, k] = 0.12·0.40 + … = 0.873`. Pure: it re-evaluates the
//! operands with the lesson's scope.
//!
//! Split by job: `cell` holds what a cell gets, `top` writes each top operation's cells, `node`
//! opens entry-by-entry sub-expressions, `operand` says how operands are written, and `text`
//! formats the numbers.

mod cell;
mod node;
mod operand;
mod text;
mod top;

use super::eval::{Scope, Value, eval};
use crate::parse::expr::{BinOp, Expr, ExprKind, Func};
pub use cell::{CellDerivation, OperandRef};
pub use top::explain;

/// Whether [`explain`] gives each cell of `expr`'s result a derivation, found without writing any:
/// `check`, which leaves the derivations out, still needs to know which ids a page has. The same
/// three operations as [`explain`], with the same operands; a test keeps the two in step.
pub fn explains(expr: &Expr, src: &str, scope: &dyn Scope) -> bool {
    let value = |e: &Expr| eval(e, src, scope);
    let matrix = |e: &Expr| matches!(value(e), Ok(Value::Matrix(_)));
    match &expr.kind {
        ExprKind::Binary(BinOp::MatMul, a, b) => matrix(a) && matrix(b),
        ExprKind::Binary(_, a, b) => value(a).is_ok() && value(b).is_ok(),
        ExprKind::Neg(x) => matrix(x),
        ExprKind::Call(Func::Softmax, args) => matrix(&args[0]),
        ExprKind::Slice(x, ..) => matrix(x),
        ExprKind::Call(f, args)
            if f.is_entrywise()
                || f.is_row_reduction()
                || matches!(f, Func::Hstack | Func::Vstack | Func::Layernorm) =>
        {
            args.iter()
                .take(if *f == Func::Layernorm { 3 } else { args.len() })
                .all(matrix)
        }
        _ => false,
    }
}
