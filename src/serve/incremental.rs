//! Incremental rebuilds: which part of the site a change to the project invalidates.
//!
//! This is the whole dependency model of `lectern serve`, kept as data and pure functions so that
//! it can be tested without a server or a disk:
//!
//! - A matrix is visible only inside its lesson, so the unit of recomputation is the **lesson**:
//!   a change to any file of `content/L/` re-reads, re-parses and recomputes lesson L and
//!   re-renders L's pages (every page of L shows the titles of all its steps). The index is
//!   re-rendered too only if what it shows of L changed ([`IndexEntry`]: title, summary, order,
//!   step count).
//! - A template change re-renders the pages that use the template: a page template (`index.html`,
//!   `lesson.html`, `step.html`) and every template it reaches through `extends`, `include` or
//!   `import` (found as quoted template names in its text); `matrix.html` and what it reaches is
//!   used by the pages that show a table. A changed template that no page template reaches may be
//!   rendered by name from code: every page is re-rendered.
//! - `site.yaml`, a lesson added or removed, or lessons and templates changed in one batch: a full
//!   rebuild. Full is the fallback, never the rule.
//!
//! After rendering, only files whose bytes changed are written, and the reload event names them,
//! so a browser reloads only when the page it shows changed.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Doc, Lesson, Site};
use crate::render::PageKey;

/// Something that changed in the project, as the watcher classifies a path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// `content/site.yaml`.
    Config,
    /// A file or folder under `content/LESSON/`, or the folder itself.
    Lesson(String),
    /// `templates/NAME` (`/`-separated below `templates/`).
    Template(String),
    /// The `templates/` folder itself (created, removed or renamed).
    TemplatesFolder,
    /// The `content/` folder itself.
    ContentFolder,
}

/// What to rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Nothing the site is built from changed.
    Nothing,
    /// Everything, for the reason given.
    Full(&'static str),
    /// These lessons: reload, recompute and re-render each (see [`pages_for_lesson`]).
    Lessons(BTreeSet<String>),
    /// These templates: re-render the pages that use them (see [`pages_for_templates`]).
    Templates(BTreeSet<String>),
}

/// Decides what to rebuild for `changes`, given the lessons of the last good build (`known`) and
/// the lesson folders now on disk.
pub fn plan(
    changes: &BTreeSet<Change>,
    known: &BTreeSet<String>,
    on_disk: &BTreeSet<String>,
) -> Plan {
    let mut lessons = BTreeSet::new();
    let mut templates = BTreeSet::new();
    for change in changes {
        match change {
            Change::Config => return Plan::Full("site.yaml changed"),
            Change::TemplatesFolder => return Plan::Full("the templates/ folder changed"),
            Change::ContentFolder => return Plan::Full("the content/ folder changed"),
            Change::Lesson(slug) => {
                lessons.insert(slug.clone());
            }
            Change::Template(name) => {
                templates.insert(name.clone());
            }
        }
    }
    if !lessons.is_empty() && known != on_disk {
        return Plan::Full("a lesson was added or removed");
    }
    // A path directly in content/ that is not a lesson folder (a stray file) builds nothing.
    lessons.retain(|slug| known.contains(slug));
    match (lessons.is_empty(), templates.is_empty()) {
        (true, true) => Plan::Nothing,
        (false, true) => Plan::Lessons(lessons),
        (true, false) => Plan::Templates(templates),
        (false, false) => Plan::Full("lessons and templates changed together"),
    }
}

/// What the index page shows of a lesson. When it is unchanged, an edit to the lesson leaves the
/// index as it was. Keep in step with the `lessons` view of `render`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub order: i64,
    pub step_count: usize,
}

pub fn index_entry(lesson: &Lesson) -> IndexEntry<'_> {
    IndexEntry {
        title: &lesson.meta.title,
        summary: &lesson.meta.summary,
        order: lesson.meta.order,
        step_count: lesson.steps.len(),
    }
}

/// Every page of a lesson: its overview and one page per step.
pub fn lesson_pages(lesson: &Lesson) -> BTreeSet<PageKey> {
    std::iter::once(PageKey::Overview(lesson.slug.clone()))
        .chain(
            lesson
                .steps
                .iter()
                .map(|s| PageKey::Step(lesson.slug.clone(), s.stem.clone())),
        )
        .collect()
}

/// Every page of the site.
pub fn all_pages(site: &Site) -> BTreeSet<PageKey> {
    std::iter::once(PageKey::Index)
        .chain(site.lessons.iter().flat_map(lesson_pages))
        .collect()
}

/// The pages to re-render after lesson `old` was re-read as `new`: all of the lesson's pages, and
/// the index if what it shows of the lesson changed. (Pages of `old` that `new` lacks are deleted,
/// not rendered.)
pub fn pages_for_lesson(old: &Lesson, new: &Lesson) -> BTreeSet<PageKey> {
    let mut pages = lesson_pages(new);
    if index_entry(old) != index_entry(new) {
        pages.insert(PageKey::Index);
    }
    pages
}

