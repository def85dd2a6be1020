//! Front matter: the YAML between `---` lines at the top of `lesson.md` and step files.

use serde::Deserialize;

use super::fast_block;
use super::yaml::YamlText;
use crate::error::Diagnostic;
use crate::model::{Concept, LessonMeta};
use crate::source::{FileId, Span};

/// Splits a file into its front matter and the byte offset where the Markdown body starts.
pub fn split(file: FileId, text: &str) -> Result<(YamlText, usize), Diagnostic> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::error("missing front matter")
            .at(
                Span::new(file, 0..first.len()),
                "the file must start with a `---` line",
            )
            .help("start the file with\n---\ntitle: A title\n---"));
    }
    let start = first.len()
        + if text[first.len()..].starts_with("\r\n") {
            2
        } else {
            1
        };
    let mut off = start.min(text.len());
    for line in text[off..].split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let mut yaml = YamlText::new(file, 0..off);
            yaml.push(&text[start..off], start);
            return Ok((yaml, off + line.len()));
        }
        off += line.len();
    }
    Err(Diagnostic::error("unclosed front matter")
        .at(
            Span::new(file, 0..first.len()),
            "front matter opened here is never closed",
        )
        .help("end the front matter with a line holding only `---`"))
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct LessonFront {
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    order: i64,
    #[serde(default)]
    prerequisites: Vec<String>,
    #[serde(default)]
    objectives: Vec<String>,
    #[serde(default)]
    key_concepts: Vec<ConceptYaml>,
}

pub const LESSON_KEYS: &[&str] = &[
    "title",
    "summary",
    "order",
    "prerequisites",
    "objectives",
    "key_concepts",
];

#[derive(Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum ConceptYaml {
    Term(String),
    Full(FullConcept),
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct FullConcept {
    term: String,
    #[serde(default)]
    definition: Option<String>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct StepFront {
    title: String,
    #[serde(default)]
    summary: Option<String>,
}

pub const STEP_KEYS: &[&str] = &["title", "summary"];

pub fn lesson_meta(yaml: &YamlText) -> Result<LessonMeta, Diagnostic> {
    let f: LessonFront = match fast_lesson(&yaml.text) {
        Some(f) => f,
        None => yaml.parse("lesson front matter", LESSON_KEYS)?,
    };
    non_empty(yaml, "title", &f.title)?;
    Ok(LessonMeta {
        title: f.title,
        summary: f.summary,
        order: f.order,
        prerequisites: f.prerequisites,
        objectives: f.objectives,
        key_concepts: f
            .key_concepts
            .into_iter()
            .map(|c| match c {
                ConceptYaml::Term(term) => Concept {
                    term,
                    definition: None,
                },
                ConceptYaml::Full(f) => Concept {
                    term: f.term,
                    definition: f.definition,
                },
            })
            .collect(),
    })
}

pub fn step_meta(yaml: &YamlText) -> Result<(String, Option<String>), Diagnostic> {
    let f = match fast_step(&yaml.text) {
        Some(f) => f,
        None => yaml.parse("step front matter", STEP_KEYS)?,
    };
    non_empty(yaml, "title", &f.title)?;
    Ok((f.title, f.summary))
}

/// Reads lesson front matter of the common shape without serde_yaml: `title:` and `summary:`
/// as one-line strings (see [`fast_step`]), `order:` as a plain integer, `prerequisites:` and
/// `objectives:` as block lists of one-line strings, and `key_concepts:` as a block list whose
/// items are a string or `term:` with an optional `definition:` on the next line. Anything
/// else returns `None` and goes through serde_yaml; a property test checks that both agree
/// wherever this accepts.
fn fast_lesson(text: &str) -> Option<LessonFront> {
    let mut f = LessonFront {
        title: String::new(),
        summary: String::new(),
        order: 0,
        prerequisites: Vec::new(),
        objectives: Vec::new(),
        key_concepts: Vec::new(),
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).peekable();
    // The items of a block list under a key: lines `<indent>- item`, all at one indent, each
    // maybe followed by one line at `<indent + 2>` (a key concept's `definition:`).
    type Item<'t> = (&'t str, Option<&'t str>);
    fn items<'t>(
        lines: &mut std::iter::Peekable<impl Iterator<Item = &'t str>>,
    ) -> Option<Vec<Item<'t>>> {
        let mut out: Vec<Item> = Vec::new();
        let mut indent = None;
        while let Some(line) = lines.peek() {
            let body = line.trim_start_matches(' ');
            let depth = line.len() - body.len();
            if depth == 0 {
                break;
            }
            let indent = *indent.get_or_insert(depth);
            if depth == indent {
                out.push((body.strip_prefix("- ")?, None));
            } else if depth == indent + 2 {
                let last = out.last_mut()?;
                if last.1.is_some() {
                    return None;
                }
                last.1 = Some(body);
            } else {
                return None;
            }
            lines.next();
        }
        Some(out)
    }
    while let Some(line) = lines.next() {
        let (key, rest) = line.split_once(':')?;
        if seen.contains(&key) {
            return None;
        }
        seen.push(key);
        let value = match rest {
            "" => "",
            rest => rest.strip_prefix(' ')?.trim_matches(' '),
        };
        match key {
            "title" | "summary" => {
                let v = fast_block::string(value)?.to_string();
                if key == "title" {
                    f.title = v;
                } else {
                    f.summary = v;
                }
            }
            "order" => {
                let digits = value.strip_prefix('-').unwrap_or(value);
                let ok = !digits.is_empty()
                    && digits.len() <= 18
                    && digits.bytes().all(|b| b.is_ascii_digit())
                    && (digits == "0" || !digits.starts_with('0'));
                if !ok {
                    return None;
                }
                f.order = value.parse().ok()?;
            }
            "prerequisites" | "objectives" | "key_concepts" => {
                if !value.is_empty() {
                    return None;
                }
                let list = items(&mut lines)?;
                if list.is_empty() {
                    return None;
                }
                for (item, more) in list {
                    let one = |v: &str| Some(fast_block::string(v.trim_matches(' '))?.to_string());
                    if key != "key_concepts" {
                        if more.is_some() {
                            return None;
                        }
                        let v = one(item)?;
                        if key == "prerequisites" {
                            f.prerequisites.push(v);
                        } else {
                            f.objectives.push(v);
                        }
                        continue;
                    }
                    let Some(term) = item.strip_prefix("term: ") else {
                        if more.is_some() {
                            return None;
                        }
                        f.key_concepts.push(ConceptYaml::Term(one(item)?));
                        continue;
                    };
                    let definition = match more {
                        Some(line) => Some(one(line.strip_prefix("definition: ")?)?),
                        None => None,
                    };
                    f.key_concepts.push(ConceptYaml::Full(FullConcept {
                        term: one(term)?,
                        definition,
                    }));
                }
            }
            _ => return None,
        }
    }
    seen.contains(&"title").then_some(f)
}

