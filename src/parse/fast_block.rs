//! A fast path for the common shape of a matrix block.
//!
//! Most blocks are a handful of `key: plain value` lines and rows written as `  - [0.1, -2, 3e-4]`.
//! For exactly that subset this reads the block directly, several times faster than the general
//! YAML parser; anything else (quotes, comments, flow mappings, anchors, block scalars, unusual
//! numbers, duplicate or unknown keys, odd labels) returns `None` and the block goes through
//! serde_yaml, which also produces every error message. A property test checks that both paths
//! agree on every block the fast path accepts.

use super::matrix_block::{BlockYaml, Label};

/// Reads `text` if it is in the simple subset, else `None`.
pub fn parse(text: &str) -> Option<BlockYaml> {
    let mut b = BlockYaml::default();
    let mut seen: Vec<&str> = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim().is_empty() {
            continue;
        }
        // A top-level `key:` line, with a plain key.
        let (key, rest) = line.split_once(':')?;
        if key.is_empty()
            || !key.bytes().all(|c| c.is_ascii_lowercase() || c == b'_')
            || seen.contains(&key)
        {
            return None;
        }
        seen.push(key);
        let value = rest.strip_prefix(' ').unwrap_or(rest).trim_end();
        if !rest.is_empty() && !rest.starts_with(' ') {
            return None;
        }
        match key {
            "name" => b.name = plain(value)?.to_string(),
            "compute" => b.compute = Some(plain(value)?.to_string()),
            "caption" => b.caption = Some(plain(value)?.to_string()),
            "precision" => b.precision = Some(uint(value)?),
            "tolerance" => b.tolerance = Some(number(value)?),
            "show" => {
                b.show = Some(match value {
                    "true" => true,
                    "false" => false,
                    _ => return None,
                })
            }
            "shape" => {
                let items = flow(value)?;
                let [r, c] = items.as_slice() else {
                    return None;
                };
                b.shape = Some([uint(r)?, uint(c)?]);
            }
            "rows" | "cols" => {
                let labels = flow(value)?
                    .iter()
                    .map(|l| label(l).map(|l| Label::Text(l.to_string())))
                    .collect::<Option<Vec<_>>>()?;
                if key == "rows" {
                    b.rows = Some(labels);
                } else {
                    b.cols = Some(labels);
                }
            }
            "values" | "expect" => {
                if !value.is_empty() {
                    return None;
                }
                let mut rows = Vec::new();
                let mut indent = None;
                while let Some(next) = lines.peek() {
                    let body = next.trim_start();
                    if !body.starts_with("- ") {
                        break;
                    }
                    let depth = next.len() - body.len();
                    if depth == 0 || *indent.get_or_insert(depth) != depth {
                        return None;
                    }
                    let row = flow(body[2..].trim_end())?
                        .iter()
                        .map(|n| number(n))
                        .collect::<Option<Vec<f64>>>()?;
                    rows.push(row);
                    lines.next();
                }
                if rows.is_empty() {
                    return None;
                }
                if key == "values" {
                    b.values = Some(rows);
                } else {
                    b.expect = Some(rows);
                }
            }
            _ => return None,
        }
    }
    seen.contains(&"name").then_some(b)
}

