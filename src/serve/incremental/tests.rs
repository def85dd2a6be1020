//! Which pages each kind of change re-renders, on small sites parsed in memory.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::load;
use crate::model::Site;
use crate::parse;

const SITE: &str = "title: T\n";
const LESSON: &str = "---\ntitle: Lesson A\nsummary: About a\n---\nIntro.\n";
const STEP1: &str = "---\ntitle: One\n---\n```matrix\nname: X\nvalues: [[1, 2]]\n```\n";
const STEP2: &str = "---\ntitle: Two\n---\nNo table here, but `= X[1, 1]`.\n";
const OTHER: &str = "---\ntitle: Lesson B\n---\n```matrix\nname: Y\nvalues: [[3]]\n```\n";

fn site(lesson_md: &str, steps: &[(&str, &str)]) -> Site {
    let project = load::in_memory(
        SITE,
        &[("a", lesson_md, steps), ("b", OTHER, &[("01-b", STEP2)])],
    );
    let (site, problems) = parse::parse(&project);
    assert!(problems.is_empty(), "{problems:?}");
    site.unwrap()
}

fn base() -> Site {
    site(LESSON, &[("01-one", STEP1), ("02-two", STEP2)])
}

fn lesson<'a>(site: &'a Site, slug: &str) -> &'a Lesson {
    site.lessons.iter().find(|l| l.slug == slug).unwrap()
}

