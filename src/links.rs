//! Links: every internal link and anchor of the rendered site must lead somewhere.
//!
//! Runs on the pages in memory, before anything is written: each `href`/`src` that is not
//! external is resolved against its page, the target must be one of the site's files, and a
//! `#fragment` must be an `id` on the target page. Pages are lectern's own HTML (pulldown-cmark
//! and the templates) plus the author's raw HTML, so a small attribute scanner is enough.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Diagnostic;
use crate::render::Output;
use crate::source::{Sources, Span};

/// Checks every page of the site.
pub fn check(files: &[Output], sources: &Sources) -> Vec<Diagnostic> {
    let paths: BTreeSet<&str> = files.iter().map(Output::path).collect();
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        if let Output::Page { path, contents, .. } = f
            && path.ends_with(".html")
        {
            ids.insert(path, attributes(contents, "id").map(|(v, _)| v).collect());
        }
    }
    let mut problems = Vec::new();
    for f in files {
        let Output::Page {
            path,
            contents,
            origin,
        } = f
        else {
            continue;
        };
        if !path.ends_with(".html") {
            continue;
        }
        for attr in ["href", "src"] {
            for (link, _) in attributes(contents, attr) {
                if is_external(&link) {
                    continue;
                }
                let (target, fragment) = match link.split_once('#') {
                    Some((t, f)) => (t, Some(f)),
                    None => (link.as_str(), None),
                };
                let resolved = if target.is_empty() {
                    Some(path.to_string())
                } else {
                    resolve(path, target)
                };
                let problem = match &resolved {
                    None => Some(format!("the link `{link}` leaves the site")),
                    Some(r) if !paths.contains(r.as_str()) => Some(format!(
                        "the link `{link}` points to {r}, which the site does not have"
                    )),
                    Some(r) => match (fragment, ids.get(r.as_str())) {
                        (Some(f), Some(page_ids))
                            if !f.is_empty() && !page_ids.contains(&percent_decode(f)) =>
                        {
                            Some(format!(
                                "the link `{link}` points to an anchor `#{f}` that {r} does not have"
                            ))
                        }
                        _ => None,
                    },
                };
                if let Some(message) = problem {
                    let d = Diagnostic::error(format!("{message} (on page {path})"));
                    let d = match origin.and_then(|file| locate(sources, file, &link)) {
                        Some(span) => d.at(span, "this link"),
                        None => d,
                    };
                    problems.push(d.help(
                        "links are relative to the page; link to another step as `02-next.md` or `02-next.html`, to a heading as `#its-id`",
                    ));
                }
            }
        }
    }
    problems
}

/// How many internal links the pages hold.
pub fn count(files: &[Output]) -> usize {
    files
        .iter()
        .filter_map(|f| match f {
            Output::Page { path, contents, .. } if path.ends_with(".html") => Some(contents),
            _ => None,
        })
        .map(|c| {
            ["href", "src"]
                .iter()
                .map(|a| attributes(c, a).filter(|(l, _)| !is_external(l)).count())
                .sum::<usize>()
        })
        .sum()
}

/// The site files a page links to (internal `href` and `src`, resolved against the page, without
/// the `#fragment`): the edges `serve` follows to find the pages whose links need checking again
/// after a partial rebuild.
pub fn targets(path: &str, contents: &str) -> BTreeSet<String> {
    ["href", "src"]
        .iter()
        .flat_map(|a| attributes(contents, a))
        .filter(|(link, _)| !is_external(link))
        .filter_map(|(link, _)| {
            let target = link.split('#').next().unwrap_or("");
            (!target.is_empty())
                .then(|| resolve(path, target))
                .flatten()
        })
        .collect()
}

/// Where a link's text appears in the source file, if it does.
fn locate(sources: &Sources, file: crate::source::FileId, link: &str) -> Option<Span> {
    let text = &sources.get(file).text;
    let bare = link.split('#').next().unwrap_or(link);
    let needle = if bare.is_empty() { link } else { bare };
    let needle = needle.trim_end_matches(".html");
    let at = text.find(needle)?;
    Some(Span::new(file, at..at + needle.len()))
}

fn is_external(link: &str) -> bool {
    let scheme = link.split([':', '/', '?', '#']).next().unwrap_or("");
    link.starts_with("//") || (link[scheme.len()..].starts_with(':') && !scheme.is_empty())
}

/// Resolves `link` against the page at `page` (both relative to the site root, `/`-separated).
/// `None` when it climbs above the root or is absolute (absolute paths break under a subpath).
pub fn resolve(page: &str, link: &str) -> Option<String> {
    if link.starts_with('/') {
        return None;
    }
    let link = link.split('?').next().unwrap_or(link);
    let mut parts: Vec<String> = page.split('/').map(str::to_string).collect();
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

/// Values of the attribute `name` in the tags of `html`, with their offsets. A small tokenizer:
/// it walks tags (`<x ...>`), skipping comments and text, and reads `a="v"`, `a='v'`, `a=v`.
fn attributes<'a>(html: &'a str, name: &'a str) -> impl Iterator<Item = (String, usize)> + 'a {
    let b = html.as_bytes();
    let mut i = 0;
    let mut found: Vec<(String, usize)> = Vec::new();
    std::iter::from_fn(move || {
        loop {
            if let Some(f) = found.pop() {
                return Some(f);
            }
            let lt = i + html[i..].find('<')?;
            if html[lt..].starts_with("<!--") {
                i = html[lt..].find("-->").map_or(html.len(), |e| lt + e + 3);
                continue;
            }
            i = lt + 1;
            if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
                continue;
            }
            // Skip the tag name, then read attributes up to `>`.
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                i += 1;
            }
            let mut attrs = Vec::new();
            while i < b.len() && b[i] != b'>' {
                while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                    i += 1;
                }
                let start = i;
                while i < b.len()
                    && !b[i].is_ascii_whitespace()
                    && !matches!(b[i], b'=' | b'>' | b'/')
                {
                    i += 1;
                }
                let attr = &html[start..i];
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if b.get(i) != Some(&b'=') {
                    if i == start {
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
                        let end = html[i + 1..]
                            .find(q as char)
                            .map_or(html.len(), |e| i + 1 + e);
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
                if attr.eq_ignore_ascii_case(name) {
                    attrs.push((unescape(value), start));
                }
            }
            attrs.reverse();
            found = attrs;
        }
    })
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (
            b[i],
            b.get(i + 1).and_then(|&c| hex(c)),
            b.get(i + 2).and_then(|&c| hex(c)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let html = r#"<a href="a.html">href="no"</a><img src='b.png' alt=x><p id=top class=c><!-- <a href="c"> --><meta content="see href=x.html">"#;
        let hrefs: Vec<String> = attributes(html, "href").map(|(v, _)| v).collect();
        assert_eq!(hrefs, ["a.html"]);
        let srcs: Vec<String> = attributes(html, "src").map(|(v, _)| v).collect();
        assert_eq!(srcs, ["b.png"]);
        let ids: Vec<String> = attributes(html, "id").map(|(v, _)| v).collect();
        assert_eq!(ids, ["top"]);
        assert!(is_external("https://example.com/x"));
        assert!(is_external("mailto:a@b.c"));
        assert!(!is_external("02-b.html#top"));
        assert_eq!(percent_decode("x%aé%41"), "x%aéA");
    }
}
