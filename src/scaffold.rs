//! `lectern new` and `lectern init`: starter files that build at once.
//!
//! Names are checked before anything is written (lowercase letters, digits and dashes, so they
//! are the same in every URL and on every file system), titles are written as quoted YAML, and
//! files are created with `create_new`, so an existing file is never overwritten.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::load;

/// Checks a lesson or step name: lowercase ASCII letters and digits in dash-separated words.
pub fn check_slug(what: &str, slug: &str) -> Result<(), Error> {
    let ok = !slug.is_empty()
        && slug.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if !ok {
        return Err(Error::Usage(format!(
            "`{slug}` is not a valid {what} name: use lowercase letters, digits and single dashes, e.g. `attention-scores`"
        )));
    }
    if what == "lesson" && slug == "assets" {
        return Err(Error::Usage(
            "`assets` is taken by the site's stylesheet folder; choose another lesson name".into(),
        ));
    }
    Ok(())
}

/// The title to write: the one given (checked), or one made from the slug.
pub fn title(given: Option<&str>, slug: &str) -> Result<String, Error> {
    match given {
        Some(t) if t.trim().is_empty() => Err(Error::Usage("the title is empty".into())),
        Some(t) if t.chars().any(char::is_control) => Err(Error::Usage(
            "the title holds a line break or another control character".into(),
        )),
        Some(t) => Ok(t.trim().to_string()),
        None => {
            let words = slug.replace('-', " ");
            let mut chars = words.chars();
            Ok(chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default())
        }
    }
}

/// A YAML double-quoted string.
pub fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The file name of the next step of a lesson whose step stems are `stems`: one more than the
/// highest number, zero-padded to the widest existing number (2 digits for the first step).
pub fn next_step(stems: &[String], slug: &str) -> String {
    let numbers: Vec<(u64, usize)> = stems
        .iter()
        .filter_map(|s| {
            let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
            Some((digits.parse().ok()?, digits.len()))
        })
        .collect();
    let next = numbers.iter().map(|(n, _)| n + 1).max().unwrap_or(1);
    let width = numbers.iter().map(|(_, w)| *w).max().unwrap_or(2);
    format!("{next:0width$}-{slug}.md")
}

/// `lectern new lesson`: creates `content/SLUG/lesson.md`. Returns the path written.
pub fn new_lesson(root: &Path, slug: &str, given_title: Option<&str>) -> Result<PathBuf, Error> {
    check_slug("lesson", slug)?;
    let title = title(given_title, slug)?;
    let content = content_dir(root)?;
    let dir = content.join(slug);
    if dir.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; choose another name, or add a step with `lectern new step {slug} STEP`",
            dir.display()
        )));
    }
    fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
    let path = dir.join("lesson.md");
    create(&path, &lesson_md(&title))?;
    Ok(path)
}

/// `lectern new step`: creates the next `NN-SLUG.md` of a lesson. Returns the path written.
pub fn new_step(
    root: &Path,
    lesson: &str,
    slug: &str,
    given_title: Option<&str>,
) -> Result<PathBuf, Error> {
    check_slug("step", slug)?;
    let title = title(given_title, slug)?;
    let content = content_dir(root)?;
    if !load::lesson_slugs(root)?.contains(lesson) {
        return Err(Error::Usage(format!(
            "there is no lesson `{lesson}` in {}; create it with `lectern new lesson {lesson}`",
            content.display()
        )));
    }
    let dir = content.join(lesson);
    let mut stems = Vec::new();
    let mut texts = String::new();
    for entry in fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
        let entry = entry.map_err(|e| Error::io(&dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".md") {
            if load::is_step_name(stem) {
                if stem.split_once('-').is_some_and(|(_, s)| s == slug) {
                    return Err(Error::Usage(format!(
                        "lesson `{lesson}` already has a step named `{slug}`: {name}"
                    )));
                }
                stems.push(stem.to_string());
            }
            texts.push_str(&fs::read_to_string(entry.path()).unwrap_or_default());
        }
    }
    let file = next_step(&stems, slug);
    let number: String = file.chars().take_while(char::is_ascii_digit).collect();
    let name = free_name(&format!("M{number}"), &texts);
    let path = dir.join(&file);
    create(&path, &step_md(&title, &name))?;
    Ok(path)
}

