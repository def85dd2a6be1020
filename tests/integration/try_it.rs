//! "Try it": the expression graph a page carries. Which tables a learner may edit, what the
//! page's script computes again and how (labels already turned into positions), and the pages
//! that carry no graph. The numbers the graph reproduces are checked by the browser suite's
//! `try_check.js`, over every page of the course.

use crate::harness::*;

fn graph(run: &Run, page: &str) -> Option<serde_json::Value> {
    let html = run.page(page);
    let script = html.select(&sel("script#lectern-graph")).next()?;
    let text: String = script.text().collect();
    Some(serde_json::from_str(&text).expect("the graph is JSON"))
}

const STEP: &str = r#"---
title: A
---

```matrix
name: X
rows: [The, "</script>"]
cols: [a, b]
values:
  - [1, 2]
  - [3, 4]
```

```matrix
name: W
show: false
values:
  - [1, 0]
  - [0.5, -1]
```

```matrix
name: Y
compute: X @ W^T
```

```matrix
name: Z
compute: X["</script>":"</script>", :]
```

The entry is `= Y["</script>", 2]` and there are `= rows(X)` rows.
"#;

#[test]
fn a_page_graph_holds_what_follows_from_its_editable_tables() {
    let project = Project::empty();
    project
        .write("content/site.yaml", "title: T\n")
        .write("content/l/lesson.md", "---\ntitle: L\n---\n")
        .write("content/l/01-a.md", STEP)
        .write(
            "content/l/02-b.md",
            "---\ntitle: B\n---\n\n```matrix\nname: S\ncompute: Y * 2\n```\n\n```matrix\nname: T\ncompute: S + 1\n```\n",
        )
        .write(
            "content/l/03-c.md",
            "---\ntitle: C\n---\n\n```matrix\nname: U\nvalues: [[1]]\n```\n",
        );
    let run = project.build().ok();
    let html = std::fs::read_to_string(run.out.join("l/01-a.html")).unwrap();
    // `</` inside the JSON is written `<\/`, so the script element is not ended early.
    assert!(!html.contains("\"</script>"), "{html}");
    let g = graph(&run, "l/01-a.html").expect("a graph");
    let nodes = g["n"].as_array().unwrap();
    let names: Vec<&str> = nodes.iter().map(|n| n["name"].as_str().unwrap()).collect();
    // Each matrix after what it is computed from.
    assert_eq!(names, ["X", "W", "Y", "Z"]);
    // X is on the page: editable, its values read from its cells. W is hidden: its values.
    assert_eq!(nodes[0], serde_json::json!({"name": "X", "in": 1}));
    assert_eq!(nodes[1]["d"], serde_json::json!([[1.0, 0.0], [0.5, -1.0]]));
    assert_eq!(nodes[2]["e"], serde_json::json!(["@", "X", ["T", "W"]]));
    // Labels are positions: the row "</script>" is row 1 (from 0), both columns are kept.
    assert_eq!(nodes[3]["e"], serde_json::json!(["sl", "X", [1], [0, 1]]));
    assert_eq!(
        g["i"]["Y[\"</script>\", 2]"],
        serde_json::json!([["ix", "Y", 1, 1], 3])
    );
    assert_eq!(
        g["i"]["rows(X)"],
        serde_json::json!([["f", "rows", "X"], null])
    );
    // Tables: decimals and colour group (Y shares X's scale, as the product of X).
    assert_eq!(g["t"]["X"][1], g["t"]["Y"][1]);
    assert_eq!(g["t"]["Z"][0], 3);
    assert!(
        run.page("l/01-a.html")
            .select(&sel(".try-bar button.try[hidden]"))
            .next()
            .is_some()
    );

    // Step 2 shows S and T but neither Y nor X: S, computed from nothing on the page, is the
    // table to edit there, and T follows from it.
    let g = graph(&run, "l/02-b.html").expect("a graph");
    assert_eq!(
        g["n"],
        serde_json::json!([{"name": "S", "in": 1}, {"name": "T", "e": ["+", "S", 1.0]}])
    );
    // Step 3 computes nothing: no graph, no button.
    assert!(graph(&run, "l/03-c.html").is_none());
    assert!(
        run.page("l/03-c.html")
            .select(&sel(".try-bar"))
            .next()
            .is_none()
    );
}

#[test]
fn the_same_content_builds_the_same_page_and_graph() {
    let project = Project::empty();
    project
        .write("content/site.yaml", "title: T\n")
        .write("content/l/lesson.md", "---\ntitle: L\n---\n")
        .write("content/l/01-a.md", STEP);
    let a = project.build().ok();
    let b = project.build().ok();
    assert_eq!(
        std::fs::read(a.out.join("l/01-a.html")).unwrap(),
        std::fs::read(b.out.join("l/01-a.html")).unwrap()
    );
}
