//! A fast path for the common shape of a matrix block.
//!
//! Most blocks are a handful of `key: plain value` lines and rows written as `  - [0.1, -2, 3e-4]`.
//! For exactly that subset this reads the block directly, several times faster than the general
//! YAML parser; anything else (quotes, comments, flow mappings, anchors, block scalars, unusual
//! numbers, duplicate or unknown keys, odd labels) returns `None` and the block goes through
//! serde_yaml, which also produces every error message. A property test checks that both paths
//! agree on every block the fast path accepts.

use super::block::{BlockYaml, Label};
use super::step::StepFront;

/// Reads `text` if it is in the simple subset, else `None`.
pub fn block(text: &str) -> Option<BlockYaml> {
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
        // YAML drops the blanks around a plain value (`name:   Q` is `Q`).
        let value = rest.trim_matches(' ');
        if !rest.is_empty() && !rest.starts_with(' ') {
            return None;
        }
        match key {
            "name" => b.name = plain(value)?.to_string(),
            "recall" => b.recall = Some(plain(value)?.to_string()),
            "compute" => b.compute = Some(plain(value)?.to_string()),
            "caption" => b.caption = Some(plain(value)?.to_string()),
            "precision" => b.precision = Some(uint(value)?),
            // Only plain names; serde_yaml reads (and reports) anything else.
            "scale" => {
                let v = plain(value)?;
                if !crate::parse::expr::is_identifier(v)
                    || matches!(v.to_ascii_lowercase().as_str(), "null" | "true" | "false")
                {
                    return None;
                }
                b.scale = Some(v.to_string())
            }
            // A plain word; the block's reader says which words are layouts.
            "layout" => {
                let v = plain(value)?;
                if !v.bytes().all(|c| c.is_ascii_lowercase()) {
                    return None;
                }
                b.layout = Some(v.to_string())
            }
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
                    let row = numbers(body[2..].trim_end())?;
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
    (seen.contains(&"name") || seen.contains(&"recall")).then_some(b)
}

/// A one-line value that YAML reads as a string: a [`plain`] scalar, or a double-quoted one
/// with no escapes in it (`"Step 2 of “The cat”"`).
fn string(v: &str) -> Option<&str> {
    match v.strip_prefix('"') {
        Some(quoted) => quoted
            .strip_suffix('"')
            .filter(|inner| !inner.contains(['"', '\\']) && printable(inner)),
        None => plain(v),
    }
}

/// No character YAML refuses or treats specially inside a one-line scalar: control characters
/// (tabs included) and the byte-order mark.
fn printable(v: &str) -> bool {
    if v.is_ascii() {
        return !v.bytes().any(|b| b.is_ascii_control());
    }
    !v.chars()
        .any(|c| c.is_control() || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}'))
}

/// A plain scalar that YAML reads as this very string: no indicator first, no `: ` or ` #`
/// inside, and nothing YAML would read as another type.
fn plain(v: &str) -> Option<&str> {
    let first = v.chars().next()?;
    if !printable(v)
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        // (By bytes: a substring search sets up more than these short values need.)
        || v.as_bytes().windows(2).any(|w| w == b": " || w == b" #")
        || v.ends_with(':')
        || number(v).is_some()
        || keyword(v)
        || v.starts_with(['.', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    {
        return None;
    }
    Some(v)
}

/// A word YAML reads as a boolean or null.
fn keyword(v: &str) -> bool {
    matches!(
        v,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | "null" | "Null" | "NULL" | "~"
    )
}

/// A label made of letters, digits and `_`, starting with a letter, and not a YAML keyword.
fn label(v: &str) -> Option<&str> {
    // Starting with a letter, it cannot be a number nor hold `: ` or ` #`: of `plain`'s
    // checks, only the keywords are left.
    let ok = v.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && v.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
    (ok && !keyword(v)).then_some(v)
}

/// The items of a one-line flow sequence `[a, b, c]` (no nesting, no quotes).
fn flow(v: &str) -> Option<Vec<&str>> {
    let inner = v.strip_prefix('[')?.strip_suffix(']')?;
    if inner
        .bytes()
        .any(|b| matches!(b, b'[' | b']' | b'{' | b'}' | b'"' | b'\'' | b'#'))
    {
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

/// A one-line flow sequence of numbers, `[0.5, -1, 3e-4]`, read without collecting its items
/// first (rows are most of a block). An item that is not a [`number`] (a quote, a comment, a
/// nested sequence) declines the whole block.
fn numbers(v: &str) -> Option<Vec<f64>> {
    let inner = v.strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim().is_empty() {
        return Some(Vec::new());
    }
    let mut out = Vec::with_capacity(inner.len() / 4 + 1);
    // Split at commas by hand: the items are a few bytes long, too short for `split` to pay off.
    let mut start = 0;
    for (i, &c) in inner.as_bytes().iter().enumerate() {
        if c == b',' {
            out.push(number(inner[start..i].trim_ascii())?);
            start = i + 1;
        }
    }
    // Only ASCII blanks are trimmed: an item with other white space is not a number here, and
    // the block goes to serde_yaml.
    out.push(number(inner[start..].trim_ascii())?);
    Some(out)
}

/// A decimal number as YAML 1.2 reads it to the same f64: `-12`, `0.5`, `3e-4`, `-1.5E+3`.
fn number(v: &str) -> Option<f64> {
    let b = v.as_bytes();
    let negative = b.first() == Some(&b'-');
    let mut i = usize::from(negative);
    // The digits read so far as one integer, and how many there are.
    let (mut mantissa, mut count) = (0u64, 0usize);
    let mut digits = |i: &mut usize| {
        let s = *i;
        while let Some(d) = b.get(*i).filter(|d| d.is_ascii_digit()) {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            *i += 1;
        }
        count += *i - s;
        *i - s
    };
    if digits(&mut i) == 0 {
        return None;
    }
    let mut decimals = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        decimals = digits(&mut i);
    }
    let mut exponent = false;
    if matches!(b.get(i), Some(b'e' | b'E')) {
        exponent = true;
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == s {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    // Clinger's fast path: with at most 15 digits the mantissa is an exact f64, and so is
    // 10^decimals up to 10^22, so one correctly rounded division gives the correctly rounded
    // value, as the full parser would. Rows of a lesson's matrices are almost all like this.
    const POWERS: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    if !exponent && count <= 15 {
        let x = mantissa as f64 / POWERS[decimals];
        return Some(if negative { -x } else { x });
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

/// Reads step front matter of the common shape without serde_yaml: `title:` and optionally
/// `summary:` lines holding one-line strings, plain or double-quoted without escapes. Anything
/// else returns `None` and goes through serde_yaml, which also makes every message; a property
/// test checks that both agree wherever this accepts.
pub fn step(text: &str) -> Option<StepFront> {
    let (mut title, mut summary) = (None, None);
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let (key, rest) = line.split_once(':')?;
        let slot = match key {
            "title" => &mut title,
            "summary" => &mut summary,
            _ => return None,
        };
        if slot.is_some() {
            return None;
        }
        let value = string(rest.strip_prefix(' ')?.trim_matches(' '))?;
        *slot = Some(value.to_string());
    }
    Some(StepFront {
        title: title?,
        summary,
    })
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
        let fast = block(text).expect("fast path");
        assert_eq!(Some(fast), via_serde(text));
        // Blanks around a plain value are not part of it.
        let spaced = "name:   Q  \ncaption:  Two  words \nvalues:\n  - [1]\n";
        let fast = block(spaced).expect("fast path");
        assert_eq!(fast.name, "Q");
        assert_eq!(Some(fast), via_serde(spaced));
        // A recall block: a name to show again, and its caption.
        let recall = "recall: X\ncaption: The input, from step 1\n";
        let fast = block(recall).expect("fast path");
        assert_eq!(fast.recall.as_deref(), Some("X"));
        assert_eq!(Some(fast), via_serde(recall));
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
            "values:\n  - [1]\n",               // no name
            "name: Q\u{1}\nvalues:\n  - [1]\n", // a control character
            // A no-break space is not YAML white space: `\u{a0}2` is a string to YAML.
            "name: Q\nvalues:\n  - [1,\u{a0}2]\n",
        ] {
            assert!(block(declined).is_none(), "{declined}");
        }
    }

    /// The fast path must carry the real lessons: it reads (and agrees on) most of their blocks,
    /// `recall:` blocks included. All the course's lessons count together.
    #[test]
    fn reads_the_seed_lessons_blocks() {
        let content = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
        let (mut total, mut fast) = (0, 0);
        let lessons = std::fs::read_dir(content)
            .unwrap()
            .map(|e| e.unwrap().path());
        let files = lessons
            .filter(|p| p.is_dir())
            .flat_map(|dir| std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md"));
        for path in files {
            let text = std::fs::read_to_string(path).unwrap();
            for fenced in text.split("```matrix\n").skip(1) {
                let body = fenced.split("```").next().unwrap();
                total += 1;
                if let Some(b) = block(body) {
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

    /// A matrix block in the shape the fast path is for, with values that it must decline now
    /// and then (quoted-looking text, keywords, labels that are numbers).
    fn block_text() -> impl Strategy<Value = String> {
        (
            (
                text(),
                proptest::option::of(text()),
                proptest::option::of(text()),
                proptest::option::of(proptest::collection::vec(word(), 1..4)),
            ),
            proptest::collection::vec(proptest::collection::vec(num(), 1..4), 1..4),
            (
                proptest::option::of(0usize..20),
                proptest::option::of(any::<bool>()),
                proptest::option::of(prop_oneof![3 => "block", 3 => "equation", 3 => "[a-z]{1,8}", 1 => "[A-Z]{1,3}"]),
            ),
            // Rows at the key's own indent are YAML the fast path leaves to serde_yaml.
            prop_oneof![1 => Just(0usize), 6 => 1usize..4],
            " {1,3}",
        )
            .prop_map(|((name, compute, caption, rows), values, (precision, show, layout), indent, gap)| {
                let mut t = format!("name:{gap}{name}\n");
                if let Some(c) = &compute { t.push_str(&format!("compute: {c}\n")); }
                if let Some(c) = &caption { t.push_str(&format!("caption: {c}\n")); }
                if let Some(r) = &rows { t.push_str(&format!("rows: [{}]\n", r.join(", "))); }
                if let Some(p) = precision { t.push_str(&format!("precision: {p}\n")); }
                if let Some(s) = show { t.push_str(&format!("show: {s}\n")); }
                if let Some(l) = &layout { t.push_str(&format!("layout: {l}\n")); }
                t.push_str("values:\n");
                for row in &values {
                    t.push_str(&format!("{}- [{}]\n", " ".repeat(indent), row.join(", ")));
                }
                t
            })
    }

    fn recall_text() -> impl Strategy<Value = String> {
        (
            text(),
            proptest::option::of(text()),
            proptest::option::of(0usize..20),
            proptest::option::of(text()),
            " {1,3}",
        )
            .prop_map(|(recall, caption, precision, name, gap)| {
                let mut t = format!("recall:{gap}{recall}\n");
                if let Some(c) = &caption {
                    t.push_str(&format!("caption: {c}\n"));
                }
                if let Some(p) = precision {
                    t.push_str(&format!("precision: {p}\n"));
                }
                if let Some(n) = &name {
                    t.push_str(&format!("name: {n}\n"));
                }
                t
            })
    }

    /// The property tests above cannot pass by never taking the fast path: of the blocks they
    /// generate, the fast path reads most.
    #[test]
    fn the_generated_blocks_mostly_take_the_fast_path() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let total = 512;
        for (what, strategy) in [
            ("blocks", block_text().boxed()),
            ("recalls", recall_text().boxed()),
        ] {
            let fast = (0..total)
                .filter(|_| block(&strategy.new_tree(&mut runner).unwrap().current()).is_some())
                .count();
            assert!(
                fast * 2 >= total,
                "{fast} of {total} generated {what} on the fast path"
            );
        }
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
            24 => "[A-Za-z][A-Za-z0-9_]{0,6}",
            1 => Just("true".to_string()),
            1 => Just("null".to_string()),
            1 => Just("yes".to_string()),
            1 => "[0-9]{1,3}",
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            24 => "[A-Za-z(][A-Za-z0-9 @^_()\\[\\],+*/.-]{0,20}",
            3 => "[A-Za-z][a-z ,.:#-]{0,20}",
            1 => Just("true".to_string()),
            1 => Just("12".to_string()),
            1 => Just("x: y".to_string()),
        ]
    }

    proptest! {
        /// Numbers read as the standard library reads them, bit for bit (the fast path included).
        #[test]
        fn numbers_read_as_the_standard_library_does(
            text in "-?[0-9]{1,18}(\\.[0-9]{0,18})?([eE][+-]?[0-9]{1,3})?",
            bits in any::<u64>(),
        ) {
            let want = text.parse::<f64>().ok().filter(|x| x.is_finite());
            prop_assert_eq!(number(&text).map(f64::to_bits), want.map(f64::to_bits), "{}", text);
            let any = f64::from_bits(bits);
            if any.is_finite() {
                let shortest = format!("{any}");
                prop_assert_eq!(number(&shortest).map(f64::to_bits), Some(any.to_bits()));
            }
        }

        /// On every block the fast path accepts, it gives exactly what serde_yaml gives.
        #[test]
        fn agrees_with_serde_yaml(t in block_text()) {
            if let Some(fast) = block(&t) {
                prop_assert_eq!(Some(fast), via_serde(&t), "{}", t);
            }
        }

        /// A recall block, also with keys that do not go with it (rejected later, the same way
        /// on both paths): the fast path gives what serde_yaml gives.
        #[test]
        fn agrees_with_serde_yaml_on_recall_blocks(t in recall_text()) {
            if let Some(fast) = block(&t) {
                prop_assert_eq!(Some(fast), via_serde(&t), "{}", t);
            }
        }
    }

    fn step_via_serde(text: &str) -> Option<StepFront> {
        serde_yaml::from_str(text).ok()
    }

    #[test]
    fn reads_common_step_front_matter_and_declines_the_rest() {
        for (text, title, summary) in [
            ("title: Tokens\n", "Tokens", None),
            (
                "title: \"Three weights\"\nsummary: \"Step 2, on “The cat”.\"\n",
                "Three weights",
                Some("Step 2, on “The cat”."),
            ),
            (
                "summary:  Last \n\ntitle:   \"  padded \" \n",
                "  padded ",
                Some("Last"),
            ),
        ] {
            let fast = step(text).expect(text);
            assert_eq!(
                (fast.title.as_str(), fast.summary.as_deref()),
                (title, summary)
            );
            assert_eq!(Some(fast), step_via_serde(text), "{text}");
        }
        for declined in [
            "title: \"a \\\"quoted\\\" word\"\n", // escapes
            "title: 'single'\n",
            "title: \"open\n  close\"\n", // over two lines
            "title: A # comment\n",
            "title: A\ntitle: B\n",
            "title: A\nsumary: B\n",
            "summary: B\n",
            "title: 12\n",
            "title: true\n",
            "title:\n",
            "title: \"tab\there\"\n",
            "# a comment\ntitle: A\n",
            "  title: A\n",
        ] {
            assert_eq!(step(declined), None, "{declined}");
        }
    }

    /// Wherever the fast path accepts step front matter, serde_yaml reads the same; and it
    /// accepts most of what authors write (mostly plain `title:` and `summary:` lines), so this
    /// cannot pass by never taking the fast path.
    #[test]
    fn step_agrees_with_serde_yaml() {
        use proptest::strategy::ValueTree;
        let value = proptest::prop_oneof![
            6 => "[A-Za-z][A-Za-z0-9 ,.“”-]{0,12}",
            2 => "[A-Za-z0-9 ,.“”-]{0,12}".prop_map(|v| format!("\"{v}\"")),
            1 => "[A-Za-z0-9 \"“”:#,.'\\\\-]{0,12}",
        ];
        // Mostly a title, then maybe a summary; sometimes a key or spacing the fast path leaves
        // to serde_yaml.
        let key = |usual: &'static str| proptest::prop_oneof![8 => proptest::strategy::Just(usual), 1 => proptest::sample::select(vec!["Title", "order", "title", "summary"])];
        let gap = proptest::sample::select(vec![" ", " ", " ", " ", "", "  "]);
        let first = (key("title"), gap.clone(), value.clone());
        let strategy = (
            first,
            proptest::collection::vec((key("summary"), gap, value), 0..2),
        );
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut tried, mut accepted) = (0, 0);
        for _ in 0..4000 {
            let (first, rest) = strategy.new_tree(&mut runner).expect("a case").current();
            let text: String = std::iter::once(&first)
                .chain(&rest)
                .map(|(k, gap, v)| format!("{k}:{gap}{v}\n"))
                .collect();
            tried += 1;
            if let Some(fast) = step(&text) {
                accepted += 1;
                assert_eq!(Some(fast), step_via_serde(&text), "{text}");
            }
        }
        assert!(
            accepted * 2 > tried,
            "the fast path took only {accepted} of {tried} cases"
        );
    }
}
