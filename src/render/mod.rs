//! Render: each lesson's documents to pages, through the tera templates.
//!
//! Only this module knows tera, and the files of `templates/` (built-in or a project's own) are
//! the only description of every page and every matrix block. Pages link to each other with
//! relative URLs, so the site works under any path prefix and from `file://`.

mod collisions;
#[cfg(test)]
mod commonmark_spec;
mod course;
pub mod graph;
pub mod html;
pub mod markdown;
pub mod options;
mod output;
pub mod quiz;
pub mod reproduce;
mod site;
pub mod table;
pub mod templates;
pub mod views;

use std::collections::BTreeMap;

use tera::Context;

use crate::compute::lesson::LessonValues;
use crate::config::SiteConfig;
use crate::error::Diagnostic;
use crate::format::url_segment;
use crate::load::TemplateFile;
use crate::math::Math;
use crate::model::{Doc, FrontText, Lesson, Step};
use crate::parse::markdown::Events;
use crate::source::{FileId, Sources};
pub use collisions::collisions;
pub use course::Course;
use markdown::TocEntry;
pub use options::{PageKey, RenderOptions, Target};
pub use output::Output;
use templates::{Templates, template_error};
use views::*;

/// Renders the pages `opts` asks for of a site held in memory whole (`serve`, which keeps its
/// model between rebuilds, and benchmarks); `templates` are the compiled set and its files. A
/// build renders each lesson as it is made instead (see [`crate::pipeline`]). Fails with every
/// problem found, also two outputs at one path.
pub fn render_site(
    site: &crate::model::Site,
    sources: &Sources,
    values: &[LessonValues],
    (templates, files): (&Templates, &[TemplateFile]),
    opts: RenderOptions,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let course = Course::of_site(site);
    let renderer = Renderer::new(&site.config, (templates, files), &course, opts);
    let (mut out, mut problems) = renderer.site_wide(site);
    for (lesson, values) in site.lessons.iter().zip(values) {
        let (made, found) = renderer.lesson(sources, lesson, values, None);
        out.extend(made);
        for d in found {
            if !problems
                .iter()
                .any(|p: &Diagnostic| p.message == d.message && p.primary == d.primary)
            {
                problems.push(d);
            }
        }
    }
    problems.extend(collisions(
        out.iter()
            .map(|o| (o.path(), matches!(o, Output::Copy { .. }))),
    ));
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The other files of a lesson folder, copied next to its pages.
fn lesson_assets(lesson: &Lesson) -> impl Iterator<Item = Output> + '_ {
    lesson.assets.iter().map(|(rel, from)| Output::Copy {
        path: format!("{}/{rel}", lesson.slug),
        from: from.clone(),
    })
}

fn site_view(c: &SiteConfig) -> SiteView<'_> {
    SiteView {
        title: &c.title,
        description: &c.description,
        language: &c.language,
        base_url: &c.base_url,
        search: c.search,
    }
}

fn link(s: &Step) -> NavLinkView<'_> {
    NavLinkView {
        title: &s.title,
        href: format!("{}.html", url_segment(&s.stem)),
    }
}

/// What the documents of one lesson are rendered from, besides the document itself.
#[derive(Clone, Copy)]
struct LessonInput<'l> {
    /// Where its documents' text is.
    sources: &'l Sources,
    lesson: &'l Lesson,
    values: &'l LessonValues,
    literals: &'l reproduce::Literals,
}

