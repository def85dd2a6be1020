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

mod href;
mod resolve;
mod scan;

use crate::error::Diagnostic;
use crate::render::Output;
use crate::source::{FileId, Sources, Span};
use href::percent_decode;
use resolve::resolve_into;
pub use resolve::{locate, resolve};
use scan::{Scanned, scan};

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
