//! Markdown to HTML, with computed tables and numbers put in place.
//!
//! The events are those [`crate::parse::markdown`] scanned, walked again with the same options:
//! a matrix fence is replaced by its rendered table (or by nothing with `show: false`), and an
//! inline value `` `= expr` `` by a `<data>` element holding the exact value.

use std::collections::BTreeMap;

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
    let events = Parser::new_ext(&text[doc.body.clone()], options())
        .into_offset_iter()
        .filter_map(|(event, range)| {
            let offset = range.start + at;
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                    if is_matrix_info(info) =>
                {
                    skipping = true;
                    Some(Event::Html(CowStr::from(
                        tables.get(&offset).cloned().unwrap_or_default(),
                    )))
                }
                Event::End(TagEnd::CodeBlock) if skipping => {
                    skipping = false;
                    None
                }
                _ if skipping => None,
                Event::Code(ref code) if code.starts_with('=') => {
                    let expr = code[1..].trim();
                    Some(Event::InlineHtml(CowStr::from(
                        match values.inlines.get(&(doc.file, offset)) {
                            Some(v) => format!(
                                "<data class=\"value\" value=\"{}\" title=\"{}\">{}</data>",
                                format::exact(v.value),
                                format::escape(expr),
                                format::inline(v.value, v.precision)
                            ),
                            // Only reached when the build has already failed.
                            None => format!("<code>{}</code>", format::escape(code)),
                        },
                    )))
                }
                e => Some(e),
            }
        });
    let mut out = String::with_capacity(text.len() * 2);
    html::push_html(&mut out, events);
    out
}
