//! Text into search terms: lowercased, accents folded, cut at anything but letters and digits,
//! CJK runs into character bigrams (the script does the same).

use unicode_normalization::UnicodeNormalization;

/// Longest term indexed, in characters.
const MAX_TERM: usize = 32;

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
            if b.is_ascii() {
                if !self.cjk.is_empty() {
                    self.flush_cjk(f);
                }
                // A run of ASCII letters and digits at once.
                let run = bytes[i..]
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .unwrap_or(bytes.len() - i);
                if run == 0 {
                    self.flush_word(f);
                    i += 1;
                    continue;
                }
                let piece = &text[i..i + run];
                self.lettered = self.lettered || piece.bytes().any(|c| !c.is_ascii_digit());
                let start = self.word.len();
                self.word.push_str(piece);
                self.word[start..].make_ascii_lowercase();
                i += run;
                continue;
            }
            let c = text[i..].chars().next().expect("a character at a boundary");
            i += c.len_utf8();
            self.other(c, f);
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
