//! A run after the listing: the lessons in waves, then the site-wide pages, the link check and
//! the swap of the staging folder into place.

use std::path::{Path, PathBuf};

use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::gather::{self, Done};
use super::imports;
use super::lesson::{Lessons, Made};
use super::names::Names;
use super::options::{LessonsFrom, Options};
use super::problems::failed;
use super::summary::Summary;
use super::timing::stage;
use crate::compute::lesson::LessonValues;
use crate::error::{Diagnostic, Error};
use crate::load::{self, Project};
use crate::model::{Lesson, Site};
use crate::parse::{self, Settings};
use crate::render::templates::Templates;
use crate::render::{self, Course, Output, RenderOptions, Renderer};
use crate::source::Sources;
use crate::target::Target;
use crate::{links, write};

/// What a run made: every file read that a problem points into, and the summary or the problems.
/// For [`Target::Serve`], also the whole model, its values and its pages.
pub struct Run {
    pub sources: Sources,
    pub result: Result<Summary, Error>,
    /// Serve only: the lessons in full (else outlines) and their values, in site order.
    pub site: Option<Site>,
    pub values: Vec<LessonValues>,
    /// Serve only: every output file.
    pub pages: Vec<Output>,
}

/// Runs the stages after the listing on `project`, writing into `out` for [`Target::Site`].
pub fn run(project: Project, from: LessonsFrom, opts: &Options, out: &Path) -> Run {
    run_with(project, from, opts, out, None)
}

