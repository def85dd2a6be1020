//! Links: every internal link and anchor of the rendered site must lead somewhere.
//!
//! Each page is scanned as it is made ([`record`]); once the site is complete, each `href`/`src`
//! that is not external is resolved against its page, the target must be one of the site's
//! files, and a `#fragment` must be an `id` on the target page ([`check`]). Nothing is written
//! to the output folder's place until the check passes. Pages are lectern's own HTML
//! (pulldown-cmark and the templates) plus the author's raw HTML, so a small attribute scanner
//! is enough.

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap, FxHashSet};

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::render::Output;
use crate::source::{FileId, Sources, Span};

/// What the link check needs to know of one output file; pages are dropped after rendering,
/// these stay.
#[derive(Debug)]
pub struct Record {
    pub path: String,
    /// The source file the page was rendered from.
    pub origin: Option<FileId>,
    /// A file copied as it is (not a generated page).
    pub copy: bool,
    /// Links and ids, for HTML pages.
    scanned: Option<Scanned>,
}

/// Records one output file.
pub fn record(o: &Output) -> Record {
    match o {
        Output::Page {
            path,
            contents,
            origin,
        } => Record {
            path: path.clone(),
            origin: *origin,
            copy: false,
            scanned: path.ends_with(".html").then(|| scan(contents)),
        },
        Output::Copy { path, .. } => Record {
            path: path.clone(),
            origin: None,
            copy: true,
            scanned: None,
        },
    }
}

/// A link that leads nowhere.
#[derive(Debug)]
pub struct Broken {
    /// The index of the page's record.
    pub record: usize,
    pub link: String,
    pub message: String,
}

impl Broken {
    /// The problem, at `span` (where the link is in the page's source) when that is known.
    pub fn diagnostic(&self, page: &str, span: Option<Span>) -> Diagnostic {
        let d = Diagnostic::error(format!("{} (on page {page})", self.message));
        let d = match span {
            Some(span) => d.at(span, "this link"),
            None => d,
        };
        d.help(
            "links are relative to the page; link to another step as `02-next.md` or `02-next.html`, to a heading as `#its-id`",
        )
    }
}

/// Checks every page of the site. `base_path` is the path the site is served under (`/`,
/// `/lessons/`): absolute links are allowed only below it (the 404 page uses them). Returns the
/// number of internal links checked and the broken ones, in page order.
pub fn check(records: &[Record], base_path: &str) -> (usize, Vec<Broken>) {
    // Hash sets with a fast hash: these are only looked up, once per link, never walked in order.
    let paths: FxHashSet<&str> = records.iter().map(|r| r.path.as_str()).collect();
    let pages: Vec<(usize, &str, &Scanned)> = records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((i, r.path.as_str(), r.scanned.as_ref()?)))
        .collect();
    let ids: FxHashMap<&str, FxHashSet<&str>> = pages
        .par_iter()
        .map(|(_, path, s)| (*path, s.ids().collect()))
        .collect();
    // Pages are checked in parallel; their problems are collected in page order.
    let per_page: Vec<(usize, Vec<Broken>)> = pages
        .par_iter()
        .map(|&(record, path, scanned)| {
            let mut broken = Vec::new();
            let mut count = 0;
            // Each link is resolved into this one buffer: a site has hundreds of thousands.
            let mut buf = String::new();
            for link in scanned.links() {
                count += 1;
                let (target, fragment) = match link.split_once('#') {
                    Some((t, f)) => (t, Some(f)),
                    None => (link, None),
                };
                let inside = if target.is_empty() {
                    buf.clear();
                    buf.push_str(path);
                    true
                } else if let Some(below) = target
                    .strip_prefix(base_path)
                    .filter(|_| target.starts_with('/'))
                {
                    resolve_into("index.html", below, &mut buf)
                } else {
                    resolve_into(path, target, &mut buf)
                };
                let resolved = inside.then_some(buf.as_str());
                let problem = match resolved {
                    None => Some(format!("the link `{link}` leaves the site")),
                    Some(r) if !paths.contains(r) => Some(format!(
                        "the link `{link}` points to {r}, which the site does not have"
                    )),
                    Some(r) => match (fragment, ids.get(r)) {
                        (Some(f), Some(page_ids))
                            if !f.is_empty() && !page_ids.contains(percent_decode(f).as_ref()) =>
                        {
                            Some(format!(
                                "the link `{link}` points to an anchor `#{f}` that {r} does not have"
                            ))
                        }
                        _ => None,
                    },
                };
                if let Some(message) = problem {
                    broken.push(Broken {
                        record,
                        link: link.to_string(),
                        message,
                    });
                }
            }
            (count, broken)
        })
        .collect();
    let count = per_page.iter().map(|(c, _)| c).sum();
    let broken = per_page.into_iter().flat_map(|(_, p)| p).collect();
    (count, broken)
}

/// The site files a page links to (internal `href` and `src`, resolved against the page, without
/// the `#fragment`): the edges `serve` follows to find the pages whose links need checking again
/// after a partial rebuild.
pub fn targets(path: &str, contents: &str) -> BTreeSet<String> {
    scan(contents)
        .links()
        .filter_map(|link| {
            let target = link.split('#').next().unwrap_or("");
            (!target.is_empty())
                .then(|| resolve(path, target))
                .flatten()
        })
        .collect()
}

/// The internal links and the ids of a page, in order, as the link check reads them (for tests
/// that compare two ways of writing a page).
pub fn refs(html: &str) -> (Vec<String>, Vec<String>) {
    let scanned = scan(html);
    (
        scanned.links().map(str::to_string).collect(),
        scanned.ids().map(str::to_string).collect(),
    )
}

