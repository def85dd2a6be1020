//! Walks each lesson's documents in order (lesson.md, then steps by number), evaluates every
//! matrix block and inline value, and enforces the scope rules: a matrix block sees the blocks
//! above it in its file and every block of the earlier files of its lesson, never another
//! lesson's; an inline value sees its whole file too (it may mention a table shown below it);
//! a name is defined once per lesson.

use std::cell::Cell;

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use super::eval::{self, EvalError, Scope, Value};
use super::imports::Imports;
use super::matrix::Matrix;
use crate::config::Limits;
use crate::error::{Diagnostic, did_you_mean};
use crate::model::{Doc, Lesson, MatrixDef, MatrixSource, Site};
use crate::parse::expr::{Expr, ExprKind, Func};
use crate::source::{FileId, Span};

/// Everything computed for one lesson.
#[derive(Debug, Default)]
pub struct LessonValues {
    pub matrices: BTreeMap<String, Matrix>,
    /// The decimals each matrix (defined or imported) is shown with.
    pub precision: BTreeMap<String, usize>,
    /// Inline values by (file, offset of the code span).
    pub inlines: BTreeMap<(FileId, usize), InlineValue>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InlineValue {
    pub value: f64,
    /// Decimals to show: the picked matrix's precision, or `None` for "whole numbers bare, else 3".
    pub precision: Option<usize>,
}

struct Env<'a> {
    defined: BTreeMap<String, Matrix>,
    /// Where each name of this lesson is defined (all of them, also later ones).
    all_defs: BTreeMap<&'a str, &'a Span>,
    /// Which other lessons define a name: asked only to explain an unknown name, so nothing
    /// site-wide is made for the common case of no error.
    elsewhere: Elsewhere<'a>,
    /// Names whose own block failed: uses of them are not reported again.
    failed: BTreeSet<String>,
    /// Names computed but wrong: their own `shape` or `expect` fails (verify reports it), or
    /// they are computed from such a matrix. An error in a use of them (`Q[cat, 1]` when Q's
    /// rows are not the tokens) follows from that one and is not reported (root cause first).
    wrong: BTreeSet<String>,
    lesson: &'a str,
    limits: &'a Limits,
    /// Multiply-adds left for the expression being evaluated.
    budget: Cell<u64>,
}

impl Scope for Env<'_> {
    fn lookup(&self, name: &str) -> Option<&Matrix> {
        self.defined.get(name)
    }

    fn max_cells(&self) -> usize {
        self.limits.matrix_cells
    }

    fn spend(&self, work: u64) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(work));
        work <= left
    }
}

impl Env<'_> {
    /// Whether `expr` reads a matrix that is computed but wrong (see [`Env::wrong`]).
    fn reads_wrong(&self, expr: &Expr) -> bool {
        !self.wrong.is_empty() && expr.names().iter().any(|(n, _)| self.wrong.contains(*n))
    }

    fn eval(&self, expr: &Expr, text: &str) -> Result<Value<'_>, EvalError> {
        self.budget.set(self.limits.expression_work);
        eval::eval(expr, text, self)
    }
}

/// The lessons (slugs, in site order, one entry per block) other than the one at hand that
/// define a matrix of a given name.
pub type Elsewhere<'a> = &'a (dyn Fn(&str) -> Vec<String> + Sync);

/// Computes every lesson of the site. Returns one [`LessonValues`] per lesson (in site order), the
/// number of matrices computed, and the problems found.
pub fn compute(site: &Site) -> (Vec<LessonValues>, usize, Vec<Diagnostic>) {
    // Lessons are independent: compute them in parallel, then keep the site's order.
    let per_lesson: Vec<(LessonValues, usize, Vec<Diagnostic>)> = site
        .lessons
        .par_iter()
        .map(|lesson| {
            let mut problems = Vec::new();
            let elsewhere = |name: &str| defined_in(&site.lessons, name);
            let both = (&super::imports::none as Imports, &elsewhere as Elsewhere);
            let (v, n) = compute_lesson(lesson, both, &site.config.limits, &mut problems);
            (v, n, problems)
        })
        .collect();
    let mut problems = Vec::new();
    let mut computed = 0;
    let mut values = Vec::with_capacity(per_lesson.len());
    for (v, n, mut found) in per_lesson {
        values.push(v);
        computed += n;
        problems.append(&mut found);
    }
    (values, computed, problems)
}

