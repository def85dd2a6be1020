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
                    text.push_str(&num(result.data[[i, j]]));
                    let mut reads = Vec::new();
                    reads.extend(ra.refers(true, i));
                    reads.extend(rb.refers(false, j));
                    row_out.push(CellStory { text, reads });
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
                    text.push_str(&num(result.data[[i, j]]));
                    let mut reads = rx.refers(true, ri);
                    reads.extend(rx.refers(false, cj));
                    row_out.push(CellStory { text, reads });
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
                row_out.push(CellStory {
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
                        && let Ok(rows) = super::eval::selection(m, true, &sels.0, n)
                        && let Ok(cols) = super::eval::selection(m, false, &sels.1, n)
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

/// Every cell of an entry-by-entry result, opened down to its numbers: `S[the, cat] = Σₖ …/ √2 =
/// (1·0.5 + …) / 1.414 = 0.6 / 1.414 = 0.424`; a cell that is −∞ says which entry masks it.
fn open_cells(
    root: &Node,
    result: &Matrix,
    precision: usize,
    cell: &dyn Fn(usize, usize) -> String,
    out: &mut [Vec<CellStory>],
) {
    let (_, c) = result.shape();
    for (i, row_out) in out.iter_mut().enumerate() {
        for j in 0..c {
            let o = root.open(i, j, precision, result);
            let v = result.data[[i, j]];
            let mut text = cell(i, j);
            if v == f64::NEG_INFINITY {
                text.push_str(" = −∞: masked, ");
                text.push_str(o.infinite.as_deref().unwrap_or(&o.sym));
                text.push_str(" is −∞");
            } else {
                for part in [&o.sym, &o.nums] {
                    text.push_str(" = ");
                    text.push_str(part);
                }
                let shown = fmt(v, precision);
                if o.short != o.nums && o.short != shown {
                    text.push_str(" = ");
                    text.push_str(&o.short);
                }
                text.push_str(" = ");
                text.push_str(&shown);
            }
            row_out.push(CellStory {
                text,
                reads: o.reads,
            });
        }
    }
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
                        "{}[{}, {}]",
                        r.held(),
                        result.row_label(i),
                        result.col_label(j)
                    ),
                    None => format!("{}[{}, {}]", r.held(), m.row_label(i), m.col_label(j)),
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
    /// The operand is a function call, which needs no parentheses before `[r, c]`.
    call: bool,
}

fn reference(e: &Expr, src: &str) -> Ref {
    let text = src.get(e.span.clone()).unwrap_or("?").trim().to_string();
    let call = matches!(e.kind, ExprKind::Call(..)) && text.ends_with(')');
    match &e.kind {
        ExprKind::Name(n) => Ref {
            name: Some(n.clone()),
            transposed: false,
            text,
            call,
        },
        ExprKind::Transpose(inner) => match &inner.kind {
            ExprKind::Name(n) => Ref {
                name: Some(n.clone()),
                transposed: true,
                text,
                call,
            },
            _ => Ref {
                name: None,
                transposed: false,
                text,
                call,
            },
        },
        _ => Ref {
            name: None,
            transposed: false,
            text,
            call,
        },
    }
}

impl Ref {
    /// The operand written so that `[r, c]` can follow it: a call (`sum(Z)`) as it is, any other
    /// expression in parentheses.
    fn held(&self) -> std::borrow::Cow<'_, str> {
        if self.call {
            self.text.as_str().into()
        } else {
            format!("({})", self.text).into()
        }
    }

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
            (None, _) if fixed_row => format!("{}[{label}, k]", self.held()),
            (None, _) => format!("{}[k, {label}]", self.held()),
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

/// `v` at `precision` decimals, with the one-character minus (U+2212).
fn fmt(v: f64, precision: usize) -> String {
    minus(crate::format::rounded(v, precision))
}

/// `s` with each ASCII minus as U+2212, as derivations write it.
fn minus(s: String) -> String {
    if s.contains('-') {
        s.replace('-', "−")
    } else {
        s
    }
}

/// Negative numbers in parentheses, so `0.4·(−0.13)` reads right.
fn paren(s: String) -> String {
    match s.strip_prefix('−').or_else(|| s.strip_prefix('-')) {
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

/// A sub-expression of a computed matrix, evaluated once, whose cells can be opened down to the
/// numbers that make them: products into their terms, entry-by-entry operations and functions
/// into their operands. What cannot be opened further (a name, a slice, a `softmax`, a number)
/// is a leaf, shown by its entry.
enum Node<'a> {
    Leaf(Operand<'a>),
    Product {
        a: Box<(Matrix, Ref)>,
        b: Box<(Matrix, Ref)>,
        value: Box<Matrix>,
    },
    Binary(BinOp, Box<Node<'a>>, Box<Node<'a>>, Matrix),
    Neg(Box<Node<'a>>, Matrix),
    Func(Func, Box<Node<'a>>, Matrix),
}

/// One cell of a [`Node`]: the entry as written, the same with its numbers, the same with each
/// opened part replaced by its value, and its value; `bind` is how tightly the text binds.
struct Opened {
    sym: String,
    nums: String,
    short: String,
    value: f64,
    bind: u8,
    reads: Vec<OperandRef>,
    /// The first leaf entry that is −∞, as written.
    infinite: Option<String>,
}

const LEAF: u8 = 9;

/// Entry (i, j) of `m`, or of its only row or column when it is broadcast.
fn at(m: &Matrix, i: usize, j: usize) -> f64 {
    let (r, c) = m.shape();
    m.data[[i.min(r - 1), j.min(c - 1)]]
}

fn node<'a>(e: &Expr, src: &str, scope: &'a dyn Scope) -> Option<Node<'a>> {
    let value = eval(e, src, scope).ok()?;
    let leaf = |value: Value<'a>| match value {
        Value::Matrix(m) => Node::Leaf(Operand::Matrix(m, reference(e, src))),
        Value::Scalar(s) => Node::Leaf(Operand::Scalar(s, scalar_text(e, src))),
    };
    if matches!(value, Value::Scalar(_)) {
        return Some(leaf(value));
    }
    let is_matrix = |x: &Expr| matches!(eval(x, src, scope), Ok(Value::Matrix(_)));
    let Value::Matrix(m) = value else {
        return None;
    };
    Some(match &e.kind {
        ExprKind::Binary(BinOp::MatMul, a, b) if is_matrix(a) && is_matrix(b) => {
            let (Ok(Value::Matrix(ma)), Ok(Value::Matrix(mb))) =
                (eval(a, src, scope), eval(b, src, scope))
            else {
                return None;
            };
            Node::Product {
                a: Box::new((ma.into_owned(), reference(a, src))),
                b: Box::new((mb.into_owned(), reference(b, src))),
                value: Box::new(m.into_owned()),
            }
        }
        ExprKind::Binary(op, a, b) if *op != BinOp::MatMul => Node::Binary(
            *op,
            Box::new(node(a, src, scope)?),
            Box::new(node(b, src, scope)?),
            m.into_owned(),
        ),
        ExprKind::Neg(x) => Node::Neg(Box::new(node(x, src, scope)?), m.into_owned()),
        ExprKind::Call(f, args) if f.is_entrywise() => {
            Node::Func(*f, Box::new(node(&args[0], src, scope)?), m.into_owned())
        }
        _ => leaf(Value::Matrix(m)),
    })
}

/// How a number-valued operand is written: a number typed in the expression as typed (with the
/// one-character minus), anything else (`sqrt(cols(K))`) as its source text.
fn scalar_text(e: &Expr, src: &str) -> String {
    match &e.kind {
        ExprKind::Num(n) => minus(crate::format::exact(*n)),
        _ => src.get(e.span.clone()).unwrap_or("?").trim().to_string(),
    }
}

fn binding(op: BinOp) -> u8 {
    match op {
        BinOp::Add | BinOp::Sub => 1,
        BinOp::Mul | BinOp::Div | BinOp::MatMul => 2,
        BinOp::Pow => 4,
    }
}

fn wrap(s: &str, yes: bool) -> String {
    if yes { format!("({s})") } else { s.to_string() }
}

impl Node<'_> {
    /// Cell (i, j) of the result this node is part of (a broadcast operand reads its only row
    /// or column).
    fn open(&self, i: usize, j: usize, precision: usize, top: &Matrix) -> Opened {
        let num = |v: f64| fmt(v, precision);
        match self {
            Node::Leaf(op) => {
                let (sym, value, reads) = op.at(i, j, top);
                let nums = match op {
                    Operand::Scalar(_, text)
                        if text.parse::<f64>().is_ok() || text.starts_with('−') =>
                    {
                        text.clone()
                    }
                    _ => paren(num(value)),
                };
                let infinite = (value == f64::NEG_INFINITY).then(|| sym.clone());
                Opened {
                    short: nums.clone(),
                    nums,
                    sym,
                    value,
                    bind: LEAF,
                    reads,
                    infinite,
                }
            }
            Node::Product { a, b, value } => {
                let (i, j) = (i.min(value.shape().0 - 1), j.min(value.shape().1 - 1));
                let v = value.data[[i, j]];
                let k = a.0.shape().1;
                // Only the terms shown are written: a long sum shows its first and last few.
                let term = |t: usize| {
                    format!(
                        "{}·{}",
                        paren(num(a.0.data[[i, t]])),
                        paren(num(b.0.data[[t, j]]))
                    )
                };
                let nums = if k <= SHOWN_TERMS {
                    (0..k).map(term).collect::<Vec<_>>().join(" + ")
                } else {
                    let head: Vec<String> = (0..SHOWN_TERMS / 2).map(term).collect();
                    let tail: Vec<String> = (k - 2..k).map(term).collect();
                    format!("{} + … + {}", head.join(" + "), tail.join(" + "))
                };
                let mut reads = a.1.refers(true, i);
                reads.extend(b.1.refers(false, j));
                Opened {
                    sym: format!(
                        "Σₖ {}·{}",
                        a.1.entry(&a.0, i, None),
                        b.1.entry(&b.0, j, Some(false))
                    ),
                    nums,
                    short: paren(num(v)),
                    value: v,
                    // Always in parentheses inside another operation: `(Σₖ …) / 2`.
                    bind: 0,
                    reads,
                    infinite: None,
                }
            }
            Node::Binary(op, a, b, m) => {
                let (x, y) = (a.open(i, j, precision, top), b.open(i, j, precision, top));
                let p = binding(*op);
                let (lp, rp) = (
                    x.bind < p || (p == 4 && x.bind == 4),
                    y.bind <= p && y.bind != LEAF,
                );
                let sym = match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "−",
                    BinOp::Mul => "·",
                    BinOp::Div => "/",
                    BinOp::Pow => "**",
                    BinOp::MatMul => "@",
                };
                let join = |l: &str, r: &str| format!("{} {sym} {}", wrap(l, lp), wrap(r, rp));
                let value = at(m, i, j);
                // Each side shows its value once it has been opened.
                let short_of = |o: &Opened| {
                    if o.bind == LEAF {
                        o.nums.clone()
                    } else {
                        paren(num(o.value))
                    }
                };
                let short = format!("{} {sym} {}", short_of(&x), short_of(&y));
                let mut reads = x.reads;
                reads.extend(y.reads);
                Opened {
                    sym: join(&x.sym, &y.sym),
                    nums: join(&x.nums, &y.nums),
                    short,
                    value,
                    bind: p,
                    reads,
                    infinite: x.infinite.or(y.infinite),
                }
            }
            Node::Neg(x, m) => {
                let o = x.open(i, j, precision, top);
                let w = o.bind < LEAF;
                Opened {
                    sym: format!("−{}", wrap(&o.sym, w)),
                    nums: format!("−{}", wrap(&o.nums, w)),
                    short: if o.bind == LEAF {
                        format!("−{}", o.nums)
                    } else {
                        format!("−{}", paren(num(o.value)))
                    },
                    value: at(m, i, j),
                    bind: 3,
                    reads: o.reads,
                    infinite: o.infinite,
                }
            }
            Node::Func(f, x, m) => {
                let o = x.open(i, j, precision, top);
                let name = f.name();
                let value = at(m, i, j);
                // The call's own parentheses are enough: `gelu(−0.650)`, not `gelu((−0.650))`.
                let bare = |s: &str| match s.strip_prefix("(−").and_then(|r| r.strip_suffix(')'))
                {
                    Some(r) if !r.contains(['(', ')']) => format!("−{r}"),
                    _ => s.to_string(),
                };
                Opened {
                    sym: format!("{name}({})", o.sym),
                    nums: format!("{name}({})", bare(&o.nums)),
                    short: format!(
                        "{name}({})",
                        if o.bind == LEAF {
                            bare(&o.nums)
                        } else {
                            num(o.value)
                        }
                    ),
                    value,
                    bind: LEAF - 1,
                    reads: o.reads,
                    infinite: o.infinite,
                }
            }
        }
    }
}
