//! "Reproduce" snippets: the Python (NumPy or PyTorch) that recomputes a matrix from the typed
//! inputs, with the exact values, so a learner can check the numbers outside the site.
//!
//! Split by job: this file picks the blocks a snippet replays and writes the program around
//! them; `python` writes each expression in the dialect's Python.

mod python;

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use ndarray::Array2;

use crate::compute::lesson::LessonValues;
use crate::format;
use crate::model::{Lesson, MatrixSource};
use crate::parse::expr::{Expr, ExprKind, Func};
use python::{Cx, push_py_float};
pub use python::{Dialect, py_name};

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

#[cfg(test)]
mod tests;
