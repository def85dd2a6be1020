//! Evaluates a parsed expression on ndarray matrices.
//!
//! Pure: names are looked up through the [`Scope`] the caller gives. Shape errors are explained in
//! the lesson's terms (the operands as the author wrote them, their shapes, and a likely fix).

use std::borrow::Cow;
use std::ops::Range;

use ndarray::Array2;

use super::matrix::{Locate, Matrix, broadcast_shape, mean_var, sum};
use crate::parse::expr::{BinOp, Expr, ExprKind, Func, Sel};

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
///
/// NaN is always an error. An infinity comes only from the author (a typed `-inf`, or
/// `causal_mask`); it passes through `+`, `-`, negation, transposes, picks, slices and stacks,
/// `softmax` turns −∞ into 0, and any other operation that meets one is an error naming it.
pub fn eval<'a>(e: &Expr, src: &str, scope: &'a dyn Scope) -> Result<Value<'a>, EvalError> {
    let text = |x: &Expr| src.get(x.span.clone()).unwrap_or("?").to_string();
    // Whether an infinity in the result is one that an operand carried in.
    let mut carried = false;
    let v = match &e.kind {
        ExprKind::Num(n) => Value::Scalar(*n),
        ExprKind::Name(name) => match scope.lookup(name) {
            Some(m) => {
                carried = true;
                Value::Matrix(Cow::Borrowed(m))
            }
            None => {
                return Err(EvalError {
                    message: format!("unknown matrix `{name}`"),
                    span: e.span.clone(),
                    help: None,
                    unknown_name: Some(name.clone()),
                });
            }
        },
        ExprKind::Neg(x) => {
            carried = true;
            match eval(x, src, scope)? {
                Value::Scalar(v) => Value::Scalar(-v),
                Value::Matrix(m) => {
                    spend(scope, m.data.len() as u64, e)?;
                    Value::owned(m.map(|v| -v))
                }
            }
        }
        ExprKind::Transpose(x) => {
            carried = true;
            match eval(x, src, scope)? {
                Value::Matrix(m) => {
                    spend(scope, m.data.len() as u64, e)?;
                    Value::owned(m.transpose())
                }
                s => s,
            }
        }
        ExprKind::Index(x, (row, rs), (col, cs)) => {
            carried = true;
            // Picking from a named matrix reads it in place instead of copying it.
            let owned;
            let m: &Matrix = match &x.kind {
                ExprKind::Name(n) if scope.lookup(n).is_some() => {
                    scope.lookup(n).expect("just checked")
                }
                _ => {
                    owned = operand_matrix(x, src, scope, "it has no entries to pick")?;
                    &owned
                }
            };
            let name = text(x);
            let i = position(m, true, row, rs, &name)?;
            let j = position(m, false, col, cs, &name)?;
            Value::Scalar(m.data[[i, j]])
        }
        ExprKind::Slice(x, sels) => {
            let (rsel, csel) = &**sels;
            carried = true;
            let owned;
            let m: &Matrix = match &x.kind {
                ExprKind::Name(n) if scope.lookup(n).is_some() => {
                    scope.lookup(n).expect("just checked")
                }
                _ => {
                    owned = operand_matrix(x, src, scope, "it has no rows or columns to pick")?;
                    &owned
                }
            };
            let name = text(x);
            let rows = selection(m, true, rsel, &name)?;
            let cols = selection(m, false, csel, &name)?;
            spend(
                scope,
                (rows.len() as u64).saturating_mul(cols.len() as u64),
                e,
            )?;
            Value::owned(m.select(&rows, &cols))
        }
        ExprKind::Binary(op, a, b) => {
            let (va, vb) = (eval(a, src, scope)?, eval(b, src, scope)?);
            if matches!(op, BinOp::Add | BinOp::Sub) {
                carried = has_infinity(&va) || has_infinity(&vb);
            } else {
                let what = format!("`{}`", op.symbol());
                no_infinity(&va, a, &text, &what)?;
                no_infinity(&vb, b, &text, &what)?;
            }
            binary(*op, va, vb, a, b, &text, scope)?
        }
        ExprKind::Call(f, args) => {
            carried = matches!(f, Func::Hstack | Func::Vstack | Func::CausalMask);
            call(*f, args, e, src, scope, &text)?
        }
    };
    check_result(e, &v, carried, &text)?;
    Ok(v)
}

