//! Render: the computed site to HTML files in memory, through tera templates.
//!
//! Only this module knows tera. Pages link to each other with relative URLs, so the site works
//! under any path prefix and from `file://`.

pub mod markdown;
pub mod options;
pub mod quiz;
pub mod reproduce;
mod step_page;
pub mod table;
pub mod templates;
pub mod views;

use std::collections::BTreeMap;

use rayon::prelude::*;
use std::path::PathBuf;

use tera::Context;

use crate::compute::lesson::LessonValues;
use crate::config::SiteConfig;
use crate::error::Diagnostic;
use crate::format::url_segment;
use crate::load::TemplateFile;
use crate::math::Math;
use crate::model::{Doc, Lesson, Site, Step};
use crate::parse::markdown::Events;
use crate::source::{FileId, Sources};
use markdown::TocEntry;
pub use options::{PageKey, RenderOptions};
use templates::{Templates, template_error};
use views::*;

/// One file of the output.
#[derive(Debug, Clone)]
pub enum Output {
    /// Generated contents at a path relative to the output folder (`/`-separated), with the
    /// source file it was rendered from (for locating problems found in it later).
    Page {
        path: String,
        contents: String,
        origin: Option<FileId>,
    },
    /// A file copied as it is from the content.
    Copy { path: String, from: PathBuf },
}

impl Output {
    pub fn path(&self) -> &str {
        match self {
            Output::Page { path, .. } | Output::Copy { path, .. } => path,
        }
    }
}

/// Renders the pages `opts` asks for (every page by default), handing them to `emit` lesson by
/// lesson as they are made (in parallel, from several threads), so that a large site is never
/// held in memory whole. Returns what `emit` returned, in site order (site-wide pages first,
/// then each lesson), and the template and formula problems found.
pub fn render<T: Send>(
    site: &Site,
    sources: &Sources,
    values: &[LessonValues],
    templates: &Templates,
    files: &[TemplateFile],
    opts: &RenderOptions,
    emit: &(dyn Fn(Vec<Output>) -> T + Sync),
) -> (Vec<T>, Vec<Diagnostic>) {
    let r = Renderer::new(&site.config, templates, files, opts);
    // The site-wide pages are made while the lessons are.
    let ((first, mut problems), per_lesson) = rayon::join(
        || site_wide_pages(&r, site, templates, opts, emit),
        || -> Vec<(T, Vec<Diagnostic>)> {
            // Lessons are independent: render them in parallel, then keep the site's order.
            site.lessons
                .par_iter()
                .zip(values.par_iter())
                .map(|(lesson, vals)| {
                    let (pages, found) = r.lesson(sources, lesson, vals, opts, None);
                    (emit(pages), found)
                })
                .collect()
        },
    );
    let mut results = vec![first];
    for (result, found) in per_lesson {
        results.push(result);
        for d in found {
            if !problems
                .iter()
                .any(|p: &Diagnostic| p.message == d.message && p.primary == d.primary)
            {
                problems.push(d);
            }
        }
    }
    (results, problems)
}

/// The index, the 404 page, the sitemap and the stylesheet and script, handed to `emit`.
pub(crate) fn site_wide_pages<T>(
    r: &Renderer,
    site: &Site,
    templates: &Templates,
    opts: &RenderOptions,
    emit: &(dyn Fn(Vec<Output>) -> T + Sync),
) -> (T, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let lessons: Vec<LessonLinkView> = site
        .lessons
        .iter()
        .map(|l| LessonLinkView {
            title: &l.meta.title,
            summary: &l.meta.summary,
            href: format!("{}/index.html", url_segment(&l.slug)),
            step_count: l.steps.len(),
        })
        .collect();
    // The site-wide pages depend on the list of lessons: an incremental rebuild asks for them
    // (as the index) when that list changed.
    let site_wide = opts.wants(|| PageKey::Index);
    if site_wide {
        let index = |_: &str| {
            let mut ctx = r.context("", site.config.title.clone(), "index.html");
            ctx.insert("lessons", &lessons);
            ctx
        };
        r.page(
            &mut out,
            &mut problems,
            "index.html".into(),
            None,
            "index.html",
            (None, &index),
        );
        // The 404 page is served at any depth, so it links from the site's root path.
        let root_path = site.config.base_path();
        let not_found = |_: &str| {
            let mut ctx = r.context(
                &root_path,
                format!("Page not found · {}", site.config.title),
                "404.html",
            );
            ctx.insert("root_path", &root_path);
            ctx.insert("lessons", &lessons);
            ctx
        };
        r.page(
            &mut out,
            &mut problems,
            "404.html".into(),
            None,
            "404.html",
            (None, &not_found),
        );
        if let Some(base) = site.config.absolute_base() {
            out.push(Output::Page {
                path: "sitemap.xml".into(),
                contents: sitemap(&base, site),
                origin: None,
            });
        }
    }
    out.extend(templates.assets.iter().cloned());
    (emit(out), problems)
}

