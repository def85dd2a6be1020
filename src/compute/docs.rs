//! A lesson's documents in reading order: lesson.md, then its steps by number.

use crate::model::{Doc, Lesson};

pub(super) fn docs(lesson: &Lesson) -> impl Iterator<Item = &Doc> {
    std::iter::once(&lesson.intro).chain(lesson.steps.iter().map(|s| &s.doc))
}
