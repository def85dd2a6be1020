//! Every case under `tests/fixtures/invalid/` must fail with exactly the error text in its
//! snapshot `NAME.snap` (an insta file snapshot; see that folder's README).

use std::path::Path;

use crate::harness::*;

#[test]
fn invalid_content_fails_with_located_errors() {
    let dir = fixtures().join("invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_dir() || p.extension().is_some_and(|e| e == "md") && !p.ends_with("README.md")
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_stem().unwrap().to_string_lossy().into_owned();
        let project = project_for(case);
        let run = project.build();
        let actual = format!("exit: {}\n{}", run.code, run.stderr);
        // insta compares without trailing whitespace: the text must end with one newline.
        if actual != format!("{}\n", actual.trim_end()) {
            failures.push(format!("{name}: the error text must end with one newline"));
        }
        // Every case is compared, and a changed one written as `NAME.snap.new` for review,
        // before the test fails.
        let snapshot = std::panic::catch_unwind(|| {
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path("../fixtures/invalid");
            settings.set_prepend_module_to_snapshot(false);
            settings.set_input_file(case);
            settings.bind(|| insta::assert_snapshot!(name.as_str(), actual));
        });
        if snapshot.is_err() {
            failures.push(format!("{name}: the error text differs from {name}.snap"));
        }
        assert!(
            !run.out.exists(),
            "{name}: a failed build must not create the output folder"
        );
        // `check` reads links from skeletons instead of rendered pages, and finds formula
        // errors while parsing: it must still report exactly what `build` does.
        let checked = lectern(&["check", "--root", project.root.to_str().unwrap()]);
        let check_text = format!("exit: {}\n{}", checked.code, checked.stderr);
        if check_text != actual {
            failures.push(format!(
                "--- {name}: build printed\n{actual}\n--- check printed\n{check_text}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn project_for(case: &Path) -> Project {
    if case.is_dir() {
        return Project::copy_of(&format!(
            "invalid/{}",
            case.file_name().unwrap().to_string_lossy()
        ));
    }
    let project = Project::empty();
    project
        .write("content/site.yaml", "title: Invalid\n")
        .write("content/l/lesson.md", "---\ntitle: L\n---\n")
        .write("content/l/01-a.md", &std::fs::read_to_string(case).unwrap());
    project
}
