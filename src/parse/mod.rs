//! Parse: turn the loaded files into the [`Site`] model.
//!
//! Front matter becomes typed metadata, each Markdown body is scanned for matrix blocks and
//! inline values, and each expression is parsed. Every problem is collected, never just the first.

pub mod expr;
pub mod front_matter;
pub mod markdown;
pub mod matrix_block;
pub mod quiz;
pub mod yaml;

use std::collections::BTreeMap;

use crate::config::{Limits, SITE_KEYS, SiteConfig};
use crate::error::Diagnostic;
use crate::load::{LessonFiles, Project};
use crate::model::{Doc, InlineDef, Lesson, LessonMeta, Site, Step};
use crate::source::{FileId, Sources, Span};
pub use front_matter::{Head, head_of};
use markdown::Events;
use rayon::prelude::*;
use yaml::YamlText;

/// Parses the whole project at once; returns the site and every problem found. (A build
/// parses each lesson when its turn comes, with [`lesson`].)
pub fn parse(project: &Project) -> (Option<Site>, Vec<Diagnostic>) {
    let (config, mut problems) = site_config(&project.sources, project.site_yaml);
    let settings = Settings::new(config.as_ref(), false);

    if project.lessons.is_empty() {
        problems.push(
            Diagnostic::error("content/ has no lessons")
                .help("create a folder content/<lesson>/ holding a lesson.md that starts with front matter `title:`"),
        );
    }
    // Lessons are independent: parse them in parallel, then keep the folder order.
    let parsed: Vec<(Option<Lesson>, Vec<Diagnostic>)> = project
        .lessons
        .par_iter()
        .map(|files| parse_lesson(&project.sources, files, &settings, &mut Vec::new()))
        .collect();
    let mut lessons = Vec::new();
    for (lesson, mut found) in parsed {
        lessons.extend(lesson);
        problems.append(&mut found);
    }
    lessons.sort_by(|a, b| a.site_order().cmp(&b.site_order()));
    let site = config.map(|config| Site { config, lessons });
    (site, problems)
}

/// `content/site.yaml` (the file `site_yaml` of `sources`), read.
pub fn site_config(sources: &Sources, site_yaml: FileId) -> (Option<SiteConfig>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let file = site_yaml;
    let site_file = sources.get(file);
    let mut site_yaml = YamlText::new(file, 0..site_file.text.len());
    site_yaml.push(&site_file.text, 0);
    let config = site_yaml
        .parse("site.yaml", SITE_KEYS)
        .map_err(|d| problems.push(d))
        .ok();
    (config, problems)
}

/// The names of the matrix blocks of a Markdown text, found by a quick look at its lines (a
/// fence opening ```` ```matrix ````, then a `name:` line before the closing fence): enough to
/// tell an author which other lesson defines a name, without parsing anything.
pub fn matrix_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        let t = line.trim_start_matches(['>', ' ']);
        if let Some(info) = t.strip_prefix("```") {
            in_block = !in_block && markdown::is_matrix_info(info);
        } else if in_block && let Some(name) = t.strip_prefix("name:") {
            let name = name.trim().trim_matches(['"', '\'']);
            names.push(name.to_string());
        }
    }
    names
}

/// What every document is parsed with.
pub struct Settings {
    limits: Limits,
    allow_html: bool,
    /// Keep each body's Markdown events for the renderer.
    keep_events: bool,
}

impl Settings {
    /// For a site with `config` (the defaults when site.yaml could not be read).
    pub fn new(config: Option<&SiteConfig>, keep_events: bool) -> Self {
        Settings {
            limits: config.map(|c| c.limits.clone()).unwrap_or_default(),
            allow_html: config.is_none_or(|c| c.allow_html),
            keep_events,
        }
    }
}

