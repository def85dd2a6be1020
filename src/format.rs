//! Text shared by the stages: numbers as shown, URL segments, HTML escaping.

/// A number as a table or sentence shows it: its exact decimal (the shortest form that reads
/// back as the same f64, as in `data-value`) rounded to `precision` decimals, halves away from
/// zero as people round by hand (`0.125` → `0.13`, `2.5` → `3`), and never `-0.000`.
pub fn rounded(v: f64, precision: usize) -> String {
    let mut out = String::with_capacity(24);
    rounded_into(&mut out, v, precision);
    out
}

/// [`rounded`] onto the end of `out`.
pub fn rounded_into(out: &mut String, v: f64, precision: usize) {
    let start = out.len();
    if !round_fast_into(out, v, precision) {
        with_exact(v, |e| round_exact_into(out, e, precision));
    }
    shown_minus(out, start);
}

/// Shown numbers take the minus sign U+2212, as typeset (and read aloud as "minus"); the exact
/// form (`data-value`, snippets) keeps the ASCII hyphen that programs read.
fn shown_minus(out: &mut String, start: usize) {
    if out[start..].starts_with('-') {
        out.replace_range(start..start + 1, "−");
    }
}

/// Powers of ten that f64 holds exactly, for the fast paths below.
const POW10: [f64; 10] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/// [`rounded`] straight from the f64, for the common case; `false` (and nothing written) where
/// it cannot be sure to agree with rounding the exact decimal, which is then the way.
///
/// `x = v·10^p` as computed is within `|x|·2⁻⁵³` of the real product, and the exact decimal
/// of `v` (scaled the same way) within `|x|·2⁻⁵²` of it: under 4e-7 in all for `|x| < 1e9`.
/// Only a half-integer between two of them could change the rounding, so any `x` further than
/// 1e-6 from a half rounds the same way both ways. Most table entries are.
fn round_fast_into(out: &mut String, v: f64, precision: usize) -> bool {
    let Some(&scale) = POW10.get(precision) else {
        return false;
    };
    let x = v * scale;
    // Also false for NaN and the infinities.
    let in_range = x.abs() < 1e9;
    if !in_range || (x.abs().fract() - 0.5).abs() < 1e-6 {
        return false;
    }
    // To the nearest integer (halves are not this close): adding a half and truncating rounds
    // no differently here, without a call to libm's `round` (a third of this function).
    let n = (x.abs() + 0.5) as u64;
    out.push_str(fixed(&mut [0; 32], n != 0 && v < 0.0, n, precision));
    true
}