/// Renders the pages `opts` asks for into memory (for `serve`, which compares them with what it
/// wrote before). Fails with every problem found, also two outputs at one path.
pub fn render_with(
    site: &Site,
    sources: &Sources,
    values: &[LessonValues],
    templates: &Templates,
    files: &[TemplateFile],
    opts: &RenderOptions,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let (batches, mut problems) = render(site, sources, values, templates, files, opts, &|pages| {
        pages
    });
    let out: Vec<Output> = batches.into_iter().flatten().collect();
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

/// `sitemap.xml`: every page (not the 404 page), with absolute URLs, in path order.
fn sitemap(base: &str, site: &Site) -> String {
    let mut paths = vec!["index.html".to_string()];
    for l in &site.lessons {
        paths.push(format!("{}/index.html", l.slug));
        paths.extend(
            l.steps
                .iter()
                .map(|s| format!("{}/{}.html", l.slug, s.stem)),
        );
    }
    paths.sort_unstable();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        let url: Vec<String> = p.split('/').map(url_segment).collect();
        xml.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            crate::format::escape(&format!("{base}{}", url.join("/")))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Two outputs at one path (an asset named like a page), or a file where a folder must be.
/// `paths` holds every output path with what produced it (`None`: a generated page, `Some`:
/// the file copied there).
pub fn collisions<'a>(paths: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<Diagnostic> {
    let all: Vec<(&str, bool)> = paths.into_iter().collect();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut twice = Vec::new();
    for &(p, copy) in &all {
        if !seen.insert(p) {
            twice.push((p, copy));
        }
    }
    // A path that is also a folder: some path starts with it and a `/`. In sorted order the
    // first path not below `p/` is where such a path would be.
    let mut sorted: Vec<&str> = seen.into_iter().collect();
    sorted.par_sort_unstable();
    let below = |q: &str, p: &str| q.as_bytes().iter().cmp(p.as_bytes().iter().chain(b"/"));
    let folders: Vec<(&str, bool)> = all
        .par_iter()
        .filter(|(p, _)| {
            let i = sorted.partition_point(|q| below(q, p).is_lt());
            sorted.get(i).is_some_and(|q| {
                q.len() > p.len() && q.starts_with(p) && q.as_bytes()[p.len()] == b'/'
            })
        })
        .copied()
        .collect();
    twice.extend(folders);
    twice
        .into_iter()
        .map(|(path, copy)| {
            let what = match copy {
                true if path.starts_with("assets/") => format!("templates/{}", &path[7..]),
                true => format!("the file content/{path}"),
                false => "a generated page".to_string(),
            };
            Diagnostic::error(format!("two things would be written to site/{path}: {what} and another one"))
                .help("rename the file: the names of generated pages (index.html, NN-slug.html, 404.html) and assets/ are taken")
        })
        .collect()
}

/// A page's body, if it has one, and the template context that shows a given body.
type PageBody<'x> = (Option<&'x str>, &'x dyn Fn(&str) -> Context);

/// Stands for a page's body in the template context (see [`Renderer::page`]).
const BODY: &str = "\0lectern-body\0";

/// `page` with `body` in the place of its one [`BODY`] mark; `None` unless it has exactly one.
fn fill_body(page: &str, body: &str) -> Option<String> {
    let at = page.find(BODY)?;
    let rest = &page[at + BODY.len()..];
    if rest.contains(BODY) {
        return None;
    }
    let mut out = String::with_capacity(page.len() + body.len());
    out.push_str(&page[..at]);
    out.push_str(body);
    out.push_str(rest);
    Some(out)
}

fn site_view(c: &SiteConfig) -> SiteView<'_> {
    SiteView {
        title: &c.title,
        description: &c.description,
        language: &c.language,
        base_url: &c.base_url,
    }
}

