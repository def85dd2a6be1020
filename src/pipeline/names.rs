//! Which lessons define a name: a quick look at every lesson's Markdown, made only when a lesson
//! uses a name it does not define (to say where that name is defined).

use std::sync::OnceLock;

use rayon::prelude::*;

use super::options::LessonsFrom;
use crate::load::{self, LessonFiles};
use crate::parse;
use crate::source::Sources;

/// The names each lesson defines, looked for on the first question.
pub(super) struct Names<'a> {
    from: &'a LessonsFrom<'a>,
    loaded: &'a [LessonFiles],
    sources: &'a Sources,
    /// (slug, names of its matrix blocks), in the order of the lessons' folders.
    found: OnceLock<Vec<(String, Vec<String>)>>,
}

impl<'a> Names<'a> {
    pub(super) fn new(
        from: &'a LessonsFrom,
        loaded: &'a [LessonFiles],
        sources: &'a Sources,
    ) -> Self {
        Names {
            from,
            loaded,
            sources,
            found: OnceLock::new(),
        }
    }

    /// The slugs of the lessons that define `name`, one entry per block.
    pub(super) fn defining(&self, name: &str) -> Vec<String> {
        self.found
            .get_or_init(|| self.look())
            .iter()
            .flat_map(|(slug, names)| names.iter().filter(|n| *n == name).map(|_| slug.clone()))
            .collect()
    }

    fn look(&self) -> Vec<(String, Vec<String>)> {
        match self.from {
            LessonsFrom::Disk(dirs) => dirs
                .par_iter()
                .map(|(slug, dir)| {
                    let texts = load::markdown_texts(dir);
                    let names = texts.iter().flat_map(|t| parse::matrix_names(t)).collect();
                    (slug.clone(), names)
                })
                .collect(),
            LessonsFrom::Project => self
                .loaded
                .iter()
                .map(|files| {
                    let ids = files
                        .lesson_md
                        .iter()
                        .chain(files.steps.iter().map(|(id, _)| id));
                    let names = ids
                        .flat_map(|id| parse::matrix_names(&self.sources.get(*id).text))
                        .collect();
                    (files.slug.clone(), names)
                })
                .collect(),
        }
    }
}
