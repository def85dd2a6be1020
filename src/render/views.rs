//! Typed, borrowed views: the only data templates see.
//!
//! Each page template gets a few top-level keys: `site` and `page` always, plus `lessons`
//! (index), `lesson` (overview and step pages) and `step` (step pages). Matrix tables get a
//! [`MatrixView`] under `matrix`. A key that a template misspells is a render error, not an
//! empty string.

use serde::Serialize;

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    /// Whether pages have a search field (`search` in `site.yaml`).
    pub search: bool,
}

#[derive(Serialize)]
pub struct PageView {
    /// Path from this page to the site root: `""` or `"../"`; for the 404 page, which is served
    /// at any depth, the root path of the site (`/` or `/lessons/`).
    pub root: String,
    /// The text of `<title>`.
    pub title: String,
    /// Absolute URL of the page when `base_url` is absolute.
    pub canonical: Option<String>,
    /// Set by `lectern serve` only: what the page needs to reload itself when the site is
    /// rebuilt. `None` in every built site.
    pub live_reload: Option<LiveReloadView>,
    /// The page's expression graph as JSON, for "Try it" (see [`super::graph`]); `None` on
    /// pages that show no computed number.
    pub graph: Option<String>,
}

#[derive(Serialize)]
pub struct LiveReloadView {
    /// The live-reload script's URL, relative to the page.
    pub script: String,
    /// The page's path relative to the site root, e.g. `lesson/01-intro.html`.
    pub path: String,
}

#[derive(Serialize)]
pub struct LessonLinkView<'a> {
    /// 1-based position in the course.
    pub number: usize,
    pub title: &'a str,
    pub summary: &'a str,
    /// Relative to the site root.
    pub href: String,
    pub step_count: usize,
    /// Minutes to read its prose, at 200 words a minute (at least 1).
    pub minutes: usize,
}

#[derive(Serialize)]
pub struct PrerequisiteView<'a> {
    pub text: &'a str,
    /// Relative to the lesson's folder, for a lesson of the site.
    pub href: Option<String>,
}

#[derive(Serialize)]
pub struct ConceptView<'a> {
    pub term: &'a str,
    pub definition: Option<&'a str>,
    /// The same as inline Markdown rendered to HTML (formulas as MathML).
    pub term_html: String,
    pub definition_html: Option<String>,
}

#[derive(Serialize)]
pub struct StepLinkView<'a> {
    /// 1-based position in the lesson.
    pub position: usize,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    /// Relative to the lesson's folder (where both overview and step pages live).
    pub href: String,
}

#[derive(Serialize)]
pub struct LessonView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    /// The prerequisites' texts.
    pub prerequisites: Vec<&'a str>,
    /// The prerequisites with the address of those that are lessons of the site.
    pub prerequisite_links: Vec<PrerequisiteView<'a>>,
    pub objectives: Vec<&'a str>,
    /// The objectives as inline Markdown rendered to HTML (formulas as MathML).
    pub objectives_html: Vec<String>,
    pub key_concepts: Vec<ConceptView<'a>>,
    pub steps: Vec<StepLinkView<'a>>,
    /// The introduction (body of lesson.md) as HTML.
    pub intro_html: &'a str,
    /// Where the lesson sits in the course.
    pub course: CourseView<'a>,
}

/// Where one lesson sits in the course.
#[derive(Serialize)]
pub struct CourseView<'a> {
    /// This lesson's 1-based position.
    pub number: usize,
    pub count: usize,
    /// The lessons before and after this one; hrefs relative to the lesson's folder.
    pub prev: Option<NavLinkView<'a>>,
    pub next: Option<NavLinkView<'a>>,
}

/// The course's lessons in site order: the top-level `course` of lesson and step pages, the
/// same for every page (made once).
#[derive(Serialize)]
pub struct CourseListView<'a> {
    pub lessons: Vec<CourseLessonView<'a>>,
}

#[derive(Serialize, Clone)]
pub struct CourseLessonView<'a> {
    pub number: usize,
    pub title: &'a str,
    /// Relative to a lesson's folder: `../SLUG/index.html`.
    pub href: String,
}

#[derive(Serialize, Clone)]
pub struct NavLinkView<'a> {
    pub title: &'a str,
    pub href: String,
}

#[derive(Serialize, Clone)]
pub struct StepView<'a> {
    pub position: usize,
    pub count: usize,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub html: &'a str,
    /// The step's `h2`/`h3` headings, when there are at least three.
    pub toc: &'a [super::html::TocEntry],
    pub prev: Option<NavLinkView<'a>>,
    pub next: Option<NavLinkView<'a>>,
}
