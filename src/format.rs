//! Text shared by the stages: numbers as shown, URL segments, HTML escaping.

/// A number as a table or sentence shows it: its exact decimal (the shortest form that reads
/// back as the same f64, as in `data-value`) rounded to `precision` decimals, halves away from
/// zero as people round by hand (`0.125` → `0.13`, `2.5` → `3`), and never `-0.000`.
pub fn rounded(v: f64, precision: usize) -> String {
    with_exact(v, |e| round_exact(e, precision))
}

/// [`rounded`] from the exact form (`exact(v)`), for callers that need both.
pub fn round_exact(exact: &str, precision: usize) -> String {
    let mut out = String::with_capacity(exact.len() + precision + 2);
    round_exact_into(&mut out, exact, precision);
    out
}

/// [`round_exact`] onto the end of `out`, with no allocation of its own: tables and
/// derivations round every number they show.
pub fn round_exact_into(out: &mut String, exact: &str, precision: usize) {
    let (negative, abs) = match exact.strip_prefix('-') {
        Some(a) => (true, a),
        None => (false, exact),
    };
    let (int, frac) = abs.split_once('.').unwrap_or((abs, ""));
    let frac = frac.as_bytes();
    // Rounding up carries leftwards through the nines of the kept digits; past them all (as in
    // `9.996` to 2 places) it adds a leading 1.
    let round_up = frac.get(precision).is_some_and(|&d| d >= b'5');
    let kept = |k: usize| -> u8 {
        if k < int.len() {
            int.as_bytes()[k]
        } else {
            frac.get(k - int.len()).copied().unwrap_or(b'0')
        }
    };
    let len = int.len() + precision;
    // A carry turns the trailing run of kept nines into zeros and adds one to the digit before
    // it; past them all (`9.996` to 2 places) it adds a leading 1.
    let nines = if round_up {
        (0..len).rev().take_while(|&k| kept(k) == b'9').count()
    } else {
        0
    };
    let carry_out = round_up && nines == len;
    let digit = |k: usize| -> u8 {
        let d = kept(k);
        if !round_up || k + nines + 1 < len {
            d
        } else if k + nines + 1 == len {
            d + 1
        } else {
            b'0'
        }
    };
    if negative && (carry_out || (0..len).any(|k| digit(k) != b'0')) {
        out.push('-');
    }
    if carry_out {
        out.push('1');
    }
    for k in 0..len {
        if k == int.len() {
            out.push('.');
        }
        out.push(digit(k) as char);
    }
}

/// The exact value, in the shortest form that reads back as the same f64, written as Rust's
/// `{}` writes it (no exponent, `1` for 1.0). A site formats every number several times, so
/// this uses ryu, several times faster than `format!`, and falls back to `format!` where ryu's
/// notation differs (exponents, infinities, NaN); a property test checks both agree.
pub fn exact(v: f64) -> String {
    with_exact(v, str::to_string)
}

/// Calls `f` with [`exact`]`(v)`, without allocating it in the common case.
pub fn with_exact<R>(v: f64, f: impl FnOnce(&str) -> R) -> R {
    if !v.is_finite() {
        return f(&format!("{v}"));
    }
    let mut buf = ryu::Buffer::new();
    let s = buf.format_finite(v);
    // With 16 or more significant digits, two shortest forms can be equally close, and the two
    // algorithms may pick different ones; up to 15 there is only one.
    let digits = s
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&d| d == b'0')
        .count();
    if s.contains('e') || digits >= 16 {
        f(&format!("{v}"))
    } else {
        f(s.strip_suffix(".0").unwrap_or(s))
    }
}

/// An inline value with no precision of its own: whole numbers bare (`4`), others with 3 decimals.
pub fn inline(v: f64, precision: Option<usize>) -> String {
    match precision {
        Some(p) => rounded(v, p),
        None if v.fract() == 0.0 && v.abs() < 1e15 => rounded(v, 0),
        None => rounded(v, 3),
    }
}

