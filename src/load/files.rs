//! What loading finds: the project's files (its sources, lessons and template set), and how
//! their paths are named in messages.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::source::{FileId, Sources};

/// Everything read from a project folder.
#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    pub sources: Sources,
    pub site_yaml: FileId,
    pub lessons: Vec<LessonFiles>,
    /// The template set: the project's `templates/` files and the built-ins they do not
    /// replace, sorted by name.
    pub templates: Vec<TemplateFile>,
}

#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The name templates use to refer to it, e.g. `step.html`.
    pub name: String,
    pub body: TemplateBody,
    /// True for a project's own file, false for a built-in one.
    pub overridden: bool,
}

#[derive(Debug, Clone)]
pub enum TemplateBody {
    /// A tera template (`.html`), read into the sources.
    Template(FileId),
    /// A built-in static asset.
    Builtin(&'static str),
    /// A project's script (`.js` in UTF-8), read to be shipped without its comment lines.
    Script(String),
    /// A project's static asset (any bytes), copied as it is.
    File(PathBuf),
}

#[derive(Debug)]
pub struct LessonFiles {
    pub slug: String,
    pub dir: PathBuf,
    pub lesson_md: Option<FileId>,
    /// Step files as (file, stem), sorted by file name.
    pub steps: Vec<(FileId, String)>,
    /// Markdown files whose names are not `lesson.md` or `NN-slug.md`.
    pub misnamed: Vec<String>,
    /// Every other file, also in subfolders: (path relative to the lesson folder, path).
    pub assets: Vec<(String, PathBuf)>,
}

pub(crate) fn walk_error(e: walkdir::Error) -> Error {
    let path = e.path().map(Path::to_path_buf).unwrap_or_default();
    if e.loop_ancestor().is_some() {
        return Error::Usage(format!("{}: symbolic link loop", path.display()));
    }
    let io = e
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other("walk error"));
    Error::io(path, io)
}

/// The path as shown in messages: relative to the project root, with `/` separators.
pub fn display_name(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
