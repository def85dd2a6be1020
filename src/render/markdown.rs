//! Markdown to HTML, with computed tables, quizzes, numbers and formulas put in place.
//!
//! The events are those [`crate::parse::markdown`] scanned, walked again with the same options:
//! a matrix or quiz fence is replaced by its rendered HTML (or by nothing with `show: false`), an
//! inline value `` `= expr` `` by a `<data>` element holding the exact value, `$…$` by MathML, a
//! relative link to a `.md` file by a link to its page; every heading gets an `id` and links to
//! itself, and the `h2`/`h3` headings make the page's table of contents.

use std::collections::BTreeMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};

pub use super::html::TocEntry;
use super::html::{link_to_page, math_problem, push_html_with_heading_ids};
use crate::compute::lesson::{InlineValue, LessonValues};
use crate::error::Diagnostic;
use crate::format;
use crate::math::Math;
use crate::parse::markdown::{Events, is_matrix_info, is_quiz_info, options};
use crate::source::FileId;

/// What a Markdown text needs besides itself.
pub struct Context<'a> {
    pub file: FileId,
    pub values: &'a LessonValues,
    pub math: &'a Math,
    /// HTML for fenced blocks (tables, quizzes) by fence offset.
    pub blocks: &'a BTreeMap<usize, String>,
}

/// Renders `text[range]`; `keys` gives the inline-value key of each inline value in order
/// (`None`: the code span's own file offset, for a document body). `kept` holds the events of
/// `text[range]` when the scan kept them (a build streams each lesson from parse to page), so
/// that the text is not parsed a second time.
pub fn to_html<'t>(
    text: &'t str,
    range: std::ops::Range<usize>,
    cx: &Context,
    mut keys: Option<std::slice::Iter<'_, usize>>,
    kept: Option<Events<'t>>,
) -> (String, Vec<TocEntry>, Vec<Diagnostic>) {
    let at = range.start;
    let mut problems = Vec::new();
    let mut skipping = false;
    // Inside an image, everything becomes alt text: values and formulas must be plain text there.
    let mut in_image = 0usize;
    // Sized for prose (an event every few words) so the vector seldom grows.
    let mut events = Vec::with_capacity(range.len() / 24 + 16);
    let html_len =
        range.len() + range.len() / 4 + cx.blocks.values().map(String::len).sum::<usize>();
    let source: Box<dyn Iterator<Item = (Event<'t>, std::ops::Range<usize>)>> = match kept {
        Some(events) => Box::new(events.into_iter()),
        None => Box::new(Parser::new_ext(&text[range], options()).into_offset_iter()),
    };
    // Just after an inline formula: a word joiner keeps punctuation that follows it (`$x$),`)
    // on its line, as browsers may break after a formula as after an image.
    let mut after_math = false;
    for (event, r) in source {
        let offset = r.start + at;
        if std::mem::take(&mut after_math)
            && matches!(&event, Event::Text(t) if t.starts_with(|c: char| !c.is_whitespace()))
        {
            events.push(Event::InlineHtml(CowStr::Borrowed("\u{2060}")));
        }
        let event = match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if is_matrix_info(info) || is_quiz_info(info) =>
            {
                skipping = true;
                Event::Html(CowStr::Borrowed(
                    cx.blocks.get(&offset).map_or("", String::as_str),
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
                    // Alt text: pulldown-cmark escapes it like text, and (unlike text) it does
                    // not count towards a heading's id.
                    Some(v) if in_image > 0 => {
                        Event::InlineHtml(CowStr::from(format::inline(v.value, v.precision)))
                    }
                    _ => Event::InlineHtml(CowStr::from(inline_value(code, value))),
                }
            }
            Event::InlineMath(ref latex) | Event::DisplayMath(ref latex) => {
                let block = matches!(event, Event::DisplayMath(_));
                match cx.math.convert(latex, block) {
                    Ok(_) if in_image > 0 => Event::InlineHtml(CowStr::from(latex.to_string())),
                    Ok(mathml) => {
                        after_math = !block;
                        Event::InlineHtml(CowStr::from(mathml))
                    }
                    Err(e) => {
                        problems.push(math_problem(cx.file, offset, block, &e));
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
            Event::Start(Tag::Link { .. }) => link_to_page(event),
            e => e,
        };
        events.push(event);
    }
    // Sized for the whole body, so the writer does not copy it again and again as it grows.
    let mut out = String::with_capacity(html_len);
    let toc = push_html_with_heading_ids(&mut out, events);
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

/// A Markdown fragment that is one paragraph, as inline HTML (for quiz choices).
pub fn strip_paragraph(html: &str) -> &str {
    let t = html.trim();
    match t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner,
        _ => t,
    }
}
