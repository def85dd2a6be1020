//! Evaluates a parsed expression on ndarray matrices.
//!
//! Pure: names are looked up through the [`Scope`] the caller gives. Shape errors are explained in
//! the lesson's terms (the operands as the author wrote them, their shapes, and a likely fix).

use std::borrow::Cow;
use std::ops::Range;

use super::matrix::Matrix;
use crate::parse::expr::{BinOp, Expr, ExprKind, Func};

/// The result of an expression. A name evaluates to the scope's own matrix, borrowed: most
/// expressions only read their operands (`X @ W_Q^T`), and copying them cost more than the
/// product.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Scalar(f64),
    Matrix(Cow<'a, Matrix>),
}

impl Value<'_> {
    fn owned(m: Matrix) -> Self {
        Value::Matrix(Cow::Owned(m))
    }
}

/// Where names come from, and how much an expression may cost.
pub trait Scope {
    fn lookup(&self, name: &str) -> Option<&Matrix>;

    /// Most cells any intermediate or final matrix may have.
    fn max_cells(&self) -> usize {
        usize::MAX
    }

    /// Records `work` multiply-adds; returns false once the expression's budget is spent.
    fn spend(&self, _work: u64) -> bool {
        true
    }
}

/// An evaluation error, located in the expression text.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalError {
    pub message: String,
    pub span: Range<usize>,
    pub help: Option<String>,
    /// Set when the error is an unknown name, so the caller can explain what is in scope.
    pub unknown_name: Option<String>,
}

fn err(message: impl Into<String>, span: Range<usize>, help: Option<String>) -> EvalError {
    EvalError {
        message: message.into(),
        span,
        help,
        unknown_name: None,
    }
}

/// Evaluates `e`; `src` is the expression text, used to name operands in messages.
pub fn eval<'a>(e: &Expr, src: &str, scope: &'a dyn Scope) -> Result<Value<'a>, EvalError> {
    let text = |x: &Expr| src.get(x.span.clone()).unwrap_or("?").to_string();
    let v = match &e.kind {
        ExprKind::Num(n) => Value::Scalar(*n),
        ExprKind::Name(name) => match scope.lookup(name) {
            Some(m) => Value::Matrix(Cow::Borrowed(m)),
            None => {
                return Err(EvalError {
                    message: format!("unknown matrix `{name}`"),
                    span: e.span.clone(),
                    help: None,
                    unknown_name: Some(name.clone()),
                });
            }
        },
        ExprKind::Neg(x) => match eval(x, src, scope)? {
            Value::Scalar(v) => Value::Scalar(-v),
            Value::Matrix(m) => Value::owned(m.map(|v| -v)),
        },
        ExprKind::Transpose(x) => match eval(x, src, scope)? {
            Value::Matrix(m) => Value::owned(m.transpose()),
            s => s,
        },
        ExprKind::Index(x, (row, rs), (col, cs)) => {
            // Picking from a named matrix reads it in place instead of copying it.
            let owned;
            let m: &Matrix = match &x.kind {
                ExprKind::Name(n) if scope.lookup(n).is_some() => {
                    scope.lookup(n).expect("just checked")
                }
                _ => match eval(x, src, scope)? {
                    Value::Matrix(m) => {
                        owned = m;
                        &owned
                    }
                    Value::Scalar(_) => {
                        return Err(err(
                            format!(
                                "`{}` is a number, not a matrix: it has no entries to pick",
                                text(x)
                            ),
                            x.span.clone(),
                            None,
                        ));
                    }
                },
            };
            let name = text(x);
            let i = m.find_row(row).ok_or_else(|| {
                err(
                    format!("{name} has no row `{row}`"),
                    rs.clone(),
                    Some(format!(
                        "its rows are {}",
                        labels_list(m.shape().0, |i| m.row_label(i))
                    )),
                )
            })?;
            let j = m.find_col(col).ok_or_else(|| {
                err(
                    format!("{name} has no column `{col}`"),
                    cs.clone(),
                    Some(format!(
                        "its columns are {}",
                        labels_list(m.shape().1, |j| m.col_label(j))
                    )),
                )
            })?;
            Value::Scalar(m.data[[i, j]])
        }
        ExprKind::Binary(op, a, b) => {
            let (va, vb) = (eval(a, src, scope)?, eval(b, src, scope)?);
            binary(*op, va, vb, a, b, &text, scope)?
        }
        ExprKind::Call(f, args) => {
            let arg = &args[0];
            let v = eval(arg, src, scope)?;
            match (f, v) {
                (Func::Sqrt, Value::Scalar(s)) => Value::Scalar(s.sqrt()),
                (Func::Sqrt, Value::Matrix(m)) => Value::owned(m.map(f64::sqrt)),
                (Func::Softmax, Value::Matrix(m)) => Value::owned(m.softmax_rows()),
                (Func::Rows, Value::Matrix(m)) => Value::Scalar(m.shape().0 as f64),
                (Func::Cols, Value::Matrix(m)) => Value::Scalar(m.shape().1 as f64),
                (_, Value::Scalar(_)) => {
                    return Err(err(
                        format!(
                            "this function needs a matrix, but `{}` is a number",
                            text(arg)
                        ),
                        arg.span.clone(),
                        None,
                    ));
                }
            }
        }
    };
    let finite = match &v {
        Value::Scalar(s) => s.is_finite(),
        Value::Matrix(m) => m.all_finite(),
    };
    if !finite {
        return Err(err(
            format!("`{}` gives a value that is not a finite number", text(e)),
            e.span.clone(),
            Some("look for a division by zero, the square root of a negative number, or values too large for a 64-bit float".into()),
        ));
    }
    Ok(v)
}

fn labels_list(n: usize, f: impl Fn(usize) -> String) -> String {
    let shown: Vec<String> = (0..n.min(12)).map(|i| format!("`{}`", f(i))).collect();
    let more = if n > 12 {
        format!(", … ({n} in all)")
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}

fn binary<'a>(
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
    let f = match op {
        BinOp::Add => |x: f64, y: f64| x + y,
        BinOp::Sub => |x, y| x - y,
        BinOp::Mul => |x, y| x * y,
        BinOp::Div => |x, y| x / y,
        BinOp::MatMul => unreachable!("handled above"),
    };
    Ok(match (va, vb) {
        (Value::Scalar(x), Value::Scalar(y)) => Value::Scalar(f(x, y)),
        (Value::Matrix(m), Value::Scalar(y)) => Value::owned(m.map(|x| f(x, y))),
        (Value::Scalar(x), Value::Matrix(m)) => Value::owned(m.map(|y| f(x, y))),
        (Value::Matrix(ma), Value::Matrix(mb)) => {
            if ma.shape() != mb.shape() {
                let help = (op == BinOp::Mul && ma.shape().1 == mb.shape().0).then(|| {
                    "`*` multiplies entry by entry; for the matrix product write `@`".to_string()
                });
                return Err(err(
                    format!(
                        "cannot apply `{}` to {} ({}) and {} ({}): entry-by-entry operations need the same shape",
                        op.symbol(),
                        text(a),
                        ma.shape_text(),
                        text(b),
                        mb.shape_text()
                    ),
                    span,
                    help,
                ));
            }
            Value::owned(ma.zip_with(&mb, f))
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
