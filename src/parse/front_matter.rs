//! Front matter: the YAML between `---` lines at the top of `lesson.md` and step files.

use serde::Deserialize;

use super::expr::is_identifier;
use super::yaml::YamlText;
use super::yaml::fast;
use super::yaml::step::STEP_KEYS;
use crate::error::Diagnostic;
use crate::model::{Concept, FrontText, Import, LessonMeta, Prerequisite};
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
    prerequisites: Vec<PrerequisiteYaml>,
    #[serde(default)]
    objectives: Vec<String>,
    #[serde(default)]
    key_concepts: Vec<ConceptYaml>,
    #[serde(default)]
    imports: Vec<String>,
}

pub const LESSON_KEYS: &[&str] = &[
    "title",
    "summary",
    "order",
    "prerequisites",
    "objectives",
    "key_concepts",
    "imports",
];

/// A prerequisite: text, or `lesson: SLUG` (with an optional `title:`), a lesson of the site.
#[derive(Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum PrerequisiteYaml {
    Text(String),
    Lesson(LessonPrerequisite),
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct LessonPrerequisite {
    lesson: String,
    #[serde(default)]
    title: Option<String>,
}

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

pub fn lesson_meta(yaml: &YamlText) -> Result<LessonMeta, Diagnostic> {
    let f: LessonFront = yaml.parse("lesson front matter", LESSON_KEYS)?;
    non_empty(yaml, "title", &f.title)?;
    let imports = f
        .imports
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let span = yaml
                .item_span("imports", i)
                .or_else(|| yaml.item_text_span("imports", text))
                .or_else(|| yaml.key_span("imports"))
                .unwrap_or_else(|| yaml.whole_span());
            import(text, span)
        })
        .collect::<Result<_, _>>()?;
    Ok(LessonMeta {
        imports,
        title: f.title,
        summary: f.summary,
        order: f.order,
        prerequisites: f
            .prerequisites
            .into_iter()
            .map(|p| match p {
                PrerequisiteYaml::Text(text) => Prerequisite { text, lesson: None },
                PrerequisiteYaml::Lesson(l) => Prerequisite {
                    text: l.title.unwrap_or_else(|| l.lesson.clone()),
                    lesson: Some(l.lesson),
                },
            })
            .collect(),
        objectives: f
            .objectives
            .into_iter()
            .enumerate()
            .map(|(i, text)| front_text(yaml, "objectives", i, text))
            .collect(),
        key_concepts: f
            .key_concepts
            .into_iter()
            .enumerate()
            .map(|(i, c)| match c {
                ConceptYaml::Term(term) => Concept {
                    term: front_text(yaml, "key_concepts", i, term),
                    definition: None,
                },
                ConceptYaml::Full(f) => Concept {
                    term: front_text(yaml, "key_concepts", i, f.term),
                    definition: f.definition.map(|d| {
                        let mut t = front_text(yaml, "key_concepts", i, d);
                        if let (false, Some(key)) = (
                            t.verbatim,
                            yaml.text_in_item("key_concepts", i, "definition:"),
                        ) {
                            t.span = key;
                        }
                        t
                    }),
                },
            })
            .collect(),
    })
}

/// `text`, the `i`-th item of the list under `key` (or a part of it), with where it is written.
fn front_text(yaml: &YamlText, key: &str, i: usize, text: String) -> FrontText {
    let entry = || {
        yaml.item_span(key, i)
            .or_else(|| yaml.key_span(key))
            .unwrap_or_else(|| yaml.whole_span())
    };
    // The text as written, looked for from the item's own line on.
    let found = yaml.text_in_item(key, i, &text);
    match found {
        Some(span) if !text.is_empty() => FrontText {
            text,
            span,
            verbatim: true,
        },
        _ => FrontText {
            text,
            span: entry(),
            verbatim: false,
        },
    }
}

/// One entry of `imports:`, `LESSON/NAME` or `LESSON/NAME as ALIAS`, written at `span`.
fn import(text: &str, span: Span) -> Result<Import, Diagnostic> {
    let (path, alias) = match text.split_once(" as ") {
        Some((path, alias)) => (path.trim(), Some(alias.trim())),
        None => (text.trim(), None),
    };
    let Some((lesson, name)) = path
        .split_once('/')
        .filter(|(l, n)| !l.is_empty() && is_identifier(n))
    else {
        return Err(
            Diagnostic::error(format!("`{text}` is not an import"))
                .at(span, "expected LESSON/NAME")
                .help("name the lesson's folder and the matrix, e.g. `qkv-projections/W_Q`, or `qkv-projections/W_Q as W_Q1` to use it under another name"),
        );
    };
    if let Some(alias) = alias.filter(|a| !is_identifier(a)) {
        return Err(
            Diagnostic::error(format!("`{alias}` is not a valid matrix name"))
                .at(span, "after `as`")
                .help("use letters, digits and `_`, starting with a letter or `_`, e.g. `W_Q1`"),
        );
    }
    Ok(Import {
        lesson: lesson.to_string(),
        name: name.to_string(),
        alias: alias.unwrap_or(name).to_string(),
        span,
    })
}

/// What the driver reads of every `lesson.md` before any lesson is made: its title and order
/// (for the course's list of lessons, which every lesson's pages show) and its imports (lesson,
/// name: the order in which lessons are made). Read quickly; problems with them are reported
/// when the lesson itself is read.
#[derive(Debug, Default, PartialEq)]
pub struct Head {
    pub title: Option<String>,
    pub order: i64,
    pub imports: Vec<(String, String)>,
}

pub fn head_of(text: &str) -> Head {
    #[derive(Deserialize)]
    struct Only {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        order: i64,
        #[serde(default)]
        imports: Vec<String>,
    }
    let Ok((yaml, _)) = split(FileId(0), text) else {
        return Head::default();
    };
    let Some(only) = yaml.peek::<Only>() else {
        return Head::default();
    };
    let imports = only
        .imports
        .iter()
        .filter_map(|i| {
            let path = i.split(" as ").next()?.trim();
            let (lesson, name) = path.split_once('/')?;
            Some((lesson.to_string(), name.to_string()))
        })
        .collect();
    Head {
        title: only.title.filter(|t| !t.trim().is_empty()),
        order: only.order,
        imports,
    }
}

pub fn step_meta(yaml: &YamlText) -> Result<(String, Option<String>), Diagnostic> {
    let f = match fast::step(&yaml.text) {
        Some(f) => f,
        None => yaml.parse("step front matter", STEP_KEYS)?,
    };
    non_empty(yaml, "title", &f.title)?;
    Ok((f.title, f.summary))
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
