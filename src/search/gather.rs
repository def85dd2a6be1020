//! Pages filed into the index as they come in: each term numbered once, and each page's
//! postings `[page, score, section]` filed under its terms.

use rustc_hash::FxHashMap;

#[derive(Debug, Default)]
pub(super) struct Gathered {
    /// Term → its number.
    pub(super) terms: FxHashMap<Box<str>, u32>,
    /// By term number: `[page, score, section]`, pages numbered in the order they came in.
    pub(super) postings: Vec<Vec<[u32; 3]>>,
    pub(super) pages: Vec<Head>,
}

/// A page's terms: (term, score, best section).
pub(super) type Terms = Vec<(String, u32, u32)>;

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

impl Gathered {
    /// Files a page's terms under their numbers.
    pub(super) fn file(&mut self, head: Head, terms: Terms) {
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