/// Which templates each template names (`extends`, `include`, `import`).
#[derive(Debug, Default, Clone)]
pub struct TemplateGraph {
    refs: BTreeMap<String, BTreeSet<String>>,
}

/// The templates that pages are rendered from by name, and the table template.
const PAGE_TEMPLATES: [&str; 3] = ["index.html", "lesson.html", "step.html"];
const TABLE_TEMPLATE: &str = "matrix.html";

impl TemplateGraph {
    /// Builds the graph from `(name, text)` of every `.html` template: a template refers to the
    /// templates named in its `{% extends %}`, `{% include %}` and `{% import %}` tags.
    pub fn new<'a>(templates: impl IntoIterator<Item = (&'a str, &'a str)>) -> TemplateGraph {
        let refs = templates
            .into_iter()
            .map(|(name, text)| (name.to_string(), named_templates(text)))
            .collect();
        TemplateGraph { refs }
    }

    /// `name` and every template it reaches.
    pub fn reach(&self, name: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![name.to_string()];
        while let Some(t) = todo.pop() {
            if let Some(next) = self.refs.get(&t) {
                todo.extend(next.iter().filter(|n| !seen.contains(*n)).cloned());
            }
            seen.insert(t);
        }
        seen
    }
}

/// The quoted strings in the `extends`, `include` and `import` tags of a template.
fn named_templates(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find("{%") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("%}") else { break };
        let tag = after[..close].trim_start_matches(['-', '+']).trim_start();
        if ["extends", "include", "import"]
            .iter()
            .any(|k| tag.starts_with(k))
        {
            let mut quoted = tag;
            while let Some(q) = quoted.find(['"', '\'', '`']) {
                let quote = quoted[q..].chars().next().unwrap_or('"');
                let body = &quoted[q + 1..];
                let Some(end) = body.find(quote) else { break };
                names.insert(body[..end].to_string());
                quoted = &body[end + 1..];
            }
        }
        rest = &after[close + 2..];
    }
    names
}

/// The pages to re-render when the templates `changed` changed. Non-HTML files (`style.css`)
/// are copied assets and need no page.
pub fn pages_for_templates(
    changed: &BTreeSet<String>,
    graph: &TemplateGraph,
    site: &Site,
) -> BTreeSet<PageKey> {
    let changed: BTreeSet<&String> = changed.iter().filter(|n| n.ends_with(".html")).collect();
    let uses = |page_template: &str| {
        graph
            .reach(page_template)
            .iter()
            .any(|t| changed.contains(t))
    };
    let reached: BTreeSet<String> = PAGE_TEMPLATES
        .iter()
        .chain([&TABLE_TEMPLATE])
        .flat_map(|t| graph.reach(t))
        .collect();
    if changed.iter().any(|t| !reached.contains(*t)) {
        return all_pages(site);
    }
    let mut pages = BTreeSet::new();
    if uses("index.html") {
        pages.insert(PageKey::Index);
    }
    let (overviews, steps, tables) = (uses("lesson.html"), uses("step.html"), uses(TABLE_TEMPLATE));
    for lesson in &site.lessons {
        if overviews || (tables && shows_tables(&lesson.intro)) {
            pages.insert(PageKey::Overview(lesson.slug.clone()));
        }
        for step in &lesson.steps {
            if steps || (tables && shows_tables(&step.doc)) {
                pages.insert(PageKey::Step(lesson.slug.clone(), step.stem.clone()));
            }
        }
    }
    pages
}

/// Whether a document renders at least one matrix table.
fn shows_tables(doc: &Doc) -> bool {
    doc.matrices.iter().any(|m| m.show)
}

/// The pages to give the link checker, with their contents, after a partial rebuild: the pages
/// rendered anew (`rendered`: each with the targets it links to now), the pages they link to (so
/// that `#anchors` into them are checked), and every other page that links to a rendered page or
/// to a `removed` file. `links` holds the link targets of every page of the last good build (see
/// [`crate::links::targets`]). Every other file is given by its path only.
pub fn pages_to_link_check(
    rendered: &BTreeMap<String, BTreeSet<String>>,
    removed: &BTreeSet<String>,
    links: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    let mut check: BTreeSet<String> = rendered.keys().cloned().collect();
    for targets in rendered.values() {
        check.extend(targets.iter().filter(|t| t.ends_with(".html")).cloned());
    }
    for (page, targets) in links {
        if targets
            .iter()
            .any(|t| rendered.contains_key(t) || removed.contains(t))
        {
            check.insert(page.clone());
        }
    }
    check
}

#[cfg(test)]
mod tests;