/// One lesson, for a run that takes each lesson from parse to pages on its own (see
/// [`crate::pipeline`]): the lesson, its problems, and the Markdown events of each of its
/// documents (with `settings.keep_events`), so that the renderer does not parse them again.
pub fn lesson<'p>(
    sources: &'p Sources,
    files: &LessonFiles,
    settings: &Settings,
) -> (Option<Lesson>, Vec<Diagnostic>, Vec<(FileId, Events<'p>)>) {
    let mut kept = Vec::new();
    let (lesson, problems) = parse_lesson(sources, files, settings, &mut kept);
    (lesson, problems, kept)
}

/// One lesson folder: `lesson.md` and its steps. With `settings.keep_events`, the events of
/// each document go to `kept`.
fn parse_lesson<'p>(
    sources: &'p Sources,
    files: &LessonFiles,
    settings: &Settings,
    kept: &mut Vec<(FileId, Events<'p>)>,
) -> (Option<Lesson>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    for name in &files.misnamed {
        problems.push(
                Diagnostic::error(format!("{name}: step files are named `NN-slug.md`"))
                    .help("rename it, e.g. to `01-introduction.md` (lowercase `.md`); a lesson folder holds lesson.md and step files"),
            );
    }
    let Some(lesson_md) = files.lesson_md else {
        problems.push(
            Diagnostic::error(format!("lesson `{}` has no lesson.md", files.slug)).help(format!(
                "create content/{}/lesson.md with front matter `title:`",
                files.slug
            )),
        );
        return (None, problems);
    };
    let (meta, intro) = match parse_doc(sources, lesson_md, settings, &mut problems, kept) {
        Some((yaml, doc)) => match front_matter::lesson_meta(&yaml) {
            Ok(meta) => {
                problems.extend(latex_in_front_matter(&yaml, "title", &meta.title));
                problems.extend(latex_in_front_matter(&yaml, "summary", &meta.summary));
                (meta, doc)
            }
            Err(d) => {
                problems.push(d);
                (LessonMeta::default(), doc)
            }
        },
        None => return (None, problems),
    };
    let mut steps = Vec::new();
    let mut numbers: BTreeMap<u32, FileId> = BTreeMap::new();
    for (file, stem) in &files.steps {
        let digits: String = stem.chars().take_while(char::is_ascii_digit).collect();
        let Ok(number) = digits.parse::<u32>() else {
            problems.push(Diagnostic::error(format!(
                "{stem}: the step number {digits} is too large"
            )));
            continue;
        };
        if let Some(&other) = numbers.get(&number) {
            let first = sources.get(other);
            problems.push(
                Diagnostic::error(format!(
                    "two steps of lesson `{}` have the number {number}: {} and {}",
                    files.slug,
                    first.name,
                    sources.get(*file).name
                ))
                .help("renumber one of them: steps are ordered by their number"),
            );
            continue;
        }
        numbers.insert(number, *file);
        let Some((yaml, doc)) = parse_doc(sources, *file, settings, &mut problems, kept) else {
            continue;
        };
        match front_matter::step_meta(&yaml) {
            Ok((title, summary)) => {
                problems.extend(latex_in_front_matter(&yaml, "title", &title));
                if let Some(s) = &summary {
                    problems.extend(latex_in_front_matter(&yaml, "summary", s));
                }
                steps.push(Step {
                    number,
                    stem: stem.clone(),
                    title,
                    summary,
                    doc,
                })
            }
            Err(d) => problems.push(d),
        }
    }
    steps.sort_by_key(|s| s.number);
    let words = std::iter::once(&intro)
        .chain(steps.iter().map(|s| &s.doc))
        .map(|d| prose_words(&sources.get(d.file).text[d.body.clone()]))
        .sum();
    let lesson = Lesson {
        slug: files.slug.clone(),
        meta,
        intro,
        steps,
        assets: files.assets.clone(),
        words,
    };
    (Some(lesson), problems)
}

/// Control characters (U+0000–U+001F but tab, line feed, form feed and carriage return;
/// U+007F–U+009F) anywhere in a file: invisible in an editor, invalid in HTML. Each is an error
/// at its place, so that none reaches a page.
fn control_characters(file: FileId, text: &str) -> Vec<Diagnostic> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\u{c}' | '\r');
    // Nearly every file has none: look at the bytes first (C1 controls are encoded 0xC2 0x80–0x9F).
    if !text
        .bytes()
        .any(|b| (b < 0x20 && !allowed(b as char)) || b == 0x7f || b == 0xc2)
    {
        return Vec::new();
    }
    text.char_indices()
        .filter(|&(_, c)| c.is_control() && !allowed(c))
        .map(|(at, c)| {
            Diagnostic::error(format!(
                "an invisible control character (U+{:04X}) in the text",
                c as u32
            ))
            .at(Span::new(file, at..at + c.len_utf8()), "here")
            .help("delete it (such characters come with text pasted from a PDF or a word processor); it would be invalid in the page's HTML")
        })
        .collect()
}

