//! Inline values: one number (a number or a 1×1 matrix), shown with the precision of the
//! matrices whose values it reads.

use crate::compute::eval::Value;
use crate::parse::expr::{Expr, ExprKind, Func};

pub(super) fn scalar(v: Value) -> Option<f64> {
    match v {
        Value::Scalar(s) => Some(s),
        Value::Matrix(m) if m.shape() == (1, 1) => Some(m.data[[0, 0]]),
        Value::Matrix(_) => None,
    }
}

/// The matrices whose *values* an expression reads (not those it only counts with `rows`/`cols`):
/// an inline value is shown with the largest precision among them.
pub(super) fn value_names(e: &Expr) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Name(n) => out.push(n.as_str()),
            ExprKind::Call(Func::Rows | Func::Cols, _) | ExprKind::Num(_) => {}
            ExprKind::Call(_, args) => stack.extend(args),
            ExprKind::Neg(x)
            | ExprKind::Transpose(x)
            | ExprKind::Index(x, _, _)
            | ExprKind::Slice(x, _) => stack.push(x),
            ExprKind::Binary(_, a, b) => {
                stack.push(a);
                stack.push(b);
            }
        }
    }
    out
}
