//! The text of the "Reproduce" snippets, one form at a time; `tests/browser/numpy_check.py` runs
//! them on built sites.

use super::*;
use crate::compute::lesson::compute;
use crate::load;
use crate::model::Site;

/// A one-step lesson: `X` (3×4, rows the/cat/sat, cols d1..d4), `W` (2×4, rows q1/q2), `b`
/// (1×2), `g` (1×4), then `body`.
fn lesson(body: &str) -> (Site, Vec<LessonValues>) {
    let step = format!(
        "---\ntitle: S\n---\n\n```matrix\nname: X\nrows: [the, cat, sat]\ncols: [d1, d2, d3, d4]\nvalues:\n  - [1, 0, 2, -1]\n  - [0.5, 1, -0.5, 2]\n  - [-1, 2, 0, 1]\n```\n\n```matrix\nname: W\nrows: [q1, q2]\nvalues:\n  - [0.2, -0.1, 0.4, 0.0]\n  - [0.05, 0.3, -0.2, 0.1]\n```\n\n```matrix\nname: b\nvalues: [[0.1, -0.2]]\n```\n\n```matrix\nname: g\nvalues: [[1, 0.5, 2, 1.5]]\n```\n\n{body}"
    );
    let project = load::in_memory(
        "title: T\n",
        &[("l", "---\ntitle: L\n---\n", &[("01-s", &step)])],
    );
    let (site, problems) = crate::parse::parse(&project);
    assert!(problems.is_empty(), "{problems:#?}");
    let site = site.unwrap();
    let (values, _, problems) = compute(&site);
    assert!(problems.is_empty(), "{problems:#?}");
    (site, values)
}

/// The snippet of `R = compute` in both dialects.
fn both(compute: &str) -> (String, String) {
    let (site, values) = lesson(&format!("```matrix\nname: R\ncompute: {compute}\n```\n"));
    let literals = Literals::default();
    let get = |d| snippet(&site.lessons[0], &values[0], "R", d, &literals).unwrap();
    (get(Dialect::NumPy), get(Dialect::PyTorch))
}

/// The line that defines `R`.
fn line(snippet: &str) -> &str {
    snippet
        .lines()
        .find(|l| l.starts_with("R = "))
        .unwrap_or_else(|| panic!("no `R = ` line in\n{snippet}"))
}

#[test]
fn a_snippet_replays_only_what_the_matrix_depends_on() {
    let (np, pt) = both("X @ W^T + b");
    for s in [&np, &pt] {
        assert!(
            s.contains("X = ") && s.contains("W = ") && s.contains("b = "),
            "{s}"
        );
        assert!(!s.contains("g = "), "g is not an operand of R:\n{s}");
        assert!(s.ends_with("\nprint(R)\n"), "{s}");
    }
    assert_eq!(line(&np), "R = X @ W.T + b");
    // No helper that is not used.
    assert!(!np.contains("def "), "{np}");
    assert!(np.starts_with("import numpy as np\n"), "{np}");
}

#[test]
fn slices_map_labels_to_zero_based_half_open_ranges() {
    let (np, pt) = both("X[cat:sat, d2:d3] + X[2:3, 1:2]");
    assert_eq!(line(&np), "R = X[1:3, 1:3] + X[1:3, 0:2]");
    assert_eq!(line(&pt), line(&np));
    let (np, _) = both("X[:, d4] @ b[1, :]");
    assert_eq!(line(&np), "R = X[:, 3:4] @ b[0:1, :]");
    // A pick of an expression reads that expression's labels.
    let (np, _) = both("X[sat, d2] + (X @ W^T)[cat, q2]");
    assert_eq!(line(&np), "R = X[2, 1] + (X @ W.T)[1, 1]");
}

#[test]
fn stacks_concatenate() {
    let (np, pt) = both("hstack(X, X @ W^T)");
    assert_eq!(line(&np), "R = np.hstack([X, X @ W.T])");
    assert_eq!(line(&pt), "R = torch.cat([X, X @ W.T], dim=1)");
    let (np, pt) = both("vstack(X[the, :], g)");
    assert_eq!(line(&np), "R = np.vstack([X[0:1, :], g])");
    assert_eq!(line(&pt), "R = torch.cat([X[0:1, :], g], dim=0)");
}

#[test]
fn a_causal_mask_is_an_upper_triangle_of_minus_infinity() {
    let (np, pt) = both("X @ X^T + causal_mask(rows(X))");
    assert_eq!(
        line(&np),
        "R = X @ X.T + np.triu(np.full((X.shape[0], X.shape[0]), -np.inf), k=1)"
    );
    assert_eq!(
        line(&pt),
        "R = X @ X.T + torch.triu(torch.full((X.shape[0], X.shape[0]), float(\"-inf\"), dtype=torch.float64), diagonal=1)"
    );
    let (np, _) = both("softmax(X @ X^T + causal_mask(3))");
    assert!(np.contains("np.full((3, 3), -np.inf)"), "{np}");
    assert!(np.contains("\ndef softmax(a):\n"), "{np}");
}

