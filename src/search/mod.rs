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

mod extract;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

pub use extract::{Page, Section, extract};

/// Where the index goes in the site.
pub const DIR: &str = "assets/search";
/// Score of a term in the page's title (its `<h1>`).
pub const TITLE: u32 = 100;
/// Score of a term in a section heading.
pub const HEADING: u32 = 10;
/// Most uses of a term in the text that count.
pub const MAX_COUNT: u32 = 9;
/// Most pages kept per term (the best by score): a word on every page costs no more than this.
pub const MAX_POSTINGS: usize = 160;
/// Most characters of a section's text kept for snippets.
const SNIPPET_SOURCE: usize = 600;
/// Longest term indexed, in characters.
const MAX_TERM: usize = 32;

const ENGINE: &str = include_str!("engine.js");

/// Whether the page at `path` (relative to the site's root) is searched: the pages of lessons.
pub fn indexed(path: &str) -> bool {
    path.ends_with(".html") && path.contains('/') && !path.starts_with("assets/")
}

/// Pages gathered while a site is written, from any thread; [`Collector::finish`] makes the
/// index files. Each term is kept once (by number) and each page's postings are filed under
/// their terms as the page comes in, so the index of a large site costs a few bytes per
/// (page, term), not a string.
#[derive(Debug, Default)]
pub struct Collector {
    inner: Mutex<Gathered>,
}

#[derive(Debug, Default)]
struct Gathered {
    /// Term → its number.
    terms: FxHashMap<Box<str>, u32>,
    /// By term number: `[page, score, section]`, pages numbered in the order they came in.
    postings: Vec<Vec<[u32; 3]>>,
    pages: Vec<Head>,
}

/// A page's terms: (term, score, best section).
type Terms = Vec<(String, u32, u32)>;

/// What the index keeps of a page besides its terms.
#[derive(Debug)]
struct Head {
    path: String,
    /// The `<h1>`: the lesson's title on its index page.
    title: String,
    /// The page file after the lesson's title, which is known only when every page is in:
    /// `"t":STEP,"s":[[heading, anchor, text], …]});`.
    rest: String,
}

