//! Markdown: find the matrix blocks and inline values of a document, with their file offsets.
//!
//! The renderer walks the same events again with the same [`options`], and puts the computed
//! tables and numbers back at the offsets recorded here. `check`, which writes no page, skips
//! that second walk: the scan also keeps a [`Skeleton`] of the body, the HTML of just the events
//! that hold links and ids, which the link check reads instead.

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use super::yaml::YamlText;
use crate::error::Diagnostic;
use crate::format;
use crate::math::{Math, MathError};
use crate::source::{FileId, Span};

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
    /// File ranges of raw HTML, block or inline.
    pub raw_html: Vec<Range<usize>>,
    /// Made when the scan is asked for it (by `check`).
    pub skeleton: Option<Skeleton>,
    /// Formulas that cannot be typeset (looked for only with the skeleton: a build finds them
    /// when it renders).
    pub math_problems: Vec<Diagnostic>,
    /// Every event of the body, when the scan is asked to keep them (for the renderer, which then
    /// need not parse the body again). Read with all of [`options`], smart punctuation included.
    pub events: Option<Events<'a>>,
}

/// The part of a body's HTML that the link check reads: its links, ids, headings and raw HTML,
/// in page order, made by pulldown-cmark's own writer from those events only, so that they are
/// written exactly as in the full page. A NUL byte stands for each matrix or quiz block, in
/// order (NUL bytes of the author's raw HTML are replaced).
#[derive(Debug, Default)]
pub struct Skeleton {
    pub html: String,
    /// The fence offsets of the blocks, in the order of the NUL bytes.
    pub blocks: Vec<usize>,
    pub toc: Vec<TocEntry>,
}

/// The offsets of each `$\` in the source of a text event: formulas that pulldown-cmark did not
/// read as math (the event may stop right after the `$`). Every one counts, however the text
/// happens to be cut into events.
fn unread_math(text: &str, range: Range<usize>) -> impl Iterator<Item = usize> + '_ {
    let end = (range.end + 1).min(text.len());
    let source = text.get(range.start..end).unwrap_or("").as_bytes();
    // Runs for every text event: look for `$` first, which is rare.
    memchr::memchr_iter(b'$', source)
        .filter(move |&i| source.get(i + 1) == Some(&b'\\'))
        .map(move |i| range.start + i)
}

/// The options of the scan: [`options`] without smart punctuation, which only turns quotes,
/// dashes and dots of text into typographic ones. The scan never looks at that text (heading
/// ids treat `'` and `’` alike), and without it pulldown-cmark has far fewer places to stop in
/// prose. Blocks, code spans, links, HTML and formulas come out at the same offsets either way,
/// which a property test checks.
pub fn scan_options() -> Options {
    options() - Options::ENABLE_SMART_PUNCTUATION
}

/// Scans the Markdown `body` (a byte range of `text`); with `math`, also makes its [`Skeleton`]
/// and typesets its formulas to find the ones that fail; with `keep_events`, also keeps its events
/// (see [`Found::events`]).
pub fn scan<'a>(
    file: FileId,
    text: &'a str,
    body: Range<usize>,
    math: Option<&Math>,
    keep_events: bool,
) -> Found<'a> {
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
    let mut skeleton = math.map(|_| Vec::new());
    let mut blocks = Vec::new();
    let mut in_heading = false;
    for (event, relative) in Parser::new_ext(&text[body], options).into_offset_iter() {
        let range = relative.start + at..relative.end + at;
        if let (Some(events), Some(math)) = (skeleton.as_mut(), math) {
            keep(
                events,
                &event,
                &mut in_heading,
                current.is_some(),
                &mut |latex, block| {
                    if let Err(e) = math.convert(latex, block) {
                        found
                            .math_problems
                            .push(math_problem(file, range.start, block, &e));
                    }
                },
                &mut || blocks.push(range.start),
            );
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
                    yaml.push(t, range.start);
                } else {
                    found
                        .unread_math
                        .extend(unread_math(text, range.clone()).map(|at| at..at + 2));
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
    if let Some(events) = skeleton {
        let mut html = String::new();
        let toc = push_html_with_heading_ids(&mut html, events);
        found.skeleton = Some(Skeleton { html, blocks, toc });
    }
    found.events = kept;
    found
}

/// Adds to the skeleton what of `event` the link check needs (see [`Skeleton`]): headings with
/// their text (which makes their ids), links (rewritten as [`page_link`]), images, footnotes,
/// raw HTML, and a NUL for a matrix or quiz fence. Formulas go to `formula`, fences to `fence`.
fn keep<'a>(
    events: &mut Vec<Event<'a>>,
    event: &Event<'a>,
    in_heading: &mut bool,
    in_block: bool,
    formula: &mut dyn FnMut(&str, bool),
    fence: &mut dyn FnMut(),
) {
    let kept = match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
            if is_matrix_info(info) || is_quiz_info(info) =>
        {
            fence();
            Event::Html(CowStr::from("\0"))
        }
        _ if in_block => return,
        Event::Start(Tag::Heading { .. }) => {
            *in_heading = true;
            event.clone()
        }
        Event::End(TagEnd::Heading(_)) => {
            *in_heading = false;
            event.clone()
        }
        // The heading's text, as the renderer sees it: inline values and formulas become HTML
        // there, which does not count.
        Event::Text(_) if *in_heading => event.clone(),
        Event::Code(code) if *in_heading && !code.starts_with('=') => event.clone(),
        Event::InlineMath(latex) | Event::DisplayMath(latex) => {
            formula(latex, matches!(event, Event::DisplayMath(_)));
            return;
        }
        Event::Start(Tag::Link { .. }) => link_to_page(event.clone()),
        Event::End(TagEnd::Link)
        | Event::Start(Tag::Image { .. })
        | Event::End(TagEnd::Image)
        | Event::Start(Tag::FootnoteDefinition(_))
        | Event::End(TagEnd::FootnoteDefinition)
        | Event::FootnoteReference(_) => event.clone(),
        Event::Html(raw) | Event::InlineHtml(raw) => {
            let raw = if raw.contains('\0') {
                CowStr::from(raw.replace('\0', "\u{FFFD}"))
            } else {
                raw.clone()
            };
            match event {
                Event::Html(_) => Event::Html(raw),
                _ => Event::InlineHtml(raw),
            }
        }
        _ => return,
    };
    events.push(kept);
}

