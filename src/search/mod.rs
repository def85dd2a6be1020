//! Full-text search: an index made at build time from the words of each rendered page, read in
//! the browser by plain scripts only, so that it works from `file://` (no `fetch`, no modules,
//! no workers), under any subpath and in `lectern serve`.
//!
//! The index is written under `assets/search/`:
//!
//! - `engine.js`: the search code and the list of shard keys. A page loads it on the first
//!   focus of its search field (`lectern.js` inserts the `<script>`); a page that never searches
//!   loads nothing of the index.
//! - `t/KEY.js`: the terms that start with KEY (their first two characters, or the first one of
//!   a CJK term), each with its postings `[page, score, section, …]`, at most [`MAX_POSTINGS`]
//!   of the best. A shard calls `lectern.search.add(KEY, {term: postings})`.
//! - `p/ID.js`: one page: its path relative to the site's root, lesson and step title, and its
//!   sections (heading, anchor, text) for the result and its snippet. It calls
//!   `lectern.search.page(ID, {…})`.
//!
//! Words are lowercased, stripped of accents (Unicode NFD minus the combining marks
//! U+0300–U+036F, composed again with NFC, as the script does with `normalize`), and cut at
//! anything that is not a letter or a digit; a run of CJK characters gives its character
//! bigrams (a lone CJK character is a term of its own). A query word matches every term it
//! is a prefix of. A term in the page's title scores [`TITLE`], in a heading [`HEADING`], plus
//! one per use in the text (at most [`MAX_COUNT`]), so a title match ranks before a body match.
//!
//! Everything is sorted (pages by path, terms by text): the same site gives the same bytes.
//!
//! Split by job: `extract` reads a page's sections and feeds their text to the cutter in
//! `terms`, `weigh` scores a page's terms, `gather` files them in a part of the index as pages
//! come in, `files` merges the parts and writes the index files, and `json` the script-safe JSON
//! they hold.

mod extract;
mod files;
mod gather;
mod json;
mod terms;
mod weigh;

use std::sync::Mutex;

pub use extract::{Page, Section, extract};
use files::files;
pub use files::{DIR, MAX_POSTINGS, shard_key};
use gather::Part;
pub use terms::{for_each_term, is_cjk};
pub use weigh::{HEADING, MAX_COUNT, TITLE};

/// Whether the page at `path` (relative to the site's root) is searched: the pages of lessons.
pub fn indexed(path: &str) -> bool {
    path.ends_with(".html") && path.contains('/') && !path.starts_with("assets/")
}

/// Pages gathered while a site is written, from any thread; [`Collector::finish`] makes the
/// index files. A thread takes a part of the index from the pool, files its pages there
/// without a lock, and puts it back, so there are about as many parts as threads. In a part
/// each term is kept once (by number), so the index of a large site costs a few bytes per
/// (page, term), not a string.
#[derive(Debug, Default)]
pub struct Collector {
    parts: Mutex<Vec<Part>>,
}

impl Collector {
    /// Reads and weighs the words of each searched page among `(path, html)`, in the calling
    /// thread (the writers of a build run in parallel), and files them.
    pub fn add<'a>(&self, pages: impl Iterator<Item = (&'a str, &'a str)>) {
        let mut pages = pages.filter(|(path, _)| indexed(path)).peekable();
        if pages.peek().is_none() {
            return;
        }
        let taken = self.pool().pop();
        let mut part = taken.unwrap_or_default();
        for (path, html) in pages {
            part.add(path, html);
        }
        self.pool().push(part);
    }

    fn pool(&self) -> std::sync::MutexGuard<'_, Vec<Part>> {
        self.parts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The index files, as outputs of the site.
    pub fn finish(self) -> Vec<crate::render::Output> {
        let parts = self.parts.into_inner().unwrap_or_else(|e| e.into_inner());
        files(parts)
            .into_iter()
            .map(|(path, contents)| crate::render::Output::Page {
                path,
                contents,
                origin: None,
            })
            .collect()
    }
}

/// The index files of the searched pages among `files`, as outputs (for `lectern serve`, which
/// writes without staging).
pub fn outputs(files: &[crate::render::Output]) -> Vec<crate::render::Output> {
    use crate::render::Output;
    let collector = Collector::default();
    collector.add(files.iter().filter_map(|f| match f {
        Output::Page { path, contents, .. } => Some((path.as_str(), contents.as_str())),
        Output::Copy { .. } => None,
    }));
    collector.finish()
}

/// The index files of the pages `(path, html)`, as (path relative to the site's root, contents).
pub fn build<'a>(pages: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    let mut part = Part::default();
    for (path, html) in pages {
        part.add(path, html);
    }
    files(vec![part])
}

#[cfg(test)]
mod tests;