/// NaN is always an error; an infinity only where an operand carried one in (`carried`), or
/// where the operation makes them (`causal_mask`).
fn check_result(
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

fn has_infinity(v: &Value) -> bool {
    match v {
        Value::Scalar(s) => s.is_infinite(),
        Value::Matrix(m) => m.has_infinity(),
    }
}

/// Refuses an operand that holds an infinity, for an operation `what` that infinities do not
/// pass through.
fn no_infinity(
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

fn spend(scope: &dyn Scope, work: u64, at: &Expr) -> Result<(), EvalError> {
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
fn room(
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

/// Evaluates an operand that must be a matrix; `why` ends the error for a number.
fn operand_matrix<'a>(
    x: &Expr,
    src: &str,
    scope: &'a dyn Scope,
    why: &str,
) -> Result<Cow<'a, Matrix>, EvalError> {
    match eval(x, src, scope)? {
        Value::Matrix(m) => Ok(m),
        Value::Scalar(_) => Err(err(
            format!(
                "`{}` is a number, not a matrix: {why}",
                src.get(x.span.clone()).unwrap_or("?")
            ),
            x.span.clone(),
            None,
        )),
    }
}

/// A number, or a 1×1 matrix, which may be used wherever a number is expected.
fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Scalar(s) => Some(*s),
        Value::Matrix(m) if m.shape() == (1, 1) => Some(m.data[[0, 0]]),
        Value::Matrix(_) => None,
    }
}

/// The position of row (`is_row`) or column `key` of `m`, named `name` in messages.
fn position(
    m: &Matrix,
    is_row: bool,
    key: &str,
    span: &Range<usize>,
    name: &str,
) -> Result<usize, EvalError> {
    let (found, what, n) = if is_row {
        (m.locate_row(key), "row", m.shape().0)
    } else {
        (m.locate_col(key), "column", m.shape().1)
    };
    let list = || {
        if is_row {
            labels_list(n, |i| m.row_label(i))
        } else {
            labels_list(n, |j| m.col_label(j))
        }
    };
    found.map_err(|why| match why {
        Locate::Missing => err(
            format!("{name} has no {what} `{key}`"),
            span.clone(),
            Some(format!("its {what}s are {}", list())),
        ),
        Locate::Repeated(count) => err(
            format!("{name} has {count} {what}s labelled `{key}`, so `{key}` does not pick one"),
            span.clone(),
            Some(format!(
                "define it in its own block and rename with `{}:`, or pick by position (1 to {n})",
                if is_row { "rows" } else { "cols" }
            )),
        ),
    })
}

/// The positions one side of `M[rows, cols]` selects.
pub(crate) fn selection(
    m: &Matrix,
    is_row: bool,
    sel: &Sel,
    name: &str,
) -> Result<Vec<usize>, EvalError> {
    let n = if is_row { m.shape().0 } else { m.shape().1 };
    match sel {
        Sel::All => Ok((0..n).collect()),
        Sel::One((key, span)) => Ok(vec![position(m, is_row, key, span, name)?]),
        Sel::Range((from, fs), (to, ts)) => {
            let a = position(m, is_row, from, fs, name)?;
            let b = position(m, is_row, to, ts, name)?;
            if a > b {
                return Err(err(
                    format!(
                        "the range `{from}:{to}` runs backwards: `{from}` is {} {} of {name}, after `{to}`",
                        if is_row { "row" } else { "column" },
                        a + 1
                    ),
                    fs.start..ts.end,
                    Some(format!(
                        "write it first to last, `{to}:{from}`; a range includes both ends"
                    )),
                ));
            }
            Ok((a..=b).collect())
        }
    }
}