/// A formula math-core cannot typeset, at the file offset of its `$`.
pub fn math_problem(file: FileId, offset: usize, block: bool, e: &MathError) -> Diagnostic {
    let start = offset + if block { 2 } else { 1 };
    Diagnostic::error(format!("cannot typeset this formula: {}", e.message))
        .at(
            Span::new(
                file,
                start + e.range.start..start + e.range.end.max(e.range.start + 1),
            ),
            "here",
        )
        .help("lectern turns LaTeX into MathML at build time; see the README for what it supports")
}

/// One entry of a page's table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link as the page has it: its destination rewritten by [`page_link`].
pub fn link_to_page(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: page_link(dest_url),
            title,
            id,
        }),
        other => other,
    }
}

/// `02-next.md#x` → `02-next.html#x`, `lesson.md` → `index.html`, for relative links only.
pub fn page_link(dest: CowStr<'_>) -> CowStr<'_> {
    if dest.contains("://") || dest.starts_with('/') || dest.starts_with("mailto:") {
        return dest;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest.as_ref(), None),
    };
    let Some(stem) = path.strip_suffix(".md") else {
        return dest;
    };
    let page = match stem.rsplit_once('/') {
        Some((dir, "lesson")) => format!("{dir}/index.html"),
        None if stem == "lesson" => "index.html".to_string(),
        _ => format!("{stem}.html"),
    };
    CowStr::from(match fragment {
        Some(f) => format!("{page}#{f}"),
        None => page,
    })
}

/// Gives every heading without an explicit `{#id}` an id made from its text (lowercase letters
/// and digits, other runs of characters as one `-`; repeats get `-1`, `-2`, ...), makes its text
/// a link to itself, and collects the `h2`/`h3` headings for the table of contents. (The
/// renderer and the skeleton write the events as they go, with [`push_html_with_heading_ids`].)
#[cfg(test)]
pub fn headings(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<TocEntry>) {
    let taken = explicit_ids(&events);
    let mut toc = Vec::new();
    let out = HeadingIds::new(events.into_iter(), taken, &mut toc).collect();
    (out, toc)
}

/// Writes `events` as HTML onto `out`, the headings given ids as [`headings`] gives them, as
/// the writer pulls the events (they are not copied into a second vector); returns the table
/// of contents.
pub fn push_html_with_heading_ids(out: &mut String, events: Vec<Event<'_>>) -> Vec<TocEntry> {
    let mut toc = Vec::new();
    let taken = explicit_ids(&events);
    html::push_html(out, HeadingIds::new(events.into_iter(), taken, &mut toc));
    toc
}

/// The ids that headings give themselves (`# Title {#id}`), which made ids must avoid.
fn explicit_ids(events: &[Event<'_>]) -> BTreeSet<String> {
    events.iter().filter_map(explicit_id).collect()
}

/// The id a heading start gives itself, if it does.
fn explicit_id(event: &Event<'_>) -> Option<String> {
    match event {
        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
        _ => None,
    }
}

/// [`headings`] as the events go by, for a writer that takes them one at a time; the table of
/// contents is complete once the events are all taken. `taken` holds the [`explicit_ids`].
struct HeadingIds<'e, 't, I> {
    events: I,
    taken: BTreeSet<String>,
    toc: &'t mut Vec<TocEntry>,
    /// The rest of the heading being given out.
    pending: std::collections::VecDeque<Event<'e>>,
}

impl<'e, 't, I: Iterator<Item = Event<'e>>> HeadingIds<'e, 't, I> {
    fn new(events: I, taken: BTreeSet<String>, toc: &'t mut Vec<TocEntry>) -> Self {
        HeadingIds {
            events,
            taken,
            toc,
            pending: std::collections::VecDeque::new(),
        }
    }
}

impl<'e, I: Iterator<Item = Event<'e>>> Iterator for HeadingIds<'e, '_, I> {
    type Item = Event<'e>;

