//! Text into search terms: lowercased, accents folded, cut at anything but letters and digits,
//! CJK runs into character bigrams (the script does the same).

use unicode_normalization::UnicodeNormalization;

/// Longest term indexed, in characters.
const MAX_TERM: usize = 32;

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
