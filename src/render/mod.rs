//! Render: the computed site to HTML files in memory, through tera templates.
//!
//! Only this module knows tera. Pages link to each other with relative URLs, so the site works
//! under any path prefix and from `file://`.

pub mod format;
pub mod markdown;
pub mod options;
pub mod templates;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;

use tera::Context;

use crate::compute::lesson::LessonValues;
use crate::compute::matrix::Matrix;
use crate::error::Diagnostic;
use crate::load::TemplateFile;
use crate::model::{Doc, Lesson, MatrixDef, MatrixSource, Site};
use crate::source::{FileId, Sources};
use format::url_segment;
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

/// Renders every page of the site.
pub fn render(
    site: &Site,
    sources: &Sources,
    values: &[LessonValues],
    templates: &Templates,
    files: &[TemplateFile],
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    render_with(
        site,
        sources,
        values,
        templates,
        files,
        &RenderOptions::default(),
    )
}

/// Renders the pages `opts` asks for (all by default), with live-reload data in serve mode.
pub fn render_with(
    site: &Site,
    sources: &Sources,
    values: &[LessonValues],
    templates: &Templates,
    files: &[TemplateFile],
    opts: &RenderOptions,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let r = Renderer {
        site,
        sources,
        templates,
        live_reload: opts.live_reload,
        site_view: SiteView {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            base_url: &site.config.base_url,
        },
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    // One broken template breaks many pages: report each distinct error once.
    let mut page = |out: &mut Vec<Output>,
                    path: String,
                    origin: Option<FileId>,
                    result: Result<String, tera::Error>| match result {
        Ok(contents) => out.push(Output::Page {
            path,
            contents,
            origin,
        }),
        Err(e) => {
            let d = template_error(&e, files);
            if !problems
                .iter()
                .any(|p: &Diagnostic| p.message == d.message && p.primary == d.primary)
            {
                problems.push(d.note(format!("while rendering {path}")));
            }
        }
    };

    if opts.wants(|| PageKey::Index) {
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
        let mut ctx = r.context("", site.config.title.clone(), "index.html");
        ctx.insert("lessons", &lessons);
        page(
            &mut out,
            "index.html".into(),
            None,
            templates.tera.render("index.html", &ctx),
        );
    }

    for (lesson, vals) in site.lessons.iter().zip(values) {
        let overview = opts.wants(|| PageKey::Overview(lesson.slug.clone()));
        let step_key = |s: &crate::model::Step| PageKey::Step(lesson.slug.clone(), s.stem.clone());
        if !overview && !lesson.steps.iter().any(|s| opts.wants(|| step_key(s))) {
            out.extend(lesson_assets(lesson));
            continue;
        }
        let intro_html = match r.doc_html(&lesson.intro, vals) {
            Ok(h) => h,
            Err(e) => {
                page(
                    &mut out,
                    format!("{}/index.html", lesson.slug),
                    Some(lesson.intro.file),
                    Err(e),
                );
                continue;
            }
        };
        let lesson_view = r.lesson_view(lesson, &intro_html);
        let title = format!("{} · {}", lesson.meta.title, site.config.title);
        if overview {
            let mut ctx = r.context("../", title, &format!("{}/index.html", lesson.slug));
            ctx.insert("lesson", &lesson_view);
            page(
                &mut out,
                format!("{}/index.html", lesson.slug),
                Some(lesson.intro.file),
                templates.tera.render("lesson.html", &ctx),
            );
        }

        let count = lesson.steps.len();
        for (i, step) in lesson.steps.iter().enumerate() {
            if !opts.wants(|| step_key(step)) {
                continue;
            }
            let path = format!("{}/{}.html", lesson.slug, step.stem);
            let html = match r.doc_html(&step.doc, vals) {
                Ok(h) => h,
                Err(e) => {
                    page(&mut out, path, Some(step.doc.file), Err(e));
                    continue;
                }
            };
            let step_view = StepView {
                position: i + 1,
                count,
                title: &step.title,
                summary: step.summary.as_deref(),
                html: &html,
                prev: i.checked_sub(1).map(|p| link(&lesson.steps[p])),
                next: lesson.steps.get(i + 1).map(link),
            };
            let title = format!(
                "{} · {} · {}",
                step.title, lesson.meta.title, site.config.title
            );
            let mut ctx = r.context("../", title, &path);
            ctx.insert("lesson", &lesson_view);
            ctx.insert("step", &step_view);
            page(
                &mut out,
                path,
                Some(step.doc.file),
                templates.tera.render("step.html", &ctx),
            );
        }
        out.extend(lesson_assets(lesson));
    }
    out.extend(templates.assets.iter().cloned());
    problems.extend(collisions(&out));
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

/// Two outputs at one path (an asset named like a page), or a file where a folder must be.
fn collisions(out: &[Output]) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeSet::new();
    let mut twice = Vec::new();
    for o in out {
        if !seen.insert(o.path()) {
            twice.push(o);
        }
    }
    for o in out {
        let dir = format!("{}/", o.path());
        if seen
            .range(dir.as_str()..)
            .next()
            .is_some_and(|p| p.starts_with(&dir))
        {
            twice.push(o);
        }
    }
    twice
        .into_iter()
        .map(|o| {
            let path = o.path();
            let what = match o {
                Output::Copy { .. } if path.starts_with("assets/") => format!("templates/{}", &path[7..]),
                Output::Copy { .. } => format!("the file content/{path}"),
                Output::Page { .. } => "a generated page".to_string(),
            };
            Diagnostic::error(format!(
                "two things would be written to site/{path}: {what} and another one"
            ))
            .help("rename the file: the names of generated pages (index.html, NN-slug.html) and assets/ are taken")
        })
        .collect()
}

fn link(s: &crate::model::Step) -> NavLinkView<'_> {
    NavLinkView {
        title: &s.title,
        href: format!("{}.html", url_segment(&s.stem)),
    }
}

