//! Small text helpers for the HTML: numbers as shown, URL segments, escaping.

/// A number as a table or sentence shows it: rounded to `precision` decimals, with no negative
/// zero (`-0.0004` at three decimals shows as `0.000`).
pub fn rounded(v: f64, precision: usize) -> String {
    let s = format!("{v:.precision$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => s,
    }
}

/// The exact value, in the shortest form that reads back as the same f64.
pub fn exact(v: f64) -> String {
    format!("{v}")
}

/// An inline value with no precision of its own: whole numbers bare (`4`), others with 3 decimals.
pub fn inline(v: f64, precision: Option<usize>) -> String {
    match precision {
        Some(p) => rounded(v, p),
        None if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v}"),
        None => rounded(v, 3),
    }
}

/// Percent-encodes one path segment of a URL (file and folder names may hold spaces or
/// non-ASCII letters).
pub fn url_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_without_negative_zero() {
        assert_eq!(rounded(0.87349, 3), "0.873");
        assert_eq!(rounded(-0.0004, 3), "0.000");
        assert_eq!(rounded(-0.0006, 3), "-0.001");
        assert_eq!(rounded(2.0, 0), "2");
        assert_eq!(exact(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(inline(4.0, None), "4");
        assert_eq!(inline(0.5, None), "0.500");
    }

    #[test]
    fn encodes_segments() {
        assert_eq!(url_segment("01-recap.html"), "01-recap.html");
        assert_eq!(url_segment("a b"), "a%20b");
        assert_eq!(url_segment("é"), "%C3%A9");
    }
}
