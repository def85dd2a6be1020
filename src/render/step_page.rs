//! Step pages written directly, byte for byte as the built-in `base.html` and `step.html` render
//! them, without going through tera: a site is mostly step pages, and interpreting the two
//! templates was a seventh of a build and of a check. Used only when the project overrides none
//! of the page templates; a test builds a site both ways and compares every page.

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
    o.push_str("</a>\n</header>\n");
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
    o.push_str("\n<nav class=\"pager\" aria-label=\"Previous and next step\">\n");
    match &step.prev {
        Some(prev) => {
            o.push_str("<a rel=\"prev\" href=\"");
            e(&mut o, &prev.href);
            o.push_str("\"><span class=\"dir\">Previous</span> ");
            e(&mut o, prev.title);
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
            e(&mut o, &next.href);
            o.push_str("\"><span class=\"dir\">Next</span> ");
            e(&mut o, next.title);
            o.push_str("</a>");
        }
        None => o.push_str(
            "<a rel=\"next\" href=\"index.html\"><span class=\"dir\">Finished:</span> back to the lesson overview</a>",
        ),
    }
    o.push_str("\n</nav>\n</main>\n</div>\n");
    // The rest of base.html.
    o.push_str("\n<footer class=\"site-footer\">\n<p>Every number on this site was computed and checked when the site was built.</p>\n</footer>\n");
    if let Some(live) = &page.live_reload {
        o.push_str("<script src=\"");
        e(&mut o, &live.script);
        o.push_str("\" data-page=\"");
        e(&mut o, &live.path);
        o.push_str("\"></script>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}
