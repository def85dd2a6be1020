//! Where a link leads: resolved against its page, percent escapes decoded, and where its text
//! is in the page's source file.

use super::href::percent_decode;
use crate::source::{FileId, Sources, Span};

/// Where a link's text appears in the source file, if it does: `link` is the destination as
/// the page's HTML has it (entities decoded). A destination written as it appears is found by
/// searching the text; one written with escapes or entities (`[a](/bar\*)`,
/// `<a href="&ouml;.html">`) by reading the file's Markdown again (only done for a link that
/// is broken).
pub fn locate(sources: &Sources, file: FileId, link: &str) -> Option<Span> {
    let text = &sources.get(file).text;
    let bare = link.split('#').next().unwrap_or(link);
    let needle = if bare.is_empty() { link } else { bare };
    let needle = needle.trim_end_matches(".html");
    // `lesson.md` was rewritten to `index.html`.
    let lesson = needle
        .strip_suffix("index")
        .filter(|dir| dir.is_empty() || dir.ends_with('/'))
        .map(|dir| format!("{dir}lesson.md"));
    let found = match text.find(needle) {
        Some(at) => Some((at, needle.len())),
        None => lesson.and_then(|lesson| Some((text.find(&lesson)?, lesson.len()))),
    };
    match found {
        Some((at, len)) if !needle.is_empty() => Some(Span::new(file, at..at + len)),
        _ => locate_in_markdown(file, text, link),
    }
}

/// [`locate`] by reading the Markdown: the first link or image whose destination, rewritten as
/// the page has it, is `link`, or the first raw HTML that links to it.
fn locate_in_markdown(file: FileId, text: &str, link: &str) -> Option<Span> {
    use pulldown_cmark::{Event, Parser, Tag};
    let body = crate::parse::front_matter::split(file, text).map_or(0, |(_, at)| at);
    let want = percent_decode(link);
    let parser = Parser::new_ext(&text[body..], crate::parse::markdown::scan_options());
    for (event, r) in parser.into_offset_iter() {
        let range = r.start + body..r.end + body;
        let hit = match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let page = crate::render::html::page_link(dest_url.clone());
                percent_decode(&page) == want
            }
            Event::Html(html) | Event::InlineHtml(html) => super::scan::scan(html)
                .links()
                .any(|l| percent_decode(l) == want),
            _ => false,
        };
        if hit {
            // The first line of the link or of the HTML is enough to find it.
            let line = text[range.clone()]
                .lines()
                .next()
                .unwrap_or("")
                .len()
                .max(1);
            return Some(Span::new(file, range.start..range.start + line));
        }
    }
    None
}

/// Resolves `link` against the page at `page` (both relative to the site root, `/`-separated).
/// `None` when it climbs above the root or is absolute (absolute paths break under a subpath).
pub fn resolve(page: &str, link: &str) -> Option<String> {
    let mut path = String::new();
    resolve_into(page, link, &mut path).then_some(path)
}

/// [`resolve`] into `path` (cleared first); false when the link leaves the site.
pub(super) fn resolve_into(page: &str, link: &str, path: &mut String) -> bool {
    path.clear();
    // The links of nearly every page: a path below the page's folder or some folders up
    // (`02-next.html`, `../index.html`, `../assets/style.css`), with no `.`, `..`, query or
    // percent sign after the leading `../`s, resolve without collecting segments.
    let mut rest = link;
    let mut up = 0;
    while let Some(r) = rest.strip_prefix("../") {
        rest = r;
        up += 1;
    }
    let plain = |seg: &str| {
        !seg.is_empty()
            && seg != "."
            && seg != ".."
            && !seg.bytes().any(|b| matches!(b, b'?' | b'%'))
    };
    if !rest.is_empty() && rest.split('/').all(plain) {
        let mut dir = page.rfind('/').map_or("", |i| &page[..i]);
        for _ in 0..up {
            if dir.is_empty() {
                return false;
            }
            dir = dir.rfind('/').map_or("", |i| &dir[..i]);
        }
        if !dir.is_empty() {
            path.push_str(dir);
            path.push('/');
        }
        path.push_str(rest);
        return true;
    }
    match resolve_segments(page, link) {
        Some(p) => {
            path.push_str(&p);
            true
        }
        None => false,
    }
}

/// [`resolve`] in general: the page's folder, then the link segment by segment.
fn resolve_segments(page: &str, link: &str) -> Option<String> {
    if link.starts_with('/') {
        return None;
    }
    let link = link.split('?').next().unwrap_or(link);
    let mut parts: Vec<std::borrow::Cow<str>> = page.split('/').map(Into::into).collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            ".." => {
                parts.pop()?;
            }
            "." | "" => {}
            s => parts.push(percent_decode(s)),
        }
    }
    let mut path = parts.join("/");
    if link.ends_with('/') || path.is_empty() {
        path = if path.is_empty() {
            "index.html".into()
        } else {
            format!("{path}/index.html")
        };
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The shortcuts of `resolve` give what resolving segment by segment gives.
        #[test]
        fn shortcuts_resolve_like_segments(
            page in "([a-z]{1,3}/){0,3}[a-z]{1,3}\\.html",
            link in "(\\.\\./){0,4}(\\./)?([a-z%.?]{0,4}/?){0,2}[a-z.%]{0,6}",
        ) {
            proptest::prop_assert_eq!(resolve(&page, &link), resolve_segments(&page, &link));
        }
    }

    #[test]
    fn resolves_relative_links() {
        assert_eq!(
            resolve("l/01-a.html", "02-b.html").as_deref(),
            Some("l/02-b.html")
        );
        assert_eq!(
            resolve("l/01-a.html", "../index.html").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            resolve("l/01-a.html", "../m/").as_deref(),
            Some("m/index.html")
        );
        assert_eq!(
            resolve("l/01-a.html", "d%C3%A9j%C3%A0.html").as_deref(),
            Some("l/déjà.html")
        );
        assert_eq!(resolve("index.html", "../x.html"), None);
        assert_eq!(resolve("index.html", "/x.html"), None);
    }
}
