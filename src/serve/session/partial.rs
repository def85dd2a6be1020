//! The parts of a rebuild: one lesson made again, pages rendered again, and what changed
//! checked and written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::good::Good;
use crate::compute::imports::{Imported, Unavailable};
use crate::compute::lesson::LessonValues;
use crate::error::{Diagnostic, Error};
use crate::load::{self, TemplateBody, TemplateFile};
use crate::model::{Lesson, Site};
use crate::parse::Settings;
use crate::pipeline::{self, Target};
use crate::render::templates::Templates;
use crate::render::{self, Course, Output, PageKey, RenderOptions, Renderer};
use crate::serve::incremental::{self, TemplateGraph};
use crate::serve::live::LIVE_RELOAD_SCRIPT;
use crate::source::Sources;
use crate::{links, write};

/// Reads and makes one lesson on its own, as a build makes each lesson: its model, values,
/// files (pages and assets, all under `SLUG/`) and warnings.
#[allow(clippy::type_complexity)]
pub(super) fn lesson(
    root: &Path,
    slug: &str,
    good: &mut Good,
    garbage: &mut usize,
) -> Result<(Lesson, LessonValues, Vec<Output>, Vec<Diagnostic>), Error> {
    let mut problems = Vec::new();
    let dir = root.join("content").join(slug);
    let files = load::load_lesson(
        root,
        &dir,
        slug.to_string(),
        &mut good.sources,
        &mut problems,
    )?;
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    let ids = files
        .lesson_md
        .iter()
        .chain(files.steps.iter().map(|(id, _)| id));
    *garbage += ids
        .map(|id| good.sources.get(*id).text.len())
        .sum::<usize>();
    let config = &good.site.config;
    let templates =
        Templates::new(&good.template_files, &good.sources).map_err(|d| Error::Content(vec![d]))?;
    let opts = RenderOptions {
        target: Target::Serve,
        live_reload: Some(LIVE_RELOAD_SCRIPT),
        only: None,
    };
    let others = &good.site.lessons;
    let elsewhere = |name: &str| crate::compute::lesson::defined_in(others, name);
    // Imports come from the other lessons as the last good build made them.
    let lookup = |from: &str, name: &str| -> Result<Imported, Unavailable> {
        let Some(i) = others.iter().position(|l| l.slug == from) else {
            let lessons = others.iter().map(|l| l.slug.clone()).collect();
            return Err(Unavailable::NoLesson(lessons));
        };
        if from == slug {
            return Err(Unavailable::Cycle(vec![slug.to_string(), slug.to_string()]));
        }
        let values = &good.values[i];
        match values.matrices.get(name) {
            Some(m) => Ok(Imported {
                matrix: m.clone(),
                precision: values.precision.get(name).copied().unwrap_or(3),
            }),
            None => Err(Unavailable::NoName(
                values.matrices.keys().cloned().collect(),
            )),
        }
    };
    // The course as the last good build had it: when this lesson's title or order changes,
    // every page is rendered again afterwards (see `Session::lessons`).
    let course = Course::of_site(&good.site);
    let lessons = pipeline::Lessons {
        config,
        settings: Settings::new(Some(config), true),
        renderer: &Renderer::new(config, (&templates, &good.template_files), &course, opts),
        elsewhere: &elsewhere,
    };
    let made = lessons.make(&good.sources, &files, &lookup);
    if pipeline::failed(&made.problems, false) {
        return Err(Error::Content(made.problems));
    }
    let Some(lesson) = made.lesson else {
        return Err(Error::Usage(format!(
            "content/{slug} is no longer a lesson"
        )));
    };
    // New imports may change the order in which lessons must be made (or go round in a
    // circle): the whole site is made again, as a build makes it.
    let imports = |l: &Lesson| -> Vec<(String, String, String)> {
        let i = l.meta.imports.iter();
        i.map(|i| (i.lesson.clone(), i.name.clone(), i.alias.clone()))
            .collect()
    };
    let before = others.iter().find(|l| l.slug == slug);
    if before.is_none_or(|b| imports(b) != imports(&lesson)) {
        return Err(Error::Usage(format!(
            "the imports of lesson {slug} changed"
        )));
    }
    Ok((lesson, made.values, made.pages, made.problems))
}

/// Renders `pages` of the good site, with `templates` (new ones) or the current ones.
pub(super) fn render_pages(
    good: &Good,
    pages: &BTreeSet<PageKey>,
    templates: Option<&[TemplateFile]>,
) -> Result<Vec<Output>, Error> {
    let files = templates.unwrap_or(&good.template_files);
    let compiled = Templates::new(files, &good.sources).map_err(|d| Error::Content(vec![d]))?;
    let only = |k: &PageKey| pages.contains(k);
    let opts = RenderOptions {
        target: Target::Serve,
        live_reload: Some(LIVE_RELOAD_SCRIPT),
        only: Some(&only),
    };
    let mut out = render::render_site(
        &good.site,
        &good.sources,
        &good.values,
        (&compiled, files),
        opts,
    )
    .map_err(Error::Content)?;
    // Lesson assets are listed whatever the selection; only template assets may change here.
    if templates.is_none() {
        out.retain(|o| matches!(o, Output::Page { .. }) && !o.path().starts_with("assets/"));
    } else {
        out.retain(|o| matches!(o, Output::Page { .. }) || o.path().starts_with("assets/"));
    }
    Ok(out)
}