/// A warning for LaTeX in the front matter's `key` (a title or a summary): front matter is
/// plain text wherever it is shown (the page's `<title>`, the table of contents, links, search),
/// so a formula there would show its dollars and backslashes.
fn latex_in_front_matter(yaml: &YamlText, key: &str, value: &str) -> Option<Diagnostic> {
    let open = value.find('$')?;
    let close = open + 1 + value[open + 1..].find('$')?;
    let inside = &value[open + 1..close];
    // As in Markdown: a formula's dollars touch its text (`$5 to $10` is no formula).
    if inside.is_empty()
        || inside.starts_with(char::is_whitespace)
        || inside.ends_with(char::is_whitespace)
    {
        return None;
    }
    let span = yaml.value_span(key).unwrap_or_else(|| yaml.whole_span());
    Some(
        Diagnostic::warning(format!("the {key} holds a formula, which is shown as plain text"))
            .at(span, "`$…$` is not typeset here")
            .help("titles and summaries are plain text (page titles, the table of contents, links); write the formula in words or Unicode, e.g. `√d_k` for `$\\sqrt{d_k}$`"),
    )
}

/// The words of a Markdown text outside its fenced blocks (matrices, quizzes, code).
fn prose_words(text: &str) -> usize {
    let mut fenced = false;
    let mut words = 0;
    for line in text.lines() {
        let t = line.trim_start_matches(['>', ' ']);
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
        } else if !fenced {
            words += word_count(t);
        }
    }
    words
}

/// `text.split_whitespace().count()`, without cutting the words out: a block of bytes at a
/// time, unless the text has white space outside ASCII (`split_whitespace` took about 5 % of
/// `lectern check`'s time).
fn word_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    if !bytes.is_ascii() && has_wide_space(bytes) {
        return text.split_whitespace().count();
    }
    // The ASCII characters that `char::is_whitespace` takes: tab to carriage return, space.
    // Any other byte is part of a word: past ASCII, the text has no white space.
    let space = |b: u8| (b == b' ') | (b.wrapping_sub(b'\t') < 5);
    let first = bytes.first().is_some_and(|&b| !space(b));
    // A word starts at each byte of a word after a space; without branches.
    let starts: usize = bytes[1.min(bytes.len())..]
        .iter()
        .zip(bytes)
        .map(|(&b, &before)| usize::from(!space(b) & space(before)))
        .sum();
    usize::from(first) + starts
}

/// Whether UTF-8 `bytes` hold a white-space character outside ASCII: U+0085, U+00A0, U+1680,
/// U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
fn has_wide_space(bytes: &[u8]) -> bool {
    memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes)
        .chain(memchr::memchr_iter(0xE3, bytes))
        .any(|i| {
            matches!(
                bytes[i..],
                [0xC2, 0x85 | 0xA0, ..]
                    | [0xE1, 0x9A, 0x80, ..]
                    | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
                    | [0xE2, 0x81, 0x9F, ..]
                    | [0xE3, 0x80, 0x80, ..]
            )
        })
}

