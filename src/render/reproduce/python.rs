//! Python for one expression: each operation as NumPy or PyTorch writes it, with the
//! parentheses Python's precedence needs, labels turned into 0-based positions and numbers into
//! float literals.

use crate::compute::eval::{Scope, Value, eval, selection};
use crate::compute::lesson::LessonValues;
use crate::compute::matrix::Matrix;
use crate::format;
use crate::parse::expr::{BinOp, Expr, ExprKind, Func, Sel};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    NumPy,
    PyTorch,
}

/// A name that is safe as a Python variable (Python keywords get a trailing `_`).
pub fn py_name(name: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "False",
        "None",
        "True",
        "and",
        "as",
        "assert",
        "async",
        "await",
        "break",
        "class",
        "continue",
        "def",
        "del",
        "elif",
        "else",
        "except",
        "finally",
        "for",
        "from",
        "global",
        "if",
        "import",
        "in",
        "is",
        "lambda",
        "nonlocal",
        "not",
        "or",
        "pass",
        "raise",
        "return",
        "try",
        "while",
        "with",
        "yield",
        "np",
        "torch",
        "softmax",
        "gelu",
        "layernorm",
        "math",
    ];
    if KEYWORDS.contains(&name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

fn py_float(v: f64) -> String {
    let mut out = String::new();
    format::with_exact(v, |s| push_py_float(&mut out, s));
    out
}

/// The exact form `s` of a number as a Python float literal: `2` is `2.0`, `-Infinity` is
/// `float("-inf")` (valid in NumPy and PyTorch alike).
pub(super) fn push_py_float(out: &mut String, s: &str) {
    match s {
        "-Infinity" => return out.push_str("float(\"-inf\")"),
        "Infinity" => return out.push_str("float(\"inf\")"),
        _ => {}
    }
    out.push_str(s);
    if !(s.contains('.') || s.contains('e') || s.contains("NaN")) {
        out.push_str(".0");
    }
}

/// What writing one computed block needs: the values (labels become positions), the block's
/// expression text (to evaluate an operand whose labels are picked) and the dialect.
pub(super) struct Cx<'a> {
    pub(super) values: &'a LessonValues,
    pub(super) src: &'a str,
    pub(super) d: Dialect,
}

struct Names<'a>(&'a LessonValues);

impl Scope for Names<'_> {
    fn lookup(&self, name: &str) -> Option<&Matrix> {
        self.0.matrices.get(name)
    }
}

