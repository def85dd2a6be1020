//! Markdown to HTML, with computed tables, quizzes, numbers and formulas put in place.
//!
//! The events are those [`crate::parse::markdown`] scanned, walked again with the same options:
//! a matrix or quiz fence is replaced by its rendered HTML (or by nothing with `show: false`), an
//! inline value `` `= expr` `` by a `<data>` element holding the exact value, `$…$` by MathML, a
//! relative link to a `.md` file by a link to its page; every heading gets an `id` and links to
//! itself, and the `h2`/`h3` headings make the page's table of contents.

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd, html};
use serde::Serialize;

use super::math::Math;
use crate::compute::lesson::{InlineValue, LessonValues};
use crate::error::Diagnostic;
use crate::format;
use crate::parse::markdown::{is_matrix_info, is_quiz_info, options};
use crate::source::{FileId, Span};

/// One entry of a page's table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// What a Markdown text needs besides itself.
pub struct Context<'a> {
    pub file: FileId,
    pub values: &'a LessonValues,
    pub math: &'a Math,
    /// HTML for fenced blocks (tables, quizzes) by fence offset.
    pub blocks: &'a BTreeMap<usize, String>,
}

/// Renders `text[range]`; `keys` gives the inline-value key of each inline value in order
/// (`None`: the code span's own file offset, for a document body).
pub fn to_html(
    text: &str,
    range: std::ops::Range<usize>,
    cx: &Context,
    mut keys: Option<std::slice::Iter<'_, usize>>,
) -> (String, Vec<TocEntry>, Vec<Diagnostic>) {
    let at = range.start;
    let mut problems = Vec::new();
    let mut skipping = false;
    // Inside an image, everything becomes alt text: values and formulas must be plain text there.
    let mut in_image = 0usize;
    let mut events = Vec::new();
    for (event, r) in Parser::new_ext(&text[range], options()).into_offset_iter() {
        let offset = r.start + at;
        let event = match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if is_matrix_info(info) || is_quiz_info(info) =>
            {
                skipping = true;
                Event::Html(CowStr::from(
                    cx.blocks.get(&offset).cloned().unwrap_or_default(),
                ))
            }
            Event::End(TagEnd::CodeBlock) if skipping => {
                skipping = false;
                continue;
            }
            _ if skipping => continue,
            Event::Code(ref code) if code.starts_with('=') => {
                let key = match keys.as_mut() {
                    Some(k) => k.next().copied().unwrap_or(usize::MAX),
                    None => offset,
                };
                let value = cx.values.inlines.get(&(cx.file, key));
                match value {
                    Some(v) if in_image > 0 => {
                        Event::Text(CowStr::from(format::inline(v.value, v.precision)))
                    }
                    _ => Event::InlineHtml(CowStr::from(inline_value(code, value))),
                }
            }
            Event::InlineMath(ref latex) | Event::DisplayMath(ref latex) => {
                let block = matches!(event, Event::DisplayMath(_));
                match cx.math.convert(latex, block) {
                    Ok(_) if in_image > 0 => Event::Text(CowStr::from(latex.to_string())),
                    Ok(mathml) => Event::InlineHtml(CowStr::from(mathml)),
                    Err(e) => {
                        let delim = if block { 2 } else { 1 };
                        let start = offset + delim;
                        problems.push(
                            Diagnostic::error(format!("cannot typeset this formula: {}", e.message))
                                .at(Span::new(cx.file, start + e.range.start..start + e.range.end.max(e.range.start + 1)), "here")
                                .help("lectern turns LaTeX into MathML at build time; see the README for what it supports"),
                        );
                        Event::Text(CowStr::from(latex.to_string()))
                    }
                }
            }
            // Wide tables scroll in their own box instead of widening the page.
            Event::Start(Tag::Table(_)) => {
                events.push(Event::Html(CowStr::from(
                    "<div class=\"table-wrap\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">\n",
                )));
                event
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                Event::Html(CowStr::from("</div>\n"))
            }
            Event::Start(Tag::Image { .. }) => {
                in_image += 1;
                event
            }
            Event::End(TagEnd::Image) => {
                in_image = in_image.saturating_sub(1);
                event
            }
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
            e => e,
        };
        events.push(event);
    }
    let (events, toc) = headings(events);
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    (out, toc, problems)
}

fn inline_value(code: &str, value: Option<&InlineValue>) -> String {
    let expr = code[1..].trim();
    match value {
        Some(v) => format!(
            "<data class=\"value\" value=\"{}\" title=\"{}\">{}</data>",
            format::exact(v.value),
            format::escape(expr),
            format::inline(v.value, v.precision)
        ),
        // Only reached when the build has already failed.
        None => format!("<code>{}</code>", format::escape(code)),
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
/// a link to itself, and collects the `h2`/`h3` headings for the table of contents.
fn headings(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<TocEntry>) {
    let mut taken: BTreeSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut toc = Vec::new();
    let mut iter = events.into_iter().peekable();
    while let Some(event) = iter.next() {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = event
        else {
            out.push(event);
            continue;
        };
        let mut inner = Vec::new();
        for e in iter.by_ref() {
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
                let mut id = base.clone();
                let mut n = 0;
                while taken.contains(&id) {
                    n += 1;
                    id = format!("{base}-{n}");
                }
                taken.insert(id.clone());
                id
            }
        };
        if matches!(
            level,
            pulldown_cmark::HeadingLevel::H2 | pulldown_cmark::HeadingLevel::H3
        ) {
            toc.push(TocEntry {
                level: level as u8,
                id: id.clone(),
                text: text.clone(),
            });
        }
        let has_link = inner
            .iter()
            .any(|e| matches!(e, Event::Start(Tag::Link { .. })));
        out.push(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id.clone())),
            classes,
            attrs,
        }));
        if !has_link {
            out.push(Event::InlineHtml(CowStr::from(format!(
                "<a class=\"heading-link\" href=\"#{}\">",
                format::escape(&id)
            ))));
        }
        out.extend(inner);
        if !has_link {
            out.push(Event::InlineHtml(CowStr::from("</a>")));
        }
        out.push(Event::End(TagEnd::Heading(level)));
    }
    (out, toc)
}

pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// A Markdown fragment that is one paragraph, as inline HTML (for quiz choices).
pub fn strip_paragraph(html: &str) -> &str {
    let t = html.trim();
    match t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner,
        _ => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
