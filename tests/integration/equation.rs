//! `layout: equation`: a computed `A op B` shown as its equation, the operands' tables (a
//! transposed operand transposed) before the result's, with one colour scale and the operands in
//! the page's Try-it graph.

use scraper::ElementRef;

use crate::harness::*;

const STEP: &str = r#"---
title: A
---

```matrix
name: W
rows: [q1, q2]
cols: [d1, d2, d3]
values:
  - [1, -2, 0.5]
  - [0, 4, -1]
```

```matrix
name: Y
compute: X @ W^T
layout: equation
```

```matrix
name: Z
compute: X * 3
```
"#;

/// Row labels, column labels and `data-value`s of a table element.
fn read(t: ElementRef) -> (Vec<String>, Vec<String>, Vec<Vec<f64>>) {
    let cols = t
        .select(&sel("thead th"))
        .map(|e| e.text().collect())
        .collect();
    let mut rows = Vec::new();
    let mut values = Vec::new();
    for tr in t.select(&sel("tbody tr")) {
        rows.push(tr.select(&sel("th")).next().unwrap().text().collect());
        values.push(
            tr.select(&sel("td"))
                .map(|c| c.value().attr("data-value").unwrap().parse().unwrap())
                .collect(),
        );
    }
    (rows, cols, values)
}

fn project() -> Project {
    let project = Project::empty();
    project
        .write("content/site.yaml", "title: T\n")
        .write("content/l/lesson.md", "---\ntitle: L\n---\n")
        .write(
            "content/l/01-x.md",
            "---\ntitle: X\n---\n\n```matrix\nname: X\nrows: [The, cat]\ncols: [d1, d2, d3]\nvalues:\n  - [0.5, 1, -1]\n  - [2, 0, 3]\n```\n",
        )
        .write("content/l/02-a.md", STEP)
        .write(
            "content/l/03-s.md",
            "---\ntitle: S\n---\n\n```matrix\nname: S\ncompute: X + X\nlayout: equation\n```\n",
        );
    project
}

#[test]
fn an_equation_shows_its_operands_before_the_result() {
    let run = project().build().ok();
    let html = run.page("l/02-a.html");
    let figure = html.select(&sel("figure#matrix-Y")).next().unwrap();
    let operands: Vec<ElementRef> = figure.select(&sel(".equation table.operand")).collect();
    assert_eq!(operands.len(), 2);
    let signs: Vec<String> = figure
        .select(&sel(".equation-sign"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(signs, ["·", "="]);

    // X, as typed on step 1 (it is not a block of this page).
    assert_eq!(operands[0].value().attr("data-matrix"), Some("X"));
    assert_eq!(operands[0].value().attr("data-transposed"), None);
    let (rows, cols, values) = read(operands[0]);
    assert_eq!(rows, ["The", "cat"]);
    assert_eq!(cols, ["d1", "d2", "d3"]);
    assert_eq!(values, [[0.5, 1.0, -1.0], [2.0, 0.0, 3.0]]);

    // Wᵀ: W's columns are its rows, its rows its columns; data-shape stays W's own 2x3.
    assert_eq!(operands[1].value().attr("data-matrix"), Some("W"));
    assert_eq!(operands[1].value().attr("data-transposed"), Some(""));
    assert_eq!(operands[1].value().attr("data-shape"), Some("2x3"));
    let (rows, cols, values) = read(operands[1]);
    assert_eq!(rows, ["d1", "d2", "d3"]);
    assert_eq!(cols, ["q1", "q2"]);
    assert_eq!(values, [[1.0, 0.0], [-2.0, 4.0], [0.5, -1.0]]);
    let names: Vec<String> = figure
        .select(&sel(".term-name code"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(names, ["X", "Wᵀ", "Y"]);

    // The result comes last, with its derivations reading rows of X and of W.
    let result = figure.select(&sel(".term.result table")).next().unwrap();
    assert_eq!(result.value().attr("data-matrix"), Some("Y"));
    let (_, _, y) = read(result);
    // By hand: Y[The, q1] = 0.5·1 + 1·(−2) + (−1)·0.5 = −2; Y[cat, q2] = 2·0 + 0·4 + 3·(−1) = −3.
    assert_eq!(y, [[-2.0, 4.0 + 1.0], [2.0 + 1.5, -3.0]]);
    let reads = result
        .select(&sel("tbody td"))
        .next()
        .unwrap()
        .value()
        .attr("data-reads");
    assert_eq!(reads, Some("X:r:0 W:r:0"));

    // One colour scale for the three tables: the legend runs over X, W and Y together
    // (−3 in Y to 5 in Y; W alone would be −2 to 4, X alone −1 to 3).
    let legend: Vec<String> = figure
        .select(&sel(".legend > span:not(.legend-bar)"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(legend, ["−3.000", "5.000"]);
    // So X's 3 and Y's 3.5 are one level apart, not both at the top of scales of their own.
    let heat = |t: ElementRef, i: usize| {
        t.select(&sel("tbody td"))
            .nth(i)
            .unwrap()
            .value()
            .attr("data-heat")
            .unwrap()
            .to_string()
    };
    assert_eq!(heat(operands[0], 5), "2"); // X[cat, d3] = 3 of 5
    assert_eq!(heat(result, 2), "3"); // Y[cat, q1] = 3.5 of 5

    // An entry-wise equation: X + X, each operand shown again.
    let page = run.page("l/03-s.html");
    let s = page.select(&sel("figure#matrix-S")).next().unwrap();
    let signs: Vec<String> = s
        .select(&sel(".equation-sign"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(signs, ["+", "="]);
    assert_eq!(s.select(&sel("table.operand[data-matrix=X]")).count(), 2);
    // A block without `layout` is the table alone.
    let z = html.select(&sel("figure#matrix-Z")).next().unwrap();
    assert_eq!(z.select(&sel(".equation, table.operand")).count(), 0);
}

#[test]
fn the_operands_of_an_equation_are_tables_to_try() {
    let run = project().build().ok();
    let html = std::fs::read_to_string(run.out.join("l/02-a.html")).unwrap();
    let start = html.find(r#"id="lectern-graph">"#).unwrap() + r#"id="lectern-graph">"#.len();
    let end = start + html[start..].find("</script>").unwrap();
    let g: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    // X is shown only in the equations, and is a table the learner may edit there.
    let nodes = g["n"].as_array().unwrap();
    assert!(
        nodes.contains(&serde_json::json!({"name": "X", "in": 1})),
        "{g}"
    );
    assert!(
        nodes.contains(&serde_json::json!({"name": "W", "in": 1})),
        "{g}"
    );
    // With X's decimals, in the scale group of Y (the equation's).
    assert_eq!(g["t"]["X"][0], 3);
    assert_eq!(g["t"]["X"][1], g["t"]["Y"][1]);
    assert_eq!(g["t"]["W"][1], g["t"]["Y"][1]);
}
