//! Load: read the project from disk in a fixed order.
//!
//! `content/site.yaml`, then one folder per lesson (sorted by name) with its `lesson.md`, its
//! step files and any other files (assets), then the project's template overrides. Everything
//! read lands in the [`Sources`] table so that later errors can quote it. Every I/O error names
//! its path.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

mod files;
mod lesson;
mod memory;
mod templates;

use crate::error::{Diagnostic, Error};
use crate::source::{FileId, Sources};
use files::walk_error;
pub use files::{LessonFiles, Project, TemplateBody, TemplateFile, display_name};
use lesson::read_source;
pub use lesson::{is_step_name, lesson_md_text, load_lesson, markdown_texts};
pub use memory::{MemoryLesson, in_memory};
pub use templates::read_templates;

/// Reads the project under `root`, every lesson into one table of sources (as `serve` keeps
/// it). Content problems (a file that is not UTF-8, a missing `site.yaml`) are returned as
/// diagnostics; a missing `content/` folder is a usage error.
pub fn load(root: &Path) -> Result<Project, Error> {
    let (mut project, dirs) = listing(root)?;
    // Lesson folders are read in parallel, each into sources of its own, then appended in name
    // order so that file ids (and so every message) stay deterministic.
    type Read = (LessonFiles, Sources, Vec<Diagnostic>);
    let loaded: Vec<Result<Read, Error>> = dirs
        .par_iter()
        .map(|(slug, dir)| {
            let (mut own, mut found) = (Sources::default(), Vec::new());
            load_lesson(root, dir, slug.clone(), &mut own, &mut found).map(|l| (l, own, found))
        })
        .collect();
    let mut problems = Vec::new();
    for result in loaded {
        let (mut lesson, own, mut found) = result?;
        let shift = project.sources.append(own);
        lesson.lesson_md = lesson.lesson_md.map(|f| FileId(f.0 + shift));
        for (file, _) in &mut lesson.steps {
            *file = FileId(file.0 + shift);
        }
        project.lessons.push(lesson);
        problems.append(&mut found);
    }
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    Ok(project)
}

/// What an entry of `content/` is to the loader.
enum Listed {
    Lesson(String),
    /// Not a lesson: a file, or a hidden folder.
    Skip,
    Problem(Diagnostic),
}

fn listed(name: &std::ffi::OsStr, is_dir: bool) -> Listed {
    let slug = name.to_string_lossy().into_owned();
    if !is_dir || slug.starts_with('.') {
        Listed::Skip
    } else if slug == "assets" {
        Listed::Problem(
            Diagnostic::error("content/assets/: a lesson folder cannot be named `assets`")
                .help("site/assets/ holds the stylesheet; rename the lesson folder"),
        )
    } else {
        Listed::Lesson(slug)
    }
}

/// The project with its lesson folders only listed, as (slug, folder) in name order, for a run
/// that reads each lesson when its turn comes and drops it after (see [`crate::pipeline`]):
/// `site.yaml` and the templates are read. Problems are reported as [`load`] reports them.
pub fn listing(root: &Path) -> Result<(Project, Vec<(String, PathBuf)>), Error> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::Usage(format!(
            "no content/ folder in {}: run lectern in a project folder, or pass --root DIR",
            root.display()
        )));
    }
    let mut sources = Sources::default();
    let mut problems = Vec::new();
    let site_path = content.join("site.yaml");
    let site_yaml = if site_path.is_file() {
        read_source(root, &site_path, &mut sources, &mut problems)?
    } else {
        problems.push(
            Diagnostic::error("content/site.yaml is missing")
                .help("create it with at least `title: My lessons`"),
        );
        None
    };
    let mut dirs = Vec::new();
    for (name, is_dir, path) in list_content(&content)? {
        match listed(&name, is_dir) {
            Listed::Lesson(slug) => dirs.push((slug, path)),
            Listed::Skip => {}
            Listed::Problem(d) => problems.push(d),
        }
    }
    dirs.sort();
    let templates = read_templates(root, &mut sources, &mut problems)?;
    let Some(site_yaml) = site_yaml.filter(|_| problems.is_empty()) else {
        return Err(Error::Content(problems));
    };
    let project = Project {
        root: root.to_path_buf(),
        sources,
        site_yaml,
        lessons: Vec::new(),
        templates,
    };
    Ok((project, dirs))
}

/// The entries of `content/` as (name, is a folder, path), in name order. A plain listing when
/// `content/` holds no link: the walk that follows links also opens every folder it lists, to
/// guard against loops, which costs more than all the rest for a large site.
fn list_content(content: &Path) -> Result<Vec<(std::ffi::OsString, bool, PathBuf)>, Error> {
    let mut entries = Vec::new();
    let mut links = false;
    for entry in std::fs::read_dir(content).map_err(|e| Error::io(content, e))? {
        let entry = entry.map_err(|e| Error::io(content, e))?;
        let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
        links |= kind.is_symlink();
        entries.push((entry.file_name(), kind.is_dir(), entry.path()));
    }
    if links {
        entries.clear();
        let walk = WalkDir::new(content)
            .min_depth(1)
            .max_depth(1)
            .follow_links(true);
        for entry in walk {
            let entry = entry.map_err(walk_error)?;
            let is_dir = entry.file_type().is_dir();
            entries.push((entry.file_name().to_os_string(), is_dir, entry.into_path()));
        }
    }
    entries.sort();
    Ok(entries)
}

/// The names of the folders under `content/` that [`load`] reads as lessons (also `assets`,
/// which it reports as an error), without reading them.
pub fn lesson_slugs(root: &Path) -> Result<std::collections::BTreeSet<String>, Error> {
    let mut slugs = std::collections::BTreeSet::new();
    let content = root.join("content");
    for entry in WalkDir::new(&content)
        .min_depth(1)
        .max_depth(1)
        .follow_links(true)
    {
        let entry = entry.map_err(walk_error)?;
        let slug = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_dir() && !slug.starts_with('.') {
            slugs.insert(slug);
        }
    }
    Ok(slugs)
}