/// Renders the pages of a site; made once per run and shared by the threads.
pub(crate) struct Renderer<'a> {
    config: &'a SiteConfig,
    templates: &'a Templates,
    files: &'a [TemplateFile],
    course: &'a Course,
    opts: RenderOptions<'a>,
    math: Math,
    /// `site`, serialised once: tera values share their contents, so each page's copy is cheap.
    site_value: tera::Value,
    /// The course's list of lessons, serialised once for every lesson and step page.
    course_value: tera::Value,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(
        config: &'a SiteConfig,
        (templates, files): (&'a Templates, &'a [TemplateFile]),
        course: &'a Course,
        opts: RenderOptions<'a>,
    ) -> Self {
        Renderer {
            config,
            templates,
            files,
            course,
            opts,
            math: Math::default(),
            site_value: tera::Value::from_serializable(&site_view(config)),
            course_value: tera::Value::from_serializable(&course.list()),
        }
    }

    fn context(&self, root: &str, title: String, path: &str) -> Context {
        self.context_with(self.page_view(root, title, path))
    }

    fn context_with(&self, page: PageView) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("page", &page);
        ctx
    }

    /// The page of `doc` with its expression graph (not for `check`, which writes nothing).
    fn doc_page(&self, title: String, path: &str, input: LessonInput, doc: &Doc) -> PageView {
        let mut page = self.page_view("../", title, path);
        if !self.opts.target.lean() {
            page.graph = graph::page_graph(doc, input.lesson, input.values, &self.config.tables);
        }
        page
    }

    fn page_view(&self, root: &str, title: String, path: &str) -> PageView {
        let canonical = self.config.absolute_base().map(|base| {
            let url: Vec<String> = path.split('/').map(url_segment).collect();
            format!("{base}{}", url.join("/"))
        });
        PageView {
            root: root.to_string(),
            title,
            canonical,
            live_reload: self.opts.live_reload.map(|script| LiveReloadView {
                script: format!("{root}{script}"),
                path: path.to_string(),
            }),
            graph: None,
        }
    }

    /// The overview page and step pages of one lesson, and its assets. Its documents are read
    /// from `sources`. `events` holds the Markdown events the scan kept of each of them (see
    /// [`crate::parse::lesson`]), else each is parsed here.
    pub(crate) fn lesson<'e>(
        &self,
        sources: &Sources,
        lesson: &Lesson,
        vals: &LessonValues,
        mut events: Option<&mut Vec<(FileId, Events<'e>)>>,
    ) -> (Vec<Output>, Vec<Diagnostic>) {
        let mut take = |file: FileId| {
            let kept = events.as_deref_mut()?;
            let at = kept.iter().position(|(f, _)| *f == file)?;
            Some(kept.swap_remove(at).1)
        };
        let mut out = Vec::new();
        let mut problems = Vec::new();
        let opts = &self.opts;
        let overview = opts.wants(|| PageKey::Overview(lesson.slug.clone()));
        let step_key = |s: &Step| PageKey::Step(lesson.slug.clone(), s.stem.clone());
        if !overview && !lesson.steps.iter().any(|s| opts.wants(|| step_key(s))) {
            out.extend(lesson_assets(lesson));
            return (out, problems);
        }
        let literals = reproduce::Literals::default();
        let input = LessonInput {
            sources,
            lesson,
            values: vals,
            literals: &literals,
        };
        let (intro_html, _) =
            self.doc_html(input, &lesson.intro, &mut problems, take(lesson.intro.file));
        // One value for all the pages of the lesson: tera values share their contents.
        let lesson_value = tera::Value::from_serializable(&self.lesson_view(
            lesson,
            &intro_html,
            vals,
            &mut problems,
        ));
        if overview {
            let title = format!("{} · {}", lesson.meta.title, self.config.title);
            let path = format!("{}/index.html", lesson.slug);
            let mut ctx = self.context_with(self.doc_page(title, &path, input, &lesson.intro));
            ctx.insert_value("lesson", lesson_value.clone());
            ctx.insert_value("course", self.course_value.clone());
            let at = (path.as_str(), Some(lesson.intro.file));
            self.page(&mut out, &mut problems, at, "lesson.html", &ctx);
        }
        let count = lesson.steps.len();
        for (i, step) in lesson.steps.iter().enumerate() {
            if !opts.wants(|| step_key(step)) {
                continue;
            }
            let path = format!("{}/{}.html", lesson.slug, step.stem);
            let (html, toc) = self.doc_html(input, &step.doc, &mut problems, take(step.doc.file));
            // A table of contents pays off from three sections on.
            let toc = if toc.len() >= 3 { toc } else { Vec::new() };
            let title = format!(
                "{} · {} · {}",
                step.title, lesson.meta.title, self.config.title
            );
            let mut ctx = self.context_with(self.doc_page(title, &path, input, &step.doc));
            ctx.insert_value("lesson", lesson_value.clone());
            ctx.insert_value("course", self.course_value.clone());
            ctx.insert(
                "step",
                &StepView {
                    position: i + 1,
                    count,
                    title: &step.title,
                    summary: step.summary.as_deref(),
                    html: &html,
                    toc: &toc,
                    prev: i.checked_sub(1).map(|p| link(&lesson.steps[p])),
                    next: lesson.steps.get(i + 1).map(link),
                },
            );
            let at = (path.as_str(), Some(step.doc.file));
            self.page(&mut out, &mut problems, at, "step.html", &ctx);
        }
        out.extend(lesson_assets(lesson));
        (out, problems)
    }

    /// Renders one page template into `out` at `path` (rendered from the file `origin`); a
    /// template error becomes one diagnostic (reported once even when it breaks many pages).
    fn page(
        &self,
        out: &mut Vec<Output>,
        problems: &mut Vec<Diagnostic>,
        (path, origin): (&str, Option<FileId>),
        template: &str,
        ctx: &Context,
    ) {
        match self.templates.render(template, ctx) {
            Ok(contents) => out.push(Output::Page {
                path: path.to_string(),
                contents,
                origin,
            }),
            Err(e) => self.template_problem(problems, &e, path),
        }
    }

    fn template_problem(&self, problems: &mut Vec<Diagnostic>, e: &tera::Error, path: &str) {
        let d = template_error(e, self.files);
        if !problems
            .iter()
            .any(|p| p.message == d.message && p.primary == d.primary)
        {
            problems.push(d.note(format!("while rendering {path}")));
        }
    }

    /// A front-matter text as inline HTML: Markdown with formulas; a formula that cannot be
    /// typeset is reported where the text is written.
    fn front_html(
        &self,
        t: &FrontText,
        values: &LessonValues,
        problems: &mut Vec<Diagnostic>,
    ) -> String {
        let cx = markdown::Context {
            file: t.span.file,
            values,
            math: &self.math,
            blocks: &BTreeMap::new(),
        };
        let (html, _, found) =
            markdown::to_html(&t.text, 0..t.text.len(), &cx, Some([].iter()), None);
        for mut d in found {
            if let Some((span, label)) = d.primary.as_mut() {
                if t.verbatim {
                    span.range =
                        t.span.range.start + span.range.start..t.span.range.start + span.range.end;
                } else {
                    *span = t.span.clone();
                    *label = "in this text".to_string();
                }
            }
            problems.push(d);
        }
        markdown::strip_paragraph(&html).to_string()
    }

    fn lesson_view<'v>(
        &'v self,
        lesson: &'a Lesson,
        intro_html: &'a str,
        vals: &LessonValues,
        problems: &mut Vec<Diagnostic>,
    ) -> LessonView<'v>
    where
        'a: 'v,
    {
        LessonView {
            slug: &lesson.slug,
            title: &lesson.meta.title,
            summary: &lesson.meta.summary,
            prerequisites: lesson
                .meta
                .prerequisites
                .iter()
                .map(|p| p.text.as_str())
                .collect(),
            prerequisite_links: lesson
                .meta
                .prerequisites
                .iter()
                .map(|p| PrerequisiteView {
                    text: &p.text,
                    href: p
                        .lesson
                        .as_ref()
                        .map(|slug| format!("../{}/index.html", url_segment(slug))),
                })
                .collect(),
            objectives: lesson
                .meta
                .objectives
                .iter()
                .map(|o| o.text.as_str())
                .collect(),
            objectives_html: lesson
                .meta
                .objectives
                .iter()
                .map(|o| self.front_html(o, vals, problems))
                .collect(),
            key_concepts: lesson
                .meta
                .key_concepts
                .iter()
                .map(|c| ConceptView {
                    term: &c.term.text,
                    definition: c.definition.as_ref().map(|d| d.text.as_str()),
                    term_html: self.front_html(&c.term, vals, problems),
                    definition_html: c
                        .definition
                        .as_ref()
                        .map(|d| self.front_html(d, vals, problems)),
                })
                .collect(),
            steps: lesson
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| StepLinkView {
                    position: i + 1,
                    title: &s.title,
                    summary: s.summary.as_deref(),
                    href: format!("{}.html", url_segment(&s.stem)),
                })
                .collect(),
            intro_html,
            course: self.course.view(&lesson.slug),
        }
    }

    /// A document's Markdown as HTML with its tables and quizzes, and its table of contents.
    fn doc_html<'e>(
        &self,
        input: LessonInput,
        doc: &Doc,
        problems: &mut Vec<Diagnostic>,
        events: Option<Events<'e>>,
    ) -> (String, Vec<TocEntry>) {
        let LessonInput {
            sources,
            lesson,
            values,
            literals,
        } = input;
        let mut blocks = BTreeMap::new();
        let scales = table::scales(&doc.matrices, values);
        let table_input = table::TableInput {
            lesson,
            values,
            tables: &self.config.tables,
            literals,
            lean: self.opts.target.lean(),
            scales: &scales,
        };
        for def in doc.matrices.iter().filter(|d| d.show) {
            let Some(m) = values.matrices.get(&def.name) else {
                continue;
            };
            let mut ctx = Context::new();
            ctx.insert("matrix", &table::view(def, m, &table_input));
            match self.templates.render("matrix.html", &ctx) {
                Ok(html) => {
                    blocks.insert(def.fence_offset, html);
                }
                Err(e) => {
                    self.template_problem(problems, &e, &format!("the table of {}", def.name))
                }
            }
        }
        let cx = markdown::Context {
            file: doc.file,
            values,
            math: &self.math,
            blocks: &BTreeMap::new(),
        };
        for (n, q) in doc.quizzes.iter().enumerate() {
            let mut ctx = Context::new();
            ctx.insert("quiz", &quiz::view(q, n, &cx, problems));
            match self.templates.render("quiz.html", &ctx) {
                Ok(html) => {
                    blocks.insert(q.fence_offset, html);
                }
                Err(e) => self.template_problem(problems, &e, "a quiz"),
            }
        }
        let text = &sources.get(doc.file).text;
        let cx = markdown::Context {
            blocks: &blocks,
            ..cx
        };
        let (html, toc, mut found) = markdown::to_html(text, doc.body.clone(), &cx, None, events);
        problems.append(&mut found);
        (html, toc)
    }
}
