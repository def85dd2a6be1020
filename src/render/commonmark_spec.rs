//! The CommonMark 0.31.2 spec examples through lectern's Markdown renderer, counted: run with
//! `cargo test --lib commonmark_spec -- --ignored --nocapture`. The examples are read from the
//! copy that pulldown-cmark's crate ships (`tests/suite/spec.rs` in the cargo registry), so
//! nothing is vendored; the test is ignored by default and skips when that copy is not there.
//!
//! lectern differs from plain CommonMark on purpose (heading ids and self-links, smart
//! punctuation, `$…$` math, GFM tables in a scrolling wrapper, `.md` links rewritten): each
//! failing example is put in the first of those classes that explains it, and what is left is
//! printed for a look.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::compute::lesson::LessonValues;
use crate::math::Math;
use crate::render::markdown::{Context, to_html};
use crate::source::FileId;

/// pulldown-cmark's `tests/suite/spec.rs` in the cargo registry, if there is one.
fn spec_file() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let registry = home.join("registry").join("src");
    for index in std::fs::read_dir(registry).ok()?.flatten() {
        for krate in std::fs::read_dir(index.path()).ok()?.flatten() {
            let name = krate.file_name().to_string_lossy().into_owned();
            if name.starts_with("pulldown-cmark-0.13") {
                let spec = krate.path().join("tests/suite/spec.rs");
                if spec.exists() {
                    return Some(spec);
                }
            }
        }
    }
    None
}

/// The raw string literal after `marker` in `text` from `from`: its contents and where it ends.
fn raw_string(text: &str, marker: &str, from: usize) -> Option<(String, usize)> {
    let at = from + text[from..].find(marker)? + marker.len();
    let rest = &text[at..];
    let hashes = rest.find('"')?;
    let close = format!("\"{}", &rest[..hashes]);
    let body = &rest[hashes + 1..];
    let end = body.find(&close)?;
    Some((body[..end].to_string(), at + hashes + 1 + end + close.len()))
}

/// As pulldown-cmark's own spec test compares.
fn standardize(s: &str) -> String {
    s.replace("<br>", "<br />")
        .replace("<br/>", "<br />")
        .replace("<hr>", "<hr />")
        .replace("<hr/>", "<hr />")
        .replace(">\n<", "><")
}

fn unsmart(s: &str) -> String {
    s.replace('—', "---")
        .replace('–', "--")
        .replace('…', "...")
        .replace(['’', '‘'], "'")
        .replace(['“', '”'], "\"")
}

/// The page without what lectern adds to headings: the `id` and the self-link.
fn without_heading_links(s: &str) -> String {
    let mut out = s.to_string();
    for level in 1..=6 {
        let open = format!("<h{level} id=\"");
        while let Some(at) = out.find(&open) {
            let end = at + open.len() + out[at + open.len()..].find('"').unwrap();
            out.replace_range(at + 3..end + 1, "");
        }
    }
    while let Some(at) = out.find("<a class=\"heading-link\" href=\"") {
        let end = at + out[at..].find("\">").unwrap() + 2;
        out.replace_range(at..end, "");
        let close = out[at..].find("</h").map(|c| at + c);
        if let Some(close) = close.filter(|&c| out[..c].ends_with("</a>")) {
            out.replace_range(close - 4..close, "");
        }
    }
    out
}

#[test]
#[ignore = "reads pulldown-cmark's copy of the spec from the cargo registry; run by hand"]
fn commonmark_spec_examples() {
    let Some(path) = spec_file() else {
        eprintln!("no pulldown-cmark 0.13 spec.rs in the cargo registry: skipped");
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let mut examples = Vec::new();
    let mut at = 0;
    while let Some((original, end)) = raw_string(&text, "let original = r", at) {
        let (expected, end) = raw_string(&text, "let expected = r", end).unwrap();
        examples.push((original, expected));
        at = end;
    }
    let values = LessonValues::default();
    let math = Math::default();
    let blocks = BTreeMap::new();
    let cx = Context {
        file: FileId(0),
        values: &values,
        math: &math,
        blocks: &blocks,
    };
    let mut classes: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut passed = 0;
    for (i, (original, expected)) in examples.iter().enumerate() {
        let (html, _, _) = to_html(original, 0..original.len(), &cx, None, None);
        let (ours, want) = (standardize(&html), standardize(expected));
        let class = if ours == want {
            passed += 1;
            continue;
        } else if without_heading_links(&ours) == want {
            "heading ids and self-links"
        } else if unsmart(&ours) == want {
            "smart punctuation"
        } else if unsmart(&without_heading_links(&ours)) == want {
            "heading ids and self-links, and smart punctuation"
        } else if original.contains('$') {
            "`$` math"
        } else if ours.contains("table-wrap") {
            "GFM tables"
        } else if original.contains(".md") {
            "`.md` links rewritten"
        } else if original.contains("[^") {
            "footnotes"
        } else if original.contains('~') {
            "strikethrough"
        } else if original.contains("[ ]") || original.contains("[x]") {
            "task lists"
        } else if original.contains('{') {
            "heading attributes"
        } else {
            "other"
        };
        classes.entry(class).or_default().push(i + 1);
    }
    println!(
        "CommonMark 0.31.2: {passed} of {} examples as specified",
        examples.len()
    );
    for (class, list) in &classes {
        println!("{:>4}  {class}: {list:?}", list.len());
    }
    let look = classes
        .iter()
        .filter(|(c, _)| !c.contains("heading") && !c.contains("smart"));
    for &n in look.flat_map(|(_, l)| l) {
        let (original, expected) = &examples[n - 1];
        let (html, _, _) = to_html(original, 0..original.len(), &cx, None, None);
        println!("--- example {n}\n{original:?}\nwant {expected:?}\ngot  {html:?}");
    }
    // The build also refuses text that looks like an unread formula: no spec example should be.
    let refused: Vec<usize> = examples
        .iter()
        .enumerate()
        .filter(|(_, (original, _))| {
            let found = crate::parse::markdown::scan(FileId(0), original, 0..original.len(), false);
            !found.unread_math.is_empty() || !found.spaced_math.is_empty()
        })
        .map(|(i, _)| i + 1)
        .collect();
    println!("refused or warned by the formula checks: {refused:?}");
    assert_eq!(examples.len(), 652);
    assert!(refused.is_empty(), "{refused:?}");
    assert!(!classes.contains_key("other"), "{classes:?}");
}
