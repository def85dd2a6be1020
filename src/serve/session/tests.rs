//! The session on a small project on disk: a rebuild succeeds as a whole or leaves the last good
//! site (files and state) as it was, and the next good edit rebuilds.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::*;

/// A step with a literal matrix `A` and a computed one.
fn step(compute: &str) -> String {
    format!(
        "---\ntitle: A\n---\n\n```matrix\nname: A\nvalues:\n  - [1, 2]\n  - [3, 4]\n```\n\n\
         ```matrix\nname: B\ncompute: {compute}\n```\n"
    )
}

const STEP_TEMPLATE: &str = include_str!("../../../templates/step.html");

struct Project {
    _dir: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    session: Session,
}

impl Project {
    /// One lesson `l` with the step `01-a.md` computing `B = A @ A`; `templates/` holds a copy of
    /// the built-in `step.html` when `templates` is set.
    fn new(templates: bool) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        let out = dir.path().join("out");
        fs::create_dir_all(root.join("content/l")).unwrap();
        fs::create_dir_all(&out).unwrap();
        fs::write(root.join("content/site.yaml"), "title: T\n").unwrap();
        fs::write(root.join("content/l/lesson.md"), "---\ntitle: L\n---\n").unwrap();
        fs::write(root.join("content/l/01-a.md"), step("A @ A")).unwrap();
        if templates {
            fs::create_dir(root.join("templates")).unwrap();
            fs::write(root.join("templates/step.html"), STEP_TEMPLATE).unwrap();
        }
        let session = Session::new(&root, &out, false);
        Project {
            _dir: dir,
            root,
            out,
            session,
        }
    }

    fn write(&self, path: &str, text: &str) {
        fs::write(self.root.join(path), text).unwrap();
    }

    /// Every file of the output folder with its bytes.
    fn site(&self) -> BTreeMap<String, Vec<u8>> {
        files(&self.out)
    }

    fn page(&self) -> String {
        fs::read_to_string(self.out.join("l/01-a.html")).unwrap()
    }

    fn built(&mut self, changes: impl IntoIterator<Item = Change>) -> Built {
        match self.session.rebuild(changes) {
            Outcome::Built(b) => b,
            other => panic!("expected a good build, got {other:?}"),
        }
    }

    fn failed(&mut self, changes: impl IntoIterator<Item = Change>) -> String {
        match self.session.rebuild(changes) {
            Outcome::Failed(text) => text.plain,
            other => panic!("expected a failed build, got {other:?}"),
        }
    }
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap();
            (
                path.to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn lesson() -> [Change; 1] {
    [Change::Lesson("l".into())]
}

#[test]
fn a_broken_lesson_leaves_the_last_good_site_until_it_is_fixed() {
    let mut p = Project::new(false);
    let first = p.built([]);
    assert!(first.what.starts_with("everything"), "{}", first.what);
    assert!(first.changed.contains(&"l/01-a.html".to_string()));
    // A @ A = [[7, 10], [15, 22]].
    assert!(p.page().contains("data-value=\"22\""));
    let good = p.site();

    p.write("content/l/01-a.md", &step("A @ Z"));
    let error = p.failed(lesson());
    assert!(error.contains("unknown matrix `Z`"), "{error}");
    assert!(error.contains("content/l/01-a.md"), "{error}");
    assert_eq!(p.site(), good, "a failed rebuild must not touch the site");
    // The change is kept: asking again (nothing new) still fails, and still writes nothing.
    let again = p.failed([]);
    assert_eq!(again, error);
    assert_eq!(p.site(), good);

    // Back to what the last good build had: the state in memory is that build's, so nothing
    // differs and nothing is written.
    p.write("content/l/01-a.md", &step("A @ A"));
    let same = p.built(lesson());
    assert_eq!(same.what, "lesson l");
    assert_eq!(same.changed, Vec::<String>::new());
    assert_eq!(p.site(), good);

    // A good edit rebuilds the lesson and writes its page: A @ A^T = [[5, 11], [11, 25]].
    p.write("content/l/01-a.md", &step("A @ A^T"));
    let fixed = p.built(lesson());
    assert_eq!(fixed.what, "lesson l");
    assert!(fixed.changed.contains(&"l/01-a.html".to_string()));
    assert!(p.page().contains("data-value=\"25\""));
    assert!(!p.page().contains("data-value=\"22\""));
}

#[test]
fn a_broken_link_found_after_rendering_changes_neither_the_site_nor_the_state() {
    let mut p = Project::new(false);
    p.built([]);
    let good = p.site();
    // The lesson computes and renders; only the link check of the written pages fails.
    let broken = step("A @ A").replace("title: A", "title: A, renamed")
        + "\nOn to [the next step](02-missing.md).\n";
    p.write("content/l/01-a.md", &broken);
    let error = p.failed(lesson());
    assert!(error.contains("l/02-missing.html"), "{error}");
    assert_eq!(p.site(), good);
    p.write("content/l/01-a.md", &step("A @ A"));
    let same = p.built(lesson());
    assert_eq!(same.changed, Vec::<String>::new());
    assert_eq!(p.site(), good);
}

#[test]
fn a_lesson_broken_in_a_later_step_keeps_its_earlier_pages() {
    let mut p = Project::new(false);
    p.write(
        "content/l/02-b.md",
        "---\ntitle: B\n---\n\nUses `= B[1, 1]`.\n",
    );
    p.built([]);
    let good = p.site();
    assert!(good.contains_key("l/02-b.html"));
    // Step 1 still computes, step 2 reads a name no block defines.
    p.write(
        "content/l/02-b.md",
        "---\ntitle: B\n---\n\nUses `= C[1, 1]`.\n",
    );
    p.write("content/l/01-a.md", &step("A + A"));
    let error = p.failed(lesson());
    assert!(error.contains("unknown matrix `C`"), "{error}");
    assert_eq!(p.site(), good, "no page of the lesson may be written");
}

#[test]
fn a_template_that_breaks_rendering_leaves_the_site_as_it_was() {
    let mut p = Project::new(true);
    p.built([]);
    let good = p.site();
    let step_template = || [Change::Template("step.html".into())];

    // Parses, but fails when a page is rendered.
    p.write(
        "templates/step.html",
        &STEP_TEMPLATE.replace("<h1>", "<h1>{{ no_such_variable }}"),
    );
    let error = p.failed(step_template());
    assert!(error.contains("no_such_variable"), "{error}");
    assert_eq!(p.site(), good);

    // Does not parse.
    p.write("templates/step.html", "{% if %}");
    p.failed(step_template());
    assert_eq!(p.site(), good);

    // Fixed: the step pages are rendered again with the new template.
    p.write(
        "templates/step.html",
        &STEP_TEMPLATE.replace("<h1>", "<h1 class=\"edited\">"),
    );
    let fixed = p.built(step_template());
    assert_eq!(fixed.what, "templates (step.html)");
    assert_eq!(fixed.changed, ["l/01-a.html"]);
    assert!(p.page().contains("<h1 class=\"edited\">"));
    let mut expected = good;
    expected.insert("l/01-a.html".into(), p.page().into_bytes());
    assert_eq!(p.site(), expected, "only the step page changed");
}

#[test]
fn a_failed_first_build_writes_nothing_and_a_fix_builds() {
    let mut p = Project::new(false);
    p.write("content/l/01-a.md", &step("A @"));
    let error = p.failed([]);
    assert!(error.starts_with("error"), "{error}");
    assert!(p.site().is_empty());
    assert_eq!(p.session.prefix(), None, "no good build yet");
    p.write("content/l/01-a.md", &step("A @ A"));
    let built = p.built(lesson());
    assert!(built.what.starts_with("everything"), "{}", built.what);
    assert!(p.page().contains("data-value=\"22\""));
    assert_eq!(p.session.prefix().as_deref(), Some("/"));
}

/// A lesson that imports from a changed lesson is made again with it, with the new values; an
/// edit that changes what a lesson imports is made as a whole build.
#[test]
fn an_importing_lesson_is_rebuilt_with_the_lesson_it_imports_from() {
    let mut p = Project::new(false);
    fs::create_dir_all(p.root.join("content/m")).unwrap();
    p.write(
        "content/m/lesson.md",
        "---\ntitle: M\norder: 1\nimports: [l/B]\n---\n",
    );
    p.write(
        "content/m/01-b.md",
        "---\ntitle: B\n---\n\n```matrix\nname: C\ncompute: B * 2\n```\n",
    );
    p.built([]);
    let m = |p: &Project| fs::read_to_string(p.out.join("m/01-b.html")).unwrap();
    // B = A @ A = [[7, 10], [15, 22]], so C ends with 44.
    assert!(m(&p).contains("data-value=\"44\""), "{}", m(&p));
    p.write("content/l/01-a.md", &step("A + A"));
    let built = p.built(lesson());
    assert_eq!(built.what, "lesson l", "{built:?}");
    // B = A + A = [[2, 4], [6, 8]], so C = [[4, 8], [12, 16]].
    assert!(m(&p).contains("data-value=\"16\""), "{}", m(&p));
    assert!(!m(&p).contains("data-value=\"44\""));
    assert!(
        built.changed.contains(&"m/01-b.html".to_string()),
        "{built:?}"
    );
    // A new import: the whole site is made again.
    p.write(
        "content/m/lesson.md",
        "---\ntitle: M\norder: 1\nimports: [l/B, l/A]\n---\n",
    );
    let built = p.built([Change::Lesson("m".into())]);
    assert!(built.what.starts_with("everything"), "{built:?}");
}

#[test]
fn renaming_a_lesson_updates_the_course_on_every_lesson() {
    let mut p = Project::new(false);
    fs::create_dir_all(p.root.join("content/m")).unwrap();
    p.write("content/m/lesson.md", "---\ntitle: M\norder: 1\n---\n");
    p.write("content/m/01-b.md", "---\ntitle: B\n---\n\nText.\n");
    p.built([]);
    let overview = |p: &Project| fs::read_to_string(p.out.join("m/index.html")).unwrap();
    assert!(overview(&p).contains(">L</a>"), "{}", overview(&p));
    // The last step of `l` leads on to lesson `m`.
    assert!(
        p.page().contains("Next lesson</span> M</a>"),
        "{}",
        p.page()
    );
    p.write("content/l/lesson.md", "---\ntitle: Renamed\n---\n");
    let built = p.built(lesson());
    assert!(
        built.changed.contains(&"m/index.html".to_string()),
        "{:?}",
        built.changed
    );
    assert!(overview(&p).contains(">Renamed</a>"), "{}", overview(&p));
    assert!(!overview(&p).contains(">L</a>"));
    // What serve wrote is what a build writes.
    let built_dir = tempfile::tempdir().unwrap();
    let mut opts = crate::pipeline::Options::new(&p.root);
    opts.out = Some(built_dir.path().join("site"));
    let (_, result) = crate::pipeline::build(&opts);
    result.unwrap();
    let fresh = files(&built_dir.path().join("site"));
    let served = p.site();
    for path in ["l/index.html", "m/index.html", "l/01-a.html", "m/01-b.html"] {
        let served = String::from_utf8(served[path].clone()).unwrap();
        let fresh = String::from_utf8(fresh[path].clone()).unwrap();
        // Served pages carry the live-reload script; nothing else may differ.
        let strip = |s: &str| {
            s.lines()
                .filter(|l| !l.contains("live-reload") && !l.contains("__lectern"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip(&served), strip(&fresh), "{path}");
    }
}

#[test]
fn a_projects_script_edited_while_serving_is_shipped_again_without_its_comments() {
    let mut p = Project::new(true);
    p.write("templates/extra.js", "// one\nvar a = 1;\n");
    p.built([Change::Template("extra.js".into())]);
    let out = p.out.join("assets/extra.js");
    let script = || fs::read_to_string(&out).unwrap();
    assert_eq!(script(), "var a = 1;\n");
    p.write("templates/extra.js", "// two\nvar a = 2; // kept\n");
    p.built([Change::Template("extra.js".into())]);
    assert_eq!(script(), "var a = 2; // kept\n");
}
