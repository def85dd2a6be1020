//! Where each entry of a computed matrix comes from, for learners.
//!
//! For the top operation of a `compute:` expression, [`explain`] gives, per cell, the operands it
//! reads (so a page can highlight them) and a derivation with the real numbers:
//! `Q[cat, q2] = Σₖ X[cat, k]·W_Q[q2, k] = 0.12·0.40 + … = 0.873`. Pure: it re-evaluates the
//! operands with the lesson's scope.

use super::eval::{Scope, Value, eval};
use super::matrix::Matrix;
use crate::parse::expr::{BinOp, Expr, ExprKind, Func};

/// A row or a column of a named matrix that a cell reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperandRef {
    pub matrix: String,
    /// `true` for a row, `false` for a column.
    pub row: bool,
    pub index: usize,
}

/// One cell's derivation.
#[derive(Debug, Clone, PartialEq)]
pub struct CellStory {
    /// Plain text, e.g. `Q[cat, q2] = Σₖ X[cat, k]·W_Q[q2, k] = 0.12·0.40 + … = 0.873`.
    pub text: String,
    pub reads: Vec<OperandRef>,
}

/// Terms shown in full in a sum; longer sums show the first and last few.
const SHOWN_TERMS: usize = 12;

/// Whether [`explain`] gives each cell of `expr`'s result a story, found without writing any:
/// `check`, which leaves the stories out, still needs to know which ids a page has. The same
/// three operations as [`explain`], with the same operands; a test keeps the two in step.
pub fn explains(expr: &Expr, src: &str, scope: &dyn Scope) -> bool {
    let value = |e: &Expr| eval(e, src, scope);
    let matrix = |e: &Expr| matches!(value(e), Ok(Value::Matrix(_)));
    match &expr.kind {
        ExprKind::Binary(BinOp::MatMul, a, b) => matrix(a) && matrix(b),
        ExprKind::Binary(_, a, b) => value(a).is_ok() && value(b).is_ok(),
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

/// Explains every cell of `result` (named `name`, shown with `precision` decimals), computed by
/// `expr` (source text `src`). `None` when the top operation has no cell-by-cell story.
pub fn explain(
    name: &str,
    expr: &Expr,
    src: &str,
    result: &Matrix,
    precision: usize,
    scope: &dyn Scope,
) -> Option<Vec<Vec<CellStory>>> {
    let num = |v: f64| fmt(v, precision);
    // `Q[cat, q2]`, for every cell: the labels are made once, and the text by hand.
    let (row_labels, col_labels): (Vec<String>, Vec<String>) = (
        (0..result.shape().0).map(|i| result.row_label(i)).collect(),
        (0..result.shape().1).map(|j| result.col_label(j)).collect(),
    );
    let push_cell = |text: &mut String, i: usize, j: usize| {
        text.push_str(name);
        text.push('[');
        text.push_str(&row_labels[i]);
        text.push_str(", ");
        text.push_str(&col_labels[j]);
        text.push(']');
    };
    let cell = |i: usize, j: usize| {
        let mut text = String::new();
        push_cell(&mut text, i, j);
        text
    };
    let operand = |e: &Expr| match eval(e, src, scope) {
        Ok(Value::Matrix(m)) => Some(Operand::Matrix(m, reference(e, src))),
        Ok(Value::Scalar(s)) => Some(Operand::Scalar(
            s,
            src.get(e.span.clone()).unwrap_or("?").trim().to_string(),
        )),
        Err(_) => None,
    };
    let (r, c) = result.shape();
    let mut out = vec![Vec::with_capacity(c); r];
    match &expr.kind {
        ExprKind::Binary(BinOp::MatMul, a, b) => {
            let (Operand::Matrix(ma, ra), Operand::Matrix(mb, rb)) = (operand(a)?, operand(b)?)
            else {
                return None;
            };
            let k = ma.shape().1;
            // Each operand entry appears in many sums: format it once.
            let ta = ma.data.map(|v| paren(num(*v)));
            let tb = mb.data.map(|v| paren(num(*v)));
            let row_entries: Vec<String> = (0..r).map(|i| ra.entry(&ma, i, None)).collect();
            let col_entries: Vec<String> = (0..c).map(|j| rb.entry(&mb, j, Some(false))).collect();
            let shown: Vec<usize> = if k <= SHOWN_TERMS {
                (0..k).collect()
            } else {
                (0..SHOWN_TERMS / 2).chain(k - 2..k).collect()
            };
            for (i, row_out) in out.iter_mut().enumerate() {
                for j in 0..c {
                    // Built by hand: this runs for every cell of every product on the site.
                    let mut text = String::with_capacity(64 + 16 * shown.len());
                    push_cell(&mut text, i, j);
                    text.push_str(" = Σₖ ");
                    text.push_str(&row_entries[i]);
                    text.push('·');
                    text.push_str(&col_entries[j]);
                    text.push_str(" = ");
                    for (n, &t) in shown.iter().enumerate() {
                        if n > 0 {
                            text.push_str(if k > SHOWN_TERMS && n == SHOWN_TERMS / 2 {
                                " + … + "
                            } else {
                                " + "
                            });
                        }
                        text.push_str(&ta[[i, t]]);
                        text.push('·');
                        text.push_str(&tb[[t, j]]);
                    }
                    text.push_str(" = ");
                    crate::format::rounded_into(&mut text, result.data[[i, j]], precision);
                    let mut reads = Vec::new();
                    reads.extend(ra.refers(true, i));
                    reads.extend(rb.refers(false, j));
                    row_out.push(CellStory { text, reads });
                }
            }
        }
        ExprKind::Binary(op, a, b) => {
            let (oa, ob) = (operand(a)?, operand(b)?);
            let sym = match op {
                BinOp::Add => "+",
                BinOp::Sub => "−",
                BinOp::Mul => "·",
                BinOp::Div => "/",
                BinOp::Pow => "**",
                BinOp::MatMul => unreachable!("handled above"),
            };
            for (i, row_out) in out.iter_mut().enumerate() {
                for j in 0..c {
                    let (na, va, mut reads) = oa.at(i, j, result);
                    let (nb, vb, more) = ob.at(i, j, result);
                    reads.extend(more);
                    let mut text = format!(
                        "{} = {na} {sym} {nb} = {} {sym} {} = {}",
                        cell(i, j),
                        paren(num(va)),
                        paren(num(vb)),
                        num(result.data[[i, j]])
                    );
                    if result.data[[i, j]] == f64::NEG_INFINITY {
                        text.push_str(" (masked)");
                    }
                    row_out.push(CellStory { text, reads });
                }
            }
        }
        ExprKind::Call(Func::Softmax, args) => {
            let arg = operand(&args[0])?;
            let Operand::Matrix(m, _) = &arg else {
                return None;
            };
            for (i, row_out) in out.iter_mut().enumerate() {
                let row = m.data.row(i);
                let max = row.fold(f64::NEG_INFINITY, |a, &v| a.max(v));
                let sum: f64 = row.iter().map(|v| (v - max).exp()).sum();
                let exps: Vec<String> = row
                    .iter()
                    .map(|v| {
                        if *v == f64::NEG_INFINITY {
                            "0".to_string()
                        } else {
                            format!("e^{}", paren(num(v - max)))
                        }
                    })
                    .collect();
                for j in 0..c {
                    let (na, va, reads) = arg.at(i, j, result);
                    if va == f64::NEG_INFINITY {
                        let text = format!("{} = 0: masked, {na} is −∞", cell(i, j));
                        let reads = reads.into_iter().filter(|r| r.row).collect();
                        row_out.push(CellStory { text, reads });
                        continue;
                    }
                    let text = format!(
                        "{} = e^({na} − max) / Σ e^(row − max) = e^{} / ({}) = {} / {} = {}",
                        cell(i, j),
                        paren(num(va - max)),
                        elide(&exps, " + "),
                        num((va - max).exp()),
                        num(sum),
                        num(result.data[[i, j]])
                    );
                    let reads = reads.into_iter().filter(|r| r.row).collect();
                    row_out.push(CellStory { text, reads });
                }
            }
        }
        ExprKind::Slice(x, sels) => {
            let (rsel, csel) = &**sels;
            let Operand::Matrix(m, rx) = operand(x)? else {
                return None;
            };
            let name = src.get(x.span.clone()).unwrap_or("?").trim().to_string();
            let rows = super::eval::selection(&m, true, rsel, &name).ok()?;
            let cols = super::eval::selection(&m, false, csel, &name).ok()?;
            let shown = match (&rx.name, rx.transposed) {
                (Some(n), false) => n.clone(),
                _ => format!("({name})"),
            };
            for (i, row_out) in out.iter_mut().enumerate() {
                for (j, &cj) in cols.iter().enumerate().take(c) {
                    let ri = rows[i];
                    let mut text = cell(i, j);
                    text.push_str(" = ");
                    text.push_str(&shown);
                    text.push('[');
                    text.push_str(&m.row_label(ri));
                    text.push_str(", ");
                    text.push_str(&m.col_label(cj));
                    text.push_str("] = ");
                    crate::format::rounded_into(&mut text, result.data[[i, j]], precision);
                    let mut reads = rx.refers(true, ri);
                    reads.extend(rx.refers(false, cj));
                    row_out.push(CellStory { text, reads });
                }
            }
        }
        ExprKind::Call(f, args) if f.is_entrywise() => {
            let arg = operand(&args[0])?;
            let Operand::Matrix(..) = &arg else {
                return None;
            };
            let name = f.name();
            for (i, row_out) in out.iter_mut().enumerate() {
                for j in 0..c {
                    let (na, va, reads) = arg.at(i, j, result);
                    let text = format!(
                        "{} = {name}({na}) = {name}({}) = {}",
                        cell(i, j),
                        num(va),
                        num(result.data[[i, j]])
                    );
                    row_out.push(CellStory { text, reads });
                }
            }
        }
        ExprKind::Call(f, args) if f.is_row_reduction() => {
            let Operand::Matrix(m, rx) = operand(&args[0])? else {
                return None;
            };
            let name = f.name();
            for (i, row_out) in out.iter_mut().enumerate() {
                let sum = matches!(f, Func::Sum | Func::Mean);
                let terms: Vec<String> = m
                    .data
                    .row(i)
                    .iter()
                    .map(|v| if sum { paren(num(*v)) } else { num(*v) })
                    .collect();
                let shown = match f {
                    Func::Sum => elide(&terms, " + "),
                    Func::Mean => format!("({}) / {}", elide(&terms, " + "), terms.len()),
                    _ => format!("{name}({})", elide(&terms, ", ")),
                };
                let what = match f {
                    Func::Var => "the variance of",
                    Func::Mean => "the mean of",
                    Func::Sum => "the sum of",
                    Func::Max => "the largest of",
                    _ => "the smallest of",
                };
                let row = match &rx.name {
                    Some(n) if !rx.transposed => format!("{n}[{}, :]", m.row_label(i)),
                    _ => format!("row {} of {}", m.row_label(i), rx.text),
                };
                let text = format!(
                    "{} = {what} {row} = {shown} = {}",
                    cell(i, 0),
                    num(result.data[[i, 0]])
                );
                row_out.push(CellStory {
                    text,
                    reads: rx.refers(true, i),
                });
            }
        }
        ExprKind::Call(f @ (Func::Hstack | Func::Vstack), args) => {
            let parts = args.iter().map(operand).collect::<Option<Vec<_>>>()?;
            // Which operand, and where in it, each row (or column) of the result comes from.
            let mut from = Vec::new();
            for (k, p) in parts.iter().enumerate() {
                let Operand::Matrix(m, _) = p else {
                    return None;
                };
                let n = if *f == Func::Hstack {
                    m.shape().1
                } else {
                    m.shape().0
                };
                from.extend((0..n).map(|at| (k, at)));
            }
            for (i, row_out) in out.iter_mut().enumerate() {
                for j in 0..c {
                    let (k, li, lj) = if *f == Func::Hstack {
                        (from[j].0, i, from[j].1)
                    } else {
                        (from[i].0, from[i].1, j)
                    };
                    let (na, _, reads) = parts[k].at(li, lj, result);
                    let text = format!(
                        "{} = {na}, from operand {} of {} = {}",
                        cell(i, j),
                        k + 1,
                        f.name(),
                        num(result.data[[i, j]])
                    );
                    row_out.push(CellStory { text, reads });
                }
            }
        }
        ExprKind::Call(Func::Layernorm, args) => {
            let (Operand::Matrix(x, rx), Operand::Matrix(g, _), Operand::Matrix(b, _)) =
                (operand(&args[0])?, operand(&args[1])?, operand(&args[2])?)
            else {
                return None;
            };
            let eps = match args.get(3).map(operand) {
                None => 1e-5,
                Some(Some(Operand::Scalar(e, _))) => e,
                Some(Some(Operand::Matrix(m, _))) if m.shape() == (1, 1) => m.data[[0, 0]],
                Some(_) => return None,
            };
            let (gt, bt) = (
                src.get(args[1].span.clone()).unwrap_or("gamma").trim(),
                src.get(args[2].span.clone()).unwrap_or("beta").trim(),
            );
            for (i, row_out) in out.iter_mut().enumerate() {
                let (mean, var) = super::matrix::mean_var(x.data.row(i));
                for j in 0..c {
                    let xt = match &rx.name {
                        Some(n) if !rx.transposed => {
                            format!("{n}[{}, {}]", x.row_label(i), x.col_label(j))
                        }
                        _ => format!("({})[{}, {}]", rx.text, x.row_label(i), x.col_label(j)),
                    };
                    let text = format!(
                        "{} = ({xt} − mean) / √(var + ε) · {gt}[1, {gl}] + {bt}[1, {bl}] = ({} − {}) / √({} + {}) · {} + {} = {}",
                        cell(i, j),
                        paren(num(x.data[[i, j]])),
                        paren(num(mean)),
                        num(var),
                        crate::format::exact(eps),
                        paren(num(g.data[[0, j]])),
                        paren(num(b.data[[0, j]])),
                        num(result.data[[i, j]]),
                        gl = g.col_label(j),
                        bl = b.col_label(j),
                    );
                    row_out.push(CellStory {
                        text,
                        reads: rx.refers(true, i),
                    });
                }
            }
        }
        _ => return None,
    }
    Some(out)
}

enum Operand<'a> {
    Matrix(std::borrow::Cow<'a, Matrix>, Ref),
    Scalar(f64, String),
}

impl Operand<'_> {
    /// How the operand appears at cell (i, j) of an element-wise result: text, value, reads.
    fn at(&self, i: usize, j: usize, result: &Matrix) -> (String, f64, Vec<OperandRef>) {
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
                        "({})[{}, {}]",
                        r.text,
                        result.row_label(i),
                        result.col_label(j)
                    ),
                    None => format!("({})[{}, {}]", r.text, m.row_label(i), m.col_label(j)),
                };
                let mut reads = r.refers(true, i);
                reads.extend(r.refers(false, j));
                (text, m.data[[i, j]], reads)
            }
        }
    }
}

