//! A page's terms weighed: in the title, in a heading, and how often in the text, each with the
//! section where it is strongest.

/// Score of a term in the page's title (its `<h1>`).
pub const TITLE: u32 = 100;
/// Score of a term in a section heading.
pub const HEADING: u32 = 10;
/// Most uses of a term in the text that count.
pub const MAX_COUNT: u32 = 9;

/// What one page says of each of its terms, by term number; reused from page to page, so a
/// page costs no allocation once the first pages have grown it.
#[derive(Debug, Default)]
pub(super) struct Weights {
    /// Term number → its place in `seen`, if `seen` there is that term's.
    slot: Vec<u32>,
    seen: Vec<(u32, Seen)>,
}

impl Weights {
    /// The term is in the page's title.
    pub(super) fn title(&mut self, term: u32) {
        let s = self.at(term);
        s.title = TITLE;
        s.note(0, 1);
    }

    /// The term is in the heading of section `section`.
    pub(super) fn heading(&mut self, term: u32, section: u32) {
        let s = self.at(term);
        s.heading = HEADING;
        s.note(section, 5);
    }

    /// The term is used once in the text of section `section`.
    pub(super) fn text(&mut self, term: u32, section: u32) {
        let s = self.at(term);
        s.count += 1;
        s.note(section, 1);
    }

    /// The page's terms as (term, score, best section), in no particular order; the weights
    /// are then empty for the next page.
    pub(super) fn drain(&mut self) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        self.seen.drain(..).map(|(term, s)| {
            let score = s.title + s.heading + s.count.min(MAX_COUNT);
            (term, score, s.best_section)
        })
    }

    fn at(&mut self, term: u32) -> &mut Seen {
        let t = term as usize;
        if t >= self.slot.len() {
            self.slot.resize(t + 1, u32::MAX);
        }
        let k = self.slot[t] as usize;
        if k < self.seen.len() && self.seen[k].0 == term {
            return &mut self.seen[k].1;
        }
        self.slot[t] = self.seen.len() as u32;
        self.seen.push((term, Seen::default()));
        &mut self.seen.last_mut().expect("just pushed").1
    }
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
