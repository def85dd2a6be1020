//! Errors as data.
//!
//! A content problem is a [`Diagnostic`]: a message, the span it points at, and optional extra
//! labels, notes and a help line. Stages collect every diagnostic they find instead of stopping at
//! the first; the pipeline fails once at the end with all of them ([`Error::Content`]). Problems that
//! are not about content (I/O, usage) are separate variants because they exit with another code.

use std::fmt;
use std::path::PathBuf;

use crate::source::{FileId, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in the content, with its location.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Where the problem is, with a short label shown under the underlined source.
    pub primary: Option<(Span, String)>,
    /// Other places that explain the problem (e.g. where a name was first defined).
    pub secondary: Vec<(Span, String)>,
    /// Free text shown after the snippet, e.g. a table of wrong cells.
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some((span, label.into()));
        self
    }

    pub fn also(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// The same problem, its spans pointing into files renumbered by `id`.
    pub fn renumbered(mut self, id: &dyn Fn(FileId) -> FileId) -> Self {
        for (span, _) in self.primary.iter_mut().chain(self.secondary.iter_mut()) {
            span.file = id(span.file);
        }
        self
    }
}

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// The content has errors; every one of them is listed. Exit code 1.
    Content(Vec<Diagnostic>),
    /// Reading or writing a file failed. Exit code 2.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The command line or the project layout is wrong. Exit code 2.
    Usage(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Content(_) => 1,
            Error::Io { .. } | Error::Usage(_) => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(d) => write!(f, "{} error(s) in the content", d.len()),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Usage(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

/// Closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
///
/// The distance is the optimal string alignment distance over chars: insertions, deletions,
/// substitutions and swaps of two neighbouring letters each cost one (`titel` is one edit from
/// `title`). Characters that look alike (`0`/`O`, `1`/`l`/`I`) count as closer than any other
/// edit, so `W_0` suggests `W_O` rather than `W_K`.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let folded = fold_lookalikes(word);
    candidates
        .into_iter()
        .map(|c| {
            let d = strsim::osa_distance(word, c);
            (strsim::osa_distance(&folded, &fold_lookalikes(c)), d, c)
        })
        .filter(|&(_, d, c)| d > 0 && d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min()
        .map(|(_, _, c)| c)
}

/// `word` with look-alike characters made the same: `0` and `O`; `1`, `l` and `I`.
fn fold_lookalikes(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            '0' => 'O',
            '1' | 'I' => 'l',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["name", "values", "compute", "expect"];
        assert_eq!(did_you_mean("vales", keys), Some("values"));
        assert_eq!(did_you_mean("exepct", keys), Some("expect"));
        assert_eq!(did_you_mean("zzz", keys), None);
        assert_eq!(did_you_mean("titel", ["title", "summary"]), Some("title"));
        assert_eq!(did_you_mean("W_k", ["W_K", "W_Q", "X"]), Some("W_K"));
        // Letters, not bytes: `é` is one edit from `e`.
        assert_eq!(did_you_mean("scoré", ["score", "scale"]), Some("score"));
    }

    #[test]
    fn look_alike_characters_are_closest() {
        let names = ["W_K", "W_O", "W_Q", "W_V"];
        assert_eq!(did_you_mean("W_0", names), Some("W_O"));
        assert_eq!(did_you_mean("W_O", ["W_0", "W_A"]), Some("W_0"));
        assert_eq!(did_you_mean("b1", ["bl", "b2"]), Some("bl"));
        assert_eq!(did_you_mean("XI", ["X1", "XJ"]), Some("X1"));
        assert_eq!(did_you_mean("Xl", ["XI", "Xk"]), Some("XI"));
        assert_eq!(did_you_mean("W_00", ["W_OOOO"]), None);
    }
}
