//! The evaluator proper: [`eval`] walks the expression tree, node kind by node kind, and
//! evaluates each function call.

use std::borrow::Cow;

use ndarray::Array2;

use super::binary::binary;
use super::guard::{check_result, has_infinity, no_infinity, room, spend};
use super::select::{position, selection};
use super::value::{EvalError, Scope, Value, as_number, err};
use crate::compute::matrix::{Matrix, mean_var, sum};
use crate::parse::expr::{BinOp, Expr, ExprKind, Func};

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
