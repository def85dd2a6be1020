//! Opening entry-by-entry sub-expressions cell by cell, down to the numbers that make them
//! (products into their terms, operations and functions into their operands).

use super::cell::{CellDerivation, OperandRef};
use super::operand::{Operand, Ref, reference, scalar_text};
use super::text::{SHOWN_TERMS, fmt, paren};
use crate::compute::eval::{Scope, Value, eval};
use crate::compute::matrix::Matrix;
use crate::parse::expr::{BinOp, Expr, ExprKind, Func};

/// Every cell of an entry-by-entry result, opened down to its numbers: `S[the, cat] = Σₖ …/ √2 =
/// (1·0.5 + …) / 1.414 = 0.6 / 1.414 = 0.424`; a cell that is −∞ says which entry masks it.
pub(super) fn open_cells(
    root: &Node,
    result: &Matrix,
    precision: usize,
    cell: &dyn Fn(usize, usize) -> String,
    out: &mut [Vec<CellDerivation>],
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
            row_out.push(CellDerivation {
                text,
                reads: o.reads,
            });
        }
    }
}

/// A sub-expression of a computed matrix, evaluated once, whose cells can be opened down to the
/// numbers that make them: products into their terms, entry-by-entry operations and functions
/// into their operands. What cannot be opened further (a name, a slice, a `softmax`, a number)
/// is a leaf, shown by its entry.
pub(super) enum Node<'a> {
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
pub(super) struct Opened {
    pub(super) sym: String,
    pub(super) nums: String,
    pub(super) short: String,
    pub(super) value: f64,
    pub(super) bind: u8,
    pub(super) reads: Vec<OperandRef>,
    /// The first leaf entry that is −∞, as written.
    pub(super) infinite: Option<String>,
}

const LEAF: u8 = 9;

/// Entry (i, j) of `m`, or of its only row or column when it is broadcast.
fn at(m: &Matrix, i: usize, j: usize) -> f64 {
    let (r, c) = m.shape();
    m.data[[i.min(r - 1), j.min(c - 1)]]
}

pub(super) fn node<'a>(e: &Expr, src: &str, scope: &'a dyn Scope) -> Option<Node<'a>> {
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
    pub(super) fn open(&self, i: usize, j: usize, precision: usize, top: &Matrix) -> Opened {
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
