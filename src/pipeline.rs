//! The spine of a build: load → parse → compute → verify → render → check links → write.
//!
//! The stages run in one of two orders. A build or a check takes each lesson through load →
//! parse → compute → verify → render → write on its own, the lessons in parallel, then makes
//! the site-wide pages, checks the links and puts the site in place (`streamed`): each Markdown
//! text is read and parsed once and only the lessons in progress are held in memory. `serve`,
//! and a build or check whose site has any problem, run each stage over the whole site before
//! the next, which is what reports problems across lessons in their usual order (`staged`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::compute::lesson::LessonValues;
use crate::error::{Diagnostic, Error, Severity};
use crate::model::Site;
use crate::render::templates::Templates;
use crate::render::{Output, RenderOptions};
use crate::source::Sources;
use crate::{compute, links, load, parse, render, verify, write};
use rayon::prelude::*;

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The project folder, holding `content/` and optionally `templates/`.
    pub root: PathBuf,
    /// The output folder; `ROOT/site` by default.
    pub out: Option<PathBuf>,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Write the site (`build`) or only check everything a build would do (`check`).
    pub write: bool,
    /// Replaces site.yaml's `base_url` for this run (`--base-url`).
    pub base_url: Option<String>,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options {
            root: root.into(),
            out: None,
            strict: false,
            write: true,
            base_url: None,
        }
    }

    /// Applies what these options override to the site's configuration.
    fn apply(&self, config: &mut crate::config::SiteConfig) {
        if let Some(base_url) = &self.base_url {
            config.base_url.clone_from(base_url);
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("site"))
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Summary {
    pub lessons: usize,
    pub steps: usize,
    pub matrices_computed: usize,
    pub checked: verify::Checked,
    pub files: usize,
    pub links: usize,
    /// `None` for a check, which writes nothing.
    pub out: Option<PathBuf>,
    pub elapsed: Duration,
    /// Problems that do not fail the build (unless `strict`).
    pub warnings: Vec<Diagnostic>,
}

impl Summary {
    /// What a run that made `records` (and checked `links` links) did, with no warnings.
    fn of(
        site: &Site,
        (matrices_computed, checked): (usize, verify::Checked),
        records: &[links::Record],
        links: usize,
        opts: &Options,
        start: Instant,
    ) -> Summary {
        Summary {
            lessons: site.lessons.len(),
            steps: site.lessons.iter().map(|l| l.steps.len()).sum(),
            matrices_computed,
            checked,
            files: records.len(),
            links,
            out: opts.write.then(|| opts.out_dir()),
            elapsed: start.elapsed(),
            warnings: Vec::new(),
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "{} {}, {}: {} computed, {} and {} verified, ",
            if self.out.is_some() {
                "built"
            } else {
                "checked"
            },
            plural(self.lessons, "lesson", "lessons"),
            plural(self.steps, "step", "steps"),
            plural(self.matrices_computed, "matrix", "matrices"),
            plural(self.checked.values, "typed value", "typed values"),
            plural(self.checked.shapes, "shape", "shapes"),
        )?;
        match &self.out {
            Some(out) => write!(
                f,
                "{} written to {}",
                plural(self.files, "file", "files"),
                out.display()
            )?,
            None => write!(f, "{} checked", plural(self.links, "link", "links"))?,
        }
        if !self.warnings.is_empty() {
            write!(
                f,
                ", {}",
                plural(self.warnings.len(), "warning", "warnings")
            )?;
        }
        write!(f, " in {} ms", self.elapsed.as_millis())
    }
}

/// Builds (or checks) the site. The sources are returned in every case so that errors can be
/// shown with the lines they point at.
pub fn build(opts: &Options) -> (Sources, Result<Summary, Error>) {
    let start = Instant::now();
    let mut out = opts.out_dir();
    if opts.write {
        match write::check_target(&opts.root, &out) {
            Ok(resolved) => out = resolved,
            Err(e) => return (Sources::default(), Err(e)),
        }
    }
    // Most builds have no problem: each lesson is read when its turn comes, and dropped with
    // its pages. At any problem the whole project is read, and the stages report it.
    if let Some((site, dirs)) = load::without_lessons(&opts.root) {
        stage("list", start);
        if let Some(result) = streamed(&site, &LessonsFrom::Disk(&dirs), opts, &out, start) {
            return (site.sources, result);
        }
    }
    let t = Instant::now();
    let project = match load::load(&opts.root) {
        Ok(p) => p,
        Err(e) => return (Sources::default(), Err(e)),
    };
    stage("load", t);
    let result = staged(&project, opts, &out, start);
    let load::Project {
        sources, lessons, ..
    } = project;
    drop_later(lessons);
    (sources, result)
}

/// Runs the stages after loading on a project (read from disk, or made in memory).
pub fn run(
    project: &load::Project,
    opts: &Options,
    out: &Path,
    start: Instant,
) -> Result<Summary, Error> {
    if let Some(result) = streamed(project, &LessonsFrom::Project, opts, out, start) {
        return result;
    }
    staged(project, opts, out, start)
}

/// [`run`], one stage at a time over the whole site: what a build or check does when the site
/// has a problem (see [`streamed`]).
fn staged(
    project: &load::Project,
    opts: &Options,
    out: &Path,
    start: Instant,
) -> Result<Summary, Error> {
    let Front {
        site,
        values,
        computed,
        checked,
        templates,
        mut problems,
    } = front(project, opts)?;
    let failed = |problems: &[Diagnostic]| failed(problems, opts.strict);
    // Pages are written into the staging folder as they are rendered and dropped; only what
    // the link check needs stays in memory.
    let t = Instant::now();
    let staging = if opts.write {
        Some(write::Staging::new(out)?)
    } else {
        None
    };
    let emit = |pages: Vec<render::Output>| -> Result<Vec<links::Record>, Error> {
        if let Some(s) = &staging {
            s.write(&pages)?;
        }
        Ok(pages.iter().map(links::record).collect())
    };
    let (batches, mut found) = render::render(
        &site,
        &project.sources,
        &values,
        &templates,
        &project.templates,
        &RenderOptions {
            lean: !opts.write,
            ..RenderOptions::default()
        },
        &emit,
    );
    problems.append(&mut found);
    let mut records = Vec::new();
    for batch in batches {
        records.extend(batch?);
    }
    stage("render+write", t);
    let t = Instant::now();
    problems.extend(render::collisions(
        records.iter().map(|r| (r.path.as_str(), r.copy)),
    ));
    if failed(&problems) {
        // Pages that failed to render would only show up again as broken links.
        return Err(Error::Content(problems));
    }
    let (links, mut found) = links::check(&records, &project.sources, &site.config.base_path());
    problems.append(&mut found);
    if failed(&problems) {
        return Err(Error::Content(problems));
    }
    stage("links", t);
    let t = Instant::now();
    if let Some(s) = staging {
        s.commit()?;
    }
    stage("commit", t);
    let summary = Summary::of(&site, (computed, checked), &records, links, opts, start);
    drop_later((site, values, records, templates));
    Ok(Summary {
        warnings: problems,
        ..summary
    })
}

/// A build (or check) that takes each lesson through parse → compute → verify → render →
/// write on its own, the lessons in parallel, then makes the site-wide pages and checks the
/// links: the stages of [`staged`], in a different order. Each Markdown text is parsed once
/// (the scan keeps its events for the renderer, a lesson at a time, where [`staged`] holds a
/// scan of every text and parses each one again to render it; a check makes skeletons
/// instead), and a lesson's values and bodies are dropped as soon as its pages are made.
///
/// It gives up (`None`) at the first problem of any kind, warnings included, and the caller
/// builds the site again stage by stage, which reports every problem in its usual order; a
/// site with problems is the slow path. Both ways write the same bytes (a test compares them).
fn streamed(
    project: &load::Project,
    from: &LessonsFrom,
    opts: &Options,
    out: &Path,
    start: Instant,
) -> Option<Result<Summary, Error>> {
    let empty = match from {
        LessonsFrom::Project => project.lessons.is_empty(),
        LessonsFrom::Disk(dirs) => dirs.is_empty(),
    };
    if empty {
        return None;
    }
    let t = Instant::now();
    let templates = Templates::new(&project.templates, &project.sources).ok()?;
    let (config, problems) = parse::site_config(project);
    let mut config = config.filter(|_| problems.is_empty())?;
    opts.apply(&mut config);
    // A build keeps the events of each text for the renderer; a check, which renders no
    // Markdown, makes skeletons instead (see `parse::markdown::Skeleton`).
    let settings = parse::Settings::new(Some(&config), !opts.write, opts.write);
    let staging = match opts.write {
        true => Some(write::Staging::new(out).ok()?),
        false => None,
    };
    let write = |pages: &[render::Output]| match &staging {
        Some(s) => s.write(pages).ok(),
        None => Some(()),
    };
    let render_opts = RenderOptions {
        lean: !opts.write,
        ..RenderOptions::default()
    };
    let renderer = render::Renderer::new(&config, &templates, &project.templates, &render_opts);
    type Done = (
        crate::model::Lesson,
        Vec<links::Record>,
        usize,
        verify::Checked,
    );
    let one = |sources: &Sources, files: &load::LessonFiles| -> Option<Done> {
        let (lesson, problems, mut events) = parse::lesson_streamed(sources, files, &settings);
        let lesson = lesson.filter(|_| problems.is_empty())?;
        let mut problems = Vec::new();
        // No other lesson is at hand to explain an unknown name with; any problem sends
        // the run to the staged order, which does explain it.
        let (values, computed) =
            compute::lesson::compute_lesson(&lesson, &[], &config.limits, &mut problems);
        let (checked, found) = verify::verify_lesson(&config.limits, &lesson, &values);
        problems.extend(found);
        if !problems.is_empty() {
            return None;
        }
        let (pages, problems) =
            renderer.lesson(sources, &lesson, &values, &render_opts, Some(&mut events));
        if !problems.is_empty() {
            return None;
        }
        write(&pages)?;
        let records = pages.iter().map(links::record).collect();
        Some((lesson.outline(), records, computed, checked))
    };
    let mut lessons: Vec<Done> = match from {
        LessonsFrom::Project => project
            .lessons
            .par_iter()
            .map(|files| one(&project.sources, files))
            .collect::<Option<Vec<Done>>>()?,
        LessonsFrom::Disk(dirs) => dirs
            .par_iter()
            .map(|(slug, dir)| {
                // The lesson's own sources: its file ids count from 0 and mean nothing
                // outside this closure, so its pages' records keep no origin (which only a
                // problem would need, and a problem ends the streamed run).
                let mut own = Sources::default();
                let mut problems = Vec::new();
                let files =
                    load::load_lesson(&project.root, dir, slug.clone(), &mut own, &mut problems)
                        .ok()
                        .filter(|_| problems.is_empty())?;
                let (lesson, mut records, computed, checked) = one(&own, &files)?;
                for r in &mut records {
                    r.origin = None;
                }
                Some((lesson, records, computed, checked))
            })
            .collect::<Option<Vec<Done>>>()?,
    };
    stage("lessons", t);
    let t = Instant::now();
    // The order of the staged parse.
    lessons.sort_by(|a, b| a.0.site_order().cmp(&b.0.site_order()));
    let mut computed = 0;
    let mut checked = verify::Checked::default();
    let mut site_lessons = Vec::with_capacity(lessons.len());
    let mut lesson_records = Vec::with_capacity(lessons.len());
    for (lesson, records, n, c) in lessons {
        computed += n;
        checked.values += c.values;
        checked.shapes += c.shapes;
        site_lessons.push(lesson);
        lesson_records.push(records);
    }
    let site = Site {
        config: config.clone(),
        lessons: site_lessons,
    };
    let emit = |pages: Vec<render::Output>| -> Option<Vec<links::Record>> {
        write(&pages)?;
        Some(pages.iter().map(links::record).collect())
    };
    let (first, problems) =
        render::site_wide_pages(&renderer, &site, &templates, &render_opts, &emit);
    let mut records = first.filter(|_| problems.is_empty())?;
    records.extend(lesson_records.into_iter().flatten());
    stage("site-wide", t);
    let t = Instant::now();
    if !render::collisions(records.iter().map(|r| (r.path.as_str(), r.copy))).is_empty() {
        return None;
    }
    let (links, problems) = links::check(&records, &project.sources, &site.config.base_path());
    if !problems.is_empty() {
        return None;
    }
    stage("links", t);
    let t = Instant::now();
    if let Some(Err(e)) = staging.map(write::Staging::commit) {
        return Some(Err(e));
    }
    stage("commit", t);
    let summary = Summary::of(&site, (computed, checked), &records, links, opts, start);
    drop_later((site, records, templates));
    Some(Ok(summary))
}

/// Where the streamed run finds each lesson's files.
enum LessonsFrom<'a> {
    /// Read already, into the project's sources.
    Project,
    /// Lesson folders (slug, path), each read when its turn comes into sources of its own,
    /// dropped with its pages: a large site's Markdown is never all in memory at once.
    Disk(&'a [(String, std::path::PathBuf)]),
}

/// Frees a large model on another thread: a build's millions of small allocations take a tenth
/// of its time to free, and nothing waits for them (the process may exit first).
fn drop_later<T: Send + 'static>(big: T) {
    let spawned = std::thread::Builder::new()
        .name("lectern-drop".into())
        .spawn(move || drop(big));
    // If no thread can be started, `big` was dropped here instead.
    let _ = spawned;
}

