//! YAML inside Markdown: deserialise into typed structs and map every location back to the file.
//!
//! serde_yaml is the only YAML crate lectern uses, and only this module touches it, so swapping it
//! is a one-file change. A YAML snippet (front matter or a fenced block) is a [`YamlText`]: its
//! text plus, for each piece, where that piece starts in the Markdown file. Inside a list or a
//! block quote a fence body arrives line by line with the prefixes removed, so the mapping is
//! per piece, not a single offset.
//!
//! Split by job: this file maps text offsets to file offsets; `locate` finds keys, values and
//! list items in the text, and `de` deserialises with serde_yaml and explains its errors.

use std::ops::Range;

use crate::source::{FileId, Span};

pub mod block;
mod de;
pub mod fast;
mod locate;
pub mod step;

pub use crate::source::YamlText;

impl YamlText {
    pub fn new(file: FileId, whole: Range<usize>) -> Self {
        YamlText {
            file: Some(file),
            whole,
            ..Default::default()
        }
    }

    /// Appends a piece of text that starts at `file_offset` in the file.
    pub fn push(&mut self, piece: &str, file_offset: usize) {
        self.pieces.push((self.text.len(), file_offset));
        self.text.push_str(piece);
    }

    /// File offset of a text offset.
    pub fn to_file(&self, off: usize) -> usize {
        let i = self.pieces.partition_point(|&(t, _)| t <= off);
        match i.checked_sub(1) {
            Some(i) => self.pieces[i].1 + (off - self.pieces[i].0),
            None => self.whole.start,
        }
    }

    pub fn span(&self, range: Range<usize>) -> Span {
        let file = self.file.expect("YamlText without a file");
        Span::new(
            file,
            self.to_file(range.start)..self.to_file(range.end.max(range.start)),
        )
    }

    pub fn whole_span(&self) -> Span {
        Span::new(
            self.file.expect("YamlText without a file"),
            self.whole.clone(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(pieces: &[(&str, usize)]) -> YamlText {
        let mut y = YamlText::new(FileId(0), 0..100);
        for (p, o) in pieces {
            y.push(p, *o);
        }
        y
    }

    #[test]
    fn maps_offsets_piece_by_piece() {
        // Two lines of a fence inside a block quote: each line's text starts 2 bytes later.
        let y = yaml(&[("name: A\n", 12), ("values: [[1]]\n", 22)]);
        assert_eq!(y.to_file(0), 12);
        assert_eq!(y.to_file(6), 18);
        assert_eq!(y.to_file(8), 22);
        assert_eq!(y.key_span("values").unwrap().range, 22..28);
        assert_eq!(y.value_span("name").unwrap().range, 18..19);
    }

    #[test]
    fn finds_list_items_under_a_key() {
        let y = yaml(&[("name: A\nvalues:\n  - [1, 2]\n  - [3, 4]\nrows: [a]\n", 0)]);
        let s = y.item_span("values", 1).unwrap().range;
        assert_eq!(&y.text[s], "- [3, 4]");
        assert!(y.item_span("values", 2).is_none());
    }

    #[test]
    fn plain_value_offset_skips_quotes() {
        let y = yaml(&[("compute: \"X @ W\"\n", 0)]);
        assert_eq!(y.plain_value_offset("compute", "X @ W"), Some(10));
    }
}
