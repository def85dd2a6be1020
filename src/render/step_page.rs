//! Step pages written directly, byte for byte as the built-in `base.html` and `step.html` render
//! them, without going through tera: a site is mostly step pages, and interpreting the two
//! templates was a seventh of a build and of a check. Used only when the project overrides none
//! of the page templates; a test builds a site both ways and compares every page.
//!
//! `check` writes no page and reads only links and ids: [`links_only`] gives it just those of a
//! step page, around its body, and [`overview_links_only`] those of a lesson's overview page.

use super::views::{LessonView, PageView, SiteView, StepView};
use crate::format::{escape_into, push_number};

/// Everything a step page shows.
pub struct StepPage<'a> {
    pub site: &'a SiteView<'a>,
    pub page: &'a PageView,
    pub lesson: &'a LessonView<'a>,
    pub step: &'a StepView<'a>,
}

/// The page, as `step.html` (extending `base.html`) renders it.
pub fn render(p: &StepPage) -> String {
    let (site, page, lesson, step) = (p.site, p.page, p.lesson, p.step);
    let mut o = String::with_capacity(step.html.len() + 4096);
    let e = |o: &mut String, s: &str| escape_into(o, s);
    o.push_str("<!DOCTYPE html>\n<html lang=\"");
    e(&mut o, site.language);
    o.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    e(&mut o, &page.title);
    o.push_str("</title>\n<meta name=\"description\" content=\"");
    // `{% if step.summary %}`: an empty summary is false, like a missing one.
    match step.summary.filter(|s| !s.is_empty()) {
        Some(summary) => e(&mut o, summary),
        None => e(&mut o, lesson.summary),
    }
    o.push_str("\">\n");
    if let Some(canonical) = page.canonical.as_deref().filter(|c| !c.is_empty()) {
        o.push_str("<link rel=\"canonical\" href=\"");
        e(&mut o, canonical);
        o.push_str("\">\n");
    }
    o.push_str("<link rel=\"stylesheet\" href=\"");
    e(&mut o, &page.root);
    o.push_str("assets/style.css\">\n<script src=\"");
    e(&mut o, &page.root);
    o.push_str("assets/lectern.js\" defer></script>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header class=\"site-header\">\n<a class=\"site-title\" href=\"");
    e(&mut o, &page.root);
    o.push_str("index.html\">");
    e(&mut o, site.title);
    o.push_str("</a>\n<form class=\"search\" role=\"search\" hidden><label for=\"lectern-search\">Search</label> <input id=\"lectern-search\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\" aria-keyshortcuts=\"/\"></form>\n</header>\n");
    // The body block of step.html.
    o.push_str("\n<nav class=\"breadcrumbs\" aria-label=\"Breadcrumbs\"><a href=\"../index.html\">Lessons</a> › <a href=\"index.html\">");
    e(&mut o, lesson.title);
    o.push_str("</a> › <span aria-current=\"page\">");
    e(&mut o, step.title);
    o.push_str("</span></nav>\n<div class=\"layout\">\n<nav class=\"sidebar\" aria-label=\"Steps of this lesson\">\n<p class=\"sidebar-title\"><a href=\"index.html\">");
    e(&mut o, lesson.title);
    o.push_str("</a></p>\n<ol>\n");
    for s in &lesson.steps {
        o.push_str("<li><a href=\"");
        e(&mut o, &s.href);
        o.push_str(if s.position == step.position {
            "\" aria-current=\"page\">"
        } else {
            "\">"
        });
        e(&mut o, s.title);
        o.push_str("</a></li>\n");
    }
    o.push_str("</ol>\n</nav>\n<main id=\"main\" class=\"step\">\n<p class=\"step-count\">Step ");
    push_number(&mut o, step.position);
    o.push_str(" of ");
    push_number(&mut o, step.count);
    o.push_str("</p>\n<h1>");
    e(&mut o, step.title);
    o.push_str("</h1>\n");
    if let Some(summary) = step.summary.filter(|s| !s.is_empty()) {
        o.push_str("<p class=\"lede\">");
        e(&mut o, summary);
        o.push_str("</p>");
    }
    o.push('\n');
    if !step.toc.is_empty() {
        o.push_str("<nav class=\"toc\" aria-label=\"On this page\">\n<p class=\"toc-title\">On this page</p>\n<ul>\n");
        for t in step.toc {
            o.push_str("<li class=\"toc-h");
            push_number(&mut o, usize::from(t.level));
            o.push_str("\"><a href=\"#");
            e(&mut o, &t.id);
            o.push_str("\">");
            e(&mut o, &t.text);
            o.push_str("</a></li>\n");
        }
        o.push_str("</ul>\n</nav>\n");
    }
    o.push_str(step.html);
    page_tail(&mut o, page, step);
    o
}