fn overridden(files: &[TemplateFile], name: &str) -> bool {
    files.iter().any(|t| t.name == name && t.overridden)
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

/// Renders the pages of lessons; made once per build and shared by the threads.
pub(crate) struct Renderer<'a> {
    config: &'a SiteConfig,
    templates: &'a Templates,
    files: &'a [TemplateFile],
    math: Math,
    site_value: tera::Value,
    /// Whether the project overrides `matrix.html` (else tables skip tera; see
    /// [`table::builtin_html`]).
    custom_matrix_template: bool,
    /// Whether the page templates (`base.html`, `step.html`, `lesson.html`) are the built-in
    /// ones, which place a page's body once and as it is: then a page is rendered around a
    /// [`BODY`] mark and the body put in its place, instead of copying the body into the
    /// template context and out again.
    builtin_pages: bool,
    /// For `check`: leave out what cannot fail and is never linked to (cell derivations and
    /// reproduce snippets), since the pages are not written; built-in step pages hold only
    /// their links and ids (see [`step_page::links_only`]).
    lean: bool,
    /// Serve mode: pages get `page.live_reload`.
    live_reload: bool,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(
        config: &'a SiteConfig,
        templates: &'a Templates,
        files: &'a [TemplateFile],
        opts: &RenderOptions,
    ) -> Self {
        Renderer {
            config,
            templates,
            files,
            math: Math::default(),
            lean: opts.lean,
            live_reload: opts.live_reload,
            custom_matrix_template: overridden(files, "matrix.html"),
            builtin_pages: !["base.html", "step.html", "lesson.html"]
                .iter()
                .any(|name| overridden(files, name)),
            // Serialised once: tera values share their contents, so each page's copy is cheap.
            site_value: tera::Value::from_serializable(&site_view(config)),
        }
    }

    fn context(&self, root: &str, title: String, path: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("page", &self.page_view(root, title, path));
        ctx
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
            live_reload: self.live_reload.then(|| LiveReloadView {
                script: format!("{root}{}/live.js", options::LIVE_RELOAD_DIR),
                path: path.to_string(),
            }),
        }
    }

    /// The overview page and step pages of one lesson, and its assets. Its documents are read
    /// from `sources`. `events` holds the Markdown events the scan kept of each of them (see
    /// [`crate::parse::lesson_streamed`]), else each is parsed here.
    pub(crate) fn lesson<'e>(
        &self,
        sources: &Sources,
        lesson: &Lesson,
        vals: &LessonValues,
        opts: &RenderOptions,
        mut events: Option<&mut Vec<(FileId, Events<'e>)>>,
    ) -> (Vec<Output>, Vec<Diagnostic>)
    where
        'a: 'e,
    {
        let r = self;
        let config = self.config;
        let mut take = |file: FileId| {
            let kept = events.as_deref_mut()?;
            let at = kept.iter().position(|(f, _)| *f == file)?;
            Some(kept.swap_remove(at).1)
        };
        let mut out = Vec::new();
        let mut problems = Vec::new();
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
            r.doc_html(input, &lesson.intro, &mut problems, take(lesson.intro.file));
        // The built-in step template does not show the introduction.
        let typed_lesson = r.lesson_view(lesson, if r.builtin_pages { "" } else { &intro_html });
        // Step pages of the built-in templates are written directly and need no tera value.
        let lesson_view = (!r.builtin_pages).then(|| tera::Value::from_serializable(&typed_lesson));
        let site_view = site_view(config);
        if overview && r.lean && r.builtin_pages {
            // check reads only the page's links and ids.
            let title = format!("{} · {}", lesson.meta.title, config.title);
            let path = format!("{}/index.html", lesson.slug);
            let page = r.page_view("../", title, &path);
            out.push(Output::Page {
                contents: step_page::overview_links_only(
                    &page,
                    &r.lesson_view(lesson, &intro_html),
                ),
                path,
                origin: Some(lesson.intro.file),
            });
        } else if overview {
            let title = format!("{} · {}", lesson.meta.title, config.title);
            let path = format!("{}/index.html", lesson.slug);
            let ctx = |body: &str| {
                let mut ctx = r.context("../", title.clone(), &path);
                ctx.insert("lesson", &r.lesson_view(lesson, body));
                ctx
            };
            r.page(
                &mut out,
                &mut problems,
                path.clone(),
                Some(lesson.intro.file),
                "lesson.html",
                (Some(&intro_html), &ctx),
            );
        }

        let count = lesson.steps.len();
        for (i, step) in lesson.steps.iter().enumerate() {
            if !opts.wants(|| step_key(step)) {
                continue;
            }
            let path = format!("{}/{}.html", lesson.slug, step.stem);
            let (html, toc) = r.doc_html(input, &step.doc, &mut problems, take(step.doc.file));
            // A table of contents pays off from three sections on.
            let toc = if toc.len() >= 3 { toc } else { Vec::new() };
            let title = format!("{} · {} · {}", step.title, lesson.meta.title, config.title);
            let step_view = StepView {
                position: i + 1,
                count,
                title: &step.title,
                summary: step.summary.as_deref(),
                html: &html,
                toc: &toc,
                prev: i.checked_sub(1).map(|p| link(&lesson.steps[p])),
                next: lesson.steps.get(i + 1).map(link),
            };
            if r.builtin_pages {
                let page = step_page::StepPage {
                    site: &site_view,
                    page: &r.page_view("../", title, &path),
                    lesson: &typed_lesson,
                    step: &step_view,
                };
                // check reads only the page's links and ids.
                let contents = if r.lean {
                    step_page::links_only(&page)
                } else {
                    step_page::render(&page)
                };
                out.push(Output::Page {
                    path,
                    contents,
                    origin: Some(step.doc.file),
                });
                continue;
            }
            let ctx = |body: &str| {
                let mut ctx = r.context("../", title.clone(), &path);
                if let Some(lesson_view) = &lesson_view {
                    ctx.insert_value("lesson", lesson_view.clone());
                }
                ctx.insert(
                    "step",
                    &StepView {
                        html: body,
                        ..step_view.clone()
                    },
                );
                ctx
            };
            r.page(
                &mut out,
                &mut problems,
                path.clone(),
                Some(step.doc.file),
                "step.html",
                (Some(&html), &ctx),
            );
        }
        out.extend(lesson_assets(lesson));
        (out, problems)
    }

    /// Renders one template into `out`; a template error becomes one diagnostic (reported once
    /// even when it breaks many pages). `body` is the page's body (if it has one) and the context
    /// that shows it:
    /// with the built-in page templates, the page is rendered around a [`BODY`] mark that the
    /// body then replaces, which saves copying the body into the context and out again.
    fn page(
        &self,
        out: &mut Vec<Output>,
        problems: &mut Vec<Diagnostic>,
        path: String,
        origin: Option<FileId>,
        template: &str,
        (body, ctx): PageBody,
    ) {
        let render = |body: &str| self.templates.tera.render(template, &ctx(body));
        let rendered = if let Some(body) = body
            && self.builtin_pages
        {
            render(BODY).and_then(|page| match fill_body(&page, body) {
                Some(filled) => Ok(filled),
                // The mark is also in the author's text: render the page as it is.
                None => render(body),
            })
        } else {
            render(body.unwrap_or_default())
        };
        match rendered {
            Ok(contents) => out.push(Output::Page {
                path,
                contents,
                origin,
            }),
            Err(e) => self.template_problem(problems, &e, &path),
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

    fn lesson_view(&self, lesson: &'a Lesson, intro_html: &'a str) -> LessonView<'a> {
        LessonView {
            slug: &lesson.slug,
            title: &lesson.meta.title,
            summary: &lesson.meta.summary,
            prerequisites: &lesson.meta.prerequisites,
            objectives: &lesson.meta.objectives,
            key_concepts: lesson
                .meta
                .key_concepts
                .iter()
                .map(|c| ConceptView {
                    term: &c.term,
                    definition: c.definition.as_deref(),
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
        }
    }

    /// A document's Markdown as HTML with its tables and quizzes, and its table of contents.
    fn doc_html<'e>(
        &self,
        input: LessonInput,
        doc: &Doc,
        problems: &mut Vec<Diagnostic>,
        events: Option<Events<'e>>,
    ) -> (String, Vec<TocEntry>)
    where
        'a: 'e,
    {
        let LessonInput {
            sources,
            lesson,
            values,
            literals,
        } = input;
        let mut blocks = BTreeMap::new();
        let tables = &self.config.tables;
        for def in doc.matrices.iter().filter(|d| d.show) {
            if let Some(m) = values.matrices.get(&def.name) {
                if self.lean && !self.custom_matrix_template {
                    // check: the built-in table holds no link, only ids: the block's, and its
                    // cell derivations' (the derivations themselves are left out).
                    let mut stub = String::from("<figure class=\"matrix-block\" id=\"matrix-");
                    crate::format::escape_into(&mut stub, &def.name);
                    stub.push_str("\">");
                    table::push_story_anchors(&mut stub, def, m, values);
                    stub.push_str("</figure>\n");
                    blocks.insert(def.fence_offset, stub);
                    continue;
                }
                let builtin = !self.custom_matrix_template;
                // A project's own table template may give the derivations ids, so check makes
                // them too.
                let explain_cells = !self.lean || !builtin;
                let view = table::view(
                    def,
                    m,
                    lesson,
                    values,
                    tables,
                    explain_cells,
                    literals,
                    !builtin,
                );
                if builtin {
                    blocks.insert(def.fence_offset, table::builtin_html(&view));
                    continue;
                }
                let mut ctx = Context::new();
                ctx.insert("matrix", &view);
                match self.templates.tera.render("matrix.html", &ctx) {
                    Ok(html) => {
                        blocks.insert(def.fence_offset, html);
                    }
                    Err(e) => {
                        self.template_problem(problems, &e, &format!("the table of {}", def.name))
                    }
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
            let view = quiz::view(q, n, &cx, problems);
            let mut ctx = Context::new();
            ctx.insert("quiz", &view);
            match self.templates.tera.render("quiz.html", &ctx) {
                Ok(html) => {
                    blocks.insert(q.fence_offset, html);
                }
                Err(e) => self.template_problem(problems, &e, "a quiz"),
            }
        }
        if self.lean
            && let Some(skeleton) = &doc.skeleton
        {
            // check: the body's links and ids, with the blocks in their places.
            let mut html = String::with_capacity(skeleton.html.len() + 256);
            let mut fences = skeleton.blocks.iter();
            for (i, piece) in skeleton.html.split('\0').enumerate() {
                if i > 0
                    && let Some(block) = fences.next().and_then(|f| blocks.get(f))
                {
                    html.push_str(block);
                }
                html.push_str(piece);
            }
            return (html, skeleton.toc.clone());
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

#[cfg(test)]
mod tests {
    use super::collisions;

    /// Each path written twice is reported once per extra writer, then each path that some
    /// other path needs as a folder; names that only share a prefix (`x.htm`, `x.html-2/`) are
    /// not folders of `x.html`.
    #[test]
    fn finds_repeated_paths_and_files_in_the_place_of_folders() {
        let paths = [
            ("a/index.html", false),
            ("a/index.html", true),
            ("a/x.html", false),
            ("a/x.htm", false),
            ("a/x.html-2/b.png", true),
            ("a/x.html/img.png", true),
            ("b", true),
            ("b.d", false),
            ("b/c", true),
            ("c/d", true),
        ];
        let messages: Vec<String> = collisions(paths).into_iter().map(|d| d.message).collect();
        assert_eq!(
            messages,
            [
                "two things would be written to site/a/index.html: the file content/a/index.html and another one",
                "two things would be written to site/a/x.html: a generated page and another one",
                "two things would be written to site/b: the file content/b and another one",
            ]
        );
    }
}
