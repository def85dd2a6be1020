//! A page's terms weighed: in the title, in a heading, and how often in the text, each with the
//! section where it is strongest.

use rustc_hash::FxHashMap;

use super::extract::Page;
use super::gather::{Head, Terms};
use super::json::page_rest;
use super::terms::for_each_term;

/// Score of a term in the page's title (its `<h1>`).
pub const TITLE: u32 = 100;
/// Score of a term in a section heading.
pub const HEADING: u32 = 10;
/// Most uses of a term in the text that count.
pub const MAX_COUNT: u32 = 9;

/// A page's head and its terms with their scores and best sections.
pub(super) fn prepare(page: Page) -> (Head, Terms) {
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