/// What follows a step's body, to the end of the page: the pager and the rest of `base.html`.
/// [`links_only`] writes it too, in full: after an author's broken raw HTML (`<div title="x>`)
/// the link scanner reads on to the next quote, which must be the same one as in the page.
fn page_tail(o: &mut String, page: &PageView, step: &StepView) {
    let e = |o: &mut String, s: &str| escape_into(o, s);
    o.push_str("\n<nav class=\"pager\" aria-label=\"Previous and next step\">\n");
    match &step.prev {
        Some(prev) => {
            o.push_str("<a rel=\"prev\" href=\"");
            e(o, &prev.href);
            o.push_str("\"><span class=\"dir\">Previous</span> ");
            e(o, prev.title);
            o.push_str("</a>");
        }
        None => o.push_str(
            "<a rel=\"prev\" href=\"index.html\"><span class=\"dir\">Back to</span> the lesson overview</a>",
        ),
    }
    o.push('\n');
    match &step.next {
        Some(next) => {
            o.push_str("<a rel=\"next\" href=\"");
            e(o, &next.href);
            o.push_str("\"><span class=\"dir\">Next</span> ");
            e(o, next.title);
            o.push_str("</a>");
        }
        None => o.push_str(
            "<a rel=\"next\" href=\"index.html\"><span class=\"dir\">Finished:</span> back to the lesson overview</a>",
        ),
    }
    o.push_str("\n</nav>\n</main>\n</div>\n");
    base_tail(o, page);
}

/// The rest of `base.html` after a page's body block.
fn base_tail(o: &mut String, page: &PageView) {
    o.push_str("\n<footer class=\"site-footer\">\n<p>Every number on this site was computed and checked when the site was built.</p>\n</footer>\n");
    if let Some(live) = &page.live_reload {
        o.push_str("<script src=\"");
        escape_into(o, &live.script);
        o.push_str("\" data-page=\"");
        escape_into(o, &live.path);
        o.push_str("\"></script>\n");
    }
    o.push_str("</body>\n</html>\n");
}

/// For `check`, which reads only links and ids: the links and ids of the page [`render`]
/// writes, in the same order and written the same way, with none of the text and markup before
/// the body (most of a page, which check went on to scan), then the body and the rest of the
/// page as it is. Follows [`render`] line by line; a test compares what the link scanner finds
/// in both, also after broken raw HTML at the end of the body.
pub fn links_only(p: &StepPage) -> String {
    let (page, lesson, step) = (p.page, p.lesson, p.step);
    let mut o = String::with_capacity(step.html.len() + 1024);
    base_head_links(&mut o, page);
    // Breadcrumbs and the sidebar.
    href(&mut o, &["../index.html"]);
    href(&mut o, &["index.html"]);
    href(&mut o, &["index.html"]);
    for s in &lesson.steps {
        href(&mut o, &[&s.href]);
    }
    o.push_str("<main id=\"main\">\n");
    for t in step.toc {
        href(&mut o, &["#", &t.id]);
    }
    o.push_str(step.html);
    page_tail(&mut o, page, step);
    o
}

/// An element holding one link, the parts of its URL written one after the other (escaped).
fn href(o: &mut String, parts: &[&str]) {
    o.push_str("<a href=\"");
    for part in parts {
        escape_into(o, part);
    }
    o.push_str("\"></a>");
}

/// The links `base.html` puts before a page's body block.
fn base_head_links(o: &mut String, page: &PageView) {
    if let Some(canonical) = page.canonical.as_deref().filter(|c| !c.is_empty()) {
        href(o, &[canonical]);
    }
    href(o, &[&page.root, "assets/style.css"]);
    href(o, &[&page.root, "assets/lectern.js"]);
    href(o, &["#main"]);
    href(o, &[&page.root, "index.html"]);
    // The search field's input.
    o.push_str("<b id=\"lectern-search\"></b>");
}