impl Collector {
    /// Reads and weighs the words of each searched page among `(path, html)`, in the calling
    /// thread (the writers of a build run in parallel), then files them.
    pub fn add<'a>(&self, pages: impl Iterator<Item = (&'a str, &'a str)>) {
        let found: Vec<(Head, Terms)> = pages
            .filter(|(path, _)| indexed(path))
            .filter_map(|(path, html)| extract(path, html))
            .map(prepare)
            .collect();
        if found.is_empty() {
            return;
        }
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        for (head, terms) in found {
            g.file(head, terms);
        }
    }

    /// The index files, as outputs of the site.
    pub fn finish(self) -> Vec<crate::render::Output> {
        let g = self.inner.into_inner().unwrap_or_else(|e| e.into_inner());
        files(g)
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

/// A page's head and its terms with their scores and best sections.
fn prepare(page: Page) -> (Head, Terms) {
    let mut seen: FxHashMap<String, Seen> =
        FxHashMap::with_capacity_and_hasher(1024, Default::default());
    page_terms(&page, &mut seen);
    let terms: Terms = seen
        .into_iter()
        .map(|(term, s)| {
            let score = s.title + s.heading + s.count.min(MAX_COUNT);
            (term, score, s.best_section)
        })
        .collect();
    let step = if page.path.ends_with("/index.html") {
        ""
    } else {
        page.title.as_str()
    };
    let rest = page_rest(&page, step);
    let head = Head {
        path: page.path,
        title: page.title,
        rest,
    };
    (head, terms)
}

/// The index files of `pages`, as (path relative to the site's root, contents).
pub fn build(pages: Vec<Page>) -> Vec<(String, String)> {
    let mut g = Gathered::default();
    for (head, terms) in pages.into_iter().map(prepare) {
        g.file(head, terms);
    }
    files(g)
}

impl Gathered {
    /// Files a page's terms under their numbers.
    fn file(&mut self, head: Head, terms: Terms) {
        let page = self.pages.len() as u32;
        self.pages.push(head);
        for (term, score, section) in terms {
            let next = self.postings.len() as u32;
            let id = *self.terms.entry(term.into_boxed_str()).or_insert(next);
            if id == next {
                self.postings.push(Vec::new());
            }
            self.postings[id as usize].push([page, score, section]);
        }
    }
}

fn files(g: Gathered) -> Vec<(String, String)> {
    let Gathered {
        terms,
        mut postings,
        pages,
    } = g;
    // Pages by path (the first of two with one path); `number[i]`: page i's number in the index.
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by(|&a, &b| pages[a].path.cmp(&pages[b].path).then(a.cmp(&b)));
    order.dedup_by(|a, b| pages[*a].path == pages[*b].path);
    let mut number: Vec<Option<u32>> = vec![None; pages.len()];
    for (n, &i) in order.iter().enumerate() {
        number[i] = Some(n as u32);
    }
    // A step's lesson is the title of its folder's index.html.
    let lesson_titles: BTreeMap<&str, &str> = order
        .iter()
        .map(|&i| &pages[i])
        .filter_map(|p| {
            p.path
                .strip_suffix("/index.html")
                .map(|dir| (dir, p.title.as_str()))
        })
        .collect();
    let mut files = Vec::with_capacity(order.len() + 256);
    for (id, page) in order.iter().map(|&i| &pages[i]).enumerate() {
        let dir = page.path.rsplit_once('/').map_or("", |(d, _)| d);
        let lesson = if page.path.ends_with("/index.html") {
            page.title.as_str()
        } else {
            lesson_titles.get(dir).copied().unwrap_or("")
        };
        let mut text = String::with_capacity(page.rest.len() + page.path.len() + 64);
        let _ = write!(text, "lectern.search.page({id},{{\"u\":");
        json_string(&mut text, &page.path);
        text.push_str(",\"l\":");
        json_string(&mut text, lesson);
        text.push(',');
        text.push_str(&page.rest);
        files.push((format!("{DIR}/p/{id}.js"), text));
    }
    let mut terms: Vec<(Box<str>, u32)> = terms.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut shards: BTreeMap<String, String> = BTreeMap::new();
    for (term, id) in terms {
        let mut list = std::mem::take(&mut postings[id as usize]);
        list.retain_mut(|p| match number[p[0] as usize] {
            Some(n) => {
                p[0] = n;
                true
            }
            None => false,
        });
        // The best pages first; among equals, the first by path.
        list.sort_unstable_by(|a, b| b[1].cmp(&a[1]).then(a[0].cmp(&b[0])));
        list.truncate(MAX_POSTINGS);
        let key = shard_key(&term);
        let shard = shards.entry(key).or_default();
        shard.push(if shard.is_empty() { '{' } else { ',' });
        json_string(shard, &term);
        shard.push_str(":[");
        for (i, p) in list.iter().enumerate() {
            if i > 0 {
                shard.push(',');
            }
            let _ = write!(shard, "{},{},{}", p[0], p[1], p[2]);
        }
        shard.push(']');
    }
    let mut keys = String::new();
    for (key, body) in &shards {
        let name = file_name(key);
        let mut text = String::with_capacity(body.len() + 40);
        text.push_str("lectern.search.add(");
        json_string(&mut text, key);
        text.push(',');
        text.push_str(body);
        text.push_str("});\n");
        files.push((format!("{DIR}/t/{name}.js"), text));
        if !keys.is_empty() {
            keys.push(' ');
        }
        keys.push_str(key);
    }
    let mut engine = String::with_capacity(ENGINE.len() + keys.len() + 64);
    engine.push_str(ENGINE);
    engine.push_str("if (lectern.search) lectern.search.keys(");
    json_string(&mut engine, &keys);
    engine.push_str(");\n");
    files.push((format!("{DIR}/engine.js"), engine));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// What one page says of one term.
#[derive(Debug, Default)]
struct Seen {
    count: u32,
    title: u32,
    heading: u32,
    best_section: u32,
    best: u32,
    section: u32,
    here: u32,
}

impl Seen {
    fn note(&mut self, section: u32, weight: u32) {
        if self.here == 0 || self.section != section {
            self.section = section;
            self.here = 0;
        }
        self.here += weight;
        if self.here > self.best {
            self.best = self.here;
            self.best_section = section;
        }
    }
}

fn page_terms(page: &Page, seen: &mut FxHashMap<String, Seen>) {
    for_each_term(&page.title, |t| {
        let s = seen.entry(t.to_string()).or_default();
        s.title = TITLE;
        s.note(0, 1);
    });
    for (i, section) in page.sections.iter().enumerate() {
        let i = i as u32;
        for_each_term(&section.heading, |t| {
            let s = seen.entry(t.to_string()).or_default();
            s.heading = HEADING;
            s.note(i, 5);
        });
        for_each_term(&section.text, |t| {
            let s = match seen.get_mut(t) {
                Some(s) => s,
                None => seen.entry(t.to_string()).or_default(),
            };
            s.count += 1;
            s.note(i, 1);
        });
    }
}

/// The shard a term belongs to: its first two characters, or the first of a CJK term (so that
/// a one-character CJK query reads one shard).
pub fn shard_key(term: &str) -> String {
    let mut chars = term.chars();
    let first = chars.next().unwrap_or(' ');
    if is_cjk(first) {
        return first.to_string();
    }
    term.chars().take(2).collect()
}

/// A key as a file name: ASCII letters and digits as they are, anything else as `_` and its
/// code point in hex (the script does the same).
fn file_name(key: &str) -> String {
    let mut name = String::new();
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            name.push(c);
        } else {
            let _ = write!(name, "_{:x}", c as u32);
        }
    }
    name
}

