//! One lesson from its files to its pages: parse → compute → verify → render. `build`, `check`
//! and `serve` all make every lesson with [`Lessons::make`].

use crate::compute::imports::Imports;
use crate::compute::lesson::{Elsewhere, LessonValues, compute_lesson};
use crate::config::SiteConfig;
use crate::error::Diagnostic;
use crate::load::LessonFiles;
use crate::model::Lesson;
use crate::parse::{self, Settings};
use crate::render::{Output, Renderer};
use crate::source::Sources;
use crate::verify::{self, Checked};

/// What every lesson of a run is made with.
pub(crate) struct Lessons<'a> {
    pub config: &'a SiteConfig,
    pub settings: Settings,
    pub renderer: &'a Renderer<'a>,
    /// Which other lessons define a name (asked only to explain an unknown one).
    pub elsewhere: Elsewhere<'a>,
}

/// One lesson, made.
pub(crate) struct Made {
    /// `None` when its `lesson.md` could not be read.
    pub lesson: Option<Lesson>,
    pub values: LessonValues,
    /// Its pages and assets; none when it has an error (the run fails anyway).
    pub pages: Vec<Output>,
    pub computed: usize,
    pub checked: Checked,
    /// Every problem found, in the order of the stages.
    pub problems: Vec<Diagnostic>,
}

impl Lessons<'_> {
    /// Makes the lesson whose files `files` lists, read into `sources`. Every stage runs as far
    /// as it can, so that all problems are found; pages are rendered only for a lesson without
    /// errors. Its imports come from `imports`.
    pub fn make(&self, sources: &Sources, files: &LessonFiles, imports: Imports) -> Made {
        let (lesson, mut problems, mut events) = parse::lesson(sources, files, &self.settings);
        let Some(lesson) = lesson else {
            return Made {
                lesson: None,
                values: LessonValues::default(),
                pages: Vec::new(),
                computed: 0,
                checked: Checked::default(),
                problems,
            };
        };
        let limits = &self.config.limits;
        let (values, computed) =
            compute_lesson(&lesson, (imports, self.elsewhere), limits, &mut problems);
        let (checked, found) = verify::verify_lesson(limits, &lesson, &values);
        problems.extend(found);
        let mut pages = Vec::new();
        if !super::problems::failed(&problems, false) {
            let (made, found) = self
                .renderer
                .lesson(sources, &lesson, &values, Some(&mut events));
            pages = made;
            problems.extend(found);
        }
        by_position(&mut problems, files);
        Made {
            lesson: Some(lesson),
            values,
            pages,
            computed,
            checked,
            problems,
        }
    }
}

/// Puts the problems that point into the lesson's own files in the order of those files
/// (`lesson.md`, then the steps) and of their place in each; the others (a template's, or
/// problems without a place) keep their order after them.
fn by_position(problems: &mut [crate::error::Diagnostic], files: &LessonFiles) {
    let order: Vec<crate::source::FileId> = files
        .lesson_md
        .iter()
        .copied()
        .chain(files.steps.iter().map(|(id, _)| *id))
        .collect();
    problems.sort_by_key(|d| {
        d.primary
            .as_ref()
            .and_then(|(span, _)| {
                let file = order.iter().position(|f| *f == span.file)?;
                Some((0, file, span.range.start))
            })
            .unwrap_or((1, 0, 0))
    });
}