/// A function call; the parser has checked the number of arguments.
fn call<'a>(
    f: Func,
    args: &[Expr],
    e: &Expr,
    src: &str,
    scope: &'a dyn Scope,
    text: &dyn Fn(&Expr) -> String,
) -> Result<Value<'a>, EvalError> {
    let name = f.name();
    let what = format!("`{name}`");
    let matrix = |x: &Expr| -> Result<Cow<'a, Matrix>, EvalError> {
        operand_matrix(x, src, scope, &format!("`{name}` needs a matrix"))
    };
    // A whole number of rows or columns, at least 1.
    let count = |x: &Expr| -> Result<usize, EvalError> {
        let v = eval(x, src, scope)?;
        match as_number(&v) {
            Some(n) if n.fract() == 0.0 && n >= 1.0 => Ok(if n >= usize::MAX as f64 {
                usize::MAX
            } else {
                n as usize
            }),
            _ => Err(err(
                match &v {
                    Value::Scalar(n) => format!(
                        "`{name}` needs a whole number of at least 1 here, not {}",
                        crate::format::exact(*n)
                    ),
                    Value::Matrix(m) => format!(
                        "`{name}` needs a whole number of at least 1 here, not `{}`, a {} matrix",
                        text(x),
                        m.shape_text()
                    ),
                },
                x.span.clone(),
                Some("sizes are counted in rows and columns, e.g. `ones(rows(X), 1)`".into()),
            )),
        }
    };
    if f.is_entrywise() {
        let v = eval(&args[0], src, scope)?;
        no_infinity(&v, &args[0], text, &what)?;
        let g: fn(f64) -> f64 = match f {
            Func::Sqrt => f64::sqrt,
            Func::Exp => f64::exp,
            Func::Log => f64::ln,
            Func::Abs => f64::abs,
            Func::Tanh => f64::tanh,
            Func::Sigmoid => |x| 1.0 / (1.0 + (-x).exp()),
            Func::Relu => |x| if x > 0.0 { x } else { 0.0 },
            Func::Gelu => gelu,
            Func::Sin => f64::sin,
            Func::Cos => f64::cos,
            _ => unreachable!("is_entrywise lists these"),
        };
        return Ok(match v {
            Value::Scalar(x) => Value::Scalar(g(x)),
            Value::Matrix(m) => {
                spend(scope, m.data.len() as u64, e)?;
                Value::owned(m.map(g))
            }
        });
    }
    if f.is_row_reduction() {
        let m = matrix(&args[0])?;
        no_infinity(&Value::Matrix(Cow::Borrowed(&m)), &args[0], text, &what)?;
        spend(scope, m.data.len() as u64, e)?;
        let r: fn(ndarray::ArrayView1<f64>) -> f64 = match f {
            Func::Sum => |r| sum(r.iter().copied()),
            Func::Mean => |r| sum(r.iter().copied()) / r.len() as f64,
            Func::Var => |r| mean_var(r).1,
            Func::Max => |r| r.fold(f64::NEG_INFINITY, |a, &b| a.max(b)),
            Func::Min => |r| r.fold(f64::INFINITY, |a, &b| a.min(b)),
            _ => unreachable!("is_row_reduction lists these"),
        };
        return Ok(Value::owned(m.reduce_rows(name, r)));
    }
    Ok(match f {
        Func::Softmax => {
            let m = matrix(&args[0])?;
            if m.has_infinity() {
                if m.data.iter().any(|v| *v == f64::INFINITY) {
                    return Err(err(
                        format!("`softmax` cannot take `{}`: it holds ∞", text(&args[0])),
                        args[0].span.clone(),
                        Some(
                            "only −∞ may reach softmax, where it gives exactly 0 (a masked entry)"
                                .into(),
                        ),
                    ));
                }
                if let Some(i) = m
                    .data
                    .rows()
                    .into_iter()
                    .position(|r| r.iter().all(|v| *v == f64::NEG_INFINITY))
                {
                    return Err(err(
                        format!(
                            "row `{}` of `{}` is −∞ throughout: softmax has nothing to share among",
                            m.row_label(i),
                            text(&args[0])
                        ),
                        args[0].span.clone(),
                        Some("a mask must leave at least one entry of each row; `causal_mask` keeps the diagonal".into()),
                    ));
                }
            }
            spend(scope, 3 * m.data.len() as u64, e)?;
            Value::owned(m.softmax_rows())
        }
        Func::Rows => Value::Scalar(matrix(&args[0])?.shape().0 as f64),
        Func::Cols => Value::Scalar(matrix(&args[0])?.shape().1 as f64),
        Func::Ones | Func::Zeros => {
            let (r, c) = (count(&args[0])?, count(&args[1])?);
            room(scope, r, c, e, &format!("`{}`", text(e)))?;
            spend(scope, (r * c) as u64, e)?;
            let v = if f == Func::Ones { 1.0 } else { 0.0 };
            Value::owned(Matrix::new(Array2::from_elem((r, c), v)))
        }
        Func::Eye | Func::CausalMask => {
            let n = count(&args[0])?;
            room(scope, n, n, e, &format!("`{}`", text(e)))?;
            spend(scope, (n * n) as u64, e)?;
            let data = if f == Func::Eye {
                Array2::eye(n)
            } else {
                Array2::from_shape_fn((n, n), |(i, j)| if j > i { f64::NEG_INFINITY } else { 0.0 })
            };
            Value::owned(Matrix::new(data))
        }
        Func::Hstack | Func::Vstack => {
            let horizontal = f == Func::Hstack;
            let parts = args.iter().map(matrix).collect::<Result<Vec<_>, _>>()?;
            let size = |m: &Matrix| if horizontal { m.shape().0 } else { m.shape().1 };
            let first = size(&parts[0]);
            if let Some(k) = parts.iter().position(|m| size(m) != first) {
                let (axis, how) = if horizontal {
                    ("rows", "side by side")
                } else {
                    ("columns", "one above another")
                };
                return Err(err(
                    format!(
                        "`{name}` puts matrices {how}, so they need the same number of {axis}: {} is {}, but {} is {}",
                        text(&args[0]),
                        parts[0].shape_text(),
                        text(&args[k]),
                        parts[k].shape_text()
                    ),
                    args[k].span.clone(),
                    Some(if horizontal {
                        "use `vstack` to put matrices with the same columns one above another"
                            .into()
                    } else {
                        "use `hstack` to put matrices with the same rows side by side".into()
                    }),
                ));
            }
            let other: usize = parts
                .iter()
                .map(|m| if horizontal { m.shape().1 } else { m.shape().0 })
                .fold(0, usize::saturating_add);
            let (r, c) = if horizontal {
                (first, other)
            } else {
                (other, first)
            };
            room(scope, r, c, e, &format!("`{}`", text(e)))?;
            spend(scope, r.saturating_mul(c) as u64, e)?;
            let refs: Vec<&Matrix> = parts.iter().map(|m| m.as_ref()).collect();
            Value::owned(Matrix::stack(&refs, horizontal))
        }
        Func::Layernorm => {
            let x = matrix(&args[0])?;
            let n = x.shape().1;
            no_infinity(&Value::Matrix(Cow::Borrowed(&x)), &args[0], text, &what)?;
            let mut scale_shift = Vec::with_capacity(2);
            for (arg, role) in args[1..3].iter().zip(["gamma", "beta"]) {
                let m = matrix(arg)?;
                if m.shape() != (1, n) {
                    return Err(err(
                        format!(
                            "the {role} of `layernorm` must be a 1×{n} row, one entry per column of {}, but `{}` is {}",
                            text(&args[0]),
                            text(arg),
                            m.shape_text()
                        ),
                        arg.span.clone(),
                        Some("write `layernorm(X, gamma, beta)` with gamma and beta of one row each, as wide as X".into()),
                    ));
                }
                no_infinity(&Value::Matrix(Cow::Borrowed(&m)), arg, text, &what)?;
                scale_shift.push(m);
            }
            let eps = match args.get(3) {
                None => 1e-5,
                Some(arg) => {
                    let v = eval(arg, src, scope)?;
                    match as_number(&v) {
                        Some(eps) if eps >= 0.0 && eps.is_finite() => eps,
                        _ => {
                            return Err(err(
                                format!(
                                    "the ε of `layernorm` must be a number of at least 0, but `{}` is not",
                                    text(arg)
                                ),
                                arg.span.clone(),
                                Some("the usual ε is 1e-5, the default".into()),
                            ));
                        }
                    }
                }
            };
            spend(scope, 6 * x.data.len() as u64, e)?;
            let (gamma, beta) = (&scale_shift[0], &scale_shift[1]);
            let mut m = x.normalize_rows(eps);
            for mut row in m.data.rows_mut() {
                for ((v, g), b) in row.iter_mut().zip(gamma.data.iter()).zip(beta.data.iter()) {
                    *v = *v * g + b;
                }
            }
            Value::owned(m)
        }
        _ => unreachable!("every other function is entry-by-entry or a reduction"),
    })
}

/// GELU in its exact form, `x·Φ(x)` with the normal distribution's Φ, as `torch.nn.GELU()`.
pub fn gelu(x: f64) -> f64 {
    0.5 * x * (1.0 + libm::erf(x / std::f64::consts::SQRT_2))
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

fn spend_cells(scope: &dyn Scope, cells: usize, span: Range<usize>) -> Result<(), EvalError> {
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
