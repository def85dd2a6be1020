//! Markdown: find the matrix blocks and inline values of a document, with their file offsets.
//!
//! The renderer walks the same events again (the scan can keep them for it), and puts the
//! computed tables and numbers back at the offsets recorded here.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

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

/// The Markdown events of a text with their byte ranges in it, as pulldown-cmark's offset
/// iterator gives them.
pub type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

#[derive(Debug, Default)]
pub struct Found<'a> {
    /// Each matrix block's YAML and the file offset of its fence.
    pub blocks: Vec<(YamlText, usize)>,
    pub inlines: Vec<InlineFound>,
    /// Fences whose info string looks like a misspelt `matrix` (`Matrix`, `matrx`).
    pub near_misses: Vec<(String, Range<usize>)>,
    /// Each quiz block's YAML and the file offset of its fence.
    pub quizzes: Vec<(YamlText, usize)>,
    /// Text that looks like a formula pulldown-cmark could not read (`$\frac{1}{2$`).
    pub unread_math: Vec<Range<usize>>,
    /// Formulas with spaces inside their dollars (`$ \sqrt{d_k} $`), shown as text.
    pub spaced_math: Vec<Range<usize>>,
    /// File ranges of raw HTML, block or inline.
    pub raw_html: Vec<Range<usize>>,
    /// Every event of the body, when the scan is asked to keep them (for the renderer, which then
    /// need not parse the body again). Read with all of [`options`], smart punctuation included.
    pub events: Option<Events<'a>>,
}

