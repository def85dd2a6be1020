//! The build state `serve` keeps between rebuilds: the last good site in memory (sources, model,
//! values, templates), a fingerprint of every file written and the links of every page, so that
//! a change rebuilds only what [`crate::incremental`] says it invalidates and writes only the
//! files whose bytes changed.
//!
//! A rebuild succeeds as a whole or changes nothing: on any problem the state and the files on
//! disk stay those of the last good build, and the changes are kept so that the next rebuild
//! covers them too. A failed partial rebuild is redone in full, so that the diagnostics are
//! exactly those `lectern build` prints.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::compute::lesson::LessonValues;
use crate::error::{Diagnostic, Error};
use crate::incremental::{self, Change, Plan, TemplateGraph};
use crate::load::{self, Project, TemplateBody, TemplateFile};
use crate::model::{Lesson, Site};
use crate::pipeline::{self, Options};
use crate::render::options::LIVE_RELOAD_DIR;
use crate::render::templates::Templates;
use crate::render::{self, Output, PageKey, RenderOptions};
use crate::source::{FileId, Sources};
use crate::{links, report, write};

/// Source text read by partial rebuilds (old versions stay in the table) before a full rebuild
/// starts a fresh one.
const GARBAGE_LIMIT: usize = 64 << 20;

/// Text for the terminal (`styled`, coloured when asked) and for the browser (`plain`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub plain: String,
    pub styled: String,
}

/// What one rebuild did.
#[derive(Debug)]
pub enum Outcome {
    /// Nothing the site is built from changed.
    Nothing,
    Built(Built),
    /// The build failed; the last good site stays.
    Failed(Text),
}

#[derive(Debug)]
pub struct Built {
    /// What was rebuilt: `everything (why)`, `lesson L`, `templates (names)`.
    pub what: String,
    /// Pages rendered.
    pub rendered: usize,
    /// Files written or deleted, relative to the output folder.
    pub changed: Vec<String>,
    pub elapsed: Duration,
    pub warnings: Text,
}

pub struct Session {
    root: PathBuf,
    out: PathBuf,
    color: bool,
    good: Option<Good>,
    /// Changes since the last good build.
    dirty: BTreeSet<Change>,
    /// Bytes of source read by partial rebuilds since the last full one.
    garbage: usize,
}

/// The last good build.
struct Good {
    sources: Sources,
    site_yaml: FileId,
    template_files: Vec<TemplateFile>,
    graph: TemplateGraph,
    site: Site,
    values: Vec<LessonValues>,
    /// Fingerprint of every file in the output folder.
    written: BTreeMap<String, u64>,
    /// What each HTML page links to.
    links: BTreeMap<String, BTreeSet<String>>,
}

impl Session {
    /// A session building `root` into `out` (an existing folder it owns).
    pub fn new(root: &Path, out: &Path, color: bool) -> Session {
        Session {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            color,
            good: None,
            dirty: BTreeSet::new(),
            garbage: 0,
        }
    }