/// A plain scalar that YAML reads as this very string: no indicator first, no `: ` or ` #`
/// inside, and nothing YAML would read as another type.
fn plain(v: &str) -> Option<&str> {
    let first = v.chars().next()?;
    if "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || v.contains(": ")
        || v.contains(" #")
        || v.ends_with(':')
        || v.contains('\t')
        || number(v).is_some()
        || matches!(
            v,
            "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | "null" | "Null" | "NULL" | "~"
        )
        || v.starts_with(['.', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    {
        return None;
    }
    Some(v)
}

/// A label made of letters, digits and `_`, starting with a letter, and not a YAML keyword.
fn label(v: &str) -> Option<&str> {
    let ok = v.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && v.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
    (ok && plain(v).is_some()).then_some(v)
}

/// The items of a one-line flow sequence `[a, b, c]` (no nesting, no quotes).
fn flow(v: &str) -> Option<Vec<&str>> {
    let inner = v.strip_prefix('[')?.strip_suffix(']')?;
    if inner.contains(['[', ']', '{', '}', '"', '\'', '#']) {
        return None;
    }
    if inner.trim().is_empty() {
        return Some(Vec::new());
    }
    inner
        .split(',')
        .map(|s| Some(s.trim()).filter(|s| !s.is_empty()))
        .collect()
}

/// A decimal number as YAML 1.2 reads it to the same f64: `-12`, `0.5`, `3e-4`, `-1.5E+3`.
fn number(v: &str) -> Option<f64> {
    let b = v.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - s
    };
    if digits(&mut i) == 0 {
        return None;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        digits(&mut i);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    v.parse().ok().filter(|x: &f64| x.is_finite())
}

fn uint(v: &str) -> Option<usize> {
    if v.is_empty() || !v.bytes().all(|c| c.is_ascii_digit()) || (v.len() > 1 && v.starts_with('0'))
    {
        return None;
    }
    v.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn via_serde(text: &str) -> Option<BlockYaml> {
        serde_yaml::from_str(text).ok()
    }

    #[test]
    fn reads_the_common_shape_and_declines_the_rest() {
        let text = "name: Q\ncompute: X @ W_Q^T\nshape: [4, 8]\ncaption: Queries, one row per token\nprecision: 2\nrows: [The, cat]\nexpect:\n  - [0.5, -1, 3e-4]\n  - [1.25, 2, -0.0]\n";
        let fast = parse(text).expect("fast path");
        assert_eq!(Some(fast), via_serde(text));
        for declined in [
            "name: \"Q\"\nvalues:\n  - [1]\n",           // quotes
            "name: Q # the queries\nvalues:\n  - [1]\n", // comment
            "name: Q\nvalues: [[1, 2]]\n",               // flow rows
            "name: Q\nvalues:\n  - [0x10]\n",            // another number syntax
            "name: Q\nvalues:\n  - [.5]\n",
            "name: Q\nrows: [1, 2]\nvalues:\n  - [1]\n  - [2]\n", // numeric labels
            "name: Q\nrows: [yes, null]\nvalues:\n  - [1]\n  - [2]\n",
            "name: Q\nname: R\nvalues:\n  - [1]\n", // duplicate key
            "name: Q\nvales:\n  - [1]\n",           // unknown key
            "name: Q\ncaption: a: b\nvalues:\n  - [1]\n",
            "values:\n  - [1]\n", // no name
        ] {
            assert!(parse(declined).is_none(), "{declined}");
        }
    }

    /// The fast path must carry the real lessons: it reads (and agrees on) most of their blocks.
    #[test]
    fn reads_the_seed_lessons_blocks() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/content/qkv-projections");
        let (mut total, mut fast) = (0, 0);
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for block in text.split("```matrix\n").skip(1) {
                let body = block.split("```").next().unwrap();
                total += 1;
                if let Some(b) = parse(body) {
                    fast += 1;
                    assert_eq!(Some(b), via_serde(body), "{body}");
                }
            }
        }
        assert!(
            total >= 10 && fast * 10 >= total * 8,
            "{fast} of {total} blocks on the fast path"
        );
    }

    fn num() -> impl Strategy<Value = String> {
        prop_oneof![
            (-1000i64..1000).prop_map(|i| i.to_string()),
            (-100.0f64..100.0).prop_map(|f| format!("{f}")),
            (-9.0f64..9.0, -30i32..30).prop_map(|(m, e)| format!("{m:.3}e{e}")),
            (-9.0f64..9.0, -30i32..30).prop_map(|(m, e)| format!("{m:.2}E+{}", e.abs())),
        ]
    }

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            "[A-Za-z][A-Za-z0-9_]{0,6}",
            Just("true".to_string()),
            Just("null".to_string()),
            Just("yes".to_string()),
            "[0-9]{1,3}",
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[A-Za-z(][A-Za-z0-9 @^_()\\[\\],+*/.-]{0,20}",
            "[A-Za-z][a-z ,.:#-]{0,20}",
            Just("true".to_string()),
            Just("12".to_string()),
            Just("x: y".to_string()),
        ]
    }

    proptest! {
        /// On every block the fast path accepts, it gives exactly what serde_yaml gives.
        #[test]
        fn agrees_with_serde_yaml(
            name in text(),
            compute in proptest::option::of(text()),
            caption in proptest::option::of(text()),
            rows in proptest::option::of(proptest::collection::vec(word(), 1..4)),
            values in proptest::collection::vec(proptest::collection::vec(num(), 1..4), 1..4),
            precision in proptest::option::of(0usize..20),
            show in proptest::option::of(any::<bool>()),
            indent in 0usize..4,
        ) {
            let mut t = format!("name: {name}\n");
            if let Some(c) = &compute { t.push_str(&format!("compute: {c}\n")); }
            if let Some(c) = &caption { t.push_str(&format!("caption: {c}\n")); }
            if let Some(r) = &rows { t.push_str(&format!("rows: [{}]\n", r.join(", "))); }
            if let Some(p) = precision { t.push_str(&format!("precision: {p}\n")); }
            if let Some(s) = show { t.push_str(&format!("show: {s}\n")); }
            t.push_str("values:\n");
            for row in &values {
                t.push_str(&format!("{}- [{}]\n", " ".repeat(indent), row.join(", ")));
            }
            if let Some(fast) = parse(&t) {
                prop_assert_eq!(Some(fast), via_serde(&t), "{}", t);
            }
        }
    }
}