/// [`run`], for `serve` with its live-reload script's path: every page gets it.
pub fn run_with(
    project: Project,
    from: LessonsFrom,
    opts: &Options,
    out: &Path,
    live_reload: Option<&str>,
) -> Run {
    let Project {
        root,
        mut sources,
        site_yaml,
        lessons: loaded,
        templates: template_files,
    } = project;
    let fail = |sources, problems| Run {
        sources,
        result: Err(Error::Content(problems)),
        site: None,
        values: Vec::new(),
        pages: Vec::new(),
    };
    let mut problems = Vec::new();
    let count = match from {
        LessonsFrom::Project => loaded.len(),
        LessonsFrom::Disk(dirs) => dirs.len(),
    };
    if count == 0 {
        problems.push(
            Diagnostic::error("content/ has no lessons")
                .help("create a folder content/<lesson>/ holding a lesson.md that starts with front matter `title:`"),
        );
    }
    let templates = Templates::new(&template_files, &sources)
        .map_err(|d| problems.push(d))
        .ok();
    let (mut config, mut found) = parse::site_config(&sources, site_yaml);
    problems.append(&mut found);
    if let (Some(config), Some(base_url)) = (config.as_mut(), &opts.base_url) {
        config.base_url.clone_from(base_url);
    }
    let (Some(config), Some(templates)) = (config, templates) else {
        return fail(sources, problems);
    };
    problems.extend(render::templates::stray_search_forms(
        &template_files,
        &sources,
        config.search,
    ));
    let t = Instant::now();
    let staging = match opts.target.writes() {
        true => match write::Staging::new(out, config.search) {
            Ok(s) => Some(s),
            Err(e) => {
                return Run {
                    result: Err(e),
                    ..fail(sources, Vec::new())
                };
            }
        },
        false => None,
    };
    let render_opts = RenderOptions {
        target: opts.target,
        live_reload,
        only: None,
    };
    let serve = opts.target == Target::Serve;
    // What happens to a lesson's pages: written and scanned (build), scanned (check), kept
    // (serve).
    let emit = |made: Made, own: Option<Sources>| -> Result<Done, Error> {
        if let Some(s) = &staging {
            s.write(&made.pages)?;
        }
        let records = made.pages.iter().map(links::record).collect();
        let keep = serve || !made.problems.is_empty();
        Ok(Done {
            lesson: match serve {
                true => made.lesson,
                false => made.lesson.map(Lesson::outline),
            },
            values: serve.then_some(made.values),
            pages: if serve { made.pages } else { Vec::new() },
            records,
            computed: made.computed,
            checked: made.checked,
            problems: made.problems,
            sources: own.filter(|_| keep),
        })
    };
    // Each lesson read from disk numbers its files after the project's.
    let lesson_base = Sources::after(&sources);
    // Lessons are made in waves, each after the lessons it imports from (one wave when none
    // imports anything); what a lesson offers to others is kept once it is made.
    let slugs: Vec<&str> = match from {
        LessonsFrom::Project => loaded.iter().map(|f| f.slug.as_str()).collect(),
        LessonsFrom::Disk(dirs) => dirs.iter().map(|(s, _)| s.as_str()).collect(),
    };
    // Every lesson.md's title, order and imports, read before any lesson is made.
    let heads: Vec<parse::Head> = match from {
        LessonsFrom::Project => loaded
            .iter()
            .map(|f| {
                f.lesson_md
                    .map(|id| parse::head_of(&sources.get(id).text))
                    .unwrap_or_default()
            })
            .collect(),
        LessonsFrom::Disk(dirs) => dirs
            .par_iter()
            .map(|(_, dir)| {
                load::lesson_md_text(dir)
                    .map(|t| parse::head_of(&t))
                    .unwrap_or_default()
            })
            .collect(),
    };
    let course = Course::new(
        slugs
            .iter()
            .zip(&heads)
            .map(|(slug, h)| {
                let title = h.title.clone().unwrap_or_else(|| slug.to_string());
                (slug.to_string(), title, h.order)
            })
            .collect(),
    );
    let listed_imports: Vec<Vec<(String, String)>> = heads.into_iter().map(|h| h.imports).collect();
    let renderer = Renderer::new(&config, (&templates, &template_files), &course, render_opts);
    let names = Names::new(&from, &loaded, &sources);
    let elsewhere = |name: &str| names.defining(name);
    let lessons = Lessons {
        config: &config,
        settings: Settings::new(Some(&config), true),
        renderer: &renderer,
        elsewhere: &elsewhere,
    };
    let graph = imports::graph(&slugs, &listed_imports);
    let offers = imports::Offers {
        slugs: &slugs,
        made: Default::default(),
    };
    let make = |i: usize| -> Result<Done, Error> {
        let cycle = graph.cycle[i].as_ref();
        let lookup = |from: &str, name: &str| offers.get(from, name, cycle);
        let (made, own) = match from {
            LessonsFrom::Project => (lessons.make(&sources, &loaded[i], &lookup), None),
            LessonsFrom::Disk(dirs) => {
                let (slug, dir) = &dirs[i];
                let mut own = Sources::after(&lesson_base);
                let mut found = Vec::new();
                let files = load::load_lesson(&root, dir, slug.clone(), &mut own, &mut found)?;
                let mut made = lessons.make(&own, &files, &lookup);
                found.append(&mut made.problems);
                made.problems = found;
                (made, Some(own))
            }
        };
        if let Some(wanted) = graph.wanted.get(slugs[i]) {
            let offer = match failed(&made.problems, false) {
                true => imports::Offer::Failed,
                false => imports::Offer::of(&made.values, wanted),
            };
            let mut all = offers.made.write().unwrap_or_else(|e| e.into_inner());
            all.insert(slugs[i].to_string(), offer);
        }
        emit(made, own)
    };
    let mut done: Vec<Option<Result<Done, Error>>> = (0..slugs.len()).map(|_| None).collect();
    for wave in &graph.waves {
        let made: Vec<(usize, Result<Done, Error>)> =
            wave.par_iter().map(|&i| (i, make(i))).collect();
        for (i, d) in made {
            done[i] = Some(d);
        }
    }
    let done: Vec<Result<Done, Error>> = done.into_iter().flatten().collect();
    stage("lessons", t);
    let t = Instant::now();
    let done = match done.into_iter().collect::<Result<Vec<Done>, Error>>() {
        Ok(done) => done,
        Err(e) => {
            return Run {
                result: Err(e),
                ..fail(sources, Vec::new())
            };
        }
    };
    let mut g = gather::gather(done, &slugs, &mut sources, &mut problems);
    let mut summary = Summary {
        lessons: g.lessons.len(),
        steps: g.lessons.iter().map(|l| l.steps.len()).sum(),
        matrices_computed: g.computed,
        checked: g.checked,
        files: 0,
        links: 0,
        out: opts.target.writes().then(|| out.to_path_buf()),
        elapsed: Duration::ZERO,
        warnings: Vec::new(),
    };
    let site = Site {
        config: config.clone(),
        lessons: std::mem::take(&mut g.lessons),
    };
    let (wide, mut found) = renderer.site_wide(&site);
    problems.append(&mut found);
    if let Some(s) = &staging
        && let Err(e) = s.write(&wide)
    {
        return Run {
            result: Err(e),
            ..fail(sources, Vec::new())
        };
    }
    let mut all: Vec<links::Record> = wide.iter().map(links::record).collect();
    let first = all.len();
    all.append(&mut g.records);
    if live_reload.is_some() {
        // The server answers the live-reload script; no file is written for it.
        all.push(links::record(&Output::Copy {
            path: live_reload.unwrap_or_default().to_string(),
            from: PathBuf::new(),
        }));
    }
    problems.extend(render::collisions(
        all.iter().map(|r| (r.path.as_str(), r.copy)),
    ));
    stage("site-wide", t);
    // Pages that failed to render would only show up again as broken links.
    if failed(&problems, opts.strict) {
        return fail(sources, problems);
    }
    let t = Instant::now();
    let (links, broken) = links::check(&all, &site.config.base_path());
    summary.links = links;
    let reread = |i: usize| match &from {
        // The lesson's sources were dropped with its pages: read them again, into the same ids.
        LessonsFrom::Disk(dirs) => {
            let (slug, dir) = &dirs[i];
            let mut own = Sources::after(&lesson_base);
            let read = load::load_lesson(&root, dir, slug.clone(), &mut own, &mut Vec::new());
            read.ok().map(|_| own)
        }
        LessonsFrom::Project => None,
    };
    for b in &broken {
        let r = &all[b.record];
        // Pages of lessons, not the site-wide ones, have a source file the link is written in.
        let lesson = b.record.checked_sub(first);
        let span = match (r.origin, lesson) {
            (Some(file), Some(k)) => {
                let at = g.file_of(k, file, &mut sources, &reread);
                at.and_then(|file| links::locate(&sources, file, &b.link))
            }
            _ => None,
        };
        problems.push(b.diagnostic(&r.path, span));
    }
    stage("links", t);
    if failed(&problems, opts.strict) {
        return fail(sources, problems);
    }
    let t = Instant::now();
    if let Some(s) = staging
        && let Err(e) = s.commit()
    {
        return Run {
            result: Err(e),
            ..fail(sources, Vec::new())
        };
    }
    stage("commit", t);
    summary.files = all.len() - usize::from(live_reload.is_some());
    summary.warnings = problems;
    g.pages.extend(wide);
    Run {
        sources,
        result: Ok(summary),
        site: Some(site),
        values: g.values,
        pages: g.pages,
    }
}
