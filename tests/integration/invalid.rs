//! Every case under `tests/fixtures/invalid/` must fail with exactly the error text in its
//! `.stderr` file (see that folder's README).

use std::path::Path;

use crate::harness::*;

#[test]
fn invalid_content_fails_with_located_errors() {
    let dir = fixtures().join("invalid");
    let bless = std::env::var_os("LECTERN_BLESS").is_some();
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
        let expected_path = dir.join(format!("{name}.stderr"));
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "--- {name}: expected\n{expected}\n--- actual\n{actual}"
            ));
        }
        assert!(
            !run.out.exists(),
            "{name}: a failed build must not create the output folder"
        );
        // `check` reads links from skeletons instead of rendered pages, and finds formula
        // errors while parsing: it must still report exactly what `build` does.
        let checked = lectern(&["check", "--root", project.root.to_str().unwrap()]);
        let actual = format!("exit: {}\n{}", checked.code, checked.stderr);
        if actual != expected {
            failures.push(format!(
                "--- {name} (check): expected\n{expected}\n--- actual\n{actual}"
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