#[test]
fn broadcasting_is_written_as_numpy_does_it() {
    // A 1×n row, an m×1 column: NumPy and PyTorch broadcast them as lectern does.
    let (np, pt) = both("X / sum(X) + g");
    assert_eq!(line(&np), "R = X / X.sum(axis=1, keepdims=True) + g");
    assert_eq!(line(&pt), "R = X / X.sum(dim=1, keepdim=True) + g");
}

#[test]
fn row_reductions_keep_a_column() {
    let (np, pt) = both("hstack(sum(X), mean(X), var(X), max(X), min(X))");
    assert_eq!(
        line(&np),
        "R = np.hstack([X.sum(axis=1, keepdims=True), X.mean(axis=1, keepdims=True), X.var(axis=1, keepdims=True), X.max(axis=1, keepdims=True), X.min(axis=1, keepdims=True)])"
    );
    assert_eq!(
        line(&pt),
        "R = torch.cat([X.sum(dim=1, keepdim=True), X.mean(dim=1, keepdim=True), X.var(dim=1, keepdim=True, unbiased=False), X.amax(dim=1, keepdim=True), X.amin(dim=1, keepdim=True)], dim=1)"
    );
}

#[test]
fn entrywise_functions_and_powers() {
    let (np, pt) = both("exp(X) - log(abs(X) + 1) + tanh(X) * sin(X) / cos(X) + sqrt(abs(X)) ** 2");
    assert_eq!(
        line(&np),
        "R = np.exp(X) - np.log(np.abs(X) + 1.0) + np.tanh(X) * np.sin(X) / np.cos(X) + np.sqrt(np.abs(X)) ** 2.0"
    );
    assert!(
        line(&pt).contains("torch.exp(torch.as_tensor(X, dtype=torch.float64))"),
        "{pt}"
    );
    let (np, pt) = both("relu(X) + sigmoid(-X)");
    assert_eq!(
        line(&np),
        "R = np.maximum(X, 0.0) + 1 / (1 + np.exp(-(-X)))"
    );
    assert_eq!(
        line(&pt),
        "R = torch.relu(torch.as_tensor(X, dtype=torch.float64)) + torch.sigmoid(torch.as_tensor(-X, dtype=torch.float64))"
    );
}

#[test]
fn gelu_is_the_exact_erf_form() {
    let (np, pt) = both("gelu(X)");
    assert_eq!(line(&np), "R = gelu(X)");
    assert!(np.starts_with("import math\nimport numpy as np\n"), "{np}");
    assert!(
        np.contains(
            "\ndef gelu(a):\n    return 0.5 * a * (1 + np.vectorize(math.erf)(a / math.sqrt(2)))\n"
        ),
        "{np}"
    );
    assert_eq!(
        line(&pt),
        "R = torch.nn.functional.gelu(torch.as_tensor(X, dtype=torch.float64))"
    );
}

#[test]
fn constructors_take_integer_sizes() {
    let (np, pt) = both("ones(3, 4) * 2 + zeros(rows(X), 4) + eye(4)[1:3, :]");
    assert_eq!(
        line(&np),
        "R = np.ones((3, 4)) * 2.0 + np.zeros((X.shape[0], 4)) + np.eye(4)[0:3, :]"
    );
    assert_eq!(
        line(&pt),
        "R = torch.ones(3, 4, dtype=torch.float64) * 2.0 + torch.zeros(X.shape[0], 4, dtype=torch.float64) + torch.eye(4, dtype=torch.float64)[0:3, :]"
    );
}

#[test]
fn layer_norm_uses_the_population_variance_and_its_epsilon() {
    let (np, pt) = both("layernorm(X, g, g * 0.1)");
    assert_eq!(line(&np), "R = layernorm(X, g, g * 0.1)");
    assert!(
        np.contains("\ndef layernorm(x, gamma, beta, eps=1e-5):\n    mean = x.mean(axis=1, keepdims=True)\n    var = x.var(axis=1, keepdims=True)\n"),
        "{np}"
    );
    assert_eq!(
        line(&pt),
        "R = torch.nn.functional.layer_norm(X, (X.shape[1],), g.reshape(-1), (g * 0.1).reshape(-1), eps=1e-5)"
    );
    let (np, pt) = both("layernorm(X, g, g, 0.1)");
    assert_eq!(line(&np), "R = layernorm(X, g, g, 0.1)");
    assert!(line(&pt).ends_with("eps=0.1)"), "{pt}");
}

#[test]
fn typed_infinities_are_python_floats() {
    let (site, values) = lesson(
        "```matrix\nname: M\nvalues:\n  - [0, -inf]\n  - [1, 2]\n```\n\n```matrix\nname: R\ncompute: softmax(M)\n```\n",
    );
    let literals = Literals::default();
    let np = snippet(&site.lessons[0], &values[0], "R", Dialect::NumPy, &literals).unwrap();
    assert!(np.contains("    [0.0, float(\"-inf\")],\n"), "{np}");
}
