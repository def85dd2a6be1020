//! "Reproduce" snippets: the Python (NumPy or PyTorch) that recomputes a matrix from the typed
//! inputs, with the exact values, so a learner can check the numbers outside the site.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use ndarray::Array2;

use crate::compute::lesson::LessonValues;
use crate::format;
use crate::model::{Lesson, MatrixSource};
use crate::parse::expr::{BinOp, Expr, ExprKind, Func};

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
    // No snippet rather than a wrong one: some operations have no translation yet, and
    // infinities no Python literal here.
    let all_translatable = defs[..=target]
        .iter()
        .filter(|d| needed.contains(&d.name))
        .all(|d| match &d.source {
            MatrixSource::Computed { expr, .. } => translatable(expr),
            MatrixSource::Literal(data) => data.iter().all(|v| v.is_finite()),
            MatrixSource::Recall { .. } => true,
        });
    // Matrices imported from another lesson are written out as their values.
    let imported: Vec<&str> = needed
        .iter()
        .map(String::as_str)
        .filter(|n| !defs[..=target].iter().any(|d| d.name == *n))
        .collect();
    let imported_finite = imported.iter().all(|n| {
        values
            .matrices
            .get(*n)
            .is_some_and(|m| m.data.iter().all(|v| v.is_finite()))
    });
    let all_translatable = all_translatable && imported_finite;
    if !all_translatable {
        return None;
    }
    // Sized for a few small matrices: growing a string copies it.
    let mut out = String::with_capacity(2048);
    let uses_softmax = defs[..=target]
        .iter()
        .filter(|d| needed.contains(&d.name))
        .any(|d| matches!(&d.source, MatrixSource::Computed { text, .. } if text.contains("softmax")));
    match dialect {
        Dialect::NumPy => {
            out.push_str("import numpy as np\n");
            if uses_softmax {
                out.push_str(
                    "\ndef softmax(a):\n    e = np.exp(a - a.max(axis=1, keepdims=True))\n    return e / e.sum(axis=1, keepdims=True)\n",
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
    for def in defs[..=target].iter().filter(|d| needed.contains(&d.name)) {
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
                out.push_str(&format!("{var} = {open}\n{rows}\n{close}\n"));
            }
            MatrixSource::Computed { expr, .. } => {
                out.push_str(&format!("{var} = {}\n", python(expr, values, dialect)));
            }
            MatrixSource::Recall { .. } => {}
        }
    }
    out.push_str(&format!("\nprint({})\n", py_name(name)));
    Some(out)
}

/// A name that is safe as a Python variable (Python keywords get a trailing `_`).
pub fn py_name(name: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield", "np", "torch", "softmax",
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

/// The exact form `s` of a number as a Python float literal: `2` is `2.0`.
fn push_py_float(out: &mut String, s: &str) {
    out.push_str(s);
    if !(s.contains('.') || s.contains('e') || s.contains("inf") || s.contains("NaN")) {
        out.push_str(".0");
    }
}

fn python(e: &Expr, values: &LessonValues, d: Dialect) -> String {
    match &e.kind {
        ExprKind::Num(n) => py_float(*n),
        ExprKind::Name(n) => py_name(n),
        ExprKind::Neg(x) => format!("-{}", atom(x, values, d)),
        ExprKind::Transpose(x) => format!("{}.T", atom(x, values, d)),
        ExprKind::Binary(op, a, b) => {
            let sym = match op {
                BinOp::Add => "+",
                BinOp::Sub => "-",
                BinOp::Mul => "*",
                BinOp::Div => "/",
                BinOp::MatMul => "@",
                BinOp::Pow => "**",
            };
            format!("{} {sym} {}", atom(a, values, d), atom(b, values, d))
        }
        ExprKind::Index(x, (r, _), (c, _)) => {
            // Labels become 0-based positions; the matrix is known when indexing a name.
            let (i, j) = match &x.kind {
                ExprKind::Name(n) => values
                    .matrices
                    .get(n)
                    .and_then(|m| Some((m.find_row(r)?, m.find_col(c)?)))
                    .unwrap_or((0, 0)),
                _ => (
                    r.parse::<usize>().unwrap_or(1) - 1,
                    c.parse::<usize>().unwrap_or(1) - 1,
                ),
            };
            format!("{}[{i}, {j}]", atom(x, values, d))
        }
        ExprKind::Call(f, args) => {
            let a = python(&args[0], values, d);
            match (f, d) {
                (Func::Sqrt, Dialect::NumPy) => format!("np.sqrt({a})"),
                (Func::Sqrt, Dialect::PyTorch) => {
                    format!("torch.sqrt(torch.as_tensor({a}, dtype=torch.float64))")
                }
                (Func::Softmax, Dialect::NumPy) => format!("softmax({a})"),
                (Func::Softmax, Dialect::PyTorch) => format!("torch.softmax({a}, dim=1)"),
                (Func::Rows, _) => format!("{}.shape[0]", atom(&args[0], values, d)),
                (Func::Cols, _) => format!("{}.shape[1]", atom(&args[0], values, d)),
                // `snippet` gives none for what `translatable` refuses.
                (f, _) => format!("{}(…)", f.name()),
            }
        }
        ExprKind::Slice(..) => "…".to_string(),
    }
}

/// Whether [`python`] can write `e`: the operations of the first expression language. Slices,
/// stacks and the newer functions have no translation yet.
fn translatable(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Num(_) | ExprKind::Name(_) => true,
        ExprKind::Neg(x) | ExprKind::Transpose(x) | ExprKind::Index(x, _, _) => translatable(x),
        ExprKind::Binary(_, a, b) => translatable(a) && translatable(b),
        ExprKind::Call(Func::Sqrt | Func::Softmax | Func::Rows | Func::Cols, args) => {
            args.iter().all(translatable)
        }
        ExprKind::Call(..) | ExprKind::Slice(..) => false,
    }
}

/// An operand, parenthesised unless it is a name, a number or a call.
fn atom(e: &Expr, values: &LessonValues, d: Dialect) -> String {
    let s = python(e, values, d);
    match e.kind {
        ExprKind::Name(_) | ExprKind::Call(..) | ExprKind::Index(..) | ExprKind::Transpose(_) => s,
        ExprKind::Num(n) if n >= 0.0 => s,
        _ => format!("({s})"),
    }
}
