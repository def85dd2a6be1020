//! What rendering gives: the files of the output, each made here or copied from the content.

use std::path::PathBuf;

use crate::source::FileId;

/// One file of the output.
#[derive(Debug, Clone)]
pub enum Output {
    /// Generated contents at a path relative to the output folder (`/`-separated), with the
    /// source file it was rendered from (for locating problems found in it later).
    Page {
        path: String,
        contents: String,
        origin: Option<FileId>,
    },
    /// A file copied as it is from the content.
    Copy { path: String, from: PathBuf },
}

impl Output {
    pub fn path(&self) -> &str {
        match self {
            Output::Page { path, .. } | Output::Copy { path, .. } => path,
        }
    }
}