/// How an operand is written: a named matrix (maybe transposed), or another expression.
struct Ref {
    name: Option<String>,
    transposed: bool,
    text: String,
}

fn reference(e: &Expr, src: &str) -> Ref {
    let text = src.get(e.span.clone()).unwrap_or("?").trim().to_string();
    match &e.kind {
        ExprKind::Name(n) => Ref {
            name: Some(n.clone()),
            transposed: false,
            text,
        },
        ExprKind::Transpose(inner) => match &inner.kind {
            ExprKind::Name(n) => Ref {
                name: Some(n.clone()),
                transposed: true,
                text,
            },
            _ => Ref {
                name: None,
                transposed: false,
                text,
            },
        },
        _ => Ref {
            name: None,
            transposed: false,
            text,
        },
    }
}

impl Ref {
    /// The k-indexed entry: row `i` of the operand (`fixed_is_row`=None means "row i, column k")
    /// or column `j` (`Some(false)`: "row k, column j"), written in the named matrix's own axes.
    fn entry(&self, m: &Matrix, index: usize, fixed_is_row: Option<bool>) -> String {
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
            (None, _) if fixed_row => format!("({})[{label}, k]", self.text),
            (None, _) => format!("({})[k, {label}]", self.text),
        }
    }

    /// The row (`row`=true) or column `index` of the operand, as a row or column of the named
    /// matrix (a transposed operand swaps them).
    fn refers(&self, row: bool, index: usize) -> Vec<OperandRef> {
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

fn fmt(v: f64, precision: usize) -> String {
    crate::format::rounded(v, precision)
}

/// Negative numbers in parentheses, so `0.4·(−0.13)` reads right.
fn paren(s: String) -> String {
    match s.strip_prefix('-') {
        Some(rest) => {
            let mut out = String::with_capacity(rest.len() + 5);
            out.push_str("(−");
            out.push_str(rest);
            out.push(')');
            out
        }
        None => s,
    }
}

fn elide(terms: &[String], sep: &str) -> String {
    if terms.len() <= SHOWN_TERMS {
        return terms.join(sep);
    }
    let head = &terms[..SHOWN_TERMS / 2];
    let tail = &terms[terms.len() - 2..];
    format!("{}{sep}…{sep}{}", head.join(sep), tail.join(sep))
}
