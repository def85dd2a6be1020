//! Pages filed into a part of the index as they come in: each term numbered once in the part,
//! and each page's postings `[page, score, section]` filed under its terms. A build has a part
//! per thread that writes pages, merged when the index is written.

use rustc_hash::FxHashMap;

use super::extract::read;
use super::json::page_rest;
use super::terms::for_each_term;
use super::weigh::Weights;

#[derive(Debug, Default)]
pub(super) struct Part {
    /// Term → its number in this part.
    pub(super) terms: FxHashMap<Box<str>, u32>,
    /// By term number: `[page, score, section]`, pages numbered in the order they came in.
    pub(super) postings: Vec<Vec<[u32; 3]>>,
    pub(super) pages: Vec<Head>,
    /// A page's text terms as (section, term), kept from page to page for its room.
    text: Vec<(u32, u32)>,
    weights: Weights,
}

/// What the index keeps of a page besides its terms.
#[derive(Debug)]
pub(super) struct Head {
    pub(super) path: String,
    /// The `<h1>`: the lesson's title on its index page.
    pub(super) title: String,
    /// The page file after the lesson's title, which is known only when every page is in:
    /// `"t":STEP,"s":[[heading, anchor, text], …]});`.
    pub(super) rest: String,
}

impl Part {
    /// Reads the page at `path` and files its terms; a page without `<main>` is left out.
    pub(super) fn add(&mut self, path: &str, html: &str) {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let (terms, postings) = (&mut self.terms, &mut self.postings);
        let page = read(path, html, &mut |section, term| {
            text.push((section, number(terms, postings, term)));
        });
        if let Some(page) = page {
            for_each_term(&page.title, |t| {
                let t = number(terms, postings, t);
                self.weights.title(t);
            });
            let mut next = text.iter().peekable();
            for (i, section) in page.sections.iter().enumerate() {
                let i = i as u32;
                for_each_term(&section.heading, |t| {
                    let t = number(terms, postings, t);
                    self.weights.heading(t, i);
                });
                while let Some(&(_, t)) = next.next_if(|(s, _)| *s == i) {
                    self.weights.text(t, i);
                }
            }
            let n = self.pages.len() as u32;
            for (term, score, section) in self.weights.drain() {
                postings[term as usize].push([n, score, section]);
            }
            let step = if page.path.ends_with("/index.html") {
                ""
            } else {
                page.title.as_str()
            };
            let rest = page_rest(&page, step);
            self.pages.push(Head {
                path: page.path,
                title: page.title,
                rest,
            });
        }
        self.text = text;
    }
}

/// The number of `term`, given it if new.
fn number(
    terms: &mut FxHashMap<Box<str>, u32>,
    postings: &mut Vec<Vec<[u32; 3]>>,
    term: &str,
) -> u32 {
    if let Some(&n) = terms.get(term) {
        return n;
    }
    let n = postings.len() as u32;
    terms.insert(term.into(), n);
    postings.push(Vec::new());
    n
}