fn keys(pages: &[&str]) -> BTreeSet<PageKey> {
    pages
        .iter()
        .map(|p| match p.split_once('/') {
            None => PageKey::Index,
            Some((l, "index")) => PageKey::Overview(l.into()),
            Some((l, stem)) => PageKey::Step(l.into(), stem.into()),
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn editing_a_step_body_renders_its_lesson_only() {
    let old = base();
    let new = site(
        LESSON,
        &[
            ("01-one", STEP1),
            ("02-two", &STEP2.replace("No", "Still no")),
        ],
    );
    assert_eq!(
        pages_for_lesson(lesson(&old, "a"), lesson(&new, "a")),
        keys(&["a/index", "a/01-one", "a/02-two"]),
        "lesson b and the index are untouched"
    );
}

#[test]
fn a_step_title_or_summary_stays_inside_the_lesson() {
    let old = base();
    let retitled = STEP1.replace("title: One", "title: Uno\nsummary: First");
    let new = site(LESSON, &[("01-one", &retitled), ("02-two", STEP2)]);
    assert!(!pages_for_lesson(lesson(&old, "a"), lesson(&new, "a")).contains(&PageKey::Index));
}

#[test]
fn the_index_follows_what_it_shows_of_a_lesson() {
    let old = base();
    let steps = [("01-one", STEP1), ("02-two", STEP2)];
    for changed in [
        LESSON.replace("Lesson A", "Lesson Alpha"),
        LESSON.replace("About a", "About alpha"),
        LESSON.replace("summary", "order: 5\nsummary"),
    ] {
        let new = site(&changed, &steps);
        assert_eq!(
            pages_for_lesson(lesson(&old, "a"), lesson(&new, "a")),
            keys(&["index", "a/index", "a/01-one", "a/02-two"]),
            "{changed}"
        );
    }
    // The overview's other fields are not on the index.
    let new = site(&LESSON.replace("Intro.", "Another intro."), &steps);
    assert!(!pages_for_lesson(lesson(&old, "a"), lesson(&new, "a")).contains(&PageKey::Index));
}

#[test]
fn adding_or_removing_a_step_renders_the_lesson_and_the_index() {
    let old = base();
    let added = site(
        LESSON,
        &[("01-one", STEP1), ("02-two", STEP2), ("03-three", STEP2)],
    );
    assert_eq!(
        pages_for_lesson(lesson(&old, "a"), lesson(&added, "a")),
        keys(&["index", "a/index", "a/01-one", "a/02-two", "a/03-three"])
    );
    let removed = site(LESSON, &[("01-one", STEP1)]);
    assert_eq!(
        pages_for_lesson(lesson(&old, "a"), lesson(&removed, "a")),
        keys(&["index", "a/index", "a/01-one"]),
        "the removed page is deleted, not rendered"
    );
}

fn builtin_graph() -> TemplateGraph {
    TemplateGraph::new(
        crate::builtin::TEMPLATES
            .iter()
            .filter(|(n, _)| n.ends_with(".html"))
            .copied(),
    )
}

#[test]
fn templates_render_the_pages_that_use_them() {
    let site = base();
    let g = builtin_graph();
    let pages = |names: &[&str]| pages_for_templates(&set(names), &g, &site);
    assert_eq!(pages(&["base.html"]), all_pages(&site));
    assert_eq!(pages(&["index.html"]), keys(&["index"]));
    assert_eq!(pages(&["lesson.html"]), keys(&["a/index", "b/index"]));
    assert_eq!(
        pages(&["step.html"]),
        keys(&["a/01-one", "a/02-two", "b/01-b"])
    );
    assert_eq!(
        pages(&["matrix.html"]),
        keys(&["a/01-one", "b/index"]),
        "only pages that show a table: step 1 of a and b's overview"
    );
    assert_eq!(pages(&["style.css"]), BTreeSet::new(), "an asset is copied");
    assert_eq!(pages(&["index.html", "style.css"]), keys(&["index"]));
}

#[test]
fn partials_are_followed_and_unknown_templates_render_everything() {
    let site = base();
    let g = TemplateGraph::new([
        (
            "base.html",
            "<html>{% block body %}{% endblock body %}</html>",
        ),
        ("index.html", "{% extends \"base.html\" %}"),
        ("lesson.html", "{% extends 'base.html' %}"),
        (
            "step.html",
            "{% extends \"base.html\" %}{% include \"nav.html\" %}",
        ),
        ("nav.html", "{% import \"macros.html\" as m %}"),
        ("macros.html", "{% macro x() %}{% endmacro %}"),
        ("matrix.html", "<table></table>"),
        ("unused.html", "nothing uses me"),
    ]);
    assert_eq!(
        g.reach("step.html"),
        set(&["base.html", "macros.html", "nav.html", "step.html"])
    );
    let steps = keys(&["a/01-one", "a/02-two", "b/01-b"]);
    assert_eq!(pages_for_templates(&set(&["nav.html"]), &g, &site), steps);
    assert_eq!(
        pages_for_templates(&set(&["macros.html"]), &g, &site),
        steps
    );
    assert_eq!(
        pages_for_templates(&set(&["unused.html"]), &g, &site),
        all_pages(&site),
        "a template no page template names may be rendered from code: render everything"
    );
}

#[test]
fn plans() {
    let known = set(&["a", "b"]);
    let changes = |cs: &[Change]| cs.iter().cloned().collect::<BTreeSet<_>>();
    let lesson = |s: &str| Change::Lesson(s.into());
    let template = |s: &str| Change::Template(s.into());
    assert_eq!(plan(&changes(&[]), &known, &known), Plan::Nothing);
    assert_eq!(
        plan(&changes(&[lesson("a"), lesson("a")]), &known, &known),
        Plan::Lessons(set(&["a"]))
    );
    assert_eq!(
        plan(&changes(&[template("step.html")]), &known, &known),
        Plan::Templates(set(&["step.html"]))
    );
    assert!(matches!(
        plan(&changes(&[lesson("a"), Change::Config]), &known, &known),
        Plan::Full(_)
    ));
    assert!(matches!(
        plan(
            &changes(&[lesson("a"), template("base.html")]),
            &known,
            &known
        ),
        Plan::Full(_)
    ));
    assert!(matches!(
        plan(&changes(&[Change::TemplatesFolder]), &known, &known),
        Plan::Full(_)
    ));
    // A new lesson folder, or a removed one.
    assert!(matches!(
        plan(&changes(&[lesson("c")]), &known, &set(&["a", "b", "c"])),
        Plan::Full(_)
    ));
    assert!(matches!(
        plan(&changes(&[lesson("b")]), &known, &set(&["a"])),
        Plan::Full(_)
    ));
    // A stray file directly in content/ is not a lesson.
    assert_eq!(
        plan(&changes(&[lesson("notes.txt")]), &known, &known),
        Plan::Nothing
    );
}

#[test]
fn link_checks_cover_pages_linking_into_what_changed() {
    let links: BTreeMap<String, BTreeSet<String>> = [
        ("index.html", &["a/index.html", "b/index.html"][..]),
        ("a/index.html", &["index.html", "a/01-one.html"][..]),
        ("a/01-one.html", &["a/index.html", "assets/style.css"][..]),
        ("b/index.html", &["index.html", "b/01-b.html"][..]),
        ("b/01-b.html", &["b/index.html", "a/01-one.html"][..]),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), set(t)))
    .collect();
    let rendered: BTreeMap<String, BTreeSet<String>> = [(
        "a/01-one.html".to_string(),
        set(&["a/index.html", "assets/style.css"]),
    )]
    .into_iter()
    .collect();
    assert_eq!(
        pages_to_link_check(&rendered, &BTreeSet::new(), &links),
        set(&["a/01-one.html", "a/index.html", "b/01-b.html"]),
        "its target (for anchors) and the pages linking to it, in any lesson"
    );
    assert_eq!(
        pages_to_link_check(&BTreeMap::new(), &set(&["b/01-b.html"]), &links),
        set(&["b/index.html"]),
        "a page that links to a removed page"
    );
}

#[test]
fn template_references_are_read_from_tags_only() {
    let g = TemplateGraph::new([
        (
            "step.html",
            "{%- extends \"base.html\" -%}<a href=\"index.html\">{% include ['a.html', `b.html`] %}",
        ),
        ("base.html", "{% block x %}\"lesson.html\"{% endblock x %}"),
    ]);
    assert_eq!(
        g.reach("step.html"),
        set(&["a.html", "b.html", "base.html", "step.html"])
    );
}