/// The slugs of `lessons` that define `name`, one entry per block.
pub fn defined_in(lessons: &[Lesson], name: &str) -> Vec<String> {
    lessons
        .iter()
        .flat_map(|l| {
            docs(l)
                .flat_map(|d| &d.matrices)
                .filter(|def| def.name == name)
                .map(|_| l.slug.clone())
        })
        .collect()
}

pub(super) fn docs(lesson: &Lesson) -> impl Iterator<Item = &Doc> {
    std::iter::once(&lesson.intro).chain(lesson.steps.iter().map(|s| &s.doc))
}

/// One lesson's matrices and inline values. Its imports come from `imports`; `elsewhere` is
/// asked only to explain a name that the lesson neither defines nor imports.
pub fn compute_lesson(
    lesson: &Lesson,
    (imports, elsewhere): (Imports, Elsewhere),
    limits: &Limits,
    problems: &mut Vec<Diagnostic>,
) -> (LessonValues, usize) {
    let mut all_defs = BTreeMap::new();
    for def in docs(lesson)
        .flat_map(|d| &d.matrices)
        .filter(|d| !matches!(d.source, MatrixSource::Recall { .. }))
    {
        all_defs.entry(def.name.as_str()).or_insert(&def.name_span);
    }
    let imported = super::imports::resolve(lesson, imports, problems);
    let mut precision = imported.precision;
    let mut env = Env {
        defined: imported.matrices,
        all_defs,
        elsewhere,
        failed: docs(lesson)
            .flat_map(|d| d.broken.iter().cloned())
            .chain(imported.failed)
            .collect(),
        wrong: BTreeSet::new(),
        lesson: &lesson.slug,
        limits,
        budget: Cell::new(limits.expression_work),
    };
    let mut first_def: BTreeMap<&str, &Span> = BTreeMap::new();
    let mut inlines = BTreeMap::new();
    let mut computed = 0;
    for doc in docs(lesson) {
        // The tables of this page: a matrix is shown on a page once (its table has an id).
        let mut shown: BTreeMap<&str, &Span> = BTreeMap::new();
        for def in &doc.matrices {
            let first_shown = match def.show {
                true => shown.insert(&def.name, &def.name_span),
                false => None,
            };
            if let MatrixSource::Recall { .. } = def.source {
                if let Some(first) = first_shown {
                    problems.push(
                        Diagnostic::error(format!("`{}` is shown twice on this page", def.name))
                            .at(def.name_span.clone(), "recalled here")
                            .also(first.clone(), "already shown here")
                            .help("a table appears once per page: remove this recall block"),
                    );
                    continue;
                }
                if !env.defined.contains_key(&def.name) && !env.failed.contains(&def.name) {
                    problems.extend(recall_unknown(def, &env));
                }
                continue;
            }
            if let Some(first) = first_def.get(def.name.as_str()) {
                problems.push(
                    Diagnostic::error(format!(
                        "`{}` is defined twice in lesson `{}`",
                        def.name, lesson.slug
                    ))
                    .at(def.name_span.clone(), "defined again here")
                    .also((*first).clone(), "first defined here")
                    .help("give the new matrix another name: names are fixed once defined"),
                );
                continue;
            }
            first_def.insert(&def.name, &def.name_span);
            let follows = match &def.source {
                MatrixSource::Computed { expr, .. } => env.reads_wrong(expr),
                MatrixSource::Literal(_) | MatrixSource::Recall { .. } => false,
            };
            match evaluate(def, &env) {
                Ok(m) => {
                    if matches!(def.source, MatrixSource::Computed { .. }) {
                        computed += 1;
                    }
                    if follows || !super::agree::agrees(def, &m) {
                        env.wrong.insert(def.name.clone());
                    }
                    precision.insert(def.name.clone(), def.precision);
                    env.defined.insert(def.name.clone(), m);
                }
                Err(d) => {
                    if !follows {
                        problems.extend(d);
                    }
                    env.failed.insert(def.name.clone());
                }
            }
        }
        for inline in &doc.inlines {
            match env.eval(&inline.expr, &inline.text) {
                Ok(v) => match scalar(v) {
                    Some(value) => {
                        let precision = value_names(&inline.expr)
                            .into_iter()
                            .filter_map(|name| precision.get(name).copied())
                            .max();
                        inlines.insert((doc.file, inline.offset), InlineValue { value, precision });
                    }
                    None => problems.push(
                        Diagnostic::error(format!(
                            "the inline value `{}` is a matrix, not one number",
                            inline.text.trim()
                        ))
                        .at(inline.span.clone(), "must give one number")
                        .help("pick one entry with `M[row, col]`, e.g. `= Q[cat, 2]`"),
                    ),
                },
                Err(_) if env.reads_wrong(&inline.expr) => {}
                Err(e) => {
                    if let Some(d) = located(e, doc.file, Some(inline.base), &inline.span, &env) {
                        problems.push(d);
                    }
                }
            }
        }
    }
    problems.extend(unused(lesson));
    (
        LessonValues {
            matrices: env.defined,
            precision,
            inlines,
        },
        computed,
    )
}

