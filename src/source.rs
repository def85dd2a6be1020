//! Loaded source files and locations inside them.
//!
//! Every error lectern reports points into a file the author wrote. A [`SourceFile`] keeps the
//! text together with the path to show, and turns byte offsets into 1-based line and column
//! numbers; a [`Span`] is a byte range inside one of the files of a [`Sources`] table.

use std::ops::Range;
use std::path::PathBuf;

/// YAML text cut out of a Markdown file (a front matter, a fenced block), with the way back to
/// file offsets; `parse::yaml` reads it and finds keys and items in it.
#[derive(Debug, Clone, Default)]
pub struct YamlText {
    pub file: Option<FileId>,
    pub text: String,
    /// `(offset in text, offset in file)` at the start of each piece, sorted.
    pub(crate) pieces: Vec<(usize, usize)>,
    /// File span of the whole snippet (for errors with no better location).
    pub whole: Range<usize>,
}

/// Index of a file in the [`Sources`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

/// A byte range in one source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span { file, range }
    }
}

/// One file as read from disk.
#[derive(Debug)]
pub struct SourceFile {
    /// The path shown to the user, relative to the project root (e.g. `content/a/01-x.md`).
    pub name: String,
    /// The absolute or root-relative path used to read the file.
    pub path: PathBuf,
    pub text: String,
    /// Byte offset of the start of each line: found when a message first needs it (most files
    /// never do).
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: String, path: PathBuf, text: String) -> Self {
        SourceFile {
            name,
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let col = self.text[start..floor_char(&self.text, offset)]
            .chars()
            .count()
            + 1;
        (line + 1, col)
    }

    /// Byte offset of the start of a 1-based line (clamped to the end of the text).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }
}

/// Largest char boundary at or below `i`.
pub fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All files of one build, addressed by [`FileId`]. A table made [`after`](Sources::after)
/// another numbers its files on from the other's, so that the ids of both never meet: a lesson
/// read on its own gets such a table, and a message about it can point into the lesson and
/// into the project's templates alike.
#[derive(Debug, Default)]
pub struct Sources {
    /// The id of the first file.
    base: usize,
    files: Vec<SourceFile>,
}

impl Sources {
    /// An empty table whose ids come after every id of `other`.
    pub fn after(other: &Sources) -> Sources {
        Sources {
            base: other.base + other.files.len(),
            files: Vec::new(),
        }
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.base + self.files.len() - 1)
    }

    /// Adds every file of `other`, a table made [`after`](Sources::after) this one (or after
    /// the same table as this one), after the files already here; returns what each id into
    /// `other` becomes (ids below `other`'s first one stay as they are).
    pub fn absorb(&mut self, other: Sources) -> impl Fn(FileId) -> FileId + use<> {
        let (from, to) = (other.base, self.base + self.files.len());
        self.files.extend(other.files);
        move |id: FileId| {
            if id.0 >= from {
                FileId(id.0 - from + to)
            } else {
                id
            }
        }
    }

    /// Adds every file of `other` after the files already here; returns how much their ids
    /// grew (add it to every [`FileId`] that pointed into `other`).
    pub fn append(&mut self, other: Sources) -> usize {
        debug_assert_eq!(other.base, 0, "append a table that numbers from 0");
        let shift = self.base + self.files.len();
        self.files.extend(other.files);
        shift
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 - self.base]
    }

    /// `name:line:col` of the start of a span.
    pub fn location(&self, span: &Span) -> String {
        let file = self.get(span.file);
        let (line, col) = file.line_col(span.range.start);
        format!("{}:{line}:{col}", file.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_chars() {
        let f = SourceFile::new("a".into(), "a".into(), "ab\nçd\n\nx".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(1), (1, 2));
        assert_eq!(f.line_col(3), (2, 1));
        // 'ç' is two bytes: the 'd' after it is column 2.
        assert_eq!(f.line_col(5), (2, 2));
        assert_eq!(f.line_col(7), (3, 1));
        assert_eq!(f.line_col(8), (4, 1));
        assert_eq!(f.line_col(100), (4, 2));
        assert_eq!(f.line_start(2), 3);
    }
}
