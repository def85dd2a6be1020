//! Markdown to HTML, with computed tables and numbers put in place.
//!
//! The events are those [`crate::parse::markdown`] scanned, walked again with the same options:
//! a matrix fence is replaced by its rendered table (or by nothing with `show: false`), an
//! inline value `` `= expr` `` by a `<data>` element holding the exact value, a relative link to
//! a `.md` file by a link to its page, and every heading gets an `id` so it can be linked to.

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd, html};

use super::format;
use crate::compute::lesson::LessonValues;
use crate::model::Doc;
use crate::parse::markdown::{is_matrix_info, options};

/// Renders the body of `doc`. `tables` maps each matrix block's fence offset to its HTML
/// (absent for `show: false`).
pub fn to_html(
    text: &str,
    doc: &Doc,
    tables: &BTreeMap<usize, String>,
    values: &LessonValues,
) -> String {
    let at = doc.body.start;
    let mut skipping = false;
    // Inside an image, everything becomes alt text: an inline value must be plain text there.
    let mut in_image = 0usize;
    let mut events = Vec::new();
    for (event, range) in Parser::new_ext(&text[doc.body.clone()], options()).into_offset_iter() {
        let offset = range.start + at;
        let event = match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if is_matrix_info(info) =>
            {
                skipping = true;
                Event::Html(CowStr::from(
                    tables.get(&offset).cloned().unwrap_or_default(),
                ))
            }
            Event::End(TagEnd::CodeBlock) if skipping => {
                skipping = false;
                continue;
            }
            _ if skipping => continue,
            Event::Code(ref code) if code.starts_with('=') => {
                let value = values.inlines.get(&(doc.file, offset));
                match value {
                    Some(v) if in_image > 0 => {
                        Event::Text(CowStr::from(format::inline(v.value, v.precision)))
                    }
                    _ => Event::InlineHtml(CowStr::from(inline_value(code, value))),
                }
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
    add_heading_ids(&mut events);
    let mut out = String::with_capacity(text.len() * 2);
    html::push_html(&mut out, events.into_iter());
    out
}

fn inline_value(code: &str, value: Option<&crate::compute::lesson::InlineValue>) -> String {
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

/// Gives every heading without an explicit `{#id}` an id made from its text: lowercase letters
/// and digits, other runs of characters as one `-`; repeats get `-1`, `-2`, ...
fn add_heading_ids(events: &mut [Event<'_>]) {
    let mut taken: BTreeSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = slug(&text);
            let mut id = base.clone();
            let mut n = 0;
            while taken.contains(&id) {
                n += 1;
                id = format!("{base}-{n}");
            }
            taken.insert(id.clone());
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
        }
        i += 1;
    }
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
    fn slugs_are_readable_and_unique() {
        assert_eq!(
            slug("Query: “What Am I Looking For?”"),
            "query-what-am-i-looking-for"
        );
        assert_eq!(slug("Q = X @ W_Q^T"), "q-x-w-q-t");
        assert_eq!(slug("!!!"), "section");
        let mut events = vec![
            Event::Start(Tag::Heading {
                level: pulldown_cmark::HeadingLevel::H2,
                id: None,
                classes: vec![],
                attrs: vec![],
            }),
            Event::Text(CowStr::from("Intro")),
            Event::End(TagEnd::Heading(pulldown_cmark::HeadingLevel::H2)),
        ];
        events.extend(events.clone());
        add_heading_ids(&mut events);
        let ids: Vec<String> = events
            .iter()
            .filter_map(|e| match e {
                Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, ["intro", "intro-1"]);
    }
}