/// [`check`] on pages held in memory (`serve`), whose sources are all in `sources`; returns
/// the problems.
pub fn check_outputs(files: &[Output], sources: &Sources, base_path: &str) -> Vec<Diagnostic> {
    let records: Vec<Record> = files.iter().map(record).collect();
    let (_, broken) = check(&records, base_path);
    broken
        .iter()
        .map(|b| {
            let r = &records[b.record];
            let span = r.origin.and_then(|file| locate(sources, file, &b.link));
            b.diagnostic(&r.path, span)
        })
        .collect()
}

/// Where a link's text appears in the source file, if it does.
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
    let (at, len) = match text.find(needle) {
        Some(at) => (at, needle.len()),
        None => {
            let lesson = lesson?;
            (text.find(&lesson)?, lesson.len())
        }
    };
    Some(Span::new(file, at..at + len))
}

fn is_external(link: &str) -> bool {
    // A scheme (`https:`, `mailto:`) ends at the first `:`, before any `/`, `?` or `#`.
    let end = link
        .bytes()
        .position(|b| matches!(b, b':' | b'/' | b'?' | b'#'));
    link.starts_with("//") || end.is_some_and(|e| e > 0 && link.as_bytes()[e] == b':')
}

/// Resolves `link` against the page at `page` (both relative to the site root, `/`-separated).
/// `None` when it climbs above the root or is absolute (absolute paths break under a subpath).
pub fn resolve(page: &str, link: &str) -> Option<String> {
    let mut path = String::new();
    resolve_into(page, link, &mut path).then_some(path)
}

/// [`resolve`] into `path` (cleared first); false when the link leaves the site.
fn resolve_into(page: &str, link: &str, path: &mut String) -> bool {
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

/// The internal links (`href`, `src`) and the `id`s of a page, in order. A large site holds one
/// of these per page until every page is made, so they share one string.
#[derive(Debug, Default)]
struct Scanned {
    text: String,
    links: Vec<(u32, u32)>,
    ids: Vec<(u32, u32)>,
}

impl Scanned {
    fn push(&mut self, link: bool, raw: &str) {
        let start = self.text.len();
        if raw.contains('&') {
            self.text.push_str(&unescape(raw));
        } else {
            self.text.push_str(raw);
        }
        let range = (start as u32, self.text.len() as u32);
        if !link {
            self.ids.push(range);
        } else if is_external(&self.text[start..]) {
            // External links are not checked: forget them.
            self.text.truncate(start);
        } else {
            self.links.push(range);
        }
    }

    fn links(&self) -> impl Iterator<Item = &str> {
        self.links
            .iter()
            .map(|&(a, b)| &self.text[a as usize..b as usize])
    }

    fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids
            .iter()
            .map(|&(a, b)| &self.text[a as usize..b as usize])
    }

    fn shrink(mut self) -> Self {
        self.text.shrink_to_fit();
        self.links.shrink_to_fit();
        self.ids.shrink_to_fit();
        self
    }
}

/// A small tokenizer: it walks tags (`<x ...>`), skipping comments and text, and reads
/// `a="v"`, `a='v'` and `a=v` attributes.
fn scan(html: &str) -> Scanned {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    // Built once: a finder takes longer to make than to run over a short stretch.
    static COMMENT_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("-->"));
    let b = html.as_bytes();
    let mut out = Scanned::default();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|p| i + p) {
        if b[lt..].starts_with(b"<!--") {
            i = COMMENT_END
                .find(&b[lt..])
                .map_or(html.len(), |e| lt + e + 3);
            continue;
        }
        i = lt + 1;
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
            i += 1;
        }
        while i < b.len() && b[i] != b'>' {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let attr = &html[start..i];
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if b.get(i) != Some(&b'=') {
                if i == start && i < b.len() && b[i] != b'>' {
                    i += 1; // a stray character: move on
                }
                continue;
            }
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = memchr::memchr(q, &b[i + 1..]).map_or(html.len(), |e| i + 1 + e);
                    let v = &html[i + 1..end];
                    i = (end + 1).min(html.len());
                    v
                }
                _ => {
                    let s = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    &html[s..i]
                }
            };
            if attr.eq_ignore_ascii_case("href") || attr.eq_ignore_ascii_case("src") {
                out.push(true, value);
            } else if attr.eq_ignore_ascii_case("id") {
                out.push(false, value);
            }
        }
    }
    out.shrink()
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Decodes `%XX` escapes (borrowing when there are none); a `%` without two hex digits after it
/// stays as it is, and bytes that are not UTF-8 become U+FFFD (so no file matches).
fn percent_decode(s: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy()
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

    #[test]
    fn finds_attributes_in_tags_only() {
        let html = r##"<a href="a.html">href="no"</a><img src='b.png' alt=x><p id=top class=c><!-- <a href="c"> --><meta content="see href=x.html"><figure class="matrix-block" id="matrix-Q"><td data-value="1" aria-describedby="why-Q-0-0">1</td><li id="why-Q-0-0">…</li></figure><a href="#why-Q-0-0">"##;
        let s = scan(html);
        assert_eq!(
            s.links().collect::<Vec<_>>(),
            ["a.html", "b.png", "#why-Q-0-0"]
        );
        assert_eq!(
            s.ids().collect::<Vec<_>>(),
            ["top", "matrix-Q", "why-Q-0-0"]
        );
        assert!(is_external("https://example.com/x"));
        assert!(is_external("mailto:a@b.c"));
        assert!(!is_external("02-b.html#top"));
        assert!(is_external("//cdn.example.com/x.js"));
        assert!(!is_external("notes/a:b.html"));
        assert!(!is_external("?q=a:b"));
        assert!(!is_external(":nothing"));
        assert_eq!(percent_decode("x%aé%41"), "x%aéA");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("a%FFb"), "a\u{FFFD}b");
    }
}