/// A matrix name not yet defined (as `name: X`) in `texts`.
fn free_name(base: &str, texts: &str) -> String {
    let taken = |n: &str| {
        texts.lines().any(|l| {
            l.trim()
                .strip_prefix("name:")
                .is_some_and(|v| v.trim() == n)
        })
    };
    std::iter::once(base.to_string())
        .chain((2..).map(|i| format!("{base}_{i}")))
        .find(|n| !taken(n))
        .expect("some name is free")
}

/// `lectern init`: a project with `content/site.yaml` and one example lesson. Returns the
/// files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let content = dir.join("content");
    if content.is_file() {
        return Err(Error::Usage(format!("{} is a file", content.display())));
    }
    if content.is_dir()
        && fs::read_dir(&content)
            .map_err(|e| Error::io(&content, e))?
            .next()
            .is_some()
    {
        return Err(Error::Usage(format!(
            "{} is not empty: lectern init starts a new project; add lessons with `lectern new lesson NAME`",
            content.display()
        )));
    }
    let lesson = content.join("first-lesson");
    fs::create_dir_all(&lesson).map_err(|e| Error::io(&lesson, e))?;
    let files = [
        (content.join("site.yaml"), SITE_YAML),
        (lesson.join("lesson.md"), EXAMPLE_LESSON),
        (lesson.join("01-inputs-and-weights.md"), EXAMPLE_STEP_1),
        (lesson.join("02-projecting.md"), EXAMPLE_STEP_2),
    ];
    for (path, text) in &files {
        create(path, text)?;
    }
    let mut created: Vec<PathBuf> = files.into_iter().map(|(p, _)| p).collect();
    // The workflow that publishes the course on GitHub Pages, unless the folder has one.
    let workflow = dir.join(PAGES_WORKFLOW_PATH);
    if !workflow.exists() {
        let parent = workflow.parent().expect("a workflow folder");
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        create(&workflow, PAGES_WORKFLOW)?;
        created.push(workflow);
    }
    Ok(created)
}

/// Where `lectern init` writes [`PAGES_WORKFLOW`].
pub const PAGES_WORKFLOW_PATH: &str = ".github/workflows/pages.yml";
/// The GitHub Actions workflow that builds a course with lectern and deploys it on GitHub
/// Pages: the one lectern's own repository publishes its course with.
pub const PAGES_WORKFLOW: &str = include_str!("../.github/workflows/pages.yml");

fn content_dir(root: &Path) -> Result<PathBuf, Error> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::Usage(format!(
            "no content/ folder in {}: pass --root DIR, or start a project with `lectern init`",
            root.display()
        )));
    }
    Ok(content)
}

/// Writes a new file; an existing one is an error, never overwritten.
fn create(path: &Path, text: &str) -> Result<(), Error> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Usage(format!(
                "{} already exists; it was left as it is",
                path.display()
            )),
            _ => Error::io(path, e),
        })?;
    f.write_all(text.as_bytes()).map_err(|e| Error::io(path, e))
}

fn lesson_md(title: &str) -> String {
    format!(
        r#"---
title: {}
summary: "One sentence on what this lesson teaches."
objectives:
  - "What a reader can do after this lesson"
---

The introduction, shown on the lesson's overview page. Matrices defined here are visible in
every step of the lesson; add steps with `lectern new step`.

```matrix
name: X
caption: Inputs, one row per token
rows: [the, cat]
cols: [d1, d2, d3]
values:
  - [1.0, 0.0, 2.0]
  - [0.0, 1.0, 1.0]
```
"#,
        yaml_string(title)
    )
}

