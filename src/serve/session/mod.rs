//! The build state `serve` keeps between rebuilds: the last good site in memory (sources, model,
//! values, templates), a fingerprint of every file written and the links of every page, so that
//! a change rebuilds only what [`super::incremental`] says it invalidates and writes only the
//! files whose bytes changed.
//!
//! A rebuild succeeds as a whole or changes nothing: on any problem the state and the files on
//! disk stay those of the last good build, and the changes are kept so that the next rebuild
//! covers them too. A failed partial rebuild is redone in full, so that the diagnostics are
//! exactly those `lectern build` prints.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::incremental::{self, Change, Plan};
use super::live::LIVE_RELOAD_SCRIPT;
use crate::compute::lesson::LessonValues;
use crate::error::{Diagnostic, Error};
use crate::load;
use crate::model::Lesson;
use crate::pipeline::{self, Options, Target};
use crate::render::{Output, PageKey};
use crate::source::Sources;
use crate::{links, report, write};

mod good;
mod partial;

use good::Good;
use partial::{commit, graph, join, lesson, pages, position, render_pages, sort_lessons};

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
            target: Target::Serve,
            ..Options::new(&self.root)
        }
    }

    /// Builds everything from disk and writes what changed.
    fn full(&mut self) -> Result<(usize, Vec<String>, Text), Text> {
        let fail = |e: &Error, sources: &Sources, color: bool| Text {
            plain: report::render_error(e, sources, false),
            styled: report::render_error(e, sources, color),
        };
        // Serve keeps the whole project in one table of sources, which partial rebuilds add to.
        let project =
            load::load(&self.root).map_err(|e| fail(&e, &Sources::default(), self.color))?;
        let template_files = project.templates.clone();
        let run = pipeline::run_with(
            project,
            pipeline::LessonsFrom::Project,
            &self.opts(),
            &self.out,
            Some(LIVE_RELOAD_SCRIPT),
        );
        let (sources, summary) = match run.result {
            Ok(summary) => (run.sources, summary),
            Err(e) => return Err(fail(&e, &run.sources, self.color)),
        };
        let mut files = run.pages;
        // The search index of the full build (edits after it are found when the next full
        // build runs).
        if run.site.as_ref().is_none_or(|s| s.config.search) {
            files.extend(crate::search::outputs(&files));
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
            .map_err(|e| fail(&e, &sources, self.color))?;
        let warnings = text(&summary.warnings, &sources, self.color);
        let mut paths: Vec<String> = changed.iter().map(|f| f.path().to_string()).collect();
        paths.extend(stray);
        let rendered = pages(&files).count();
        let links = pages(&files)
            .map(|(path, contents)| (path.to_string(), links::targets(path, contents)))
            .collect();
        let graph = graph(&template_files, &sources);
        self.good = Some(Good {
            template_files,
            sources,
            graph,
            site: run.site.expect("a good serve run keeps its site"),
            values: run.values,
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
        // The lessons that import from a changed one are made again too, each after the
        // lessons it imports from.
        let order = pipeline::with_importers(&good.site.lessons, slugs);
        for slug in &order {
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
                // A lesson's title, order or steps changed: the index and every lesson's
                // place in the course (shown on each of its pages) are rendered again.
                sort_lessons(good);
                let every = incremental::all_pages(&good.site);
                outputs.retain(|o| matches!(o, Output::Copy { .. }));
                outputs.extend(render_pages(good, &every, None)?);
                pages.extend(every);
            }
            let prefixes: Vec<String> = order.iter().map(|s| format!("{s}/")).collect();
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

#[cfg(test)]
mod tests;
