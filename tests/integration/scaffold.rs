//! `lectern init` and `lectern new`: starters that build, and never overwrite.

use std::fs;

use crate::harness::*;

fn root_arg(p: &Project) -> &str {
    p.root.to_str().unwrap()
}

#[test]
fn init_makes_a_project_that_builds_and_passes_strict_checks() {
    let project = Project::empty();
    let dir = project.root.join("course");
    lectern(&["init", dir.to_str().unwrap()]).ok();
    let course = Project::at(&dir);
    let run = course.build().ok();
    let step = run.page("first-lesson/02-projecting.html");
    // Q = X @ W^T with X = [[1, 0, 2], [0, 1, 1]], W = [[0.5, 1, 0], [0, 0.5, 1]].
    assert_eq!(table(&step, "Q").values, [["0.5", "2"], ["1", "1.5"]]);
    assert_eq!(text_of(&step, "data.value"), "1.500");
    assert!(
        run.page("first-lesson/01-inputs-and-weights.html")
            .select(&sel("table[data-matrix=W]"))
            .next()
            .is_some()
    );
    let check = lectern(&["check", "--strict", "--root", dir.to_str().unwrap()]).ok();
    assert!(check.stderr.is_empty(), "no warnings: {}", check.stderr);

    // A second init refuses and changes nothing.
    let before = read_tree(&dir.join("content"));
    let again = lectern(&["init", dir.to_str().unwrap()]).fails(2);
    assert!(again.stderr.contains("is not empty"), "{}", again.stderr);
    assert_eq!(read_tree(&dir.join("content")), before);
}

#[test]
fn init_into_an_empty_content_folder_is_fine() {
    let project = Project::empty();
    fs::create_dir(project.root.join("content")).unwrap();
    lectern(&["init", root_arg(&project)]).ok();
    project.build().ok();
}

#[test]
fn new_lessons_and_steps_build_and_number_themselves() {
    let project = Project::empty();
    lectern(&["init", root_arg(&project)]).ok();
    let root = root_arg(&project);
    let out = lectern(&[
        "new",
        "lesson",
        "attention",
        "--title",
        "Attention: \"scores\"",
        "--root",
        root,
    ])
    .ok();
    assert!(out.stdout.contains("lesson.md"), "{}", out.stdout);
    lectern(&["new", "step", "attention", "dot-products", "--root", root]).ok();
    lectern(&[
        "new",
        "step",
        "attention",
        "softmax",
        "--title",
        "Soft max",
        "--root",
        root,
    ])
    .ok();
    let dir = project.root.join("content/attention");
    assert!(dir.join("01-dot-products.md").is_file());
    assert!(dir.join("02-softmax.md").is_file());
    lectern(&["check", "--strict", "--root", root]).ok();
    let run = project.build().ok();
    assert_eq!(
        text_of(&run.page("attention/index.html"), "h1"),
        "Attention: \"scores\""
    );
    let step = run.page("attention/02-softmax.html");
    assert_eq!(text_of(&step, "main h1"), "Soft max");
    assert_eq!(text_of(&step, ".step-count"), "Step 2 of 2");
    assert_eq!(table(&step, "M02").values, [["1", "0"], ["0", "1"]]);

    // Numbers follow the existing padding; the starter's name avoids names in use.
    project.write("content/short/lesson.md", "---\ntitle: Short\n---\n");
    project.write(
        "content/short/7-seven.md",
        "---\ntitle: Seven\n---\n```matrix\nname: M8\nvalues: [[1]]\n```\n",
    );
    lectern(&["new", "step", "short", "eight", "--root", root]).ok();
    let short = project.root.join("content/short");
    assert!(short.join("8-eight.md").is_file());
    assert!(
        fs::read_to_string(short.join("8-eight.md"))
            .unwrap()
            .contains("name: M8_2")
    );
    lectern(&["new", "step", "attention", "third", "--root", root]).ok();
    assert!(dir.join("03-third.md").is_file());
    lectern(&["check", "--strict", "--root", root]).ok();
}

#[test]
fn new_refuses_to_overwrite_or_guess() {
    let project = Project::empty();
    lectern(&["init", root_arg(&project)]).ok();
    let root = root_arg(&project);
    let lesson_md = project.root.join("content/first-lesson/lesson.md");
    let before = fs::read_to_string(&lesson_md).unwrap();
    let cases: [(&[&str], &str); 7] = [
        (&["new", "lesson", "first-lesson"], "already exists"),
        (&["new", "lesson", "Bad Name"], "not a valid lesson name"),
        (&["new", "lesson", "../escape"], "not a valid lesson name"),
        (&["new", "lesson", "assets"], "taken"),
        (&["new", "step", "nope", "x"], "no lesson `nope`"),
        (
            &["new", "step", "first-lesson", "projecting"],
            "already has a step named `projecting`",
        ),
        (
            &["new", "step", "first-lesson", "x", "--title", "two\nlines"],
            "line break",
        ),
    ];
    for (args, message) in cases {
        let mut args = args.to_vec();
        args.extend(["--root", root]);
        let run = lectern(&args).fails(2);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
    assert_eq!(fs::read_to_string(&lesson_md).unwrap(), before);
    assert!(!project.root.join("escape").exists());
    let steps: Vec<_> = fs::read_dir(project.root.join("content/first-lesson"))
        .unwrap()
        .collect();
    assert_eq!(steps.len(), 3, "nothing was added");
    lectern(&[
        "new",
        "lesson",
        "x",
        "--root",
        project.root.join("nowhere").to_str().unwrap(),
    ])
    .fails(2);
}

/// `lectern init` writes the workflow that publishes the course on GitHub Pages: the very file
/// this repository publishes its own course with, which installs this version of lectern when
/// the project is not lectern itself. An existing workflow is kept.
#[test]
fn init_writes_the_pages_workflow() {
    let project = Project::empty();
    let run = lectern(&["init", root_arg(&project)]).ok();
    let written = fs::read_to_string(project.root.join(".github/workflows/pages.yml")).unwrap();
    let ours = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/pages.yml"),
    )
    .unwrap();
    assert_eq!(written, ours);
    assert!(
        run.stdout.contains(".github/workflows/pages.yml"),
        "{}",
        run.stdout
    );
    let version = format!("LECTERN_VERSION: \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(
        written.contains(&version),
        "the workflow installs {version}"
    );
    assert!(written.contains("--base-url \"$BASE_URL/\""));

    let other = Project::empty();
    other.write(".github/workflows/pages.yml", "# mine\n");
    lectern(&["init", root_arg(&other)]).ok();
    let kept = fs::read_to_string(other.root.join(".github/workflows/pages.yml")).unwrap();
    assert_eq!(kept, "# mine\n");
}