/// For `check`: the links and ids of a lesson's overview page as the built-in `lesson.html`
/// (extending `base.html`) renders it, in the same order and written the same way, up to the
/// introduction, then the introduction and the rest of the page as the templates write it; see
/// [`links_only`]. A test compares them with tera's page.
pub fn overview_links_only(page: &PageView, lesson: &LessonView) -> String {
    let mut o = String::with_capacity(lesson.intro_html.len() + 512);
    let id = |o: &mut String, id: &str| {
        o.push_str("<b id=\"");
        o.push_str(id);
        o.push_str("\"></b>");
    };
    base_head_links(&mut o, page);
    href(&mut o, &["../index.html"]);
    id(&mut o, "main");
    if !lesson.objectives.is_empty() {
        id(&mut o, "objectives");
    }
    if !lesson.prerequisites.is_empty() {
        id(&mut o, "prerequisites");
    }
    o.push_str(lesson.intro_html);
    // The rest of lesson.html, then of base.html, tag for tag (see `page_tail`).
    let e = |o: &mut String, s: &str| escape_into(o, s);
    o.push_str("\n</section>\n");
    if !lesson.key_concepts.is_empty() {
        o.push_str("<section class=\"concepts\" aria-labelledby=\"key-concepts\">\n<h2 id=\"key-concepts\">Key concepts</h2>\n<dl>\n");
        for c in &lesson.key_concepts {
            o.push_str("<dt>");
            e(&mut o, c.term);
            o.push_str("</dt>\n");
            if let Some(definition) = c.definition.filter(|d| !d.is_empty()) {
                o.push_str("<dd>");
                e(&mut o, definition);
                o.push_str("</dd>\n");
            }
        }
        o.push_str("</dl>\n</section>");
    }
    o.push_str("\n<section class=\"steps\" aria-labelledby=\"steps\">\n<h2 id=\"steps\">Steps</h2>\n<ol>\n");
    for s in &lesson.steps {
        o.push_str("<li><a href=\"");
        e(&mut o, &s.href);
        o.push_str("\">");
        e(&mut o, s.title);
        o.push_str("</a>");
        if let Some(summary) = s.summary.filter(|x| !x.is_empty()) {
            o.push_str("<span class=\"summary\"> — ");
            e(&mut o, summary);
            o.push_str("</span>");
        }
        o.push_str("</li>\n");
    }
    o.push_str("</ol>\n");
    if let Some(first) = lesson.steps.first() {
        o.push_str("<p><a class=\"button\" href=\"");
        e(&mut o, &first.href);
        o.push_str("\">Start with step 1</a></p>");
    }
    o.push_str("\n</section>\n</main>\n");
    base_tail(&mut o, page);
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::TocEntry;
    use crate::render::views::{LiveReloadView, NavLinkView, StepLinkView};

    /// `check` reads a step page's links and ids from [`links_only`]; they must be those of the
    /// page itself, whatever the page holds: first, middle and last steps, a table of contents
    /// or none, a canonical URL, serve's reload script, names that need escaping.
    #[test]
    fn links_only_has_the_links_and_ids_of_the_page() {
        let site = SiteView {
            title: "Site & co",
            description: "",
            language: "en",
            base_url: "",
        };
        let lesson = LessonView {
            slug: "l",
            title: "Lesson <1>",
            summary: "About it",
            prerequisites: &[],
            objectives: &[],
            key_concepts: Vec::new(),
            steps: ["01-a.html", "02-b&c.html", "03-%C3%A9.html"]
                .iter()
                .enumerate()
                .map(|(i, href)| StepLinkView {
                    position: i + 1,
                    title: "A step",
                    summary: None,
                    href: href.to_string(),
                })
                .collect(),
            intro_html: "",
        };
        let toc = [
            TocEntry {
                level: 2,
                id: "one".into(),
                text: "One".into(),
            },
            TocEntry {
                level: 3,
                id: "two&three".into(),
                text: "Two".into(),
            },
        ];
        let body = "<h2 id=\"one\"><a class=\"heading-link\" href=\"#one\">One</a></h2>\n<p><a href=\"02-b&amp;c.html#x\">next</a> <a href=\"https://example.com/\">out</a></p>\n<figure class=\"matrix-block\" id=\"matrix-Q\"></figure>\n<div title=\"an author's unclosed quote>\n";
        let nav = |href: &str| NavLinkView {
            title: "Other",
            href: href.to_string(),
        };
        let pages = [
            (None, None, &toc[..], None, Some(nav("02-b&c.html"))),
            (
                Some("https://example.com/l/02.html".to_string()),
                Some(LiveReloadView {
                    script: "../_lectern/live.js".into(),
                    path: "l/02.html".into(),
                }),
                &toc[..1],
                Some(nav("01-a.html")),
                Some(nav("03-%C3%A9.html")),
            ),
            (None, None, &[][..], Some(nav("02-b&c.html")), None),
        ];
        for (position, (canonical, live_reload, toc, prev, next)) in pages.into_iter().enumerate() {
            let page = PageView {
                root: "../".into(),
                title: "Title".into(),
                canonical,
                live_reload,
            };
            let step = StepView {
                position: position + 1,
                count: 3,
                title: "A step",
                summary: (position == 1).then_some("A summary"),
                html: body,
                toc,
                prev,
                next,
            };
            let p = StepPage {
                site: &site,
                page: &page,
                lesson: &lesson,
                step: &step,
            };
            let full = crate::links::refs(&render(&p));
            assert!(
                full.0.len() > 10 && full.1.contains(&"main".to_string()),
                "{full:?}"
            );
            assert_eq!(
                crate::links::refs(&links_only(&p)),
                full,
                "step {}",
                position + 1
            );
        }
    }

    /// The same for a lesson's overview page, against the built-in `lesson.html` rendered by
    /// tera: with and without objectives, prerequisites, key concepts, steps, a canonical URL
    /// and serve's reload script.
    #[test]
    fn overview_links_only_has_the_links_and_ids_of_the_page() {
        let project = crate::load::in_memory("title: T\n", &[]);
        let templates =
            crate::render::templates::Templates::new(&project.templates, &project.sources)
                .expect("the built-in templates compile");
        let site = SiteView {
            title: "Site",
            description: "",
            language: "en",
            base_url: "",
        };
        let (objectives, prerequisites) = (["Learn".to_string()], ["Algebra".to_string()]);
        let intro = "<h2 id=\"why\"><a class=\"heading-link\" href=\"#why\">Why</a></h2>\n<p><a href=\"01-a.html#x\">first</a> <a href=\"https://example.com/\">out</a> <a href=\"../m/index.html\">other</a></p>\n<div title=\"an author's unclosed quote>\n";
        for full_lesson in [true, false] {
            let lesson = LessonView {
                slug: "l",
                title: "Lesson & co",
                summary: "About",
                prerequisites: if full_lesson { &prerequisites } else { &[] },
                objectives: if full_lesson { &objectives } else { &[] },
                key_concepts: if full_lesson {
                    vec![crate::render::views::ConceptView {
                        term: "Query",
                        definition: Some("what a token looks for"),
                    }]
                } else {
                    Vec::new()
                },
                steps: if full_lesson {
                    ["01-a.html", "02-b&c.html"]
                        .iter()
                        .enumerate()
                        .map(|(i, href)| StepLinkView {
                            position: i + 1,
                            title: "A step",
                            summary: Some("s"),
                            href: href.to_string(),
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                intro_html: intro,
            };
            let page = PageView {
                root: "../".into(),
                title: "Title".into(),
                canonical: full_lesson.then(|| "https://example.com/l/index.html".to_string()),
                live_reload: full_lesson.then(|| LiveReloadView {
                    script: "../_lectern/live.js".into(),
                    path: "l/index.html".into(),
                }),
            };
            let mut ctx = tera::Context::new();
            ctx.insert("site", &site);
            ctx.insert("page", &page);
            ctx.insert("lesson", &lesson);
            let html = templates.tera.render("lesson.html", &ctx).expect("renders");
            let full = crate::links::refs(&html);
            assert!(
                full.0.len() >= 6 && full.1.contains(&"steps".to_string()),
                "{full:?}"
            );
            assert_eq!(
                crate::links::refs(&overview_links_only(&page, &lesson)),
                full,
                "{html}"
            );
        }
    }
}