fn step_md(title: &str, name: &str) -> String {
    format!(
        r#"---
title: {}
summary: "One sentence under the title and in the lesson's step list."
---

Write the step here.

```matrix
# A literal matrix. A computed one has `compute: X @ W^T` instead of `values`, and `expect`
# holds the numbers you typed, checked against the computed ones at build time.
name: {name}
caption: A starter matrix; replace it with yours
values:
  - [1, 0]
  - [0, 1]
```
"#,
        yaml_string(title)
    )
}

const SITE_YAML: &str = r#"title: "My lessons"
description: "Short lessons where every number is computed and checked when the site is built."
base_url: /
language: en
"#;

const EXAMPLE_LESSON: &str = r#"---
title: "A first lesson"
summary: "Two inputs, one weight matrix, and a projection checked at build time."
objectives:
  - "Read a literal matrix block"
  - "Check a computed matrix with `expect`"
prerequisites:
  - "Matrix products"
---

This lesson shows the two kinds of matrix blocks. Edit a number in step 2's `expect` and run
`lectern build`: the build fails and points at the wrong cell.
"#;

const EXAMPLE_STEP_1: &str = r#"---
title: "Inputs and weights"
summary: "Two literal matrices: the inputs X and the weights W."
---

Each row of X is one token:

```matrix
name: X
caption: Inputs, one row per token
rows: [the, cat]
cols: [d1, d2, d3]
precision: 1
values:
  - [1.0, 0.0, 2.0]
  - [0.0, 1.0, 1.0]
```

W is stored output × input, like `torch.nn.Linear`:

```matrix
name: W
caption: Weights, stored output × input
rows: [q1, q2]
cols: [d1, d2, d3]
precision: 1
values:
  - [0.5, 1.0, 0.0]
  - [0.0, 0.5, 1.0]
```
"#;

const EXAMPLE_STEP_2: &str = r#"---
title: "Projecting"
summary: "A computed matrix whose typed values are checked."
---

Q is computed from the matrices of step 1; `expect` holds the values worked out by hand, and the
build checks each one. `layout: equation` shows the product as X · Wᵀ = Q, with X and the
transposed W beside Q:

```matrix
name: Q
compute: X @ W^T
layout: equation
shape: [2, 2]
caption: The projection, one row per token
expect:
  - [0.5, 2.0]
  - [1.0, 1.5]
```

The value of "cat" on q2 is `= Q[cat, q2]`, computed, not typed.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["a", "attention-scores", "step2", "01-x"] {
            assert!(check_slug("step", ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "A", "a b", "a--b", "-a", "a-", "../x", "a/b", "é", "a_b", ".x",
        ] {
            assert!(check_slug("step", bad).is_err(), "{bad}");
        }
        assert!(check_slug("lesson", "assets").is_err());
    }

    #[test]
    fn titles_and_yaml() {
        assert_eq!(title(None, "attention-scores").unwrap(), "Attention scores");
        assert_eq!(title(Some(" Q: \"why\" "), "x").unwrap(), "Q: \"why\"");
        assert!(title(Some("a\nb"), "x").is_err());
        assert!(title(Some("  "), "x").is_err());
        assert_eq!(yaml_string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }

    #[test]
    fn next_step_numbers_follow_the_existing_ones() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(next_step(&s(&[]), "x"), "01-x.md");
        assert_eq!(next_step(&s(&["01-a", "02-b"]), "x"), "03-x.md");
        assert_eq!(next_step(&s(&["1-a", "2-b"]), "x"), "3-x.md");
        assert_eq!(next_step(&s(&["001-a"]), "x"), "002-x.md");
        assert_eq!(next_step(&s(&["09-a"]), "x"), "10-x.md");
        assert_eq!(next_step(&s(&["01-a", "10-b", "03-c"]), "x"), "11-x.md");
    }

    #[test]
    fn starter_names_avoid_existing_ones() {
        assert_eq!(free_name("M03", "name: X\n"), "M03");
        assert_eq!(free_name("M03", "name: M03\n  name:  M03_2\n"), "M03_3");
    }
}
