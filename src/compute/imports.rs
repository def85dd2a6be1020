//! Matrices shared between lessons: a lesson's `imports:` resolved against what other lessons
//! computed, with the errors an author can make (no such lesson, no such matrix there, a name
//! the lesson defines itself, imports that go round in a circle).

use std::collections::{BTreeMap, BTreeSet};

use super::matrix::Matrix;
use crate::error::{Diagnostic, did_you_mean};
use crate::model::{Import, Lesson, MatrixSource};
use crate::source::Span;

/// A matrix as the lesson that defines it computed it.
#[derive(Debug, Clone)]
pub struct Imported {
    pub matrix: Matrix,
    pub precision: usize,
}

/// Why an import cannot be had.
#[derive(Debug, Clone)]
pub enum Unavailable {
    /// The site has no such lesson; these are its lessons.
    NoLesson(Vec<String>),
    /// The lesson defines no such matrix; these are the names it defines.
    NoName(Vec<String>),
    /// The lesson imports, directly or not, from the importing lesson: these lessons go round.
    Cycle(Vec<String>),
    /// The lesson has errors of its own, reported there.
    Failed,
}

/// Where a lesson's imports come from: (lesson, name) to the matrix.
pub type Imports<'a> = &'a (dyn Fn(&str, &str) -> Result<Imported, Unavailable> + Sync);

/// No lesson to import from (a lesson on its own, in tests).
pub fn none(_: &str, _: &str) -> Result<Imported, Unavailable> {
    Err(Unavailable::NoLesson(Vec::new()))
}

/// What a lesson's imports bring into its scope.
#[derive(Default)]
pub(super) struct Resolved {
    pub matrices: BTreeMap<String, Matrix>,
    pub precision: BTreeMap<String, usize>,
    /// Aliases that could not be imported (already reported): uses are not reported again.
    pub failed: BTreeSet<String>,
}

/// Resolves `lesson`'s imports; every problem goes to `problems`.
pub(super) fn resolve(
    lesson: &Lesson,
    imports: Imports,
    problems: &mut Vec<Diagnostic>,
) -> Resolved {
    let mut out = Resolved::default();
    let defined: BTreeMap<&str, &Span> = super::docs::docs(lesson)
        .flat_map(|d| &d.matrices)
        .filter(|d| !matches!(d.source, MatrixSource::Recall { .. }))
        .map(|d| (d.name.as_str(), &d.name_span))
        .collect();
    let mut seen: BTreeMap<&str, &Span> = BTreeMap::new();
    for import in &lesson.meta.imports {
        let Import {
            lesson: from,
            name,
            alias,
            span,
        } = import;
        if let Some(first) = seen.insert(alias, span) {
            problems.push(
                Diagnostic::error(format!("`{alias}` is imported twice"))
                    .at(span.clone(), "imported again here")
                    .also(first.clone(), "first imported here")
                    .help("rename one of them with `as`, e.g. `lesson/NAME as NAME2`"),
            );
            continue;
        }
        if let Some(def) = defined.get(alias.as_str()) {
            problems.push(
                Diagnostic::error(format!(
                    "`{alias}` is imported, and lesson `{}` defines `{alias}` too",
                    lesson.slug
                ))
                .at(span.clone(), "imported here")
                .also((*def).clone(), "defined here")
                .help(format!(
                    "rename the import, e.g. `{from}/{name} as {alias}_{}`, or the matrix defined here",
                    from.replace('-', "_")
                )),
            );
            out.failed.insert(alias.clone());
            continue;
        }
        match imports(from, name) {
            Ok(m) => {
                out.precision.insert(alias.clone(), m.precision);
                out.matrices.insert(alias.clone(), m.matrix);
            }
            Err(why) => {
                out.failed.insert(alias.clone());
                if let Some(d) = unavailable(import, why) {
                    problems.push(d);
                }
            }
        }
    }
    out
}

fn unavailable(import: &Import, why: Unavailable) -> Option<Diagnostic> {
    let Import {
        lesson: from,
        name,
        span,
        ..
    } = import;
    let at = |d: Diagnostic, label: &str| d.at(span.clone(), label);
    Some(match why {
        Unavailable::Failed => return None,
        Unavailable::NoLesson(lessons) => {
            let d = at(
                Diagnostic::error(format!("there is no lesson `{from}` to import from")),
                "no such lesson",
            );
            let d = match did_you_mean(from, lessons.iter().map(String::as_str)) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help("name the lesson by its folder under content/"),
            };
            d.note(format!("the lessons are: {}", lessons.join(", ")))
        }
        Unavailable::NoName(names) => {
            let d = at(
                Diagnostic::error(format!("lesson `{from}` defines no matrix `{name}`")),
                "not defined there",
            );
            let d = match did_you_mean(name, names.iter().map(String::as_str)) {
                Some(s) => d.help(format!("did you mean `{from}/{s}`?")),
                None => d,
            };
            d.note(format!(
                "lesson `{from}` defines: {}",
                if names.is_empty() {
                    "no matrix".to_string()
                } else {
                    names.join(", ")
                }
            ))
        }
        Unavailable::Cycle(lessons) => at(
            Diagnostic::error(format!(
                "the imports of lessons {} go round in a circle",
                lessons
                    .iter()
                    .map(|l| format!("`{l}`"))
                    .collect::<Vec<_>>()
                    .join(" → ")
            )),
            "imported here",
        )
        .help("a lesson can import only from lessons that do not import from it, directly or through others"),
    })
}