struct Renderer<'a> {
    site: &'a Site,
    sources: &'a Sources,
    templates: &'a Templates,
    /// Serve mode: pages get `page.live_reload`.
    live_reload: bool,
    site_view: SiteView<'a>,
}

impl<'a> Renderer<'a> {
    fn context(&self, root: &'static str, title: String, path: &str) -> Context {
        let base = self.site.config.base();
        let canonical = (base.starts_with("http://") || base.starts_with("https://")).then(|| {
            format!(
                "{base}{}",
                path.split('/')
                    .map(url_segment)
                    .collect::<Vec<_>>()
                    .join("/")
            )
        });
        let mut ctx = Context::new();
        ctx.insert("site", &self.site_view);
        ctx.insert(
            "page",
            &PageView {
                root,
                title,
                canonical,
                live_reload: self.live_reload.then(|| LiveReloadView {
                    script: format!("{root}{}/live.js", options::LIVE_RELOAD_DIR),
                    path: path.to_string(),
                }),
            },
        );
        ctx
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

    /// A document's Markdown as HTML, with its tables rendered.
    fn doc_html(&self, doc: &Doc, values: &LessonValues) -> Result<String, tera::Error> {
        let mut tables = BTreeMap::new();
        for def in doc.matrices.iter().filter(|d| d.show) {
            if let Some(m) = values.matrices.get(&def.name) {
                tables.insert(def.fence_offset, self.table(def, m)?);
            }
        }
        let text = &self.sources.get(doc.file).text;
        Ok(markdown::to_html(text, doc, &tables, values))
    }

    fn table(&self, def: &MatrixDef, m: &Matrix) -> Result<String, tera::Error> {
        let (r, c) = m.shape();
        let view = MatrixView {
            name: &def.name,
            shape: format!("{r}x{c}"),
            shape_text: m.shape_text(),
            caption: def.caption.as_deref(),
            formula: match &def.source {
                MatrixSource::Computed { text, .. } => Some(text.trim()),
                MatrixSource::Literal(_) => None,
            },
            columns: (0..c).map(|j| m.col_label(j)).collect(),
            rows: (0..r)
                .map(|i| RowView {
                    label: m.row_label(i),
                    cells: m
                        .data
                        .row(i)
                        .iter()
                        .map(|&v| CellView {
                            value: format::exact(v),
                            text: format::rounded(v, def.precision),
                        })
                        .collect(),
                })
                .collect(),
        };
        let mut ctx = Context::new();
        ctx.insert("matrix", &view);
        self.templates.tera.render("matrix.html", &ctx)
    }
}