/// What every build makes before rendering.
struct Front {
    site: Site,
    values: Vec<LessonValues>,
    computed: usize,
    checked: verify::Checked,
    templates: Templates,
    /// Warnings so far (any error fails).
    problems: Vec<Diagnostic>,
}

/// Templates, parse, compute and verify: the stages every build runs before rendering.
fn front(project: &load::Project, opts: &Options) -> Result<Front, Error> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    let templates = Templates::new(&project.templates, &project.sources)
        .map_err(|d| problems.push(d))
        .ok();
    let t = Instant::now();
    let (mut site, mut found) = parse::parse_with(project, !opts.write);
    if let Some(site) = &mut site {
        opts.apply(&mut site.config);
    }
    stage("parse", t);
    let t = Instant::now();
    problems.append(&mut found);
    let Some(site) = site else {
        return Err(Error::Content(problems));
    };
    let (values, computed, mut found) = compute::lesson::compute(&site);
    problems.append(&mut found);
    stage("compute", t);
    let t = Instant::now();
    let (checked, mut found) = verify::verify(&site, &values);
    stage("verify", t);
    problems.append(&mut found);
    let Some(templates) = templates.filter(|_| !failed(&problems, opts.strict)) else {
        return Err(Error::Content(problems));
    };
    Ok(Front {
        site,
        values,
        computed,
        checked,
        templates,
        problems,
    })
}

