//! The expression graph of a page, for "Try it": what a page's script needs to compute again, in
//! the browser, every number of the page that follows from the matrices a learner may edit.
//!
//! Written as JSON into the page (`page.graph`), so it works from `file://` and under any path:
//!
//! - `n`: the matrices the page's numbers depend on, each before those computed from it:
//!   `{"name", "e": EXPR}` for a matrix computed in this lesson from what the page shows,
//!   `{"name", "in": 1}` for one the learner may edit (its table is on the page, and it is typed,
//!   imported, or computed from nothing the page shows: its values are its cells'), or
//!   `{"name", "d": ROWS}` for one typed elsewhere. A page without a matrix to edit has no graph;
//! - `t`: the page's tables by name: `[decimals, colour-scale group]`;
//! - `i`: the inline values by expression text (as their `title` holds it): `[EXPR, decimals or
//!   null]`; `q`: the quizzes whose answer is computed, by id: `[EXPR, decimals or null]`;
//! - `o`: `[heatmap on (1/0), rows and columns kept at each end of a summarised table]`.
//!
//! EXPR is a number, a name, or an array: `["-", x]`, `["T", x]`, `[op, a, b]` (`+ - * / @ **`),
//! `["ix", x, i, j]` and `["sl", x, rows, cols]` with the labels already turned into 0-based
//! positions (they do not depend on the numbers), `["f", name, args...]`. An infinite number is
//! written `"Infinity"` or `"-Infinity"`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value as J, json};

use super::table;
use crate::compute::eval::{Scope, Value, eval, selection};
use crate::compute::lesson::LessonValues;
use crate::compute::matrix::Matrix;
use crate::config::Tables;
use crate::model::{Doc, Lesson, MatrixDef, MatrixSource, QuizAnswer};
use crate::parse::expr::{Expr, ExprKind, Key, Sel};

/// The graph of `doc`'s page as JSON (safe inside `<script>`), or `None` when the page shows no
/// computed number.
pub fn page_graph(
    doc: &Doc,
    lesson: &Lesson,
    values: &LessonValues,
    tables: &Tables,
) -> Option<String> {
    let defs: BTreeMap<&str, &MatrixDef> = std::iter::once(&lesson.intro)
        .chain(lesson.steps.iter().map(|s| &s.doc))
        .flat_map(|d| d.matrices.iter())
        .filter(|d| !matches!(d.source, MatrixSource::Recall { .. }))
        .map(|d| (d.name.as_str(), d))
        .collect();
    let computed = |name: &str| {
        defs.get(name)
            .is_some_and(|d| matches!(d.source, MatrixSource::Computed { .. }))
    };
    // The page's tables (its shown blocks and the operands its equations show), by name, with
    // their colour-scale groups.
    let groups: BTreeMap<String, usize> = table::scale_groups(&doc.matrices, values)
        .into_iter()
        .collect();
    let shown: BTreeSet<&str> = groups.keys().map(String::as_str).collect();
    let scope = Names(values);
    let mut g = Graph {
        defs: &defs,
        values,
        scope: &scope,
        done: BTreeSet::new(),
        nodes: Vec::new(),
        shown: &shown,
    };
    // Nothing on the page to edit: no "Try it".
    if !shown.iter().any(|n| g.is_input(n)) {
        return None;
    }
    let mut any = false;
    for name in &shown {
        if computed(name) {
            g.need(name)?;
            any = true;
        }
    }
    let mut inlines = serde_json::Map::new();
    for i in &doc.inlines {
        let Some(v) = values.inlines.get(&(doc.file, i.offset)) else {
            continue;
        };
        if !i.expr.names().iter().any(|(n, _)| g.reaches_input(n)) {
            continue;
        }
        for (n, _) in i.expr.names() {
            g.need(n)?;
        }
        let e = g.expr(&i.expr, &i.text)?;
        inlines.insert(i.text.trim().to_string(), json!([e, v.precision]));
        any = true;
    }
    let mut quizzes = serde_json::Map::new();
    for (n, q) in doc.quizzes.iter().enumerate() {
        let QuizAnswer::Computed(key) = q.answer else {
            continue;
        };
        let (Some(def), Some(v)) = (
            doc.inlines.iter().find(|i| i.offset == key),
            values.inlines.get(&(doc.file, key)),
        ) else {
            continue;
        };
        if !def.expr.names().iter().any(|(n, _)| g.reaches_input(n)) {
            continue;
        }
        for (name, _) in def.expr.names() {
            g.need(name)?;
        }
        let e = g.expr(&def.expr, &def.text)?;
        quizzes.insert(format!("quiz-{}", n + 1), json!([e, v.precision]));
        any = true;
    }
    if !any {
        return None;
    }
    let tables_json: serde_json::Map<String, J> = groups
        .iter()
        .map(|(name, group)| {
            // The decimals of the page's block of that name, else (an operand shown only in an
            // equation) the matrix's own.
            let precision = doc
                .matrices
                .iter()
                .find(|d| d.show && d.name == *name)
                .map_or_else(
                    || table::own_precision(name, values),
                    |d| table::precision(d, values),
                );
            (name.clone(), json!([precision, group]))
        })
        .collect();
    let graph = json!({
        "n": g.nodes,
        "t": tables_json,
        "i": inlines,
        "q": quizzes,
        "o": [u8::from(tables.heatmap), tables.edge_items.max(1)],
    });
    // Inside <script>, `</` could end the element early: JSON may escape `/`.
    Some(graph.to_string().replace("</", "<\\/"))
}