/// Reads step front matter of the common shape without serde_yaml: `title:` and optionally
/// `summary:` lines holding one-line strings, plain or double-quoted without escapes. Anything
/// else returns `None` and goes through serde_yaml, which also makes every message; a property
/// test checks that both agree wherever this accepts.
fn fast_step(text: &str) -> Option<StepFront> {
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
        let value = fast_block::string(rest.strip_prefix(' ')?.trim_matches(' '))?;
        *slot = Some(value.to_string());
    }
    Some(StepFront {
        title: title?,
        summary,
    })
}

fn non_empty(yaml: &YamlText, key: &str, value: &str) -> Result<(), Diagnostic> {
    if value.trim().is_empty() {
        return Err(Diagnostic::error(format!("`{key}` is empty")).at(
            yaml.key_span(key).unwrap_or_else(|| yaml.whole_span()),
            "give it some text",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_from_body() {
        let text = "---\ntitle: A\n---\n# Body\n";
        let (yaml, body) = split(FileId(0), text).unwrap();
        assert_eq!(yaml.text, "title: A\n");
        assert_eq!(yaml.to_file(0), 4);
        assert_eq!(&text[body..], "# Body\n");
    }

    use proptest::strategy::Strategy;

    fn via_serde(text: &str) -> Option<StepFront> {
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
            let fast = fast_step(text).expect(text);
            assert_eq!(
                (fast.title.as_str(), fast.summary.as_deref()),
                (title, summary)
            );
            assert_eq!(Some(fast), via_serde(text), "{text}");
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
            assert_eq!(fast_step(declined), None, "{declined}");
        }
    }

    proptest::proptest! {
        /// Wherever the fast path accepts step front matter, serde_yaml reads the same.
        #[test]
        fn fast_step_agrees_with_serde_yaml(
            lines in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["title", "summary", "Title", "order"]),
                    " {0,2}",
                    proptest::prop_oneof![
                        "[A-Za-z0-9 \"“”:#,.'\\\\-]{0,12}",
                        "[A-Za-z0-9 \"“”:#,.'\\\\-]{0,12}".prop_map(|v| format!("\"{v}\"")),
                    ],
                ),
                1..4,
            ),
        ) {
            let text: String = lines
                .iter()
                .map(|(k, gap, v)| format!("{k}:{gap}{v}\n"))
                .collect();
            if let Some(fast) = fast_step(&text) {
                proptest::prop_assert_eq!(Some(fast), via_serde(&text), "{}", text);
            }
        }
    }

    fn lesson_via_serde(text: &str) -> Option<LessonFront> {
        serde_yaml::from_str(text).ok()
    }

    #[test]
    fn reads_common_lesson_front_matter_and_declines_the_rest() {
        let text = "title: \"Attention 1\"\nsummary: On “the cat”.\norder: -3\nprerequisites:\n  - Matrix basics\nobjectives:\n  - \"Compute Q, K and V\"\n  - Predict shapes\nkey_concepts:\n  - term: Query\n    definition: \"What a token looks for.\"\n  - Value\n  - term: Key\n";
        let fast = fast_lesson(text).expect("fast path");
        assert_eq!(fast.order, -3);
        assert_eq!(fast.objectives, ["Compute Q, K and V", "Predict shapes"]);
        assert_eq!(fast.key_concepts.len(), 3);
        assert_eq!(Some(fast), lesson_via_serde(text));
        // The seed lesson's own front matter takes the fast path.
        let seed = include_str!("../../content/qkv-projections/lesson.md");
        let front = seed.split("---\n").nth(1).unwrap();
        assert_eq!(fast_lesson(front), lesson_via_serde(front));
        assert!(fast_lesson(front).is_some());
        for declined in [
            "title: A\norder: 007\n",
            "title: A\norder: 1.5\n",
            "title: A\norder: 0x10\n",
            "title: A\nobjectives: [a, b]\n",
            "title: A\nobjectives:\n  - a\n   - b\n",
            "title: A\nobjectives:\n  - a: b\n",
            "title: A\nkey_concepts:\n  - term: Q\n    meaning: x\n",
            "title: A\nkey_concepts:\n  - term: Q\n      definition: x\n",
            "title: A\nobjectives:\n",
            "title: A\ntags:\n  - a\n",
            "summary: no title\n",
            "title: A\ntitle: B\n",
        ] {
            assert_eq!(fast_lesson(declined), None, "{declined}");
        }
    }

    /// Mostly words the fast path takes, sometimes anything.
    fn text() -> impl Strategy<Value = String> {
        proptest::prop_oneof![
            4 => "[A-Za-z][A-Za-z ]{0,8}",
            1 => "[A-Za-z0-9 \"“”:#,.'-]{0,8}",
        ]
    }

    proptest::proptest! {
        /// Wherever the fast path accepts lesson front matter, serde_yaml reads the same.
        #[test]
        fn fast_lesson_agrees_with_serde_yaml(
            title in text(),
            order in proptest::option::of("-?[0-9]{1,3}|[0-9]\\.[0-9]|\\+[0-9]"),
            lists in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["prerequisites", "objectives", "key_concepts"]),
                    1usize..4,
                    proptest::collection::vec(
                        (
                            proptest::sample::select(vec!["", "term: ", "term: ", "- "]),
                            text(),
                            proptest::option::of((0usize..5, text())),
                        ),
                        0..3,
                    ),
                ),
                0..3,
            ),
        ) {
            let mut text = format!("title: {title}\n");
            if let Some(o) = &order {
                text.push_str(&format!("order: {o}\n"));
            }
            for (key, indent, list) in &lists {
                text.push_str(&format!("{key}:\n"));
                for (prefix, item, definition) in list {
                    text.push_str(&format!("{}- {prefix}{item}\n", " ".repeat(*indent)));
                    if let Some((extra, d)) = definition {
                        text.push_str(&format!("{}definition: {d}\n", " ".repeat(indent + extra)));
                    }
                }
            }
            if let Some(fast) = fast_lesson(&text) {
                proptest::prop_assert_eq!(Some(fast), lesson_via_serde(&text), "{}", text);
            }
        }
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert_eq!(
            split(FileId(0), "# x").unwrap_err().message,
            "missing front matter"
        );
        assert_eq!(
            split(FileId(0), "---\ntitle: x\n").unwrap_err().message,
            "unclosed front matter"
        );
    }
}