/// Whether these problems fail a build.
pub fn failed(problems: &[Diagnostic], strict: bool) -> bool {
    problems
        .iter()
        .any(|d| d.severity == Severity::Error || strict)
}

/// What the stages from parse to render made of a project, before links are checked: kept by
/// `serve`, which rebuilds one lesson at a time and checks links itself.
pub struct Compiled {
    pub site: Site,
    pub values: Vec<LessonValues>,
    pub matrices_computed: usize,
    pub checked: verify::Checked,
    pub templates: Templates,
    pub files: Vec<Output>,
    /// Warnings so far (any error fails the compile).
    pub problems: Vec<Diagnostic>,
}

/// Templates, parse, compute, verify and render into memory: the stages between load and the
/// link check, for `serve` (a build streams its pages to disk instead, see [`run`]).
pub fn compile(
    project: &load::Project,
    opts: &Options,
    render_opts: &RenderOptions,
) -> Result<Compiled, Error> {
    let Front {
        site,
        values,
        computed,
        checked,
        templates,
        problems,
    } = front(project, opts)?;
    let files = render::render_with(
        &site,
        &project.sources,
        &values,
        &templates,
        &project.templates,
        render_opts,
    )
    .map_err(Error::Content)?;
    Ok(Compiled {
        site,
        values,
        matrices_computed: computed,
        checked,
        templates,
        files,
        problems,
    })
}