/// Front matter and Markdown of one file.
fn parse_doc<'p>(
    sources: &'p Sources,
    file: FileId,
    settings: &Settings,
    problems: &mut Vec<Diagnostic>,
    kept: &mut Vec<(FileId, Events<'p>)>,
) -> Option<(YamlText, Doc)> {
    let (limits, allow_html) = (&settings.limits, settings.allow_html);
    let text = &sources.get(file).text;
    let (yaml, body_start) = front_matter::split(file, text)
        .map_err(|d| problems.push(d))
        .ok()?;
    let mut found = markdown::scan(file, text, body_start..text.len(), settings.keep_events);
    kept.extend(found.events.take().map(|events| (file, events)));
    // Sized exactly: a large site holds hundreds of thousands of these until it is written.
    let mut matrices = Vec::with_capacity(found.blocks.len());
    let mut broken = Vec::new();
    for (block, fence) in found.blocks {
        let name = block.value_span("name").map(|s| text[s.range].to_string());
        match matrix_block::parse(block, fence, limits) {
            Ok(m) => matrices.push(m),
            Err(ds) => {
                problems.extend(ds);
                broken.extend(name);
            }
        }
    }
    if !allow_html {
        for range in found.raw_html {
            let line = text[range.clone()].lines().next().unwrap_or("").len();
            problems.push(
                Diagnostic::error("raw HTML is not allowed on this site")
                    .at(Span::new(file, range.start..range.start + line), "HTML")
                    .help("site.yaml sets `allow_html: false`; write it in Markdown, or put it in a code span to show it as text"),
            );
        }
    }
    for range in found.unread_math {
        // `$\frac{1}{2} $`: the closing dollar follows a space, so it closes nothing.
        let line = &text[range.end..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let spaced_close = line
            .find('$')
            .filter(|&at| line[..at].ends_with([' ', '\t']))
            .map(|at| line[..at].trim_end());
        let help = match spaced_close {
            Some(inside) => format!(
                "a formula's closing `$` must follow its last character without a space: `$\\{inside}$`; write `\\$` for a literal dollar sign"
            ),
            None => "check that the braces `{}` inside `$…$` are balanced; write `\\$` for a literal dollar sign".to_string(),
        };
        problems.push(
            Diagnostic::error("this looks like a formula, but it cannot be read")
                .at(
                    Span::new(file, range),
                    "a `$` before a LaTeX command, not part of a formula",
                )
                .help(help),
        );
    }
    for range in found.spaced_math {
        let inside = text[range.start + 1..range.end - 1].trim();
        problems.push(
            Diagnostic::warning("this formula is shown as text, with its dollar signs")
                .at(Span::new(file, range), "spaces just inside the `$`")
                .help(format!(
                    "a formula's `$` must touch its first and last character: write `${inside}$`"
                )),
        );
    }
    problems.extend(control_characters(file, text));
    for (info, range) in found.near_misses {
        problems.push(
            Diagnostic::warning(format!(
                "a code block marked `{info}` is shown as code, not as a matrix"
            ))
            .at(Span::new(file, range), "did you mean `matrix`?")
            .help("matrix blocks start with ```matrix (lowercase)"),
        );
    }
    let mut inlines = Vec::with_capacity(found.inlines.len());
    let mut quizzes = Vec::with_capacity(found.quizzes.len());
    for (block, fence) in found.quizzes {
        match quiz::parse(block, fence, text, limits, &mut inlines) {
            Ok(q) => quizzes.push(q),
            Err(ds) => problems.extend(ds),
        }
    }
    for i in found.inlines {
        let span = Span::new(file, i.range.clone());
        match expr::parse_with_depth(&i.text, limits.expression_depth) {
            Ok(e) => inlines.push(InlineDef {
                expr: e,
                text: i.text,
                base: i.base,
                offset: i.range.start,
                span,
            }),
            Err(e) => problems.push(
                Diagnostic::error(format!("cannot read the inline value: {}", e.message))
                    .at(
                        Span::new(file, i.base + e.span.start..i.base + e.span.end),
                        "here",
                    )
                    .maybe_help(e.help),
            ),
        }
    }
    inlines.shrink_to_fit();
    Some((
        yaml,
        Doc {
            file,
            body: body_start..text.len(),
            matrices,
            inlines,
            quizzes,
            broken,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_space_is_found_for_every_character_that_is_white_space_past_ascii() {
        let mut buf = [0; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            let wide = !c.is_ascii() && c.is_whitespace();
            assert_eq!(has_wide_space(bytes), wide, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = proptest::prop_oneof![
            3 => "[a-z \t\n\x0b\x0c\r\x1f!.]{0,24}",
            1 => "[a-z \t\n\r!.é×“—\u{2030}\u{200b}\u{85}\u{a0}\u{1680}\u{2000}\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}]{0,24}",
        ];
        let mut ascii = 0;
        for _ in 0..4000 {
            let text = proptest::strategy::ValueTree::current(
                &proptest::strategy::Strategy::new_tree(&strategy, &mut runner).expect("a case"),
            );
            ascii += usize::from(text.is_ascii());
            assert_eq!(
                word_count(&text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
        assert!(ascii > 2000, "only {ascii} ASCII cases");
    }

    #[test]
    fn prose_words_leave_fenced_blocks_out_and_names_in_blocks_are_found() {
        let text = "Two words.\n\n```matrix\nname: A\nvalues: [[1, 2]]\n```\n> Three more words\n";
        assert_eq!(prose_words(text), 5);
        assert_eq!(matrix_names(text), ["A"]);
        assert!(matrix_names("```python\nname: B\n```\n").is_empty());
    }
}
