//! The HTML writer of Markdown bodies: pulldown-cmark's writer, with every heading given an id
//! and a link to itself (and the `h2`/`h3` headings collected for a table of contents), and
//! relative links to `.md` files rewritten to their pages.

use std::collections::BTreeSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};
use serde::Serialize;

use crate::error::Diagnostic;
use crate::format;
use crate::math::MathError;
use crate::source::{FileId, Span};

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
        // A line break inside a heading (`Foo⏎Bar⏎===`) is a space between its words.
        let text: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                Event::SoftBreak | Event::HardBreak => Some(" "),
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
        // A link inside the heading (Markdown, or a raw `<a …>`) would nest in the self-link.
        let has_link = inner.iter().any(|e| match e {
            Event::Start(Tag::Link { .. }) => true,
            Event::InlineHtml(h) => is_anchor_tag(h),
            _ => false,
        });
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

/// Does raw inline HTML open an `<a>` element?
fn is_anchor_tag(html: &str) -> bool {
    let b = html.as_bytes();
    b.len() >= 3
        && b[0] == b'<'
        && b[1].eq_ignore_ascii_case(&b'a')
        && (b[2].is_ascii_whitespace() || b[2] == b'>' || b[2] == b'/')
}

/// The id made from a heading's text: lowercase letters and digits, every other run of
/// characters one `-`; apostrophes (`'`, `’`) are dropped, so that `It's` gives `its`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut push = |c: char| {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    };
    for c in text.chars().filter(|&c| c != '\'' && c != '’') {
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
    use crate::parse::markdown::options;
    use pulldown_cmark::Parser;

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
        assert_eq!(slug("It's"), "its");
        assert_eq!(slug("It’s the model’s"), "its-the-models");
        assert!(is_anchor_tag("<a href=\"x\">") && is_anchor_tag("<A>"));
        assert!(!is_anchor_tag("<abbr>") && !is_anchor_tag("</a>"));
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

    #[test]
    fn heading_ids_join_lines_and_raw_links_are_not_nested() {
        let md = "Foo\nBar\n===\n\n## It's <a href=\"x.html\">here</a>\n";
        let events: Vec<Event> = Parser::new_ext(md, options()).collect();
        let (events, toc) = headings(events);
        let mut html = String::new();
        html::push_html(&mut html, events.into_iter());
        assert!(html.contains(r#"<h1 id="foo-bar">"#), "{html}");
        assert!(
            html.contains(r#"<h2 id="its-here">It’s <a href="x.html">here</a></h2>"#),
            "{html}"
        );
        assert_eq!(toc[0].text, "It’s here");
    }
}