/// Warnings for hidden matrices (`show: false`) that no expression or inline value reads.
fn unused(lesson: &Lesson) -> Vec<Diagnostic> {
    let mut used = BTreeSet::new();
    for doc in docs(lesson) {
        for def in &doc.matrices {
            if let MatrixSource::Computed { expr, .. } = &def.source {
                used.extend(expr.names().into_iter().map(|(n, _)| n));
            }
        }
        for inline in &doc.inlines {
            used.extend(inline.expr.names().into_iter().map(|(n, _)| n));
        }
    }
    docs(lesson)
        .flat_map(|d| &d.matrices)
        .filter(|d| !d.show && !used.contains(d.name.as_str()))
        .map(|d| {
            Diagnostic::warning(format!("`{}` is hidden and never used", d.name))
                .at(d.name_span.clone(), "defined here")
                .help(
                    "remove `show: false` to show it, use it in an expression, or delete the block",
                )
        })
        .collect()
}

fn scalar(v: Value) -> Option<f64> {
    match v {
        Value::Scalar(s) => Some(s),
        Value::Matrix(m) if m.shape() == (1, 1) => Some(m.data[[0, 0]]),
        Value::Matrix(_) => None,
    }
}

/// The matrices whose *values* an expression reads (not those it only counts with `rows`/`cols`):
/// an inline value is shown with the largest precision among them.
fn value_names(e: &Expr) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Name(n) => out.push(n.as_str()),
            ExprKind::Call(Func::Rows | Func::Cols, _) | ExprKind::Num(_) => {}
            ExprKind::Call(_, args) => stack.extend(args),
            ExprKind::Neg(x)
            | ExprKind::Transpose(x)
            | ExprKind::Index(x, _, _)
            | ExprKind::Slice(x, _) => stack.push(x),
            ExprKind::Binary(_, a, b) => {
                stack.push(a);
                stack.push(b);
            }
        }
    }
    out
}

/// A recall of a name that is not in scope where the block is.
fn recall_unknown(def: &MatrixDef, env: &Env) -> Option<Diagnostic> {
    let e = EvalError {
        message: String::new(),
        span: 0..0,
        help: None,
        unknown_name: Some(def.name.clone()),
    };
    located(e, def.name_span.file, None, &def.name_span, env)
        .map(|d| d.note("a recall block shows a matrix defined earlier in the lesson, or imported"))
}

