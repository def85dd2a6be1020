//! The binary operators: the matrix product `@`, `**`, and entry-by-entry `+ - * /` with
//! broadcasting, each shape error explained with a likely fix.

use super::guard::spend_cells;
use super::value::{EvalError, Scope, Value, as_number, err};
use crate::compute::matrix::broadcast_shape;
use crate::parse::expr::{BinOp, Expr, ExprKind};

pub(super) fn binary<'a>(
    op: BinOp,
    va: Value<'a>,
    vb: Value<'a>,
    a: &Expr,
    b: &Expr,
    text: &dyn Fn(&Expr) -> String,
    scope: &dyn Scope,
) -> Result<Value<'a>, EvalError> {
    let span = a.span.start..b.span.end;
    if op == BinOp::MatMul {
        let (Value::Matrix(ma), Value::Matrix(mb)) = (&va, &vb) else {
            return Err(err(
                "`@` multiplies two matrices, but one side is a number",
                span,
                Some("use `*` to scale a matrix by a number".into()),
            ));
        };
        let ((ra, ca), (rb, cb)) = (ma.shape(), mb.shape());
        if ca != rb {
            let (ta, tb) = (text(a), text(b));
            let help = if ca == cb {
                Some(format!(
                    "{tb} is stored output×input ({rb}×{cb}); did you mean `{ta} @ {}`?",
                    transposed(&tb, b)
                ))
            } else if ra == rb {
                Some(format!("did you mean `{} @ {tb}`?", transposed(&ta, a)))
            } else {
                None
            };
            return Err(err(
                format!(
                    "cannot multiply {ta} ({ra}×{ca}) by {tb} ({rb}×{cb}): inner dimensions {ca} and {rb} differ"
                ),
                span,
                help,
            ));
        }
        let cells = ra.saturating_mul(cb);
        if cells > scope.max_cells() {
            return Err(err(
                format!(
                    "{} @ {} would have {ra}×{cb} = {cells} cells, more than the limit of {}",
                    text(a),
                    text(b),
                    scope.max_cells()
                ),
                span,
                Some("raise `limits.matrix_cells` in site.yaml if this is intended".into()),
            ));
        }
        if !scope.spend(
            (ra as u64)
                .saturating_mul(ca as u64)
                .saturating_mul(cb as u64),
        ) {
            return Err(err(
                "this expression needs more multiply-adds than `limits.expression_work` allows",
                span,
                Some("split the computation, use smaller matrices, or raise `limits.expression_work` in site.yaml".into()),
            ));
        }
        return Ok(Value::owned(ma.matmul(mb)));
    }
    if op == BinOp::Pow {
        let Some(p) = as_number(&vb) else {
            return Err(err(
                format!(
                    "the exponent `{}` of `**` is a {} matrix, not a number",
                    text(b),
                    match &vb {
                        Value::Matrix(m) => m.shape_text(),
                        Value::Scalar(_) => unreachable!("a number is a number"),
                    }
                ),
                b.span.clone(),
                Some("raise each entry to one power, e.g. `A ** 2`".into()),
            ));
        };
        return Ok(match va {
            Value::Scalar(x) => Value::Scalar(x.powf(p)),
            Value::Matrix(m) => {
                spend_cells(scope, m.data.len(), span)?;
                Value::owned(m.map(|x| x.powf(p)))
            }
        });
    }
    let f = match op {
        BinOp::Add => |x: f64, y: f64| x + y,
        BinOp::Sub => |x, y| x - y,
        BinOp::Mul => |x, y| x * y,
        BinOp::Div => |x, y| x / y,
        BinOp::MatMul | BinOp::Pow => unreachable!("handled above"),
    };
    Ok(match (va, vb) {
        (Value::Scalar(x), Value::Scalar(y)) => Value::Scalar(f(x, y)),
        (Value::Matrix(m), Value::Scalar(y)) => {
            spend_cells(scope, m.data.len(), span)?;
            Value::owned(m.map(|x| f(x, y)))
        }
        (Value::Scalar(x), Value::Matrix(m)) => {
            spend_cells(scope, m.data.len(), span)?;
            Value::owned(m.map(|y| f(x, y)))
        }
        (Value::Matrix(ma), Value::Matrix(mb)) => {
            let Some((r, c)) = broadcast_shape(ma.shape(), mb.shape()) else {
                let help = if op == BinOp::Mul && ma.shape().1 == mb.shape().0 {
                    "`*` multiplies entry by entry; for the matrix product write `@`".to_string()
                } else {
                    format!(
                        "on each side, rows and columns must agree or be 1: with {} ({}), the other side can be {}, 1×{}, {}×1 or 1×1",
                        text(a),
                        ma.shape_text(),
                        ma.shape_text(),
                        ma.shape().1,
                        ma.shape().0
                    )
                };
                return Err(err(
                    format!(
                        "cannot apply `{}` to {} ({}) and {} ({}): entry-by-entry operations need the same shape, or a 1×n row, an m×1 column or a 1×1 matrix on one side",
                        op.symbol(),
                        text(a),
                        ma.shape_text(),
                        text(b),
                        mb.shape_text()
                    ),
                    span,
                    Some(help),
                ));
            };
            let cells = r.saturating_mul(c);
            if cells > scope.max_cells() {
                return Err(err(
                    format!(
                        "{} {} {} would have {r}×{c} = {cells} cells, more than the limit of {}",
                        text(a),
                        op.symbol(),
                        text(b),
                        scope.max_cells()
                    ),
                    span,
                    Some("raise `limits.matrix_cells` in site.yaml if this is intended".into()),
                ));
            }
            spend_cells(scope, cells, span)?;
            Value::owned(ma.broadcast_with(&mb, f).expect("the shapes were checked"))
        }
    })
}

/// `B^T` for a simple operand, `(…)^T` otherwise; and `B` for an operand that was `B^T`.
fn transposed(text: &str, e: &Expr) -> String {
    match &e.kind {
        ExprKind::Transpose(inner) if matches!(inner.kind, ExprKind::Name(_)) => {
            text.trim_end_matches("^T").trim_end().to_string()
        }
        ExprKind::Name(_) | ExprKind::Index(..) | ExprKind::Call(..) => format!("{text}^T"),
        _ => format!("({text})^T"),
    }
}
