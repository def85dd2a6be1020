//! The repository's own lesson: build it and check its numbers independently of lectern, from
//! the literal tables the pages show, with plain loops.

use std::collections::BTreeMap;

use crate::build::check_links;
use crate::harness::*;

const LESSON: &str = "qkv-projections";

fn seed() -> Run {
    Project::at(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .build()
        .ok()
}

/// Every table of every page of the lesson, by matrix name.
fn tables(run: &Run) -> BTreeMap<String, Table> {
    let mut out = BTreeMap::new();
    for (path, _) in run
        .files()
        .iter()
        .filter(|(p, _)| p.starts_with(LESSON) && p.ends_with(".html"))
    {
        let page = run.page(path);
        for t in page.select(&sel("table.matrix")) {
            let name = t.value().attr("data-matrix").unwrap().to_string();
            let shown = table(&page, &name);
            // A matrix appears again where a later step recalls it: with the same numbers.
            if let Some(first) = out.get(&name) {
                let first: &Table = first;
                assert_eq!(
                    first.values, shown.values,
                    "{name} shown with other numbers"
                );
            } else {
                out.insert(name, shown);
            }
        }
    }
    out
}

fn times_transpose(a: &[Vec<f64>], w: &[Vec<f64>]) -> Vec<Vec<f64>> {
    a.iter()
        .map(|row| {
            w.iter()
                .map(|wr| row.iter().zip(wr).map(|(x, y)| x * y).sum())
                .collect()
        })
        .collect()
}

fn assert_close(name: &str, got: &[Vec<f64>], want: &[Vec<f64>]) {
    assert_eq!(got.len(), want.len(), "{name}: rows");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g.len(), w.len(), "{name}: columns");
        for (j, (g, w)) in g.iter().zip(w).enumerate() {
            assert!(
                (g - w).abs() <= 1e-12,
                "{name}[{i}, {j}]: page shows {g}, loops give {w}"
            );
        }
    }
}

#[test]
fn the_seed_lessons_projections_agree_with_naive_loops() {
    let run = seed();
    let t = tables(&run);
    let tokens = ["The", "cat", "sat", "down"];
    let e = t["E"].numbers();
    let p = t["P"].numbers();
    let x: Vec<Vec<f64>> = e
        .iter()
        .zip(&p)
        .map(|(a, b)| a.iter().zip(b).map(|(u, v)| u + v).collect())
        .collect();
    assert_close("X", &t["X"].numbers(), &x);
    assert_eq!(t["X"].rows, tokens);
    for (out, w, prefix) in [
        ("Q", "W_Q", "q"),
        ("K", "W_K", "k"),
        ("V", "W_V", "v"),
        ("Q4", "W_Q4", "q"),
    ] {
        let weights = t[w].numbers();
        assert_eq!(
            weights[0].len(),
            8,
            "{w} is stored output × input: 8 input columns"
        );
        assert_close(out, &t[out].numbers(), &times_transpose(&x, &weights));
        assert_eq!(t[out].rows, tokens, "{out} rows carry the tokens");
        let cols: Vec<String> = (1..=weights.len())
            .map(|i| format!("{prefix}{i}"))
            .collect();
        assert_eq!(t[out].cols, cols, "{out} columns carry {w}'s row labels");
        assert!(
            t[out].caption.contains(&format!("{out} = X @ {w}^T")),
            "{}",
            t[out].caption
        );
    }
    assert_eq!(t["Q"].shape, "4x8");
    assert_eq!(
        t["Q4"].shape, "4x4",
        "d_k = 4 makes the convention visible in the shape"
    );
}

#[test]
fn every_cell_shows_its_exact_value_rounded() {
    let run = seed();
    let t = tables(&run);
    assert!(t.len() >= 10, "{} tables", t.len());
    for (name, table) in &t {
        for (values, texts) in table.values.iter().zip(&table.texts) {
            for (v, text) in values.iter().zip(texts) {
                let v: f64 = v.parse().unwrap();
                let decimals = text.split('.').nth(1).map_or(0, str::len);
                // Shown with the minus sign U+2212.
                assert!(
                    !text.contains('-'),
                    "{name}: {text} has a hyphen for a minus"
                );
                let shown: f64 = text.replace('−', "-").parse().unwrap();
                assert!(
                    (shown - v).abs() <= 0.5 * 10f64.powi(-(decimals as i32)) + 1e-12,
                    "{name}: {text} is not {v} rounded"
                );
            }
        }
    }
}

#[test]
fn the_seed_site_is_complete_and_navigable() {
    let run = seed();
    let steps: Vec<String> = run
        .files()
        .keys()
        .filter(|p| p.starts_with(LESSON) && p.ends_with(".html") && !p.ends_with("index.html"))
        .cloned()
        .collect();
    assert_eq!(steps.len(), 7);
    for (i, path) in steps.iter().enumerate() {
        let page = run.page(path);
        assert_eq!(
            text_of(&page, ".step-count"),
            format!("Step {} of 7", i + 1)
        );
        // Every inline value was computed: no code span still starts with `=`.
        assert!(
            page.select(&sel("code"))
                .all(|c| !c.text().collect::<String>().starts_with('='))
        );
    }
    let overview = run.page(&format!("{LESSON}/index.html"));
    assert_eq!(overview.select(&sel(".objectives li")).count(), 4);
    assert!(overview.select(&sel(".concepts dt")).count() >= 6);
    let quiz = run.page(&steps[6]);
    assert!(
        quiz.select(&sel("details")).count() >= 5,
        "at least 5 questions with answers"
    );
    check_links(&run.out, "/");
    // No page loads anything from another host; the only script is lectern's own, deferred, and
    // every number and answer is in the HTML without it (the expression graph of "Try it" is
    // data, not a script that runs).
    for (path, bytes) in run.files().iter().filter(|(p, _)| p.ends_with(".html")) {
        let page = scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for script in page.select(&sel("script:not([type='application/json'])")) {
            let src = script
                .value()
                .attr("src")
                .unwrap_or_else(|| panic!("{path}: inline script"));
            assert!(
                src.ends_with("assets/lectern.js") && script.value().attr("defer").is_some(),
                "{path}: {src}"
            );
        }
        for el in page.select(&sel("[src], [href]")) {
            let url = el.value().attr("src").or(el.value().attr("href")).unwrap();
            assert!(!url.contains("://"), "{path} loads {url}");
        }
    }
}
