//! "Reproduce" snippets: the Python (NumPy or PyTorch) that recomputes a matrix from the typed
//! inputs, with the exact values, so a learner can check the numbers outside the site.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use ndarray::Array2;

use crate::compute::eval::{Scope, Value, eval, selection};
use crate::compute::lesson::LessonValues;
use crate::compute::matrix::Matrix;
use crate::format;
use crate::model::{Lesson, MatrixSource};
use crate::parse::expr::{BinOp, Expr, ExprKind, Func, Sel};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    NumPy,
    PyTorch,
}

/// The rows of a lesson's literal matrices as Python lists, each written once: every snippet of
/// the lesson repeats the inputs it needs, in both dialects.
#[derive(Default)]
pub struct Literals(RefCell<HashMap<String, Rc<str>>>);

impl Literals {
    fn rows(&self, name: &str, data: &Array2<f64>) -> Rc<str> {
        if let Some(rows) = self.0.borrow().get(name) {
            return rows.clone();
        }
        let mut text = String::with_capacity(data.len() * 8 + data.nrows() * 8);
        for (i, row) in data.rows().into_iter().enumerate() {
            text.push_str(if i == 0 { "    [" } else { "\n    [" });
            for (j, v) in row.iter().enumerate() {
                if j > 0 {
                    text.push_str(", ");
                }
                format::with_exact(*v, |s| push_py_float(&mut text, s));
            }
            text.push_str("],");
        }
        let rows: Rc<str> = text.into();
        self.0.borrow_mut().insert(name.to_string(), rows.clone());
        rows
    }
}

/// The program that recomputes `name` of `lesson`, or `None` if it is not a computed matrix.
///
/// It replays only the blocks the matrix depends on (its operands, theirs, and so on), so a
/// late step's snippet stays as short as its own formula allows, and runs on its own.
pub fn snippet(
    lesson: &Lesson,
    values: &LessonValues,
    name: &str,
    dialect: Dialect,
    literals: &Literals,
) -> Option<String> {
    // The blocks that define a matrix (a recall block defines nothing).
    let defs: Vec<_> = std::iter::once(&lesson.intro)
        .chain(lesson.steps.iter().map(|s| &s.doc))
        .flat_map(|d| &d.matrices)
        .filter(|d| !matches!(d.source, MatrixSource::Recall { .. }))
        .collect();
    let target = defs.iter().position(|d| d.name == name)?;
    if !matches!(defs[target].source, MatrixSource::Computed { .. }) {
        return None;
    }
    // Every matrix the target depends on, transitively.
    let mut needed = BTreeSet::from([name.to_string()]);
    for def in defs[..=target].iter().rev() {
        if needed.contains(&def.name)
            && let MatrixSource::Computed { expr, .. } = &def.source
        {
            needed.extend(expr.names().into_iter().map(|(n, _)| n.to_string()));
        }
    }
    let replayed: Vec<_> = defs[..=target]
        .iter()
        .filter(|d| needed.contains(&d.name))
        .collect();
    // Matrices imported from another lesson are written out as their values.
    let imported: Vec<&str> = needed
        .iter()
        .map(String::as_str)
        .filter(|n| !replayed.iter().any(|d| d.name == *n))
        .collect();
    if imported.iter().any(|n| !values.matrices.contains_key(*n)) {
        return None;
    }
    let mut helpers = Helpers::default();
    for def in &replayed {
        if let MatrixSource::Computed { expr, .. } = &def.source {
            helpers.note(expr);
        }
    }
    // Sized for a few small matrices: growing a string copies it.
    let mut out = String::with_capacity(2048);
    match dialect {
        Dialect::NumPy => {
            if helpers.gelu {
                out.push_str("import math\n");
            }
            out.push_str("import numpy as np\n");
            if helpers.softmax {
                out.push_str(
                    "\ndef softmax(a):\n    e = np.exp(a - a.max(axis=1, keepdims=True))\n    return e / e.sum(axis=1, keepdims=True)\n",
                );
            }
            if helpers.gelu {
                // NumPy has no erf: Python's, entry by entry (the exact GELU, as torch.nn.GELU()).
                out.push_str(
                    "\ndef gelu(a):\n    return 0.5 * a * (1 + np.vectorize(math.erf)(a / math.sqrt(2)))\n",
                );
            }
            if helpers.layernorm {
                out.push_str(
                    "\ndef layernorm(x, gamma, beta, eps=1e-5):\n    mean = x.mean(axis=1, keepdims=True)\n    var = x.var(axis=1, keepdims=True)\n    return (x - mean) / np.sqrt(var + eps) * gamma + beta\n",
                );
            }
        }
        Dialect::PyTorch => out.push_str("import torch\n"),
    }
    out.push('\n');
    for name in &imported {
        let data = &values.matrices[*name].data;
        let rows = literals.rows(name, data);
        let (open, close) = match dialect {
            Dialect::NumPy => ("np.array([", "])"),
            Dialect::PyTorch => ("torch.tensor([", "], dtype=torch.float64)"),
        };
        out.push_str(&format!(
            "# imported\n{} = {open}\n{rows}\n{close}\n",
            py_name(name)
        ));
    }
    for def in replayed {
        let var = py_name(&def.name);
        match &def.source {
            MatrixSource::Literal(data) => {
                let rows = literals.rows(&def.name, data);
                let (open, close) = match dialect {
                    Dialect::NumPy => ("np.array([", "])"),
                    Dialect::PyTorch => ("torch.tensor([", "], dtype=torch.float64)"),
                };
                if let Some(labels) = &def.rows {
                    out.push_str(&format!("# rows: {}\n", labels.join(", ")));
                }
                if let Some(labels) = &def.cols {
                    out.push_str(&format!("# cols: {}\n", labels.join(", ")));
                }
                out.push_str(&format!("{var} = {open}\n{rows}\n{close}\n"));
            }
            MatrixSource::Computed { expr, text, .. } => {
                let cx = Cx {
                    values,
                    src: text,
                    d: dialect,
                };
                out.push_str(&format!("{var} = {}\n", cx.python(expr)));
            }
            MatrixSource::Recall { .. } => {}
        }
    }
    out.push_str(&format!("\nprint({})\n", py_name(name)));
    Some(out)
}

/// The helper functions a NumPy snippet defines before its first use.
#[derive(Default)]
struct Helpers {
    softmax: bool,
    gelu: bool,
    layernorm: bool,
}

impl Helpers {
    fn note(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Num(_) | ExprKind::Name(_) => {}
            ExprKind::Neg(x)
            | ExprKind::Transpose(x)
            | ExprKind::Index(x, _, _)
            | ExprKind::Slice(x, _) => self.note(x),
            ExprKind::Binary(_, a, b) => {
                self.note(a);
                self.note(b);
            }
            ExprKind::Call(f, args) => {
                match f {
                    Func::Softmax => self.softmax = true,
                    Func::Gelu => self.gelu = true,
                    Func::Layernorm => self.layernorm = true,
                    _ => {}
                }
                args.iter().for_each(|a| self.note(a));
            }
        }
    }
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
fn push_py_float(out: &mut String, s: &str) {
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
struct Cx<'a> {
    values: &'a LessonValues,
    src: &'a str,
    d: Dialect,
}

struct Names<'a>(&'a LessonValues);

impl Scope for Names<'_> {
    fn lookup(&self, name: &str) -> Option<&Matrix> {
        self.0.matrices.get(name)
    }
}

impl Cx<'_> {
    fn python(&self, e: &Expr) -> String {
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

#[cfg(test)]
#[path = "reproduce_tests.rs"]
mod tests;
