//! The scope rules of compute, on whole lessons parsed from Markdown: a matrix is visible after
//! its block in its own file and in every later file of its lesson (lesson.md first, then the
//! steps by number), never in another lesson; an inline value sees its whole file.

use super::lesson::{LessonValues, compute};
use crate::error::{Diagnostic, Severity};
use crate::load::{self, MemoryLesson};
use crate::source::Sources;

/// A literal 1×2 matrix block.
fn literal(name: &str, a: f64, b: f64) -> String {
    format!("```matrix\nname: {name}\nvalues:\n  - [{a}, {b}]\n```\n\n")
}

fn computed(name: &str, expr: &str) -> String {
    format!("```matrix\nname: {name}\ncompute: {expr}\n```\n\n")
}

fn doc(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n\n{body}")
}

struct Computed {
    sources: Sources,
    slugs: Vec<String>,
    values: Vec<LessonValues>,
    problems: Vec<Diagnostic>,
}

impl Computed {
    fn lesson(&self, slug: &str) -> &LessonValues {
        let i = self.slugs.iter().position(|s| s == slug).unwrap();
        &self.values[i]
    }

    /// `lesson.name` as a row of numbers.
    fn matrix(&self, slug: &str, name: &str) -> Option<Vec<f64>> {
        let m = self.lesson(slug).matrices.get(name)?;
        Some(m.data.iter().copied().collect())
    }

    /// The inline values of a file, in the order they appear.
    fn inlines(&self, slug: &str, file: &str) -> Vec<f64> {
        self.lesson(slug)
            .inlines
            .iter()
            .filter(|((f, _), _)| self.sources.get(*f).name == file)
            .map(|(_, v)| v.value)
            .collect()
    }

    fn errors(&self) -> Vec<&Diagnostic> {
        self.problems
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect()
    }

    /// The one error, with the file its primary span is in.
    fn only_error(&self) -> (&Diagnostic, &str) {
        let errors = self.errors();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let d = errors[0];
        let file = &self.sources.get(d.primary.as_ref().unwrap().0.file).name;
        (d, file)
    }
}

fn run(lessons: &[MemoryLesson]) -> Computed {
    let project = load::in_memory("title: T\n", lessons);
    let (site, problems) = crate::parse::parse(&project);
    assert!(problems.is_empty(), "{problems:#?}");
    let site = site.unwrap();
    let (values, _, problems) = compute(&site);
    Computed {
        sources: project.sources,
        slugs: site.lessons.iter().map(|l| l.slug.clone()).collect(),
        values,
        problems,
    }
}

#[test]
fn a_matrix_is_visible_after_its_block_and_in_later_steps() {
    let intro = doc("L", &literal("I", 1.0, 1.0));
    let one = doc("One", &(literal("A", 1.0, 2.0) + &computed("B", "A + I")));
    let two = doc("Two", &computed("C", "A + B + I"));
    let c = run(&[("l", &intro, &[("01-one", &one), ("02-two", &two)])]);
    assert!(c.errors().is_empty(), "{:#?}", c.errors());
    assert_eq!(c.matrix("l", "B"), Some(vec![2.0, 3.0]));
    assert_eq!(c.matrix("l", "C"), Some(vec![4.0, 6.0]));
}

#[test]
fn a_matrix_is_not_visible_above_its_block() {
    let one = doc("One", &(computed("B", "A + A") + &literal("A", 1.0, 2.0)));
    let c = run(&[("l", &doc("L", ""), &[("01-one", &one)])]);
    let (d, file) = c.only_error();
    assert_eq!(d.message, "`A` is used before it is defined");
    assert_eq!(file, "content/l/01-one.md");
    assert_eq!(d.secondary[0].1, "defined here, later");
    // The matrix itself is still computed, for the rest of the lesson.
    assert_eq!(c.matrix("l", "A"), Some(vec![1.0, 2.0]));
    assert_eq!(c.matrix("l", "B"), None);
}

#[test]
fn a_matrix_is_not_visible_in_earlier_steps() {
    let one = doc("One", &computed("B", "A + A"));
    let two = doc("Two", &literal("A", 1.0, 2.0));
    let c = run(&[("l", &doc("L", ""), &[("01-one", &one), ("02-two", &two)])]);
    let (d, file) = c.only_error();
    assert_eq!(d.message, "`A` is used before it is defined");
    assert_eq!(file, "content/l/01-one.md");
    let later = &c.sources.get(d.secondary[0].0.file).name;
    assert_eq!(later, "content/l/02-two.md");
}

