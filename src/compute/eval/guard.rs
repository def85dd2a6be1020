//! Guards on every step: results stay finite (infinities only where they may pass), and within
//! the scope's limits on cells and work.

use std::ops::Range;

use super::value::{EvalError, Scope, Value, err};
use crate::parse::expr::Expr;

/// NaN is always an error; an infinity only where an operand carried one in (`carried`), or
/// where the operation makes them (`causal_mask`).
pub(super) fn check_result(
    e: &Expr,
    v: &Value,
    carried: bool,
    text: &dyn Fn(&Expr) -> String,
) -> Result<(), EvalError> {
    let (nan, inf) = match v {
        Value::Scalar(s) => (s.is_nan(), s.is_infinite()),
        Value::Matrix(m) => {
            if m.all_finite() {
                return Ok(());
            }
            (m.data.iter().any(|v| v.is_nan()), m.has_infinity())
        }
    };
    if nan || (inf && !carried) {
        return Err(err(
            format!("`{}` gives a value that is not a finite number", text(e)),
            e.span.clone(),
            Some("look for a division by zero, the square root of a negative number, or values too large for a 64-bit float".into()),
        ));
    }
    Ok(())
}

pub(super) fn has_infinity(v: &Value) -> bool {
    match v {
        Value::Scalar(s) => s.is_infinite(),
        Value::Matrix(m) => m.has_infinity(),
    }
}

/// Refuses an operand that holds an infinity, for an operation `what` that infinities do not
/// pass through.
pub(super) fn no_infinity(
    v: &Value,
    operand: &Expr,
    text: &dyn Fn(&Expr) -> String,
    what: &str,
) -> Result<(), EvalError> {
    let inf = match v {
        Value::Scalar(s) => s.is_infinite().then_some(*s),
        Value::Matrix(m) => m.data.iter().copied().find(|v| v.is_infinite()),
    };
    match inf {
        None => Ok(()),
        Some(x) => Err(err(
            format!(
                "{what} cannot take `{}`: it holds {}",
                text(operand),
                if x < 0.0 { "−∞" } else { "∞" }
            ),
            operand.span.clone(),
            Some("infinities (from `causal_mask` or a typed `-inf`) pass only through `+`, `-`, picks, slices, stacks and `softmax`, which turns −∞ into 0".into()),
        )),
    }
}

pub(super) fn spend(scope: &dyn Scope, work: u64, at: &Expr) -> Result<(), EvalError> {
    if scope.spend(work) {
        Ok(())
    } else {
        Err(err(
            "this expression needs more work than `limits.expression_work` allows",
            at.span.clone(),
            Some("split the computation, use smaller matrices, or raise `limits.expression_work` in site.yaml".into()),
        ))
    }
}

/// Refuses a result of more cells than the limit, before it is made.
pub(super) fn room(
    scope: &dyn Scope,
    rows: usize,
    cols: usize,
    at: &Expr,
    what: &str,
) -> Result<(), EvalError> {
    let cells = rows.saturating_mul(cols);
    if cells > scope.max_cells() {
        return Err(err(
            format!(
                "{what} would have {rows}×{cols} = {cells} cells, more than the limit of {}",
                scope.max_cells()
            ),
            at.span.clone(),
            Some("raise `limits.matrix_cells` in site.yaml if this is intended".into()),
        ));
    }
    Ok(())
}

pub(super) fn spend_cells(
    scope: &dyn Scope,
    cells: usize,
    span: Range<usize>,
) -> Result<(), EvalError> {
    if scope.spend(cells as u64) {
        Ok(())
    } else {
        Err(err(
            "this expression needs more work than `limits.expression_work` allows",
            span,
            Some("split the computation, use smaller matrices, or raise `limits.expression_work` in site.yaml".into()),
        ))
    }
}