/// Is the byte at `i` of `text` escaped, that is preceded by an odd number of backslashes?
fn escaped(text: &[u8], i: usize) -> bool {
    text[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// The offsets of each `$\` in the source of a text event: formulas that pulldown-cmark did not
/// read as math (the event may stop right after the `$`). Every one counts, however the text
/// happens to be cut into events; an escaped dollar (`\$\,5`, a literal dollar for CommonMark
/// and pulldown-cmark) does not, nor a `$\` that is a hard line break (`10$\` at a line's end).
fn unread_math(text: &str, range: Range<usize>) -> impl Iterator<Item = usize> + '_ {
    let end = (range.end + 1).min(text.len());
    let source = text.get(range.start..end).unwrap_or("").as_bytes();
    let all = text.as_bytes();
    // Runs for every text event: look for `$` first, which is rare.
    memchr::memchr_iter(b'$', source)
        .filter(move |&i| {
            source.get(i + 1) == Some(&b'\\')
                && !matches!(all.get(range.start + i + 2), None | Some(b'\n' | b'\r'))
        })
        .map(move |i| range.start + i)
        .filter(move |&at| !escaped(all, at))
}

/// Formulas written with spaces inside the dollars (`$ \sqrt{d_k} $`), which Markdown does not
/// read as math (a `$` that opens a formula must not be followed by a space, one that closes it
/// must not follow one): the file ranges from dollar to dollar, in the source of a run of text.
fn spaced_math(text: &str, run: Range<usize>) -> Vec<Range<usize>> {
    let all = text.as_bytes();
    let dollars: Vec<usize> = memchr::memchr_iter(b'$', &all[run.clone()])
        .map(|i| run.start + i)
        .filter(|&at| !escaped(all, at))
        .filter(|&at| all.get(at + 1) != Some(&b'$') && (at == 0 || all[at - 1] != b'$'))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < dollars.len() {
        let (open, close) = (dollars[i], dollars[i + 1]);
        let inside = &text[open + 1..close];
        // `$\frac{1}{2} $` is already an unread formula (a `$` before a command).
        let spaced = inside.starts_with(char::is_whitespace)
            || (inside.ends_with(char::is_whitespace) && !inside.starts_with('\\'));
        let command = inside
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'\\' && w[1].is_ascii_alphabetic());
        if spaced && command && !inside.trim().is_empty() && !inside.contains('\n') {
            out.push(open..close + 1);
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

/// The options of the scan: [`options`] without smart punctuation, which only turns quotes,
/// dashes and dots of text into typographic ones. The scan never looks at that text (heading
/// ids treat `'` and `’` alike), and without it pulldown-cmark has far fewer places to stop in
/// prose. Blocks, code spans, links, HTML and formulas come out at the same offsets either way,
/// which a property test checks.
pub fn scan_options() -> Options {
    options() - Options::ENABLE_SMART_PUNCTUATION
}

/// Scans the Markdown `body` (a byte range of `text`); with `keep_events`, also keeps its events
/// (see [`Found::events`]).
pub fn scan<'a>(file: FileId, text: &'a str, body: Range<usize>, keep_events: bool) -> Found<'a> {
    let at = body.start;
    let mut found = Found::default();
    let mut kept: Option<Events<'a>> =
        keep_events.then(|| Vec::with_capacity(body.len() / 24 + 16));
    // The renderer reads the kept events, so they are read with all the options.
    let options = if keep_events {
        options()
    } else {
        scan_options()
    };
    // The block being read, and whether it is a quiz (else a matrix).
    let mut current: Option<(YamlText, usize, bool)> = None;
    // Inside a code block that is shown as code, or an autolink: text that is not prose.
    let (mut in_code, mut in_autolink) = (false, 0usize);
    // The source of the run of text events being read (for formulas spread over several).
    let mut run: Option<Range<usize>> = None;
    for (event, relative) in Parser::new_ext(&text[body], options).into_offset_iter() {
        let range = relative.start + at..relative.end + at;
        if let Some(r) = run.as_mut() {
            match &event {
                // An escape's backslash lies between two text events.
                Event::Text(_) if range.start <= r.end + 1 && !in_code && in_autolink == 0 => {
                    r.end = r.end.max(range.end);
                }
                _ => {
                    let r = run.take().expect("a run");
                    if text.as_bytes()[r.clone()].contains(&b'$') {
                        found.spaced_math.extend(spaced_math(text, r));
                    }
                }
            }
        }
        match &event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if is_matrix_info(info) || is_quiz_info(info) =>
            {
                current = Some((
                    YamlText::new(file, range.clone()),
                    range.start,
                    is_quiz_info(info),
                ));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                in_code = true;
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
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => in_code = true,
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => in_autolink += 1,
            Event::End(TagEnd::Link) => in_autolink = in_autolink.saturating_sub(1),
            Event::Text(t) => {
                if let Some((yaml, _, _)) = current.as_mut() {
                    yaml.push(t, range.start);
                } else if !in_code && in_autolink == 0 {
                    found
                        .unread_math
                        .extend(unread_math(text, range.clone()).map(|at| at..at + 2));
                    if run.is_none() {
                        run = Some(range.clone());
                    }
                }
            }
            Event::End(TagEnd::CodeBlock) => match current.take() {
                Some((yaml, fence, true)) => found.quizzes.push((yaml, fence)),
                Some((yaml, fence, false)) => found.blocks.push((yaml, fence)),
                None => in_code = false,
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
                    // The code sits after the opening backticks, nearly always at once (`= x`):
                    // try there before searching.
                    let ticks = raw.len() - raw.trim_start_matches('`').len();
                    let at = if raw[ticks..].starts_with(code.as_ref()) {
                        Some(ticks)
                    } else {
                        raw.find(code.as_ref())
                    };
                    let base = at.map_or(range.start, |i| range.start + i + 1);
                    found.inlines.push(InlineFound {
                        text: expr.to_string(),
                        base,
                        range,
                    });
                }
            }
            _ => {}
        }
        // Kept whole for the renderer, after the scan has read it: no copy.
        if let Some(kept) = kept.as_mut() {
            kept.push((event, relative));
        }
    }
    if let Some(r) = run {
        found.spaced_math.extend(spaced_math(text, r));
    }
    found.events = kept;
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the scan reads of a text: every event but text, with its offsets, and the stretches
    /// of text (consecutive text events merged, since smart punctuation cuts text at quotes).
    fn structure(text: &str, options: Options) -> Vec<(String, Range<usize>)> {
        let mut out: Vec<(String, Range<usize>)> = Vec::new();
        for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
            match (&event, out.last_mut()) {
                (Event::Text(_), Some((kind, last)))
                    if kind == "text" && last.end == range.start =>
                {
                    last.end = range.end
                }
                (Event::Text(_), _) => out.push(("text".into(), range)),
                _ => out.push((format!("{event:?}"), range)),
            }
        }
        out
    }

    proptest::proptest! {
        /// The scan reads Markdown without smart punctuation, the renderer with it: blocks, code
        /// spans, links, HTML, formulas and headings must come out the same, at the same offsets,
        /// with text covering the same bytes.
        #[test]
        fn smart_punctuation_moves_nothing_the_scan_reads(
            tokens in proptest::collection::vec(proptest::sample::select(vec![
                "a", "word ", " ", "\n", "\n\n", "'", "\"", "--", "---", "...", ".", "-", "`", "``",
                "$", "$$", "\\", "\\frac", "{", "}", "*", "_", "~~", "[", "]", "(", ")", "[x](y.md)",
                "<a href=\"#q\">", "</a>", "<b>", "<!-- c -->", "# ", "## ", "> ", "- ", "1. ",
                "```", "```matrix\n", "~~~", "= ", "{#id}", "|", "!", "&amp;", ":", "[^1]",
            ]), 0..48)
        ) {
            let text = tokens.concat();
            proptest::prop_assert_eq!(
                structure(&text, scan_options()),
                structure(&text, options()),
                "{:?}", text
            );
        }
    }

    #[test]
    fn finds_blocks_and_inline_values_with_offsets() {
        let text =
            "---\n---\nIntro `= Q[cat, 2]` and `code`.\n\n```matrix\nname: A\nvalues: [[1]]\n```\n";
        let found = scan(FileId(0), text, 8..text.len(), false);
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
    fn escaped_dollars_code_and_autolinks_are_no_unread_formulas() {
        let unread = |text: &str| {
            let found = scan(FileId(0), text, 0..text.len(), false);
            found.unread_math.len()
        };
        for ok in [
            "Costs \\$\\,5",
            "Write \\$\\alpha\\$",
            "10$\\\nnext line",
            "<https://example.com/$\\x>",
            "`$\\alpha`",
            "```\n$\\x\n```\n",
            "    $\\x\n",
            "$\\alpha$ and \\\\",
        ] {
            assert_eq!(unread(ok), 0, "{ok:?}");
        }
        for bad in ["Cost $\\frac{1}{2$", "`a`$\\alpha", "\\\\$\\alpha x"] {
            assert_eq!(unread(bad), 1, "{bad:?}");
        }
        let spaced = |text: &str| scan(FileId(0), text, 0..text.len(), false).spaced_math;
        assert_eq!(spaced("by $ \\sqrt{d_k} $."), vec![3..17]);
        assert_eq!(spaced("by $ \\sqrt{d_*k} $."), vec![3..18]);
        assert!(spaced("$5 and $10, $ 5 $, \\$ \\alpha \\$").is_empty());
        assert!(spaced("$\\frac{1}{2} $").is_empty());
    }

    #[test]
    fn maps_lines_of_a_block_inside_a_quote() {
        let text = "> ```matrix\n> name: A\n> values: [[1]]\n> ```\n";
        let found = scan(FileId(0), text, 0..text.len(), false);
        let (yaml, _) = &found.blocks[0];
        assert_eq!(yaml.text, "name: A\nvalues: [[1]]\n");
        assert_eq!(&text[yaml.key_span("values").unwrap().range], "values");
    }
}
