//! Projects made in memory, for tests and fuzzing.

use std::path::{Path, PathBuf};

use super::files::{LessonFiles, Project};
use super::templates::read_templates;
use crate::source::{SourceFile, Sources};

/// A lesson for [`in_memory`]: slug, `lesson.md`, and the steps as (stem, text).
pub type MemoryLesson<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// A project made in memory, for tests and fuzzing: `site.yaml`, then per lesson its slug, its
/// `lesson.md` and its steps as (stem, text). Templates are the built-in ones.
pub fn in_memory(site_yaml: &str, lessons: &[MemoryLesson]) -> Project {
    let mut sources = Sources::default();
    let mut add = |name: String, text: &str| {
        sources.add(SourceFile::new(name.clone(), name.into(), text.to_string()))
    };
    let site_yaml = add("content/site.yaml".into(), site_yaml);
    let lessons = lessons
        .iter()
        .map(|(slug, lesson_md, steps)| LessonFiles {
            slug: slug.to_string(),
            dir: PathBuf::from(format!("content/{slug}")),
            lesson_md: Some(add(format!("content/{slug}/lesson.md"), lesson_md)),
            steps: steps
                .iter()
                .map(|(stem, text)| {
                    (
                        add(format!("content/{slug}/{stem}.md"), text),
                        stem.to_string(),
                    )
                })
                .collect(),
            misnamed: Vec::new(),
            assets: Vec::new(),
        })
        .collect();
    let mut problems = Vec::new();
    let templates = read_templates(Path::new("/nonexistent"), &mut sources, &mut problems)
        .expect("built-in templates need no I/O");
    Project {
        root: PathBuf::from("."),
        sources,
        site_yaml,
        lessons,
        templates,
    }
}
