//! [`explain`]: each cell's derivation, written by the top operation of the expression (a
//! product, an entry-by-entry operation, `softmax`, a slice, a row reduction, a stack or
//! `layernorm`).

use super::cell::CellDerivation;
use super::node::{Node, node, open_cells};
use super::operand::{Operand, Ref, reference};
use super::text::{SHOWN_TERMS, elide, fmt, minus, paren};
use crate::compute::eval::{Scope, Value, eval};
use crate::compute::matrix::Matrix;
use crate::parse::expr::{BinOp, Expr, ExprKind, Func};

/// Explains every cell of `result` (named `name`, shown with `precision` decimals), computed by
/// `expr` (source text `src`). `None` when the top operation has no cell-by-cell derivation.
pub fn explain(
    name: &str,
    (expr, src): (&Expr, &str),
    result: &Matrix,
    precision: usize,
    scope: &dyn Scope,
) -> Option<Vec<Vec<CellDerivation>>> {
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
                    text.push_str(&num(result.data[[i, j]]));
                    let mut reads = Vec::new();
                    reads.extend(ra.refers(true, i));
                    reads.extend(rb.refers(false, j));
                    row_out.push(CellDerivation { text, reads });
                }
            }
        }
        ExprKind::Binary(..) | ExprKind::Neg(_) => {
            open_cells(&node(expr, src, scope)?, result, precision, &cell, &mut out);
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
                        row_out.push(CellDerivation { text, reads });
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
                    row_out.push(CellDerivation { text, reads });
                }
            }
        }
        ExprKind::Slice(x, sels) => {
            let (rsel, csel) = &**sels;
            let Operand::Matrix(m, rx) = operand(x)? else {
                return None;
            };
            let name = src.get(x.span.clone()).unwrap_or("?").trim().to_string();
            let rows = crate::compute::eval::selection(&m, true, rsel, &name).ok()?;
            let cols = crate::compute::eval::selection(&m, false, csel, &name).ok()?;
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
                    text.push_str(&num(result.data[[i, j]]));
                    let mut reads = rx.refers(true, ri);
                    reads.extend(rx.refers(false, cj));
                    row_out.push(CellDerivation { text, reads });
                }
            }
        }
        ExprKind::Call(f, _) if f.is_entrywise() => {
            open_cells(&node(expr, src, scope)?, result, precision, &cell, &mut out);
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
                row_out.push(CellDerivation {
                    text,
                    reads: rx.refers(true, i),
                });
            }
        }
        ExprKind::Call(f @ (Func::Hstack | Func::Vstack), args) => {
            let parts = args.iter().map(operand).collect::<Option<Vec<_>>>()?;
            let nodes: Vec<_> = args.iter().map(|a| node(a, src, scope)).collect();
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
                    let (mut na, _, mut reads) = parts[k].at(li, lj, result);
                    // A slice of a named matrix says which entry of that matrix it is.
                    if let ExprKind::Slice(x, sels) = &args[k].kind
                        && let ExprKind::Name(n) = &x.kind
                        && let Some(m) = scope.lookup(n)
                        && let Ok(rows) = crate::compute::eval::selection(m, true, &sels.0, n)
                        && let Ok(cols) = crate::compute::eval::selection(m, false, &sels.1, n)
                    {
                        let (ri, cj) = (rows[li], cols[lj]);
                        na = format!("{n}[{}, {}]", m.row_label(ri), m.col_label(cj));
                        let named = Ref {
                            name: Some(n.clone()),
                            transposed: false,
                            text: n.clone(),
                            call: false,
                        };
                        reads = named.refers(true, ri);
                        reads.extend(named.refers(false, cj));
                    }
                    let mut text = format!(
                        "{} = {na}, from operand {} of {}",
                        cell(i, j),
                        k + 1,
                        f.name()
                    );
                    // An operand that is itself a product or an entry-by-entry operation opens.
                    if let Some(
                        n @ (Node::Product { .. }
                        | Node::Binary(..)
                        | Node::Neg(..)
                        | Node::Func(..)),
                    ) = &nodes[k]
                    {
                        let Operand::Matrix(part, _) = &parts[k] else {
                            return None;
                        };
                        let o = n.open(li, lj, precision, part);
                        for part in [&o.sym, &o.nums] {
                            text.push_str(" = ");
                            text.push_str(part);
                        }
                        reads = o.reads;
                    }
                    text.push_str(" = ");
                    text.push_str(&num(result.data[[i, j]]));
                    row_out.push(CellDerivation { text, reads });
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
                let (mean, var) = crate::compute::matrix::mean_var(x.data.row(i));
                for j in 0..c {
                    let xt = match &rx.name {
                        Some(n) if !rx.transposed => {
                            format!("{n}[{}, {}]", x.row_label(i), x.col_label(j))
                        }
                        _ => format!("{}[{}, {}]", rx.held(), x.row_label(i), x.col_label(j)),
                    };
                    // The row the mean and variance are of, in the operand's own terms.
                    let row = match &rx.name {
                        Some(n) if !rx.transposed => format!("{n}[{}, :]", x.row_label(i)),
                        _ => format!("{}[{}, :]", rx.held(), x.row_label(i)),
                    };
                    let text = format!(
                        "{} = ({xt} − mean({row})) / √(var({row}) + ε) · {gt}[1, {gl}] + {bt}[1, {bl}] = ({} − {}) / √({} + {}) · {} + {} = {}",
                        cell(i, j),
                        paren(num(x.data[[i, j]])),
                        paren(num(mean)),
                        num(var),
                        minus(crate::format::exact(eps)),
                        paren(num(g.data[[0, j]])),
                        paren(num(b.data[[0, j]])),
                        num(result.data[[i, j]]),
                        gl = g.col_label(j),
                        bl = b.col_label(j),
                    );
                    row_out.push(CellDerivation {
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