impl Cx<'_> {
    pub(super) fn python(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Num(n) => py_float(*n),
            ExprKind::Name(n) => py_name(n),
            ExprKind::Neg(x) => format!("-{}", self.atom(x)),
            ExprKind::Transpose(x) => format!("{}.T", self.atom(x)),
            ExprKind::Binary(op, a, b) => {
                // Parentheses where Python's precedence needs them, and around a right operand of
                // the same precedence: `a + (b + c)` is not `a + b + c` in floating point.
                let p = binding(e);
                let left = if binding(a) < p || (p == POW && binding(a) == POW) {
                    format!("({})", self.python(a))
                } else {
                    self.python(a)
                };
                let right = if binding(b) <= p && !(p == POW && binding(b) > POW) {
                    format!("({})", self.python(b))
                } else {
                    self.python(b)
                };
                format!("{left} {} {right}", op.symbol())
            }
            ExprKind::Index(x, (r, _), (c, _)) => {
                // Labels become 0-based positions, read from the operand's own labels.
                let (i, j) = self
                    .operand(x)
                    .and_then(|m| Some((m.find_row(r)?, m.find_col(c)?)))
                    .unwrap_or_else(|| {
                        (
                            r.parse::<usize>().unwrap_or(1) - 1,
                            c.parse::<usize>().unwrap_or(1) - 1,
                        )
                    });
                format!("{}[{i}, {j}]", self.atom(x))
            }
            ExprKind::Slice(x, sels) => {
                let (rs, cs) = &**sels;
                let name = self.src.get(x.span.clone()).unwrap_or("?").trim();
                let picks = self.operand(x).and_then(|m| {
                    Some((
                        selection(&m, true, rs, name).ok()?,
                        selection(&m, false, cs, name).ok()?,
                    ))
                });
                let (rows, cols) = picks.unwrap_or_default();
                format!(
                    "{}[{}, {}]",
                    self.atom(x),
                    py_range(rs, &rows),
                    py_range(cs, &cols)
                )
            }
            ExprKind::Call(f, args) => self.call(*f, args),
        }
    }

    fn call(&self, f: Func, args: &[Expr]) -> String {
        let d = self.d;
        let a = || self.python(&args[0]);
        let all = || {
            args.iter()
                .map(|x| self.python(x))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (f, d) {
            (Func::Rows, _) => format!("{}.shape[0]", self.atom(&args[0])),
            (Func::Cols, _) => format!("{}.shape[1]", self.atom(&args[0])),
            (Func::Softmax, Dialect::NumPy) => format!("softmax({})", a()),
            (Func::Softmax, Dialect::PyTorch) => format!("torch.softmax({}, dim=1)", a()),
            (Func::Relu, Dialect::NumPy) => format!("np.maximum({}, 0.0)", a()),
            (Func::Sigmoid, Dialect::NumPy) => {
                format!("1 / (1 + np.exp(-{}))", self.atom(&args[0]))
            }
            (Func::Gelu, Dialect::NumPy) => format!("gelu({})", a()),
            (Func::Gelu, Dialect::PyTorch) => {
                format!("torch.nn.functional.gelu({})", self.tensor(&args[0]))
            }
            (f, Dialect::NumPy) if f.is_entrywise() => format!("np.{}({})", f.name(), a()),
            // `torch.sqrt(2.0)` is an error: a number becomes a tensor first.
            (f, Dialect::PyTorch) if f.is_entrywise() => {
                format!("torch.{}({})", f.name(), self.tensor(&args[0]))
            }
            (Func::Var, Dialect::NumPy) => {
                format!("{}.var(axis=1, keepdims=True)", self.atom(&args[0]))
            }
            (Func::Var, Dialect::PyTorch) => {
                format!(
                    "{}.var(dim=1, keepdim=True, unbiased=False)",
                    self.atom(&args[0])
                )
            }
            (f, Dialect::NumPy) if f.is_row_reduction() => {
                format!(
                    "{}.{}(axis=1, keepdims=True)",
                    self.atom(&args[0]),
                    f.name()
                )
            }
            (f, Dialect::PyTorch) if f.is_row_reduction() => {
                let m = match f {
                    Func::Max => "amax",
                    Func::Min => "amin",
                    f => f.name(),
                };
                format!("{}.{m}(dim=1, keepdim=True)", self.atom(&args[0]))
            }
            (Func::Ones | Func::Zeros, Dialect::NumPy) => format!(
                "np.{}(({}, {}))",
                f.name(),
                self.size(&args[0]),
                self.size(&args[1])
            ),
            (Func::Ones | Func::Zeros, Dialect::PyTorch) => format!(
                "torch.{}({}, {}, dtype=torch.float64)",
                f.name(),
                self.size(&args[0]),
                self.size(&args[1])
            ),
            (Func::Eye, Dialect::NumPy) => format!("np.eye({})", self.size(&args[0])),
            (Func::Eye, Dialect::PyTorch) => {
                format!("torch.eye({}, dtype=torch.float64)", self.size(&args[0]))
            }
            (Func::CausalMask, Dialect::NumPy) => {
                let n = self.size(&args[0]);
                format!("np.triu(np.full(({n}, {n}), -np.inf), k=1)")
            }
            (Func::CausalMask, Dialect::PyTorch) => {
                let n = self.size(&args[0]);
                format!(
                    "torch.triu(torch.full(({n}, {n}), float(\"-inf\"), dtype=torch.float64), diagonal=1)"
                )
            }
            (Func::Hstack, Dialect::NumPy) => format!("np.hstack([{}])", all()),
            (Func::Vstack, Dialect::NumPy) => format!("np.vstack([{}])", all()),
            (Func::Hstack, Dialect::PyTorch) => format!("torch.cat([{}], dim=1)", all()),
            (Func::Vstack, Dialect::PyTorch) => format!("torch.cat([{}], dim=0)", all()),
            (Func::Layernorm, Dialect::NumPy) => format!("layernorm({})", all()),
            (Func::Layernorm, Dialect::PyTorch) => {
                let x = self.atom(&args[0]);
                let eps = args
                    .get(3)
                    .map_or_else(|| "1e-5".to_string(), |e| self.python(e));
                format!(
                    "torch.nn.functional.layer_norm({x}, ({x}.shape[1],), {}.reshape(-1), {}.reshape(-1), eps={eps})",
                    self.atom(&args[1]),
                    self.atom(&args[2]),
                )
            }
            (f, _) => unreachable!("every function has a translation: {}", f.name()),
        }
    }

    /// A size (`ones(2, rows(X))`): an integer for Python.
    fn size(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            ExprKind::Call(Func::Rows | Func::Cols, _) => self.python(e),
            _ => format!("int({})", self.python(e)),
        }
    }

    /// An operand as a float64 tensor, for a PyTorch function that refuses a Python number.
    fn tensor(&self, e: &Expr) -> String {
        format!("torch.as_tensor({}, dtype=torch.float64)", self.python(e))
    }

    /// The operand's value, to map its labels to positions.
    fn operand(&self, x: &Expr) -> Option<Matrix> {
        match eval(x, self.src, &Names(self.values)) {
            Ok(Value::Matrix(m)) => Some(m.into_owned()),
            _ => None,
        }
    }

    /// An operand of a postfix form or a unary minus: parenthesised unless it is a name, a
    /// number, a call or a postfix form itself.
    fn atom(&self, e: &Expr) -> String {
        let s = self.python(e);
        if binding(e) == 5 { s } else { format!("({s})") }
    }
}

const POW: u8 = 4;

/// How tightly `e`, as [`Cx::python`] writes it, binds in Python: `+ -` 1, `* / @` 2, unary minus
/// 3, `**` 4, names, numbers, calls and postfix forms 5.
fn binding(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(BinOp::Add | BinOp::Sub, ..) => 1,
        ExprKind::Binary(BinOp::Mul | BinOp::Div | BinOp::MatMul, ..) => 2,
        ExprKind::Neg(_) => 3,
        ExprKind::Num(n) if *n < 0.0 => 3,
        ExprKind::Binary(BinOp::Pow, ..) => POW,
        _ => 5,
    }
}

/// One side of a slice as Python: `:`, or the 0-based half-open range of the selected
/// positions (`q1:q2` of `q1..q4` is `0:2`). One label keeps its axis (`2:3`), as lectern does.
fn py_range(sel: &Sel, picked: &[usize]) -> String {
    match (sel, picked) {
        (Sel::All, _) => ":".to_string(),
        (_, [first, .., last]) => format!("{first}:{}", last + 1),
        (_, [only]) => format!("{only}:{}", only + 1),
        (_, []) => ":".to_string(),
    }
}