/// Checks the links that `outputs` and `removed` may affect, then writes what changed and
/// updates the fingerprints and links. Returns the changed paths and the problems (warnings).
pub(super) fn commit(
    good: &mut Good,
    out: &Path,
    outputs: Vec<Output>,
    removed: BTreeSet<String>,
    mut problems: Vec<Diagnostic>,
) -> Result<(Vec<String>, Vec<Diagnostic>), Error> {
    let rendered: BTreeMap<String, BTreeSet<String>> = pages(&outputs)
        .map(|(path, contents)| (path.to_string(), links::targets(path, contents)))
        .collect();
    let load = incremental::pages_to_link_check(&rendered, &removed, &good.links);
    let mut check: Vec<Output> = outputs
        .iter()
        .filter(|o| rendered.contains_key(o.path()))
        .cloned()
        .collect();
    let new_paths: BTreeSet<&str> = outputs.iter().map(Output::path).collect();
    for path in good
        .written
        .keys()
        .map(String::as_str)
        .chain(new_paths.iter().copied())
    {
        if rendered.contains_key(path) || removed.contains(path) {
            continue;
        }
        let contents = load
            .contains(path)
            .then(|| std::fs::read_to_string(out.join(path)).ok())
            .flatten();
        check.push(match contents {
            Some(contents) => Output::Page {
                path: path.to_string(),
                contents,
                origin: None,
            },
            None => placeholder(path),
        });
    }
    check.push(live_reload_placeholder());
    check.sort_by(|a, b| a.path().cmp(b.path()));
    check.dedup_by(|a, b| a.path() == b.path());
    problems.extend(links::check_outputs(
        &check,
        &good.sources,
        &good.site.config.base_path(),
    ));
    if pipeline::failed(&problems, false) {
        return Err(Error::Content(problems));
    }
    let changed: Vec<&Output> = outputs
        .iter()
        .filter(|o| good.written.get(o.path()) != Some(&write::fingerprint(o)))
        .collect();
    write::write_files(out, changed.iter().copied())?;
    write::remove_files(out, &removed)?;
    let mut paths: Vec<String> = changed.iter().map(|o| o.path().to_string()).collect();
    for o in &outputs {
        good.written
            .insert(o.path().to_string(), write::fingerprint(o));
    }
    for path in &removed {
        good.written.remove(path);
        good.links.remove(path);
        paths.push(path.clone());
    }
    good.links.extend(rendered);
    Ok((paths, problems))
}

/// The HTML pages among `files`, as (path, contents).
pub(super) fn pages(files: &[Output]) -> impl Iterator<Item = (&str, &str)> {
    files.iter().filter_map(|f| match f {
        Output::Page { path, contents, .. } if path.ends_with(".html") => {
            Some((path.as_str(), contents.as_str()))
        }
        _ => None,
    })
}

/// A file the link checker knows by its path only.
pub(super) fn placeholder(path: &str) -> Output {
    Output::Copy {
        path: path.to_string(),
        from: PathBuf::new(),
    }
}

/// The live-reload script every served page loads; the server answers it, not a file.
pub(super) fn live_reload_placeholder() -> Output {
    placeholder(LIVE_RELOAD_SCRIPT)
}

pub(super) fn graph(files: &[TemplateFile], sources: &Sources) -> TemplateGraph {
    TemplateGraph::new(files.iter().filter_map(|t| match t.body {
        TemplateBody::Template(id) => Some((t.name.as_str(), sources.get(id).text.as_str())),
        _ => None,
    }))
}

pub(super) fn position(site: &Site, slug: &str) -> usize {
    site.lessons
        .iter()
        .position(|l| l.slug == slug)
        .expect("planned lessons are known")
}

/// Lessons in site order (as `parse` sorts them), keeping values beside their lesson.
pub(super) fn sort_lessons(good: &mut Good) {
    let mut both: Vec<(Lesson, LessonValues)> = std::mem::take(&mut good.site.lessons)
        .into_iter()
        .zip(std::mem::take(&mut good.values))
        .collect();
    both.sort_by(|(a, _), (b, _)| a.site_order().cmp(&b.site_order()));
    (good.site.lessons, good.values) = both.into_iter().unzip();
}

pub(super) fn join(names: &BTreeSet<String>) -> String {
    names.iter().cloned().collect::<Vec<_>>().join(", ")
}