/// With `LECTERN_TIMINGS` set, prints how long a stage took and the memory held so far (on
/// Linux), for profiling; see README, "Performance".
fn stage(name: &str, t: Instant) {
    if std::env::var_os("LECTERN_TIMINGS").is_none() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or("?".to_string(), |kb| (kb / 1024).to_string())
    };
    // User and system time of the whole process so far, in clock ticks (fields 14 and 15 of
    // /proc/self/stat, after the command name in parentheses).
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let mut f = s.rsplit_once(')')?.1.split_whitespace().skip(11);
            Some(f.next()?.parse::<u64>().ok()? + f.next()?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    static LAST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let cpu = ticks
        - LAST
            .swap(ticks, std::sync::atomic::Ordering::Relaxed)
            .min(ticks);
    eprintln!(
        "{name:>14}: {:>7.1} ms, CPU {:>5} ms   RSS {} MB, peak {} MB",
        t.elapsed().as_secs_f64() * 1e3,
        cpu * 10,
        mb("VmRSS:"),
        mb("VmHWM:")
    );
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

    /// A build streams each lesson from parse to pages; the stages one after another must make
    /// the same site, byte for byte, and report the same counts (a check too). Two projects:
    /// the seed lesson with the repository's templates/ as overrides (pages through tera), and
    /// the test fixture with the built-in templates (pages written directly), several lessons
    /// and assets.
    #[test]
    fn streamed_and_staged_builds_make_the_same_site() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        for root in [
            manifest.to_path_buf(),
            manifest.join("tests/fixtures/basic"),
        ] {
            let project = load::load(&root).expect("the project loads");
            let tmp = tempfile::tempdir().expect("a temporary folder");
            let opts = Options::new(&root);
            let (a, b) = (tmp.path().join("streamed"), tmp.path().join("staged"));
            let one = streamed(&project, &LessonsFrom::Project, &opts, &a, Instant::now())
                .expect("the project has no problem, so the build streams")
                .expect("the streamed build succeeds");
            let other = staged(&project, &opts, &b, Instant::now()).expect("the staged build");
            // And streamed with each lesson read from disk only when its turn comes, as
            // `build` does first.
            let (site, dirs) = load::without_lessons(&root).expect("the project lists");
            let c = tmp.path().join("from-disk");
            let third = streamed(&site, &LessonsFrom::Disk(&dirs), &opts, &c, Instant::now())
                .expect("the project has no problem, so the build streams from disk")
                .expect("the streamed build from disk succeeds");
            let (fa, fb, fc) = (files(&a), files(&b), files(&c));
            assert!(fa.len() > 10, "{}: {:?}", root.display(), fa.keys());
            assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
            assert_eq!(fa.keys().collect::<Vec<_>>(), fc.keys().collect::<Vec<_>>());
            for (path, bytes) in &fa {
                assert!(bytes == &fb[path], "{path} differs in {}", root.display());
                assert!(
                    bytes == &fc[path],
                    "{path} differs from disk in {}",
                    root.display()
                );
            }
            let counts = |s: &Summary| {
                (
                    s.lessons,
                    s.steps,
                    s.matrices_computed,
                    s.checked.values,
                    s.checked.shapes,
                    s.files,
                    s.links,
                )
            };
            assert_eq!(counts(&one), counts(&other), "{}", root.display());
            assert_eq!(counts(&third), counts(&other), "{}", root.display());
            // And a check, which reads each page's links and ids from the same two orders.
            let opts = Options {
                write: false,
                ..opts
            };
            let one = streamed(&project, &LessonsFrom::Project, &opts, &a, Instant::now())
                .expect("the check streams")
                .expect("the streamed check succeeds");
            let other = staged(&project, &opts, &b, Instant::now()).expect("the staged check");
            let third = streamed(&site, &LessonsFrom::Disk(&dirs), &opts, &c, Instant::now())
                .expect("the check streams from disk")
                .expect("the streamed check from disk succeeds");
            assert!(one.links > 50, "{}", one.links);
            assert_eq!(counts(&one), counts(&other), "{}", root.display());
            assert_eq!(counts(&third), counts(&other), "{}", root.display());
        }
    }

    /// At the first problem, even a warning, the streamed build gives up and leaves nothing
    /// behind; the staged build then reports it as usual.
    #[test]
    fn a_problem_sends_the_build_to_the_staged_path() {
        let project = load::in_memory(
            "title: T\n",
            &[(
                "l",
                "---\ntitle: L\n---\nIntro.\n",
                &[(
                    "01-a",
                    "---\ntitle: A\n---\n```Matrix\nname: A\nvalues:\n  - [1]\n```\n",
                )],
            )],
        );
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let out = tmp.path().join("site");
        let opts = Options::new(tmp.path());
        assert!(streamed(&project, &LessonsFrom::Project, &opts, &out, Instant::now()).is_none());
        let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("listable").collect();
        assert!(left.is_empty(), "{left:?}");
        let summary = run(&project, &opts, &out, Instant::now()).expect("a warning does not fail");
        assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
        assert!(out.join("l/01-a.html").is_file());
    }

    /// The same project on disk: the build that reads each lesson when its turn comes gives
    /// up too, and `build` reads the whole project and reports the warning.
    #[test]
    fn a_problem_on_disk_sends_the_build_to_the_staged_path() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let root = tmp.path().join("project");
        let lesson = root.join("content/l");
        std::fs::create_dir_all(&lesson).expect("folders");
        std::fs::write(root.join("content/site.yaml"), "title: T\n").expect("site.yaml");
        std::fs::write(lesson.join("lesson.md"), "---\ntitle: L\n---\nIntro.\n").expect("lesson");
        std::fs::write(
            lesson.join("01-a.md"),
            "---\ntitle: A\n---\n```Matrix\nname: A\nvalues:\n  - [1]\n```\n",
        )
        .expect("step");
        let opts = Options::new(&root);
        let out = opts.out_dir();
        let (site, dirs) = load::without_lessons(&root).expect("the project lists");
        assert_eq!(dirs.len(), 1);
        assert!(
            streamed(
                &site,
                &LessonsFrom::Disk(&dirs),
                &opts,
                &out,
                Instant::now()
            )
            .is_none()
        );
        assert!(!out.exists(), "the streamed build left {}", out.display());
        let (sources, result) = build(&opts);
        let summary = result.expect("a warning does not fail");
        assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
        // The warning quotes the file, so its sources came back with it.
        let (span, _) = summary.warnings[0].primary.as_ref().expect("located");
        assert!(sources.location(span).starts_with("content/l/01-a.md:"));
        assert!(out.join("l/01-a.html").is_file());
    }
}
