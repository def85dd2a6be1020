//! What a run is asked for: the options of a build, and where its lessons' files are.

use std::path::PathBuf;

use crate::target::Target;

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The project folder, holding `content/` and optionally `templates/`.
    pub root: PathBuf,
    /// The output folder; `ROOT/site` by default.
    pub out: Option<PathBuf>,
    /// Treat warnings as errors.
    pub strict: bool,
    pub target: Target,
    /// Replaces site.yaml's `base_url` for this run (`--base-url`).
    pub base_url: Option<String>,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options {
            root: root.into(),
            out: None,
            strict: false,
            target: Target::Site,
            base_url: None,
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("site"))
    }
}

/// Where a run finds each lesson's files.
pub enum LessonsFrom<'a> {
    /// Read already, into the project's sources (`load::load`, `load::in_memory`).
    Project,
    /// Lesson folders (slug, path), each read when its turn comes into sources of its own,
    /// dropped with its pages: a large site's Markdown is never all in memory at once.
    Disk(&'a [(String, PathBuf)]),
}