struct Graph<'a> {
    defs: &'a BTreeMap<&'a str, &'a MatrixDef>,
    values: &'a LessonValues,
    scope: &'a Names<'a>,
    done: BTreeSet<String>,
    nodes: Vec<J>,
    shown: &'a BTreeSet<&'a str>,
}

impl Graph<'_> {
    /// Adds `name` and everything it is computed from (those first). `None` when a value is
    /// missing (a build that failed does not write pages anyway).
    fn need(&mut self, name: &str) -> Option<()> {
        if self.done.contains(name) {
            return Some(());
        }
        self.done.insert(name.to_string());
        let node = match self.defs.get(name).map(|d| &d.source) {
            Some(MatrixSource::Computed { expr, text, .. }) if !self.is_input(name) => {
                for (n, _) in expr.names() {
                    self.need(n)?;
                }
                json!({"name": name, "e": self.expr(expr, text)?})
            }
            _ => {
                // A table of the page: its values are in its cells.
                match self.shown.contains(name) {
                    true => json!({"name": name, "in": 1}),
                    false => json!({"name": name, "d": rows(self.values.matrices.get(name)?)}),
                }
            }
        };
        self.nodes.push(node);
        Some(())
    }

    /// A learner may edit the table of `name`: it is on the page, and typed (or imported), or
    /// computed from nothing else the page shows (`S` on a page that shows neither `Q` nor `K`).
    fn is_input(&self, name: &str) -> bool {
        self.shown.contains(name) && !self.computed_from_shown(name, &mut BTreeSet::new())
    }

    /// Editing the page's inputs may change `name`.
    fn reaches_input(&self, name: &str) -> bool {
        if self.is_input(name) {
            return true;
        }
        match self.defs.get(name).map(|d| &d.source) {
            Some(MatrixSource::Computed { expr, .. }) => {
                expr.names().iter().any(|(n, _)| self.reaches_input(n))
            }
            _ => false,
        }
    }

    /// `name` is computed, in this lesson, from a matrix the page shows.
    fn computed_from_shown<'n>(&'n self, name: &'n str, seen: &mut BTreeSet<&'n str>) -> bool {
        let Some(MatrixSource::Computed { expr, .. }) = self.defs.get(name).map(|d| &d.source)
        else {
            return false;
        };
        expr.names().into_iter().any(|(n, _)| {
            seen.insert(n) && (self.shown.contains(n) || self.computed_from_shown(n, seen))
        })
    }

    /// `e` (from the expression text `src`) as JSON.
    fn expr(&self, e: &Expr, src: &str) -> Option<J> {
        let x = |e: &Expr| self.expr(e, src);
        Some(match &e.kind {
            ExprKind::Num(n) => number(*n),
            ExprKind::Name(n) => json!(n),
            ExprKind::Neg(a) => json!(["-", x(a)?]),
            ExprKind::Transpose(a) => json!(["T", x(a)?]),
            ExprKind::Binary(op, a, b) => json!([op.symbol(), x(a)?, x(b)?]),
            ExprKind::Index(a, row, col) => {
                let m = self.matrix(a, src)?;
                let pick =
                    |is_row, key: &Key| selection(&m, is_row, &Sel::One(key.clone()), "").ok();
                json!(["ix", x(a)?, pick(true, row)?[0], pick(false, col)?[0]])
            }
            ExprKind::Slice(a, sels) => {
                let m = self.matrix(a, src)?;
                let rows = selection(&m, true, &sels.0, "").ok()?;
                let cols = selection(&m, false, &sels.1, "").ok()?;
                json!(["sl", x(a)?, rows, cols])
            }
            ExprKind::Call(f, args) => {
                let mut out = vec![json!("f"), json!(f.name())];
                for a in args {
                    out.push(x(a)?);
                }
                J::Array(out)
            }
        })
    }

    /// The matrix `e` evaluates to with the build's values: its labels give the positions of
    /// `M[row, col]` keys, which no edit of a number changes.
    fn matrix(&self, e: &Expr, src: &str) -> Option<std::borrow::Cow<'_, Matrix>> {
        match eval(e, src, self.scope).ok()? {
            Value::Matrix(m) => Some(m),
            Value::Scalar(_) => None,
        }
    }
}

fn number(v: f64) -> J {
    match v.is_finite() {
        true => json!(v),
        false => json!(if v < 0.0 { "-Infinity" } else { "Infinity" }),
    }
}

fn rows(m: &Matrix) -> J {
    J::Array(
        m.data
            .rows()
            .into_iter()
            .map(|r| J::Array(r.iter().map(|v| number(*v)).collect()))
            .collect(),
    )
}

/// The lesson's matrices as a scope, for the labels of picked rows and columns.
struct Names<'a>(&'a LessonValues);

impl Scope for Names<'_> {
    fn lookup(&self, name: &str) -> Option<&Matrix> {
        self.0.matrices.get(name)
    }
}