    /// The path the site is served under, from `base_url` of the last good build: `/`,
    /// `/lessons/` (also for `https://host/lessons/`).
    pub fn prefix(&self) -> Option<String> {
        let base = self.good.as_ref()?.site.config.base();
        let path = match base.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => base.as_str(),
        };
        Some(format!("/{}", path.trim_start_matches('/')))
    }

    /// Rebuilds what `changes` (and any change since the last good build) invalidate.
    pub fn rebuild(&mut self, changes: impl IntoIterator<Item = Change>) -> Outcome {
        self.dirty.extend(changes);
        let start = Instant::now();
        let plan = self.plan();
        let partial = match &plan {
            Plan::Nothing => {
                self.dirty.clear();
                return Outcome::Nothing;
            }
            Plan::Full(_) => None,
            Plan::Lessons(slugs) => Some(self.lessons(slugs)),
            Plan::Templates(names) => Some(self.templates(names)),
        };
        let (what, result) = match (plan, partial) {
            (Plan::Lessons(slugs), Some(Ok(b))) => (format!("lesson {}", join(&slugs)), Ok(b)),
            (Plan::Templates(names), Some(Ok(b))) => {
                (format!("templates ({})", join(&names)), Ok(b))
            }
            (Plan::Full(why), _) => (format!("everything ({why})"), self.full()),
            // Redo a failed partial rebuild in full, for the exact diagnostics of a build.
            (_, _) => ("everything".to_string(), self.full()),
        };
        match result {
            Ok((rendered, changed, warnings)) => {
                self.dirty.clear();
                Outcome::Built(Built {
                    what,
                    rendered,
                    changed,
                    elapsed: start.elapsed(),
                    warnings,
                })
            }
            Err(text) => Outcome::Failed(text),
        }
    }

    fn plan(&self) -> Plan {
        let Some(good) = &self.good else {
            return Plan::Full("first build");
        };
        if self.garbage > GARBAGE_LIMIT {
            return Plan::Full("starting a fresh source table");
        }
        let Ok(on_disk) = load::lesson_slugs(&self.root) else {
            return Plan::Full("content/ could not be listed");
        };
        let known = good.site.lessons.iter().map(|l| l.slug.clone()).collect();
        incremental::plan(&self.dirty, &known, &on_disk)
    }

    fn opts(&self) -> Options {
        Options {
            write: false,
            ..Options::new(&self.root)
        }
    }

    /// Builds everything from disk and writes what changed.
    fn full(&mut self) -> Result<(usize, Vec<String>, Text), Text> {
        let fail = |e: &Error, sources: &Sources, color: bool| Text {
            plain: report::render_error(e, sources, false),
            styled: report::render_error(e, sources, color),
        };
        let project =
            load::load(&self.root).map_err(|e| fail(&e, &Sources::default(), self.color))?;
        let render_opts = RenderOptions {
            live_reload: true,
            ..RenderOptions::default()
        };
        let compiled = pipeline::compile(&project, &self.opts(), &render_opts)
            .map_err(|e| fail(&e, &project.sources, self.color))?;
        let mut problems = compiled.problems;
        let mut check = compiled.files;
        check.push(live_reload_placeholder());
        problems.extend(links::check_outputs(
            &check,
            &project.sources,
            &compiled.site.config.base_path(),
        ));
        check.pop();
        let mut files = check;
        // The search index of the full build (edits after it are found when the next full
        // build runs).
        files.extend(crate::search::outputs(&files));
        if pipeline::failed(&problems, false) {
            return Err(fail(
                &Error::Content(problems),
                &project.sources,
                self.color,
            ));
        }
        let written: BTreeMap<String, u64> = files
            .iter()
            .map(|f| (f.path().to_string(), write::fingerprint(f)))
            .collect();
        let old = self.good.as_ref().map(|g| &g.written);
        let changed: Vec<&Output> = files
            .iter()
            .filter(|f| old.and_then(|w| w.get(f.path())) != Some(&written[f.path()]))
            .collect();
        let keep: BTreeSet<String> = written.keys().cloned().collect();
        let stray = write::stray_files(&self.out, &keep);
        write::write_files(&self.out, changed.iter().copied())
            .and_then(|()| write::remove_files(&self.out, &stray))
            .map_err(|e| fail(&e, &project.sources, self.color))?;
        let warnings = text(&problems, &project.sources, self.color);
        let mut paths: Vec<String> = changed.iter().map(|f| f.path().to_string()).collect();
        paths.extend(stray);
        let rendered = pages(&files).count();
        let links = pages(&files)
            .map(|(path, contents)| (path.to_string(), links::targets(path, contents)))
            .collect();
        let graph = graph(&project.templates, &project.sources);
        self.good = Some(Good {
            site_yaml: project.site_yaml,
            template_files: project.templates,
            sources: project.sources,
            graph,
            site: compiled.site,
            values: compiled.values,
            written,
            links,
        });
        self.garbage = 0;
        Ok((rendered, paths, warnings))
    }

    /// Re-reads, recomputes and re-renders these lessons (and the index if what it shows of
    /// them changed). Any problem leaves the state as it was.
    fn lessons(&mut self, slugs: &BTreeSet<String>) -> Result<(usize, Vec<String>, Text), Error> {
        let good = self
            .good
            .as_mut()
            .expect("a partial rebuild follows a good one");
        let mut outputs: Vec<Output> = Vec::new();
        let mut pages = BTreeSet::new();
        let mut problems = Vec::new();
        let mut old: Vec<(Lesson, LessonValues)> = Vec::new();
        let mut result = Ok(());
        for slug in slugs {
            match lesson(&self.root, slug, good, &mut self.garbage) {
                Ok((lesson, values, files, mut found)) => {
                    let i = position(&good.site, slug);
                    pages.extend(incremental::pages_for_lesson(
                        &good.site.lessons[i],
                        &lesson,
                    ));
                    outputs.extend(files);
                    problems.append(&mut found);
                    old.push((
                        std::mem::replace(&mut good.site.lessons[i], lesson),
                        std::mem::replace(&mut good.values[i], values),
                    ));
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        let result = result.and_then(|()| {
            if pages.contains(&PageKey::Index) {
                sort_lessons(good);
                outputs.extend(render_pages(good, &BTreeSet::from([PageKey::Index]), None)?);
            }
            let prefixes: Vec<String> = slugs.iter().map(|s| format!("{s}/")).collect();
            let removed = good
                .written
                .keys()
                .filter(|p| prefixes.iter().any(|pre| p.starts_with(pre)))
                .filter(|p| !outputs.iter().any(|o| o.path() == p.as_str()))
                .cloned()
                .collect();
            commit(good, &self.out, outputs, removed, problems)
        });
        match result {
            Ok((changed, problems)) => {
                let warnings = text(&problems, &good.sources, self.color);
                Ok((pages.len(), changed, warnings))
            }
            Err(e) => {
                for (lesson, values) in old {
                    let i = position(&good.site, &lesson.slug);
                    good.site.lessons[i] = lesson;
                    good.values[i] = values;
                }
                sort_lessons(good);
                Err(e)
            }
        }
    }

    /// Re-reads the templates and re-renders the pages that use the changed ones.
    fn templates(&mut self, names: &BTreeSet<String>) -> Result<(usize, Vec<String>, Text), Error> {
        let good = self
            .good
            .as_mut()
            .expect("a partial rebuild follows a good one");
        let mut problems = Vec::new();
        let files = load::read_templates(&self.root, &mut good.sources, &mut problems)?;
        if !problems.is_empty() {
            return Err(Error::Content(problems));
        }
        let graph = graph(&files, &good.sources);
        let pages = incremental::pages_for_templates(names, &graph, &good.site);
        let outputs = render_pages(good, &pages, Some(&files))?;
        let removed = good
            .written
            .keys()
            // The search index is made by full builds only.
            .filter(|p| p.starts_with("assets/") && !p.starts_with(crate::search::DIR))
            .filter(|p| !outputs.iter().any(|o| o.path() == p.as_str()))
            .cloned()
            .collect();
        let (changed, problems) = commit(good, &self.out, outputs, removed, Vec::new())?;
        good.template_files = files;
        good.graph = graph;
        let warnings = text(&problems, &good.sources, self.color);
        Ok((pages.len(), changed, warnings))
    }
}

/// Warnings as text for the terminal and the browser.
fn text(problems: &[Diagnostic], sources: &Sources, color: bool) -> Text {
    let each = |color| {
        problems
            .iter()
            .map(|d| format!("{}\n\n", report::render(d, sources, None, color)))
            .collect()
    };
    Text {
        plain: each(false),
        styled: each(color),
    }
}

/// Loads and compiles one lesson on its own: its model, values, rendered files (pages and
/// assets, all under `SLUG/`) and warnings.
#[allow(clippy::type_complexity)]
fn lesson(
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
    let project = Project {
        root: root.to_path_buf(),
        sources: std::mem::take(&mut good.sources),
        site_yaml: good.site_yaml,
        lessons: vec![files],
        templates: good.template_files.clone(),
    };
    let opts = Options {
        write: false,
        ..Options::new(root)
    };
    let render_opts = RenderOptions {
        live_reload: true,
        ..RenderOptions::default()
    };
    let compiled = pipeline::compile(&project, &opts, &render_opts);
    good.sources = project.sources;
    let mut c = compiled?;
    let (Some(lesson), Some(values)) = (c.site.lessons.pop(), c.values.pop()) else {
        return Err(Error::Usage(format!(
            "content/{slug} is no longer a lesson"
        )));
    };
    let prefix = format!("{slug}/");
    let files = c
        .files
        .into_iter()
        .filter(|f| f.path().starts_with(&prefix))
        .collect();
    Ok((lesson, values, files, c.problems))
}

/// Renders `pages` of the good site, with `templates` (new ones) or the current ones.
fn render_pages(
    good: &Good,
    pages: &BTreeSet<PageKey>,
    templates: Option<&[TemplateFile]>,
) -> Result<Vec<Output>, Error> {
    let files = templates.unwrap_or(&good.template_files);
    let compiled = Templates::new(files, &good.sources).map_err(|d| Error::Content(vec![d]))?;
    let only = |k: &PageKey| pages.contains(k);
    let opts = RenderOptions {
        live_reload: true,
        only: Some(&only),
        lean: false,
    };
    let mut out = render::render_with(
        &good.site,
        &good.sources,
        &good.values,
        &compiled,
        files,
        &opts,
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
fn commit(
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
fn pages(files: &[Output]) -> impl Iterator<Item = (&str, &str)> {
    files.iter().filter_map(|f| match f {
        Output::Page { path, contents, .. } if path.ends_with(".html") => {
            Some((path.as_str(), contents.as_str()))
        }
        _ => None,
    })
}

/// A file the link checker knows by its path only.
fn placeholder(path: &str) -> Output {
    Output::Copy {
        path: path.to_string(),
        from: PathBuf::new(),
    }
}

/// The live-reload script every served page loads; the server answers it, not a file.
fn live_reload_placeholder() -> Output {
    placeholder(&format!("{LIVE_RELOAD_DIR}/live.js"))
}

fn graph(files: &[TemplateFile], sources: &Sources) -> TemplateGraph {
    TemplateGraph::new(files.iter().filter_map(|t| match t.body {
        TemplateBody::Template(id) => Some((t.name.as_str(), sources.get(id).text.as_str())),
        _ => None,
    }))
}

fn position(site: &Site, slug: &str) -> usize {
    site.lessons
        .iter()
        .position(|l| l.slug == slug)
        .expect("planned lessons are known")
}

/// Lessons in site order (as `parse` sorts them), keeping values beside their lesson.
fn sort_lessons(good: &mut Good) {
    let mut both: Vec<(Lesson, LessonValues)> = std::mem::take(&mut good.site.lessons)
        .into_iter()
        .zip(std::mem::take(&mut good.values))
        .collect();
    both.sort_by(|(a, _), (b, _)| a.site_order().cmp(&b.site_order()));
    (good.site.lessons, good.values) = both.into_iter().unzip();
}

fn join(names: &BTreeSet<String>) -> String {
    names.iter().cloned().collect::<Vec<_>>().join(", ")
}