/// `n·10^-decimals` with exactly `decimals` digits after the point (none: no point), after a
/// `-` if `negative`, written at the end of `buf` (room for any u64 with 9 decimals).
fn fixed(buf: &mut [u8; 32], negative: bool, n: u64, decimals: usize) -> &str {
    let mut at = buf.len();
    let mut put = |b: u8| {
        at -= 1;
        buf[at] = b;
    };
    let mut rest = n;
    for _ in 0..decimals {
        put(b'0' + (rest % 10) as u8);
        rest /= 10;
    }
    if decimals > 0 {
        put(b'.');
    }
    loop {
        put(b'0' + (rest % 10) as u8);
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if negative {
        put(b'-');
    }
    std::str::from_utf8(&buf[at..]).expect("only ASCII was written")
}

/// [`rounded`] from the exact form (`exact(v)`), for callers that need both.
pub fn round_exact(exact: &str, precision: usize) -> String {
    let mut out = String::with_capacity(exact.len() + precision + 2);
    round_exact_into(&mut out, exact, precision);
    out
}

/// [`rounded`] onto the end of `out`, for a caller that has the exact form at hand.
pub fn round_into(out: &mut String, v: f64, exact: &str, precision: usize) {
    let start = out.len();
    if !round_fast_into(out, v, precision) {
        round_exact_into(out, exact, precision);
    }
    shown_minus(out, start);
}

/// [`round_exact`] onto the end of `out`, with no allocation of its own: tables and
/// derivations round every number they show.
pub fn round_exact_into(out: &mut String, exact: &str, precision: usize) {
    if let Some(inf) = infinity(exact) {
        out.push_str(inf);
        return;
    }
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
    if let Some((n, decimals)) = short_decimal(v) {
        // The sign is the f64's own, so `-0.0` is `-0`, as `{}` writes it.
        return f(fixed(&mut [0; 32], v.is_sign_negative(), n, decimals));
    }
    if v.is_infinite() {
        // As JavaScript writes it, so a page's script reads `data-value` back with `Number`.
        return f(if v < 0.0 { "-Infinity" } else { "Infinity" });
    }
    if v.is_nan() {
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

/// `v` as `n·10^-decimals` with the fewest decimals (up to 6) that read back as `v`, for
/// `|v| < 1e9`: the numbers authors type. `None` for the rest.
///
/// `n / 10^d` is the correctly rounded quotient of two exact numbers, so it equals `v` exactly
/// when the decimal reads back as `v`. The fewest decimals that do are the shortest form: any
/// decimal that reads back as `v` with `q` places is found at `d = q`, since `v·10^q` is within
/// far less than a half of it. With at most 15 significant digits that form is the only one so
/// close, so it is the one ryu and `{}` pick.
fn short_decimal(v: f64) -> Option<(u64, usize)> {
    let a = v.abs();
    // Also `None` for NaN and the infinities.
    let in_range = a < 1e9;
    if !in_range {
        return None;
    }
    POW10[..=6].iter().enumerate().find_map(|(d, &scale)| {
        // The nearest integer, without libm's `round`; were it off by one, the test below
        // would only fail, and the next `d` (or ryu) be tried.
        let n = (a * scale + 0.5) as u64;
        (n as f64 / scale == a).then_some((n, d))
    })
}

/// How a table, sentence or derivation shows an infinity (with the one-character minus, U+2212),
/// for the exact forms `-Infinity` and `Infinity`.
fn infinity(exact: &str) -> Option<&'static str> {
    match exact {
        "-Infinity" => Some("−∞"),
        "Infinity" => Some("∞"),
        _ => None,
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

/// The bytes a URL path segment keeps as they are: the unreserved characters of RFC 3986
/// (letters, digits, `-._~`); everything else, spaces and non-ASCII letters included, is
/// percent-encoded.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment of a URL (file and folder names may hold spaces or
/// non-ASCII letters).
pub fn url_segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
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

    /// What `exact` writes: `{}`, except for the infinities, written as JavaScript does.
    fn std_form(v: f64) -> String {
        match v {
            f64::INFINITY => "Infinity".into(),
            f64::NEG_INFINITY => "-Infinity".into(),
            _ => format!("{v}"),
        }
    }

    #[test]
    fn infinities_show_as_signs_and_read_back_in_javascript() {
        assert_eq!(exact(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(exact(f64::INFINITY), "Infinity");
        assert_eq!(rounded(f64::NEG_INFINITY, 3), "−∞");
        assert_eq!(rounded(f64::INFINITY, 0), "∞");
        assert_eq!(inline(f64::NEG_INFINITY, None), "−∞");
        assert_eq!(round_exact("-Infinity", 2), "−∞");
    }

    proptest! {
        #[test]
        fn exact_writes_what_format_writes(bits in any::<u64>(), hundredths in -100_000i64..100_000) {
            let any = f64::from_bits(bits);
            prop_assert_eq!(exact(any), std_form(any));
            let typed = hundredths as f64 / 100.0;
            prop_assert_eq!(exact(typed), format!("{typed}"));
            let product = typed * 0.37 - 1.0 / 3.0;
            prop_assert_eq!(exact(product), format!("{product}"));
        }
    }

    proptest! {
        /// The fast paths against the slow ones: `{}` for the exact form, and rounding its text.
        #[test]
        fn fast_paths_agree_with_the_exact_decimal(
            bits in any::<u64>(),
            n in -10_000_000_000i64..10_000_000_000,
            d in 0u32..10,
            p in 0usize..12,
            small in -100_000i64..100_000,
            nudge in -4i64..=4,
        ) {
            let typed = n as f64 / 10f64.powi(d as i32);
            // Right at, and a few ulps either side of, a rounding half: the hard cases.
            let half = (small as f64 + 0.5) / 10f64.powi(p as i32);
            let near_half = f64::from_bits((half.to_bits() as i64 + nudge) as u64);
            for v in [f64::from_bits(bits), typed, -typed, typed * 0.37 - 1.0 / 3.0, half, near_half] {
                let slow = std_form(v);
                prop_assert_eq!(exact(v), slow.clone());
                // Shown with U+2212, where the exact form has a hyphen.
                prop_assert_eq!(rounded(v, p), round_exact(&slow, p).replacen('-', "−", 1), "{} to {}", slow, p);
            }
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
            assert_eq!(exact(v), std_form(v), "{v:?}");
        }
    }

    #[test]
    fn rounds_without_negative_zero() {
        assert_eq!(rounded(0.87349, 3), "0.873");
        assert_eq!(rounded(-0.0004, 3), "0.000");
        assert_eq!(rounded(-0.0006, 3), "−0.001");
        assert_eq!(rounded(2.0, 0), "2");
        // Halves round away from zero, as by hand (Rust's `{:.2}` would give 0.12 and 2).
        assert_eq!(rounded(0.125, 2), "0.13");
        assert_eq!(rounded(2.5, 0), "3");
        assert_eq!(rounded(-2.5, 0), "−3");
        assert_eq!(rounded(0.5, 0), "1");
        assert_eq!(rounded(9.9996, 3), "10.000");
        // Carries through every kept digit, and through some.
        assert_eq!(rounded(9.6, 0), "10");
        assert_eq!(rounded(-9.5, 0), "−10");
        assert_eq!(rounded(199.95, 1), "200.0");
        assert_eq!(rounded(0.0449, 2), "0.04");
        assert_eq!(rounded(-0.005, 2), "−0.01");
        assert_eq!(rounded(-0.0, 2), "0.00");
        assert_eq!(rounded(1e20, 1), "100000000000000000000.0");
        assert_eq!(rounded(1e-7, 3), "0.000");
        assert_eq!(rounded(0.30000000000000004, 16), "0.3000000000000000");
        assert_eq!(inline(-0.0, None), "0");
        assert_eq!(exact(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(exact(-0.0), "-0");
        assert_eq!(exact(-0.25), "-0.25");
        assert_eq!(exact(123456789.5), "123456789.5");
        // Their f64s lie just under the half, their shortest decimals on it: rounded by hand.
        assert_eq!(rounded(0.145, 2), "0.15");
        assert_eq!(rounded(0.271925, 5), "0.27193");
        assert_eq!(rounded(-0.25, 0), "0");
        assert_eq!(rounded(-0.75, 0), "−1");
        assert_eq!(rounded(999999999.4, 0), "999999999");
        assert_eq!(inline(4.0, None), "4");
        assert_eq!(inline(0.5, None), "0.500");
    }

    #[test]
    fn encodes_segments() {
        assert_eq!(url_segment("01-recap.html"), "01-recap.html");
        assert_eq!(url_segment("a b"), "a%20b");
        assert_eq!(url_segment("é"), "%C3%A9");
        assert_eq!(url_segment("a/b?c#d%e~_"), "a%2Fb%3Fc%23d%25e~_");
    }
}
