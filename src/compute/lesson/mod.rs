//! Walks each lesson's documents in order (lesson.md, then steps by number), evaluates every
//! matrix block and inline value, and enforces the scope rules: a matrix block sees the blocks
//! above it in its file and every block of the earlier files of its lesson, never another
//! lesson's; an inline value sees its whole file too (it may mention a table shown below it);
//! a name is defined once per lesson.
//!
//! Split by job: this file walks the lesson; `env` is the scope its expressions see, `block`
//! evaluates one matrix block, `inline` reads inline values, and `located` turns evaluation
//! errors into located diagnostics.

mod block;
mod env;
mod inline;
mod located;

use std::cell::Cell;

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use super::docs::docs;
use super::imports::Imports;
use super::matrix::Matrix;
use crate::config::Limits;
use crate::error::Diagnostic;
use crate::model::{Lesson, MatrixSource, Site};
use crate::source::{FileId, Span};
use block::evaluate;
pub use env::Elsewhere;
use env::Env;
use inline::{scalar, value_names};
use located::{located, recall_unknown};

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
