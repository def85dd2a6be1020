//! The spine of every run: load → parse → compute → verify → render → check links → write.
//!
//! [`build`] lists the project, then takes each lesson from its files to its pages on its own
//! ([`Lessons::make`]), the lessons in parallel: a lesson is read, parsed, computed, verified and
//! rendered when its turn comes, its pages are written into a staging folder (or, for `check`,
//! only scanned for links) and it is dropped, so only the lessons in progress are in memory.
//! Then come the site-wide pages, the link check, and the swap of the staging folder into place.
//! Every problem is collected on the way and all of them are reported at the end, in site order;
//! warnings change nothing about the path. `serve` makes its lessons with the same function
//! ([`crate::session`]).

mod gather;
mod imports;
mod lesson;
mod names;
mod summary;
mod timing;

use std::path::{Path, PathBuf};

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::compute::lesson::LessonValues;
use crate::error::{Diagnostic, Error, Severity};
use crate::load::{self, Project};
use crate::model::{Lesson, Site};
use crate::parse::{self, Settings};
use crate::render::templates::Templates;
use crate::render::{self, Course, Output, RenderOptions, Renderer};
use crate::source::Sources;
pub use crate::target::Target;
use crate::{links, write};
use gather::Done;
pub(crate) use imports::with_importers;
pub(crate) use lesson::{Lessons, Made};
use names::Names;
pub use summary::Summary;
use timing::stage;

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The project folder, holding `content/` and optionally `templates/`.
    pub root: PathBuf,
    /// The output folder; `ROOT/site` by default.
    pub out: Option<PathBuf>,
    /// Treat warnings as errors.
    pub strict: bool,
    pub target: Target,
    /// Replaces site.yaml's `base_url` for this run (`--base-url`).
    pub base_url: Option<String>,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options {
            root: root.into(),
            out: None,
            strict: false,
            target: Target::Site,
            base_url: None,
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("site"))
    }
}

/// Builds (or checks) the site. The sources are returned in every case so that problems can be
/// shown with the lines they point at.
pub fn build(opts: &Options) -> (Sources, Result<Summary, Error>) {
    let start = Instant::now();
    let mut out = opts.out_dir();
    if opts.target.writes() {
        match write::check_target(&opts.root, &out) {
            Ok(resolved) => out = resolved,
            Err(e) => return (Sources::default(), Err(e)),
        }
    }
    let (project, dirs) = match load::listing(&opts.root) {
        Ok(listed) => listed,
        Err(e) => return (Sources::default(), Err(e)),
    };
    stage("list", start);
    let run = run(project, LessonsFrom::Disk(&dirs), opts, &out);
    let (sources, result) = (run.sources, run.result);
    (
        sources,
        result.map(|summary| Summary {
            elapsed: start.elapsed(),
            ..summary
        }),
    )
}

