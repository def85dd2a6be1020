//! Markdown: find the matrix blocks and inline values of a document, with their file offsets.
//!
//! The renderer walks the same events again with the same [`options`], and puts the computed
//! tables and numbers back at the offsets recorded here.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::yaml::YamlText;
use crate::source::FileId;

/// The Markdown dialect of lesson files: CommonMark plus tables, footnotes, strikethrough,
/// task lists, heading ids (`# Title {#id}`), smart punctuation and `$…$` / `$$…$$` math.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_MATH
}

/// Does a fenced block's info string make it a matrix block?
pub fn is_matrix_info(info: &str) -> bool {
    info.split_whitespace().next() == Some("matrix")
}

/// Does a fenced block's info string make it a quiz block?
pub fn is_quiz_info(info: &str) -> bool {
    info.split_whitespace().next() == Some("quiz")
}

/// An inline code span starting with `=`: its expression text and where things are in the file.
#[derive(Debug)]
pub struct InlineFound {
    pub text: String,
    /// File offset of the expression text (after the `=`).
    pub base: usize,
    /// File range of the whole code span, backticks included.
    pub range: Range<usize>,
}

#[derive(Debug, Default)]
pub struct Found {
    /// Each matrix block's YAML and the file offset of its fence.
    pub blocks: Vec<(YamlText, usize)>,
    pub inlines: Vec<InlineFound>,
    /// Fences whose info string looks like a misspelt `matrix` (`Matrix`, `matrx`).
    pub near_misses: Vec<(String, Range<usize>)>,
    /// Each quiz block's YAML and the file offset of its fence.
    pub quizzes: Vec<(YamlText, usize)>,
    /// Text that looks like a formula pulldown-cmark could not read (`$\frac{1}{2$`).
    pub unread_math: Vec<Range<usize>>,
    /// File ranges of raw HTML, block or inline.
    pub raw_html: Vec<Range<usize>>,
}

/// The offset of a `$\` in the source of a text event: a formula that pulldown-cmark did not
/// read as math (the event may stop right after the `$`).
fn unread_math(text: &str, range: Range<usize>) -> Option<usize> {
    let end = (range.end + 1).min(text.len());
    let source = text.get(range.start..end)?;
    source.find("$\\").map(|i| range.start + i)
}

/// Scans the Markdown `body` (a byte range of `text`).
pub fn scan(file: FileId, text: &str, body: Range<usize>) -> Found {
    let at = body.start;
    let mut found = Found::default();
    // The block being read, and whether it is a quiz (else a matrix).
    let mut current: Option<(YamlText, usize, bool)> = None;
    for (event, range) in Parser::new_ext(&text[body], options()).into_offset_iter() {
        let range = range.start + at..range.end + at;
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if is_matrix_info(&info) || is_quiz_info(&info) =>
            {
                current = Some((
                    YamlText::new(file, range.clone()),
                    range.start,
                    is_quiz_info(&info),
                ));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let word = info.split_whitespace().next().unwrap_or("");
                if word.eq_ignore_ascii_case("matrix")
                    || crate::error::did_you_mean(word, ["matrix"]).is_some()
                {
                    let line = text[range.clone()].lines().next().unwrap_or("").len();
                    found
                        .near_misses
                        .push((word.to_string(), range.start..range.start + line));
                }
            }
            Event::Text(t) => {
                if let Some((yaml, _, _)) = current.as_mut() {
                    yaml.push(&t, range.start);
                } else if let Some(at) = unread_math(text, range.clone()) {
                    found.unread_math.push(at..at + 2);
                }
            }
            Event::End(TagEnd::CodeBlock) => match current.take() {
                Some((yaml, fence, true)) => found.quizzes.push((yaml, fence)),
                Some((yaml, fence, false)) => found.blocks.push((yaml, fence)),
                None => {}
            },
            Event::Html(_) | Event::InlineHtml(_) => {
                // A block of HTML arrives line by line: report it once.
                match found.raw_html.last_mut() {
                    Some(last)
                        if text[last.end..range.start].trim().is_empty()
                            && last.end <= range.start =>
                    {
                        last.end = range.end
                    }
                    _ => found.raw_html.push(range),
                }
            }
            Event::Code(code) => {
                if let Some(expr) = code.strip_prefix('=') {
                    let raw = &text[range.clone()];
                    let base = raw
                        .find(code.as_ref())
                        .map_or(range.start, |i| range.start + i + 1);
                    found.inlines.push(InlineFound {
                        text: expr.to_string(),
                        base,
                        range,
                    });
                }
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blocks_and_inline_values_with_offsets() {
        let text =
            "---\n---\nIntro `= Q[cat, 2]` and `code`.\n\n```matrix\nname: A\nvalues: [[1]]\n```\n";
        let found = scan(FileId(0), text, 8..text.len());
        assert_eq!(found.inlines.len(), 1);
        let i = &found.inlines[0];
        assert_eq!(i.text, " Q[cat, 2]");
        assert_eq!(&text[i.base..i.base + i.text.len()], " Q[cat, 2]");
        assert_eq!(&text[i.range.clone()], "`= Q[cat, 2]`");
        let (yaml, fence) = &found.blocks[0];
        assert_eq!(yaml.text, "name: A\nvalues: [[1]]\n");
        assert!(text[*fence..].starts_with("```matrix"));
        assert_eq!(&text[yaml.key_span("values").unwrap().range], "values");
    }

    #[test]
    fn maps_lines_of_a_block_inside_a_quote() {
        let text = "> ```matrix\n> name: A\n> values: [[1]]\n> ```\n";
        let found = scan(FileId(0), text, 0..text.len());
        let (yaml, _) = &found.blocks[0];
        assert_eq!(yaml.text, "name: A\nvalues: [[1]]\n");
        assert_eq!(&text[yaml.key_span("values").unwrap().range], "values");
    }
}