#[test]
fn steps_see_their_lesson_by_number_not_by_name() {
    // `10-…` comes after `9-…`, although it sorts before it as text.
    let nine = doc("Nine", &literal("A", 1.0, 2.0));
    let ten = doc("Ten", &computed("B", "A + A"));
    let c = run(&[("l", &doc("L", ""), &[("10-ten", &ten), ("9-nine", &nine)])]);
    assert!(c.errors().is_empty(), "{:#?}", c.errors());
    assert_eq!(c.matrix("l", "B"), Some(vec![2.0, 4.0]));
}

#[test]
fn a_matrix_is_never_visible_in_another_lesson() {
    let l = doc("L", &literal("A", 1.0, 2.0));
    let m_step = doc("One", &computed("B", "A + A"));
    let c = run(&[("l", &l, &[]), ("m", &doc("M", ""), &[("01-one", &m_step)])]);
    let (d, file) = c.only_error();
    assert_eq!(d.message, "`A` is not defined in lesson `m`");
    assert_eq!(file, "content/m/01-one.md");
    assert_eq!(d.notes[0], "`A` is defined in lesson `l`");
    assert_eq!(c.matrix("m", "A"), None);
    assert_eq!(c.matrix("m", "B"), None);
}

#[test]
fn each_lesson_has_its_own_names() {
    let l = doc("L", &(literal("A", 1.0, 2.0) + &computed("B", "A + A")));
    let m = doc("M", &(literal("A", 5.0, 6.0) + &computed("B", "A + A")));
    let c = run(&[("l", &l, &[]), ("m", &m, &[])]);
    assert!(c.errors().is_empty(), "{:#?}", c.errors());
    assert_eq!(c.matrix("l", "B"), Some(vec![2.0, 4.0]));
    assert_eq!(c.matrix("m", "B"), Some(vec![10.0, 12.0]));
}

#[test]
fn a_name_is_defined_once_per_lesson() {
    let one = doc("One", &literal("A", 1.0, 2.0));
    let two = doc("Two", &(literal("A", 3.0, 4.0) + &computed("B", "A + A")));
    let c = run(&[("l", &doc("L", ""), &[("01-one", &one), ("02-two", &two)])]);
    let (d, file) = c.only_error();
    assert_eq!(d.message, "`A` is defined twice in lesson `l`");
    assert_eq!(file, "content/l/02-two.md");
    // The first definition stands.
    assert_eq!(c.matrix("l", "B"), Some(vec![2.0, 4.0]));
}

#[test]
fn an_inline_value_sees_its_whole_file_and_earlier_files() {
    let one = doc(
        "One",
        &format!(
            "Before the table: `= B[1, 2]`.\n\n{}{}After it: `= A[1, 1]`.\n",
            literal("A", 1.0, 2.0),
            computed("B", "A * 10")
        ),
    );
    let two = doc("Two", "From step one: `= B[1, 1]`.\n");
    let c = run(&[("l", &doc("L", ""), &[("01-one", &one), ("02-two", &two)])]);
    assert!(c.errors().is_empty(), "{:#?}", c.errors());
    assert_eq!(c.inlines("l", "content/l/01-one.md"), [20.0, 1.0]);
    assert_eq!(c.inlines("l", "content/l/02-two.md"), [10.0]);
}

#[test]
fn an_inline_value_does_not_see_later_files_or_other_lessons() {
    let one = doc("One", "Too early: `= A[1, 1]`.\n");
    let two = doc("Two", &literal("A", 1.0, 2.0));
    let other = doc("M", "Elsewhere: `= A[1, 2]`.\n");
    let c = run(&[
        ("l", &doc("L", ""), &[("01-one", &one), ("02-two", &two)]),
        ("m", &other, &[]),
    ]);
    let messages: Vec<(&str, &str)> = c
        .errors()
        .iter()
        .map(|d| {
            let file = &c.sources.get(d.primary.as_ref().unwrap().0.file).name;
            (d.message.as_str(), file.as_str())
        })
        .collect();
    assert_eq!(
        messages,
        [
            ("`A` is used before it is defined", "content/l/01-one.md"),
            ("`A` is not defined in lesson `m`", "content/m/lesson.md"),
        ]
    );
    assert!(c.inlines("l", "content/l/01-one.md").is_empty());
    assert!(c.inlines("m", "content/m/lesson.md").is_empty());
}