/// Where a run finds each lesson's files.
pub enum LessonsFrom<'a> {
    /// Read already, into the project's sources (`load::load`, `load::in_memory`).
    Project,
    /// Lesson folders (slug, path), each read when its turn comes into sources of its own,
    /// dropped with its pages: a large site's Markdown is never all in memory at once.
    Disk(&'a [(String, PathBuf)]),
}

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
    let t = Instant::now();
    let staging = match opts.target.writes() {
        true => match write::Staging::new(out) {
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
/// Adds `d` unless the same problem is there already (a template error breaks many pages).
fn push_once(problems: &mut Vec<Diagnostic>, d: Diagnostic) {
    if !problems
        .iter()
        .any(|p| p.message == d.message && p.primary == d.primary)
    {
        problems.push(d);
    }
}

/// Whether these problems fail a build.
pub fn failed(problems: &[Diagnostic], strict: bool) -> bool {
    problems
        .iter()
        .any(|d| d.severity == Severity::Error || strict)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.expect("readable"))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).expect("below dir");
                (
                    rel.display().to_string(),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .collect()
    }

    fn counts(s: &Summary) -> [usize; 7] {
        [
            s.lessons,
            s.steps,
            s.matrices_computed,
            s.checked.values,
            s.checked.shapes,
            s.files,
            s.links,
        ]
    }

    /// A project on disk, from `(path, text)` pairs below its root.
    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        for (path, text) in files {
            let path = tmp.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
            std::fs::write(path, text).expect("write");
        }
        tmp
    }

    /// Lessons read from disk one at a time, or all at once into one table of sources (as
    /// `serve` reads them), make the same site byte for byte and the same counts; a check counts
    /// the same. Two projects: the seed lesson with the repository's templates/, and the test
    /// fixture with the built-in templates, several lessons and assets.
    #[test]
    fn lessons_from_disk_and_from_memory_make_the_same_site() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        for root in [
            manifest.to_path_buf(),
            manifest.join("tests/fixtures/basic"),
        ] {
            let tmp = tempfile::tempdir().expect("a temporary folder");
            let (a, b) = (tmp.path().join("disk"), tmp.path().join("memory"));
            let opts = Options {
                out: Some(a.clone()),
                ..Options::new(&root)
            };
            let (_, one) = build(&opts);
            let one = one.expect("the build from disk succeeds");
            let project = load::load(&root).expect("the project loads");
            let other = run(project, LessonsFrom::Project, &opts, &b)
                .result
                .expect("the build from memory succeeds");
            let (fa, fb) = (files(&a), files(&b));
            assert!(fa.len() > 10, "{}: {:?}", root.display(), fa.keys());
            assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
            for (path, bytes) in &fa {
                assert!(bytes == &fb[path], "{path} differs in {}", root.display());
            }
            assert_eq!(counts(&one), counts(&other), "{}", root.display());
            let check = Options {
                target: Target::Check,
                ..opts
            };
            let (_, checked) = build(&check);
            let checked = checked.expect("the check succeeds");
            assert!(checked.links > 50, "{}", checked.links);
            assert!(checked.out.is_none());
            assert_eq!(counts(&checked), counts(&one), "{}", root.display());
        }
    }

    /// A warning changes nothing about the path: the site is written, and the warning points at
    /// its file.
    #[test]
    fn a_warning_is_reported_and_the_site_written() {
        let tmp = project(&[
            ("content/site.yaml", "title: T\n"),
            ("content/l/lesson.md", "---\ntitle: L\n---\nIntro.\n"),
            (
                "content/l/01-a.md",
                "---\ntitle: A\n---\n```Matrix\nname: A\nvalues:\n  - [1]\n```\n",
            ),
        ]);
        let opts = Options::new(tmp.path());
        let (sources, result) = build(&opts);
        let summary = result.expect("a warning does not fail");
        assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
        let (span, _) = summary.warnings[0].primary.as_ref().expect("located");
        assert_eq!(sources.location(span), "content/l/01-a.md:4:1");
        assert!(opts.out_dir().join("l/01-a.html").is_file());
        // Strict: the same warning fails the build, and nothing is left behind.
        let strict = Options {
            strict: true,
            out: Some(tmp.path().join("strict")),
            ..opts
        };
        let (_, result) = build(&strict);
        assert!(matches!(result, Err(Error::Content(ref d)) if d.len() == 1));
        assert!(!tmp.path().join("strict").exists());
    }

    /// Problems of several lessons, each read into sources of its own, all point into the right
    /// files, in site order (by `order`, then folder name); a template error that breaks every
    /// page is reported once and points into the template.
    #[test]
    fn problems_of_every_lesson_point_into_their_files_in_site_order() {
        let tmp = project(&[
            ("content/site.yaml", "title: T\n"),
            (
                "content/a/lesson.md",
                "---\ntitle: A\norder: 2\n---\nIntro.\n",
            ),
            (
                "content/a/01-x.md",
                "---\ntitle: X\n---\nText.\n\n```matrix\nname: A\ncompute: B + 1\n```\n",
            ),
            (
                "content/b/lesson.md",
                "---\ntitle: B\norder: 1\n---\nIntro.\n",
            ),
            (
                "content/b/01-y.md",
                "---\ntitle: Y\n---\n\n```matrix\nname: M\nvalues:\n  - [1, x]\n```\n",
            ),
            (
                "content/c/lesson.md",
                "---\ntitle: C\norder: 3\n---\nIntro.\n",
            ),
            ("content/c/01-z.md", "---\ntitle: Z\n---\nFine.\n"),
            (
                "content/d/lesson.md",
                "---\ntitle: D\norder: 4\n---\nOne.\n",
            ),
            (
                "content/d/01-w.md",
                "---\ntitle: W\n---\nSee `= B[1, 1]`.\n\n```matrix\nname: B\nvalues:\n  - [2]\n```\n",
            ),
            ("templates/step.html", "{{ step.nope }}"),
        ]);
        let (sources, result) = build(&Options::new(tmp.path()));
        let Err(Error::Content(problems)) = result else {
            panic!("the build fails: {result:?}")
        };
        let at: Vec<String> = problems
            .iter()
            .map(|d| match &d.primary {
                Some((span, _)) => sources.location(span),
                None => d.message.clone(),
            })
            .collect();
        // b (order 1): an unreadable row; a (order 2): B is unknown here but defined in d;
        // d: its page fails to render, as every step page does: the template error is reported
        // once, for the first page that met it.
        assert_eq!(at.len(), 3, "{at:?}\n{problems:#?}");
        assert_eq!(at[0], "content/b/01-y.md:8:9");
        assert_eq!(at[1], "content/a/01-x.md:8:10");
        assert!(
            problems[1].notes.iter().any(|n| n.contains("lesson `d`")),
            "{:?}",
            problems[1]
        );
        assert!(at[2].starts_with("templates/step.html:1:"), "{at:?}");
        assert!(!tmp.path().join("site").exists());
    }

    /// A broken link in a lesson that has no other problem (its sources were dropped with its
    /// pages) still points at the line of the link.
    #[test]
    fn a_broken_link_points_at_its_line() {
        let tmp = project(&[
            ("content/site.yaml", "title: T\n"),
            ("content/a/lesson.md", "---\ntitle: A\n---\nIntro.\n"),
            ("content/a/01-x.md", "---\ntitle: X\n---\nFine.\n"),
            ("content/b/lesson.md", "---\ntitle: B\n---\nIntro.\n"),
            (
                "content/b/01-y.md",
                "---\ntitle: Y\n---\nOne line.\n\nSee [this](02-missing.md).\n",
            ),
        ]);
        let (sources, result) = build(&Options::new(tmp.path()));
        let Err(Error::Content(problems)) = result else {
            panic!("the build fails: {result:?}")
        };
        assert_eq!(problems.len(), 1, "{problems:#?}");
        let (span, _) = problems[0].primary.as_ref().expect("located");
        assert_eq!(sources.location(span), "content/b/01-y.md:6:12");
        assert!(problems[0].message.contains("02-missing.html"));
    }
}
