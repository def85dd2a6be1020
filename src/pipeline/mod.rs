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
//!
//! Split by job: this file lists the project and hands it to [`run()`] (`run.rs`: the stages
//! after the listing); `options` says what a run is asked for, `problems` keeps its problems.

mod gather;
mod imports;
mod lesson;
mod names;
mod options;
mod problems;
mod run;
mod summary;
mod timing;

use std::time::Instant;

use crate::error::Error;
use crate::load;
use crate::source::Sources;
pub use crate::target::Target;
use crate::write;
pub(crate) use imports::with_importers;
pub(crate) use lesson::Lessons;
pub use options::{LessonsFrom, Options};
pub use problems::failed;
pub use run::{Run, run, run_with};
pub use summary::Summary;
use timing::stage;

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::Path;

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