    fn next(&mut self) -> Option<Event<'e>> {
        if let Some(e) = self.pending.pop_front() {
            return Some(e);
        }
        let event = self.events.next()?;
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = event
        else {
            return Some(event);
        };
        let mut inner = Vec::new();
        for e in self.events.by_ref() {
            if matches!(e, Event::End(TagEnd::Heading(_))) {
                break;
            }
            inner.push(e);
        }
        let text: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = match id {
            Some(id) => id.to_string(),
            None => {
                let base = slug(&text);
                let id = if self.taken.contains(&base) {
                    (1..)
                        .map(|n| format!("{base}-{n}"))
                        .find(|id| !self.taken.contains(id))
                        .expect("a free number")
                } else {
                    base
                };
                self.taken.insert(id.clone());
                id
            }
        };
        if matches!(
            level,
            pulldown_cmark::HeadingLevel::H2 | pulldown_cmark::HeadingLevel::H3
        ) {
            self.toc.push(TocEntry {
                level: level as u8,
                id: id.clone(),
                text,
            });
        }
        let has_link = inner
            .iter()
            .any(|e| matches!(e, Event::Start(Tag::Link { .. })));
        if !has_link {
            let mut open = String::with_capacity(id.len() + 40);
            open.push_str("<a class=\"heading-link\" href=\"#");
            format::escape_into(&mut open, &id);
            open.push_str("\">");
            self.pending
                .push_back(Event::InlineHtml(CowStr::from(open)));
        }
        self.pending.extend(inner);
        if !has_link {
            self.pending
                .push_back(Event::InlineHtml(CowStr::from("</a>")));
        }
        self.pending.push_back(Event::End(TagEnd::Heading(level)));
        Some(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id)),
            classes,
            attrs,
        }))
    }
}

pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut push = |c: char| {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    };
    for c in text.chars() {
        // ASCII, nearly every heading's text, lowercases to one character without the tables.
        if c.is_ascii() {
            push(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut push);
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A skeleton has one NUL per block, whatever the author's raw HTML holds, so that check
    /// puts each table back where it belongs.
    #[test]
    fn skeleton_marks_each_block_once_even_with_nul_in_raw_html() {
        let text = "---\n---\n<div id=\"a\0b\">x</div>\n\nSee <span>c\0d</span> [here](#matrix-A).\n\n```matrix\nname: A\nvalues: [[1]]\n```\n";
        let math = Math::default();
        let found = scan(FileId(0), text, 8..text.len(), Some(&math), false);
        let skeleton = found.skeleton.expect("asked for");
        assert_eq!(skeleton.blocks.len(), 1);
        assert_eq!(
            skeleton.html.matches('\0').count(),
            1,
            "{:?}",
            skeleton.html
        );
        // The marker sits after the author's HTML, where the block is.
        let marker = skeleton.html.find('\0').unwrap();
        assert!(
            skeleton.html[..marker].contains("#matrix-A"),
            "{:?}",
            skeleton.html
        );
    }

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
        let found = scan(FileId(0), text, 8..text.len(), None, false);
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
        let found = scan(FileId(0), text, 0..text.len(), None, false);
        let (yaml, _) = &found.blocks[0];
        assert_eq!(yaml.text, "name: A\nvalues: [[1]]\n");
        assert_eq!(&text[yaml.key_span("values").unwrap().range], "values");
    }

    #[test]
    fn rewrites_links_to_markdown_files() {
        let l = |s: &'static str| page_link(CowStr::from(s)).to_string();
        assert_eq!(l("02-next.md"), "02-next.html");
        assert_eq!(l("02-next.md#the-idea"), "02-next.html#the-idea");
        assert_eq!(l("lesson.md"), "index.html");
        assert_eq!(l("../other/lesson.md"), "../other/index.html");
        assert_eq!(l("../other/01-a.md"), "../other/01-a.html");
        assert_eq!(l("https://example.com/a.md"), "https://example.com/a.md");
        assert_eq!(l("#x"), "#x");
    }

    #[test]
    fn headings_get_unique_ids_links_and_a_toc() {
        assert_eq!(
            slug("Query: “What Am I Looking For?”"),
            "query-what-am-i-looking-for"
        );
        assert_eq!(slug("Q = X @ W_Q^T"), "q-x-w-q-t");
        assert_eq!(slug("!!!"), "section");
        let events: Vec<Event> =
            Parser::new_ext("## Intro\n\n## Intro\n\n### A [link](x.html)\n", options()).collect();
        let (events, toc) = headings(events);
        let mut html = String::new();
        html::push_html(&mut html, events.into_iter());
        assert!(
            html.contains(
                r##"<h2 id="intro"><a class="heading-link" href="#intro">Intro</a></h2>"##
            ),
            "{html}"
        );
        assert!(html.contains(r#"<h2 id="intro-1">"#), "{html}");
        assert!(
            html.contains(r#"<h3 id="a-link">A <a href="x.html">link</a></h3>"#),
            "{html}"
        );
        let ids: Vec<&str> = toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-1", "a-link"]);
    }
}