/// Appends `n` in decimal (no `format!` and its allocation; tables and pages write many).
pub fn push_number(out: &mut String, n: usize) {
    use std::fmt::Write;
    let _ = write!(out, "{n}");
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

/// Escapes text for HTML content and double-quoted attributes (`&`, `<`, `>`, `"`, `'`), as
/// pulldown-cmark and tera do.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// [`escape`] onto the end of `out`.
pub fn escape_into(out: &mut String, s: &str) {
    pulldown_cmark_escape::escape_html(out, s).expect("writing to a String cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn exact_writes_what_format_writes(bits in any::<u64>(), hundredths in -100_000i64..100_000) {
            let any = f64::from_bits(bits);
            prop_assert_eq!(exact(any), format!("{any}"));
            let typed = hundredths as f64 / 100.0;
            prop_assert_eq!(exact(typed), format!("{typed}"));
            let product = typed * 0.37 - 1.0 / 3.0;
            prop_assert_eq!(exact(product), format!("{product}"));
        }
    }

    /// The rounding as first written, digit vector and all: the oracle for the in-place one.
    fn round_exact_reference(exact: &str, precision: usize) -> String {
        let (negative, abs) = match exact.strip_prefix('-') {
            Some(a) => (true, a),
            None => (false, exact),
        };
        let (int, frac) = abs.split_once('.').unwrap_or((abs, ""));
        let mut digits: Vec<u8> = int.as_bytes().to_vec();
        digits.extend_from_slice(&frac.as_bytes()[..frac.len().min(precision)]);
        digits.resize(int.len() + precision, b'0');
        if frac.as_bytes().get(precision).is_some_and(|&d| d >= b'5') {
            let mut i = digits.len();
            loop {
                if i == 0 {
                    digits.insert(0, b'1');
                    break;
                }
                i -= 1;
                if digits[i] == b'9' {
                    digits[i] = b'0';
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
        let split = digits.len() - precision;
        let mut out = String::new();
        if negative && digits.iter().any(|&d| d != b'0') {
            out.push('-');
        }
        out.push_str(std::str::from_utf8(&digits[..split]).unwrap());
        if precision > 0 {
            out.push('.');
            out.push_str(std::str::from_utf8(&digits[split..]).unwrap());
        }
        out
    }

    proptest! {
        #[test]
        fn rounding_in_place_matches_the_reference(
            text in "-?(0|[1-9][0-9]{0,5}|9{1,4})(\\.[0-9]{1,8}|\\.9{1,6}[0-9]?)?",
            precision in 0usize..8,
            bits in any::<u64>(),
        ) {
            prop_assert_eq!(round_exact(&text, precision), round_exact_reference(&text, precision));
            let v = f64::from_bits(bits);
            if v.is_finite() {
                let e = exact(v);
                prop_assert_eq!(round_exact(&e, precision), round_exact_reference(&e, precision));
            }
        }
    }

    #[test]
    fn exact_edge_cases() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            1e15,
            1e16,
            1e21,
            1e-5,
            1e-7,
            123456.789,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(exact(v), format!("{v}"), "{v:?}");
        }
    }

    #[test]
    fn rounds_without_negative_zero() {
        assert_eq!(rounded(0.87349, 3), "0.873");
        assert_eq!(rounded(-0.0004, 3), "0.000");
        assert_eq!(rounded(-0.0006, 3), "-0.001");
        assert_eq!(rounded(2.0, 0), "2");
        // Halves round away from zero, as by hand (Rust's `{:.2}` would give 0.12 and 2).
        assert_eq!(rounded(0.125, 2), "0.13");
        assert_eq!(rounded(2.5, 0), "3");
        assert_eq!(rounded(-2.5, 0), "-3");
        assert_eq!(rounded(0.5, 0), "1");
        assert_eq!(rounded(9.9996, 3), "10.000");
        // Carries through every kept digit, and through some.
        assert_eq!(rounded(9.6, 0), "10");
        assert_eq!(rounded(-9.5, 0), "-10");
        assert_eq!(rounded(199.95, 1), "200.0");
        assert_eq!(rounded(0.0449, 2), "0.04");
        assert_eq!(rounded(-0.005, 2), "-0.01");
        assert_eq!(rounded(-0.0, 2), "0.00");
        assert_eq!(rounded(1e20, 1), "100000000000000000000.0");
        assert_eq!(rounded(1e-7, 3), "0.000");
        assert_eq!(rounded(0.30000000000000004, 16), "0.3000000000000000");
        assert_eq!(inline(-0.0, None), "0");
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
