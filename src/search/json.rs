//! JSON that is safe inside a script, and a page file's step title and snippet sections in it.

use std::fmt::Write as _;

use super::extract::{Page, SNIPPET_SOURCE};

/// A page file after its path and lesson: the step's title and the sections.
pub(super) fn page_rest(page: &Page, step: &str) -> String {
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
pub(super) fn json_string(o: &mut String, s: &str) {
    o.push('"');
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Only these bytes can start something to escape (U+2028 and U+2029 start with 0xE2).
        if !(b < 0x20 || b == b'"' || b == b'\\' || b == b'<' || b == 0xE2) {
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().expect("a character at a boundary");
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '<' => "\\u003c",
            '\u{2028}' => "\\u2028",
            '\u{2029}' => "\\u2029",
            c if (c as u32) < 0x20 => "",
            _ => {
                i += c.len_utf8();
                continue;
            }
        };
        o.push_str(&s[run..i]);
        if escaped.is_empty() {
            let _ = write!(o, "\\u{:04x}", c as u32);
        } else {
            o.push_str(escaped);
        }
        i += c.len_utf8();
        run = i;
    }
    o.push_str(&s[run..]);
    o.push('"');
}
