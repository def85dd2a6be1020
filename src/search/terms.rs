//! Text into search terms: lowercased, accents folded, cut at anything but letters and digits,
//! CJK runs into character bigrams (the script does the same).

use unicode_normalization::UnicodeNormalization;

/// Longest term indexed, in characters.
const MAX_TERM: usize = 32;

/// ASCII characters by class, as bits: a letter or digit, a capital, a letter.
const ALNUM: u8 = 1;
const UPPER: u8 = 2;
const LETTER: u8 = 4;
static ASCII: [u8; 256] = {
    let mut t = [0; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_digit() {
            ALNUM
        } else if c.is_ascii_uppercase() {
            ALNUM | UPPER | LETTER
        } else if c.is_ascii_lowercase() {
            ALNUM | LETTER
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Calls `f` with each search term of `text`, in order.
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    let mut cutter = Cutter::default();
    cutter.feed(text, &mut f);
    cutter.flush(&mut f);
}

/// Cuts text that comes in pieces: feeding pieces one after another gives the terms of their
/// concatenation, so a word may run across pieces (`<em>trans</em>former`). A word ends at
/// [`Cutter::flush`].
#[derive(Debug, Default)]
pub(super) struct Cutter {
    word: String,
    /// The word so far has a character that is not a digit.
    lettered: bool,
    cjk: Vec<char>,
    buf: String,
}

impl Cutter {
    /// Cuts `text`, keeping an unfinished word for the next piece.
    pub(super) fn feed(&mut self, text: &str, f: &mut impl FnMut(&str)) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if !b.is_ascii() {
                let c = text[i..].chars().next().expect("a character at a boundary");
                i += c.len_utf8();
                self.other(c, f);
                continue;
            }
            if ASCII[b as usize] & ALNUM == 0 {
                self.flush(f);
                i += 1;
                continue;
            }
            if !self.cjk.is_empty() {
                self.flush_cjk(f);
            }
            // A run of ASCII letters and digits at once.
            let start = i;
            let mut class = 0;
            while let Some(&c) = bytes.get(i)
                && ASCII[c as usize] & ALNUM != 0
            {
                class |= ASCII[c as usize];
                i += 1;
            }
            let run = &text[start..i];
            if self.word.is_empty() && bytes.get(i).is_some_and(u8::is_ascii) {
                // A whole word of this piece (an ASCII character ends it): no copy unless it
                // has capitals.
                if (2..=MAX_TERM).contains(&run.len()) && class & LETTER != 0 {
                    if class & UPPER == 0 {
                        f(run);
                    } else {
                        self.buf.clear();
                        self.buf.push_str(run);
                        self.buf.make_ascii_lowercase();
                        f(&self.buf);
                    }
                }
                continue;
            }
            self.lettered |= class & LETTER != 0;
            let at = self.word.len();
            self.word.push_str(run);
            self.word[at..].make_ascii_lowercase();
        }
    }

    /// Ends the word (and the CJK run) in progress.
    pub(super) fn flush(&mut self, f: &mut impl FnMut(&str)) {
        if !self.cjk.is_empty() {
            self.flush_cjk(f);
        }
        self.flush_word(f);
    }

    /// A character outside ASCII.
    fn other(&mut self, c: char, f: &mut impl FnMut(&str)) {
        // Punctuation (curly quotes, dashes, spaces, `×`, `÷`) ends words and is nothing more.
        if matches!(c, '\u{2000}'..='\u{206f}' | '×' | '÷') {
            self.flush(f);
            return;
        }
        self.unicode(c, f);
    }

    /// A character through the general path: what every character would take without the
    /// shortcuts above.
    fn unicode(&mut self, c: char, f: &mut impl FnMut(&str)) {
        for l in c.to_lowercase() {
            // Kana keep their voicing marks (the script composes them back with NFC).
            if is_cjk(l) {
                self.flush_word(f);
                self.cjk.push(l);
                continue;
            }
            // Accents off, then composed again (Hangul syllables stay whole), as the script's
            // `normalize("NFD")`, strip, `normalize("NFC")`.
            for d in std::iter::once(l).nfd().filter(|d| !is_mark(*d)).nfc() {
                if is_mark(d) {
                    continue;
                }
                if is_cjk(d) {
                    self.flush_word(f);
                    self.cjk.push(d);
                } else if d.is_alphanumeric() {
                    if !self.cjk.is_empty() {
                        self.flush_cjk(f);
                    }
                    self.lettered |= !d.is_numeric();
                    self.word.push(d);
                } else {
                    self.flush(f);
                }
            }
        }
    }

    fn flush_word(&mut self, f: &mut impl FnMut(&str)) {
        if self.word.is_empty() {
            return;
        }
        let n = if self.word.is_ascii() {
            self.word.len()
        } else {
            self.word.chars().count()
        };
        if (2..=MAX_TERM).contains(&n) && self.lettered {
            f(&self.word);
        }
        self.word.clear();
        self.lettered = false;
    }

    fn flush_cjk(&mut self, f: &mut impl FnMut(&str)) {
        if self.cjk.len() == 1 {
            self.buf.clear();
            self.buf.push(self.cjk[0]);
            f(&self.buf);
        }
        for pair in self.cjk.windows(2) {
            self.buf.clear();
            self.buf.push(pair[0]);
            self.buf.push(pair[1]);
            f(&self.buf);
        }
        self.cjk.clear();
    }
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

#[cfg(test)]
mod tests {
    use proptest::strategy::{Strategy, ValueTree};

    use super::Cutter;

    /// The terms of `pieces` fed one after another, every character through the general
    /// (Unicode) path: what the ASCII fast paths of [`Cutter::feed`] must agree with.
    fn by_characters(pieces: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        let mut f = |t: &str| out.push(t.to_string());
        let mut cutter = Cutter::default();
        for c in pieces.iter().flat_map(|p| p.chars()) {
            cutter.unicode(c, &mut f);
        }
        cutter.flush(&mut f);
        out
    }

    fn fed(pieces: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        let mut f = |t: &str| out.push(t.to_string());
        let mut cutter = Cutter::default();
        for p in pieces {
            cutter.feed(p, &mut f);
        }
        cutter.flush(&mut f);
        out
    }

    /// A whole ASCII word inside one piece, which `feed` files without copying it.
    fn has_whole_ascii_word(piece: &str) -> bool {
        let b = piece.as_bytes();
        let sep = |c: u8| c.is_ascii() && !c.is_ascii_alphanumeric();
        (0..b.len()).any(|i| {
            sep(b[i]) && {
                let run = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .count();
                run > 0 && b.get(i + 1 + run).is_some_and(|&c| sep(c))
            }
        })
    }

    #[test]
    fn the_punctuation_shortcut_covers_only_characters_that_end_words() {
        let shortcut = ('\u{2000}'..='\u{206f}').chain(['×', '÷']);
        for c in shortcut {
            let pieces = [format!("ab{c}cd")];
            assert_eq!(by_characters(&pieces), ["ab", "cd"], "U+{:04X}", c as u32);
            assert_eq!(fed(&pieces), ["ab", "cd"], "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn feeding_pieces_cuts_as_the_unicode_path_does_character_by_character() {
        // Mostly English words and spaces, with capitals, digits, accents, a decomposed
        // accent, characters whose lower case is longer (`İ`), punctuation the fast path
        // knows (`“`, `—`, `×`), no-break spaces, superscripts, kana, Han and Hangul.
        let word = proptest::prop_oneof![
            6 => "[a-z]{1,8}",
            2 => "[A-Z][a-z]{0,6}",
            1 => "[0-9]{1,4}[a-z]?",
            1 => "[a-zé]{1,3}(é|É|e\u{301}|İ|ß|²|µ|ª)[a-z]{0,3}",
            1 => "[日本語のテキストカな한국]{1,4}",
        ];
        let gap = proptest::sample::select(vec![
            " ", " ", " ", " ", ", ", ". ", "\n", "-", "“", "” ", " — ", "×", "\u{a0}", "_", "",
        ]);
        let strategy = proptest::collection::vec((word, gap), 1..12).prop_flat_map(|parts| {
            let text: String = parts.iter().flat_map(|(w, g)| [w.as_str(), g]).collect();
            let cuts = proptest::collection::vec(0..=text.len(), 0..3);
            (proptest::strategy::Just(text), cuts)
        });
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut tried, mut whole) = (0, 0);
        for _ in 0..4000 {
            let (text, mut cuts) = strategy.new_tree(&mut runner).expect("a case").current();
            cuts.retain(|&c| text.is_char_boundary(c));
            cuts.sort_unstable();
            let mut pieces = Vec::new();
            let mut at = 0;
            for c in cuts.into_iter().chain([text.len()]) {
                pieces.push(text[at..c].to_string());
                at = c;
            }
            tried += 1;
            whole += usize::from(pieces.iter().any(|p| has_whole_ascii_word(p)));
            assert_eq!(fed(&pieces), by_characters(&pieces), "{pieces:?}");
        }
        assert!(
            whole * 2 > tried,
            "a whole ASCII word in only {whole} of {tried} cases"
        );
    }
}