/// Evaluates one block and applies its labels.
fn evaluate(def: &MatrixDef, env: &Env) -> Result<Matrix, Vec<Diagnostic>> {
    let mut m = match &def.source {
        MatrixSource::Literal(data) => Matrix::new(data.clone()),
        // A recall block defines nothing (the walk never evaluates one).
        MatrixSource::Recall { .. } => return Err(Vec::new()),
        MatrixSource::Computed {
            expr, text, base, ..
        } => {
            let key = def
                .yaml
                .key_span("compute")
                .unwrap_or_else(|| def.yaml.whole_span());
            if let Some((_, at)) = expr.names().into_iter().find(|(n, _)| *n == def.name) {
                let span = match base {
                    Some(b) => Span::new(def.name_span.file, b + at.start..b + at.end),
                    None => key,
                };
                return Err(vec![
                    Diagnostic::error(format!("`{}` is computed from itself", def.name))
                        .at(span, "refers to the matrix being defined")
                        .help("give the result a new name, e.g. `X2`, and compute it from `X`"),
                ]);
            }
            match env.eval(expr, text) {
                Ok(Value::Matrix(m)) => m.into_owned(),
                Ok(Value::Scalar(s)) => Matrix::new(ndarray::arr2(&[[s]])),
                Err(e) => {
                    return Err(located(e, def.name_span.file, *base, &key, env)
                        .map(|d| d.note(format!("while computing `{}`", def.name)))
                        .into_iter()
                        .collect());
                }
            }
        }
    };
    let (r, c) = m.shape();
    let mut problems = Vec::new();
    for (key, labels, n, what) in [
        ("rows", &def.rows, r, "rows"),
        ("cols", &def.cols, c, "columns"),
    ] {
        if let Some(l) = labels
            && l.len() != n
        {
            problems.push(
                Diagnostic::error(format!(
                    "{} labels in `{key}`, but `{}` has {n} {what}",
                    l.len(),
                    def.name
                ))
                .at(
                    def.yaml
                        .key_span(key)
                        .unwrap_or_else(|| def.yaml.whole_span()),
                    "here",
                )
                .help(format!(
                    "give exactly one label per {}",
                    &what[..what.len() - 1]
                )),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if def.rows.is_some() {
        m.rows = def.rows.clone();
    }
    if def.cols.is_some() {
        m.cols = def.cols.clone();
    }
    Ok(m)
}

/// Turns an evaluation error into a diagnostic located in the file. Returns `None` for uses of
/// a name whose own definition already failed (that failure is reported once, at its block).
fn located(
    e: EvalError,
    file: FileId,
    base: Option<usize>,
    fallback: &Span,
    env: &Env,
) -> Option<Diagnostic> {
    let span = match base {
        Some(b) => Span::new(file, b + e.span.start..b + e.span.end),
        None => fallback.clone(),
    };
    let Some(name) = e.unknown_name else {
        return Some(
            Diagnostic::error(e.message)
                .at(span, "here")
                .maybe_help(e.help),
        );
    };
    if env.failed.contains(&name) {
        return None;
    }
    if let Some(def) = env.all_defs.get(name.as_str()) {
        return Some(
            Diagnostic::error(format!("`{name}` is used before it is defined"))
                .at(span, "used here")
                .also((*def).clone(), "defined here, later")
                .help("a matrix can be used only after its block: move the block earlier, or this use later"),
        );
    }
    // One entry per block that defines it, in site order.
    let elsewhere: Vec<String> = (env.elsewhere)(&name)
        .into_iter()
        .filter(|l| l != env.lesson)
        .collect();
    if !elsewhere.is_empty() {
        let lessons = elsewhere;
        return Some(
            Diagnostic::error(format!(
                "`{name}` is not defined in lesson `{}`",
                env.lesson
            ))
            .at(span, "not in scope here")
            .note(format!(
                "`{name}` is defined in lesson `{}`",
                lessons.join("`, `")
            ))
            .help(format!(
                "import it: add `imports: [{}/{name}]` to the front matter of this lesson's lesson.md",
                lessons[0]
            )),
        );
    }
    if crate::parse::expr::FUNCTIONS
        .iter()
        .any(|(f, _)| *f == name)
    {
        return Some(
            Diagnostic::error(format!("`{name}` is a function, not a matrix"))
                .at(span, "used as a matrix")
                .help(format!("call it with parentheses: `{name}(A)`")),
        );
    }
    let in_scope: Vec<&str> = env.defined.keys().map(String::as_str).collect();
    let d = Diagnostic::error(format!("unknown matrix `{name}`")).at(span, "not defined");
    let d = match did_you_mean(&name, in_scope.iter().copied()) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d,
    };
    Some(if in_scope.is_empty() {
        d.note("no matrix is defined at this point of the lesson")
    } else {
        d.note(format!("in scope here: {}", in_scope.join(", ")))
    })
}