/// Calls `f` with each search term of `text`, in order.
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let mut cjk: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, f: &mut dyn FnMut(&str)| {
        if !word.is_empty() {
            let n = if word.is_ascii() {
                word.len()
            } else {
                word.chars().count()
            };
            if (2..=MAX_TERM).contains(&n) && word.chars().any(|c| !c.is_numeric()) {
                f(word);
            }
            word.clear();
        }
    };
    let flush_cjk = |cjk: &mut Vec<char>, f: &mut dyn FnMut(&str)| {
        let mut buf = String::new();
        if cjk.len() == 1 {
            buf.push(cjk[0]);
            f(&buf);
        }
        for pair in cjk.windows(2) {
            buf.clear();
            buf.push(pair[0]);
            buf.push(pair[1]);
            f(&buf);
        }
        cjk.clear();
    };
    for c in text.chars() {
        if c.is_ascii() {
            if !cjk.is_empty() {
                flush_cjk(&mut cjk, &mut f);
            }
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
            } else {
                flush_word(&mut word, &mut f);
            }
            continue;
        }
        for l in c.to_lowercase() {
            // Kana keep their voicing marks (the script composes them back with NFC).
            if is_cjk(l) {
                flush_word(&mut word, &mut f);
                cjk.push(l);
                continue;
            }
            // Accents off, then composed again (Hangul syllables stay whole), as the script's
            // `normalize("NFD")`, strip, `normalize("NFC")`.
            for d in std::iter::once(l).nfd().filter(|d| !is_mark(*d)).nfc() {
                if is_mark(d) {
                    continue;
                }
                if is_cjk(d) {
                    flush_word(&mut word, &mut f);
                    cjk.push(d);
                } else if d.is_alphanumeric() {
                    if !cjk.is_empty() {
                        flush_cjk(&mut cjk, &mut f);
                    }
                    word.push(d);
                } else {
                    if !cjk.is_empty() {
                        flush_cjk(&mut cjk, &mut f);
                    }
                    flush_word(&mut word, &mut f);
                }
            }
        }
    }
    if !cjk.is_empty() {
        flush_cjk(&mut cjk, &mut f);
    }
    flush_word(&mut word, &mut f);
}

/// The combining marks that accent folding drops (the script drops the same range).
fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Han ideographs, kana: text written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x2ffff)
}

/// A page file after its path and lesson: the step's title and the sections.
fn page_rest(page: &Page, step: &str) -> String {
    let mut o = String::with_capacity(
        64 + page
            .sections
            .iter()
            .map(|s| s.text.len().min(2 * SNIPPET_SOURCE))
            .sum::<usize>(),
    );
    o.push_str("\"t\":");
    json_string(&mut o, step);
    o.push_str(",\"s\":[");
    for (i, s) in page.sections.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        o.push('[');
        json_string(&mut o, &s.heading);
        o.push(',');
        json_string(&mut o, &s.anchor);
        o.push(',');
        let text = match s
            .text
            .char_indices()
            .nth(SNIPPET_SOURCE)
            .filter(|_| s.text.len() > SNIPPET_SOURCE)
        {
            Some((end, _)) => &s.text[..end],
            None => &s.text,
        };
        json_string(&mut o, text);
        o.push(']');
    }
    o.push_str("]});\n");
    o
}

/// `s` as a JSON string that is also safe inside a script (no `</script>`, no U+2028).
fn json_string(o: &mut String, s: &str) {
    o.push('"');
    let mut run = 0;
    for (i, c) in s.char_indices() {
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '<' => "\\u003c",
            '\u{2028}' => "\\u2028",
            '\u{2029}' => "\\u2029",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        o.push_str(&s[run..i]);
        if escaped.is_empty() {
            let _ = write!(o, "\\u{:04x}", c as u32);
        } else {
            o.push_str(escaped);
        }
        run = i + c.len_utf8();
    }
    o.push_str(&s[run..]);
    o.push('"');
}

#[cfg(test)]
mod tests;
