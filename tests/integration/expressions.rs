//! The `attention` fixture: every operation of the expression language in a real lesson, with
//! `expect` values computed by NumPy (`tests/fixtures/attention/oracle.py`), not by lectern.

use crate::harness::*;

#[test]
fn every_operation_builds_and_agrees_with_numpy() {
    let run = Project::fixture("attention").build().ok();
    assert!(
        run.stdout
            .contains("19 matrices computed, 211 typed values"),
        "{}",
        run.stdout
    );
    let heads = run.page("masked/01-heads.html");
    // Slices keep the labels they select.
    let q1 = table(&heads, "Q1");
    assert_eq!(q1.rows, ["the", "cat", "sat"]);
    assert_eq!(q1.cols, ["q1", "q2"]);
    assert_eq!(table(&heads, "Xr").rows, ["cat", "sat"]);
    // Stacks: labels follow their operands, repeated ones included.
    assert_eq!(table(&heads, "O").cols, ["q1", "q2", "k3", "k4"]);
    assert_eq!(table(&heads, "Ends").rows, ["the", "sat"]);
}

#[test]
fn masked_scores_show_minus_infinity_and_softmax_gives_exact_zeros() {
    let run = Project::fixture("attention").build().ok();
    let page = run.page("masked/01-heads.html");
    let s = table(&page, "S");
    assert_eq!(s.values[0][1], "-Infinity");
    assert_eq!(s.values[1][2], "-Infinity");
    assert_eq!(s.texts[0][1], "−∞", "one-character minus, U+2212");
    assert_eq!(s.texts[1][0], "0.499");
    let p = table(&page, "P");
    assert_eq!(p.values[0], ["1", "0", "0"]);
    assert_eq!(p.values[1][2], "0");
    // A masked cell has no heat, and does not flatten the others.
    let heats: Vec<String> = page
        .select(&sel("table.matrix[data-matrix=\"S\"] tbody td"))
        .map(|td| td.value().attr("data-heat").unwrap().to_string())
        .collect();
    assert_eq!(heats[1], "0");
    assert_ne!(heats[3], "0", "{heats:?}");
    // Inline values: an infinity, and an exact zero at P's precision.
    let values: Vec<(String, String)> = page
        .select(&sel("data.value"))
        .map(|d| {
            (
                d.value().attr("value").unwrap().to_string(),
                d.text().collect(),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            ("-Infinity".into(), "−∞".into()),
            ("0".into(), "0.000".into())
        ]
    );
    // Derivations say a masked weight is masked.
    let why = text_of(&page, "#why-P-0-1");
    assert_eq!(why, "P[the, cat] = 0: masked, S[the, cat] is −∞");
    // A masked score says what masks it; the others open the scaled dot product.
    let why = text_of(&page, "#why-S-0-1");
    assert_eq!(
        why,
        "S[the, cat] = −∞: masked, causal_mask(rows(X))[the, cat] is −∞"
    );
    let why = text_of(&page, "#why-S-0-0");
    assert_eq!(
        why,
        "S[the, the] = (Σₖ Q1[the, k]·(K[:, k1:k2]^T)[k, the]) / sqrt(cols(Q1)) + causal_mask(rows(X))[the, the] = (1.000·(−0.400) + (−0.450)·1.000) / 1.414 + 0.000 = (−0.601) + 0.000 = −0.601"
    );
    let why = text_of(&page, "#why-Q1-2-1");
    assert_eq!(why, "Q1[sat, q2] = Q[sat, q2] = 0.650");
}

#[test]
fn every_computed_matrix_gets_snippets_that_replay_only_its_operands() {
    let run = Project::fixture("attention").build().ok();
    let heads = run.page("masked/01-heads.html");
    let ffn = run.page("masked/02-feed-forward.html");
    let figure = |page: &scraper::Html, name: &str| {
        page.select(&sel(&format!("figure#matrix-{name}")))
            .next()
            .unwrap_or_else(|| panic!("no figure for {name}"))
            .html()
    };
    for name in ["Q", "K", "Q1", "Xr", "S", "P", "O", "Ends"] {
        let f = figure(&heads, name);
        assert!(
            f.contains("import numpy") && f.contains("import torch"),
            "{name}"
        );
    }
    for name in [
        "Z", "R", "G", "T", "E", "Trig", "Sq", "Stats", "Consts", "LN", "LN2",
    ] {
        let f = figure(&ffn, name);
        assert!(
            f.contains("import numpy") && f.contains("import torch"),
            "{name}"
        );
    }
    let s = figure(&heads, "S");
    assert!(s.contains("np.triu(np.full("), "{s}");
    // S reads Q and K, not the Xr slice or anything after it.
    assert!(!s.contains("Xr ="), "{s}");
    // Layer norm reads X, W_Q, b1, gamma and beta: not W_K, K or the attention step.
    let ln = figure(&ffn, "LN");
    assert!(ln.contains("W_Q = ") && ln.contains("gamma = "), "{ln}");
    assert!(!ln.contains("W_K") && !ln.contains("softmax"), "{ln}");
}
