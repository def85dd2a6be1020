//! The lessons' results put together in site order: their problems (renumbered into the run's
//! sources where they point into a lesson's own), counts, outlines and link records.

use super::problems::push_once;
use crate::compute::lesson::LessonValues;
use crate::error::Diagnostic;
use crate::links;
use crate::model::Lesson;
use crate::render::Output;
use crate::source::{FileId, Sources};
use crate::verify;

/// What the ids of a lesson's own sources become in the run's sources.
type Renumber = Box<dyn Fn(FileId) -> FileId>;

/// One lesson's result as the run keeps it.
#[derive(Default)]
pub(super) struct Done {
    pub lesson: Option<Lesson>,
    /// Serve keeps the values and the pages.
    pub values: Option<LessonValues>,
    pub pages: Vec<Output>,
    pub records: Vec<links::Record>,
    pub computed: usize,
    pub checked: verify::Checked,
    pub problems: Vec<Diagnostic>,
    /// The lesson's own sources (read from disk), kept when a problem points into them.
    pub sources: Option<Sources>,
}

/// Every lesson's result, in site order.
pub(super) struct Gathered {
    /// Outlines (serve: the lessons in full).
    pub lessons: Vec<Lesson>,
    pub values: Vec<LessonValues>,
    pub pages: Vec<Output>,
    pub records: Vec<links::Record>,
    pub computed: usize,
    pub checked: verify::Checked,
    /// The lesson (its index among the lessons as listed) of each record.
    record_lesson: Vec<usize>,
    /// What the ids of each lesson's own sources became in the run's, once they are there.
    renumbered: Vec<Option<Renumber>>,
    /// Whether the lessons were read into the run's sources (nothing to renumber).
    shared: bool,
}

/// Puts `done` (one per lesson, as listed; `slugs` their folders) in site order: by `order`,
/// then by folder name (a lesson without lesson.md by its folder). Sources that problems point
/// into are added to `sources`, and the problems to `problems`.
pub(super) fn gather(
    mut done: Vec<Done>,
    slugs: &[&str],
    sources: &mut Sources,
    problems: &mut Vec<Diagnostic>,
) -> Gathered {
    let mut order: Vec<usize> = (0..done.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| match &done[i].lesson {
            Some(l) => (l.meta.order, l.slug.as_str()),
            None => (0, slugs[i]),
        };
        key(a).cmp(&key(b))
    });
    let mut g = Gathered {
        lessons: Vec::with_capacity(done.len()),
        values: Vec::new(),
        pages: Vec::new(),
        records: Vec::new(),
        computed: 0,
        checked: verify::Checked::default(),
        record_lesson: Vec::new(),
        renumbered: (0..done.len()).map(|_| None).collect(),
        shared: done.iter().all(|d| d.sources.is_none()),
    };
    for &i in &order {
        let d = std::mem::take(&mut done[i]);
        if let Some(own) = d.sources {
            g.renumbered[i] = Some(Box::new(sources.absorb(own)));
        }
        for p in d.problems {
            let p = match &g.renumbered[i] {
                Some(id) => p.renumbered(id.as_ref()),
                None => p,
            };
            push_once(problems, p);
        }
        g.computed += d.computed;
        g.checked.values += d.checked.values;
        g.checked.shapes += d.checked.shapes;
        g.record_lesson
            .extend(std::iter::repeat_n(i, d.records.len()));
        g.records.extend(d.records);
        g.pages.extend(d.pages);
        g.values.extend(d.values);
        g.lessons.extend(d.lesson);
    }
    g
}

impl Gathered {
    /// The id in `sources` of the file `file` (an id of its lesson's own sources) that the
    /// page of record `k` was made from. A lesson whose sources were dropped is read again,
    /// by `reread`, into the same ids.
    pub(super) fn file_of(
        &mut self,
        k: usize,
        file: FileId,
        sources: &mut Sources,
        reread: &dyn Fn(usize) -> Option<Sources>,
    ) -> Option<FileId> {
        let i = *self.record_lesson.get(k)?;
        if self.renumbered[i].is_none()
            && let Some(own) = reread(i)
        {
            self.renumbered[i] = Some(Box::new(sources.absorb(own)));
        }
        match &self.renumbered[i] {
            Some(id) => Some(id(file)),
            None => self.shared.then_some(file),
        }
    }
}
