//! Numbers as derivations write them: rounded, with the one-character minus, negatives in
//! parentheses, long lists elided.

/// Terms shown in full in a sum; longer sums show the first and last few.
pub(super) const SHOWN_TERMS: usize = 12;

/// `v` at `precision` decimals, with the one-character minus (U+2212).
pub(super) fn fmt(v: f64, precision: usize) -> String {
    minus(crate::format::rounded(v, precision))
}

/// `s` with each ASCII minus as U+2212, as derivations write it.
pub(super) fn minus(s: String) -> String {
    if s.contains('-') {
        s.replace('-', "−")
    } else {
        s
    }
}

/// Negative numbers in parentheses, so `0.4·(−0.13)` reads right.
pub(super) fn paren(s: String) -> String {
    match s.strip_prefix('−').or_else(|| s.strip_prefix('-')) {
        Some(rest) => {
            let mut out = String::with_capacity(rest.len() + 5);
            out.push_str("(−");
            out.push_str(rest);
            out.push(')');
            out
        }
        None => s,
    }
}

pub(super) fn elide(terms: &[String], sep: &str) -> String {
    if terms.len() <= SHOWN_TERMS {
        return terms.join(sep);
    }
    let head = &terms[..SHOWN_TERMS / 2];
    let tail = &terms[terms.len() - 2..];
    format!("{}{sep}…{sep}{}", head.join(sep), tail.join(sep))
}
