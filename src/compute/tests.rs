//! Unit tests of the expression parser and evaluator, and property tests against naive loops.

use std::collections::BTreeMap;

use ndarray::{Array2, array};
use proptest::prelude::*;

use super::eval::{EvalError, Scope, Value, eval};
use super::matrix::Matrix;
use crate::parse::expr::{BinOp, ExprKind, parse, parse_with_depth};

struct Names(BTreeMap<String, Matrix>);

impl Scope for Names {
    fn lookup(&self, name: &str) -> Option<&Matrix> {
        self.0.get(name)
    }
}

fn scope(items: &[(&str, Matrix)]) -> Names {
    Names(
        items
            .iter()
            .map(|(n, m)| (n.to_string(), m.clone()))
            .collect(),
    )
}

fn labelled(data: Array2<f64>, rows: &[&str], cols: &[&str]) -> Matrix {
    let l = |v: &[&str]| (!v.is_empty()).then(|| v.iter().map(|s| s.to_string()).collect());
    Matrix {
        data,
        rows: l(rows),
        cols: l(cols),
    }
}

fn run<'a>(src: &str, s: &'a Names) -> Result<Value<'a>, EvalError> {
    let e = parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    eval(&e, src, s)
}

fn mat(src: &str, s: &Names) -> Matrix {
    match run(src, s) {
        Ok(Value::Matrix(m)) => m.into_owned(),
        other => panic!("{src}: {other:?}"),
    }
}

/// X is 2×3 with tokens as rows, W is 2×3 stored output×input; values small enough to check by hand.
fn qkv() -> Names {
    scope(&[
        (
            "X",
            labelled(array![[1., 2., 0.], [0., 1., 3.]], &["the", "cat"], &[]),
        ),
        (
            "W",
            labelled(array![[1., 0., 1.], [2., 1., 0.]], &["q1", "q2"], &[]),
        ),
    ])
}

#[test]
fn precedence_follows_python() {
    // `*`, `/` and `@` bind tighter than `+`/`-`, and are left-associative among themselves.
    let e = parse("A + B @ C * 2").unwrap();
    let ExprKind::Binary(BinOp::Add, _, rhs) = e.kind else {
        panic!("{e:?}")
    };
    let ExprKind::Binary(BinOp::Mul, lhs, _) = rhs.kind else {
        panic!("{rhs:?}")
    };
    assert!(matches!(lhs.kind, ExprKind::Binary(BinOp::MatMul, _, _)));
    // `^T` binds tighter than `@`, and unary minus applies to the whole operand.
    let e = parse("-X @ W^T").unwrap();
    let ExprKind::Binary(BinOp::MatMul, a, b) = e.kind else {
        panic!()
    };
    assert!(matches!(a.kind, ExprKind::Neg(_)));
    assert!(matches!(b.kind, ExprKind::Transpose(_)));
}

#[test]
fn spans_cover_the_source_text() {
    let src = "softmax(Q @ K^T / sqrt(cols(K)))";
    let e = parse(src).unwrap();
    assert_eq!(e.span, 0..src.len());
    let names: Vec<_> = e.names().into_iter().map(|(n, r)| (n, &src[r])).collect();
    assert_eq!(names, [("Q", "Q"), ("K", "K"), ("K", "K")]);
}

#[test]
fn product_with_transpose_matches_hand_computation() {
    // Q = X W^T: [1,2,0]·[1,0,1] = 1, [1,2,0]·[2,1,0] = 4, [0,1,3]·[1,0,1] = 3, [0,1,3]·[2,1,0] = 1
    let q = mat("X @ W^T", &qkv());
    assert_eq!(q.data, array![[1., 4.], [3., 1.]]);
    assert_eq!(q.rows, Some(vec!["the".into(), "cat".into()]));
    assert_eq!(q.cols, Some(vec!["q1".into(), "q2".into()]));
}

#[test]
fn elementwise_scalar_and_functions() {
    let s = qkv();
    assert_eq!(mat("X + X", &s).data, array![[2., 4., 0.], [0., 2., 6.]]);
    assert_eq!(
        mat("X * 2 - 1", &s).data,
        array![[1., 3., -1.], [-1., 1., 5.]]
    );
    assert_eq!(
        mat("(X @ W^T) / sqrt(4)", &s).data,
        array![[0.5, 2.], [1.5, 0.5]]
    );
    assert_eq!(run("rows(X) * cols(X)", &s), Ok(Value::Scalar(6.0)));
    assert_eq!(run("(X @ W^T)[cat, q1]", &s), Ok(Value::Scalar(3.0)));
    assert_eq!(run("X[\"cat\", 3]", &s), Ok(Value::Scalar(3.0)));
    let p = mat("softmax(X @ W^T)", &s);
    let e = (3.0f64).exp();
    assert!((p.data[[0, 1]] - e / (e + 1.0)).abs() < 1e-15);
}

#[test]
fn shape_errors_explain_the_convention() {
    let s = scope(&[
        ("X", Matrix::new(Array2::zeros((4, 8)))),
        ("W_K", Matrix::new(Array2::zeros((4, 8)))),
    ]);
    let e = run("X @ W_K", &s).unwrap_err();
    assert_eq!(
        e.message,
        "cannot multiply X (4×8) by W_K (4×8): inner dimensions 8 and 4 differ"
    );
    assert_eq!(
        e.help.as_deref(),
        Some("W_K is stored output×input (4×8); did you mean `X @ W_K^T`?")
    );
    assert_eq!(e.span, 0..7);
    let e = run("X + W_K^T", &s).unwrap_err();
    assert!(
        e.message.contains("X (4×8) and W_K^T (8×4)"),
        "{}",
        e.message
    );
    let e = run("X[dog, 1]", &s).unwrap_err();
    assert_eq!(e.message, "X has no row `dog`");
    assert_eq!(e.span, 2..5);
}

#[test]
fn unknown_names_and_non_finite_results_are_errors() {
    let s = qkv();
    let e = run("X @ W_Q^T", &s).unwrap_err();
    assert_eq!(e.unknown_name.as_deref(), Some("W_Q"));
    assert_eq!(e.span, 4..7);
    let e = run("X / 0", &s).unwrap_err();
    assert!(e.message.contains("not a finite number"), "{}", e.message);
    assert_eq!(e.span, 0..5);
    assert!(run("sqrt(0 - 1)", &s).is_err());
}

#[test]
fn syntax_errors_are_located() {
    let cases = [
        ("(X @ W", "unclosed `(`", 0),
        ("X @", "ends where a value was expected", 3),
        ("X @ @ W", "expected a value, found `@`", 4),
        ("X W", "expected an operator, found `W`", 2),
        ("X)", "unmatched `)`", 1),
        ("X^2", "`^` must be followed by `T`", 2),
        ("softmaks(X)", "unknown function `softmaks`", 0),
        ("X $ W", "unexpected character `$`", 2),
        ("", "the expression is empty", 0),
        ("1e400", "too large", 0),
    ];
    for (src, msg, at) in cases {
        let e = parse(src).unwrap_err();
        assert!(e.message.contains(msg), "{src}: {}", e.message);
        assert_eq!(e.span.start, at, "{src}");
    }
    assert_eq!(
        parse("softmaks(X)").unwrap_err().help.as_deref(),
        Some("did you mean `softmax`?")
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}X{}", "(".repeat(50_000), ")".repeat(50_000));
    let e = parse(&deep).unwrap_err();
    assert!(e.message.contains("more than"), "{}", e.message);
    let deep = format!("{}X{}", "(".repeat(100), ")".repeat(100));
    assert!(
        parse_with_depth(&deep, 64)
            .unwrap_err()
            .message
            .contains("nests deeper than 64")
    );
    assert!(parse_with_depth(&deep, 200).is_ok());
    let minus = format!("{}X", "-".repeat(1000));
    assert!(parse(&minus).is_err());
    // Long flat chains make deep trees too: they are bounded by the number of operations.
    for chain in [
        "1 + ".repeat(2000) + "1",
        "X".to_string() + &"^T".repeat(2000),
        "X @ ".repeat(1000) + "X",
    ] {
        let e = parse(&chain).unwrap_err();
        assert!(
            e.message.contains("more than 256 operations"),
            "{}",
            e.message
        );
    }
    assert!(parse(&("1 + ".repeat(200) + "1")).is_ok());
}

fn naive_matmul(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    let (n, k) = a.dim();
    let m = b.dim().1;
    let mut out = Array2::zeros((n, m));
    for i in 0..n {
        for j in 0..m {
            let mut s = 0.0;
            for t in 0..k {
                s += a[[i, t]] * b[[t, j]];
            }
            out[[i, j]] = s;
        }
    }
    out
}

fn matrix(rows: usize, cols: usize) -> impl Strategy<Value = Array2<f64>> {
    proptest::collection::vec(-10.0f64..10.0, rows * cols)
        .prop_map(move |v| Array2::from_shape_vec((rows, cols), v).unwrap())
}

fn close(a: &Array2<f64>, b: &Array2<f64>, tol: f64) -> bool {
    a.dim() == b.dim()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= tol * (1.0 + y.abs()))
}

proptest! {
    #[test]
    fn product_and_transpose_agree_with_loops(
        (a, w) in (1usize..7, 1usize..7, 1usize..7)
            .prop_flat_map(|(n, k, m)| (matrix(n, k), matrix(m, k)))
    ) {
        let s = scope(&[("A", Matrix::new(a.clone())), ("W", Matrix::new(w.clone()))]);
        let got = mat("A @ W^T", &s);
        let mut wt = Array2::zeros((w.ncols(), w.nrows()));
        for i in 0..w.nrows() {
            for j in 0..w.ncols() {
                wt[[j, i]] = w[[i, j]];
            }
        }
        prop_assert!(close(&got.data, &naive_matmul(&a, &wt), 1e-12));
        let t = mat("A^T", &s);
        for i in 0..a.nrows() {
            for j in 0..a.ncols() {
                prop_assert_eq!(t.data[[j, i]], a[[i, j]]);
            }
        }
    }

    #[test]
    fn softmax_agrees_with_the_definition(a in (1usize..6, 1usize..6).prop_flat_map(|(r, c)| matrix(r, c))) {
        let s = scope(&[("A", Matrix::new(a.clone()))]);
        let got = mat("softmax(A)", &s);
        for i in 0..a.nrows() {
            let denom: f64 = a.row(i).iter().map(|v| v.exp()).sum();
            let mut row_sum = 0.0;
            for j in 0..a.ncols() {
                let want = a[[i, j]].exp() / denom;
                prop_assert!((got.data[[i, j]] - want).abs() <= 1e-12, "{} vs {}", got.data[[i, j]], want);
                row_sum += got.data[[i, j]];
            }
            prop_assert!((row_sum - 1.0).abs() < 1e-12);
        }
    }
}

/// `explains` says yes exactly where `explain` gives each cell a derivation, for every kind of top
/// operation (those without a derivation included).
#[test]
fn explains_agrees_with_explain() {
    use super::explain::{explain, explains};
    let s = qkv();
    let mut with_derivations = 0;
    for src in [
        "X @ W^T",
        "(X @ W^T) / 2",
        "X * 2",
        "2 * X",
        "X + X",
        "X - X * 3",
        "softmax(X)",
        "softmax(X @ W^T)",
        "X",
        "X^T",
        "-X",
        "sqrt(X)",
        "X[cat, 2] * X",
    ] {
        let e = parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
        let m = mat(src, &s);
        let told = explain("R", (&e, src), &m, 3, &s).is_some();
        assert_eq!(explains(&e, src, &s), told, "{src}");
        with_derivations += usize::from(told);
    }
    assert_eq!(with_derivations, 11);
}

// ---- The language of issue 14: slices, stacks, broadcasting, functions, reductions, masks ----

/// Derivations of composite expressions open down to the numbers (texts checked by hand).
#[test]
fn composite_derivations_open_down_to_the_numbers() {
    use super::explain::{explain, explains};
    let s = scope(&[
        ("Q", Matrix::new(array![[1., -2.], [3., 1.]])),
        ("K", Matrix::new(array![[0.5, 1.], [2., 0.25]])),
        ("M", Matrix::new(array![[1., f64::NEG_INFINITY], [0.5, 2.]])),
        ("X", Matrix::new(array![[1., 2., 3., 6.]])),
        ("g", Matrix::new(array![[2., 1., 1., 1.]])),
        ("b", Matrix::new(array![[0.5, 0., 0., 0.]])),
        ("V", Matrix::new(array![[1., -1.]])),
        ("W", Matrix::new(array![[2., 1.]])),
        ("c", Matrix::new(array![[-0.5]])),
    ]);
    let derivation = |name: &str, src: &str, i: usize, j: usize| {
        let e = parse(src).unwrap();
        let m = mat(src, &s);
        let cells = explain(name, (&e, src), &m, 3, &s).unwrap_or_else(|| panic!("{src}"));
        assert!(explains(&e, src, &s), "{src}");
        cells[i][j].text.clone()
    };
    // The scaled dot product: the terms, their sum, then the division. 1·0.5 + (−2)·1 = −1.5,
    // and −1.5 / √2 = −1.0607.
    assert_eq!(
        derivation("S", "Q @ K^T / sqrt(cols(K))", 0, 0),
        "S[1, 1] = (Σₖ Q[1, k]·K[1, k]) / sqrt(cols(K)) = (1.000·0.500 + (−2.000)·1.000) / 1.414 = (−1.500) / 1.414 = −1.061"
    );
    // A masked score says what masks it; the others open as above (3·2 + 1·0.25 = 6.25).
    assert_eq!(
        derivation("S", "Q @ K^T + causal_mask(2)", 0, 1),
        "S[1, 2] = −∞: masked, causal_mask(2)[1, 2] is −∞"
    );
    assert_eq!(
        derivation("S", "Q @ K^T + causal_mask(2)", 1, 1),
        "S[2, 2] = (Σₖ Q[2, k]·K[2, k]) + causal_mask(2)[2, 2] = (3.000·2.000 + 1.000·0.250) + 0.000 = 6.250 + 0.000 = 6.250"
    );
    // The softmax of a masked row: the masked entry is 0, the others share the row.
    // e^(0.5 − 2) = 0.2231, / (0.2231 + 1) = 0.1824.
    assert_eq!(
        derivation("P", "softmax(M)", 0, 1),
        "P[1, 2] = 0: masked, M[1, 2] is −∞"
    );
    assert_eq!(
        derivation("P", "softmax(M)", 0, 0),
        "P[1, 1] = e^(M[1, 1] − max) / Σ e^(row − max) = e^0.000 / (e^0.000 + 0) = 1.000 / 1.000 = 1.000"
    );
    assert_eq!(
        derivation("P", "softmax(M)", 1, 0),
        "P[2, 1] = e^(M[2, 1] − max) / Σ e^(row − max) = e^(−1.500) / (e^(−1.500) + e^0.000) = 0.223 / 1.223 = 0.182"
    );
    // Layer norm of one row: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5;
    // (1 − 3) / √3.50001 · 2 + 0.5 = −1.638.
    assert_eq!(
        derivation("L", "layernorm(X, g, b)", 0, 0),
        "L[1, 1] = (X[1, 1] − mean(X[1, :])) / √(var(X[1, :]) + ε) · g[1, 1] + b[1, 1] = (1.000 − 3.000) / √(3.500 + 0.00001) · 2.000 + 0.500 = −1.638"
    );
    // A bias broadcast over a product, under an activation: 1·2 + (−1)·1 − 0.5 = 0.5.
    assert_eq!(
        derivation("H", "relu(V @ W^T + c)", 0, 0),
        "H[1, 1] = relu((Σₖ V[1, k]·W[1, k]) + c[1, 1]) = relu((1.000·2.000 + (−1.000)·1.000) + (−0.500)) = relu(0.500) = 0.500"
    );
    // GELU of −2: −2·Φ(−2) = −2·0.02275 = −0.0455.
    assert_eq!(
        derivation("G", "gelu(Q)", 0, 1),
        "G[1, 2] = gelu(Q[1, 2]) = gelu(−2.000) = −0.046"
    );
    // A stacked product says where the entry comes from, then opens.
    assert_eq!(
        derivation("O", "vstack(V @ W^T, c)", 0, 0),
        "O[1, 1] = (V @ W^T)[1, 1], from operand 1 of vstack = Σₖ V[1, k]·W[1, k] = 1.000·2.000 + (−1.000)·1.000 = 1.000"
    );
    assert_eq!(
        derivation("O", "vstack(V @ W^T, c)", 1, 0),
        "O[2, 1] = c[1, 1], from operand 2 of vstack = −0.500"
    );
    // Negation and powers of a difference; numbers typed in the expression stay as typed.
    assert_eq!(
        derivation("D", "-(Q - 1) ** 2", 0, 1),
        "D[1, 2] = −((Q[1, 2] − 1) ** 2) = −(((−2.000) − 1) ** 2) = −9.000"
    );
}

fn err_of(src: &str, s: &Names) -> EvalError {
    match run(src, s) {
        Err(e) => e,
        Ok(v) => panic!("{src}: expected an error, got {v:?}"),
    }
}

fn num(src: &str, s: &Names) -> f64 {
    match run(src, s) {
        Ok(Value::Scalar(v)) => v,
        other => panic!("{src}: {other:?}"),
    }
}

/// A 3×4 matrix with labelled rows (`a`, `b`, `c`) and columns (`q1`…`q4`).
fn grid() -> Names {
    scope(&[
        (
            "G",
            labelled(
                array![[1., 2., 3., 4.], [5., 6., 7., 8.], [9., 10., 11., 12.]],
                &["a", "b", "c"],
                &["q1", "q2", "q3", "q4"],
            ),
        ),
        ("row", labelled(array![[10., 20., 30., 40.]], &[], &[])),
        ("col", labelled(array![[1.], [2.], [3.]], &[], &[])),
        ("one", labelled(array![[2.]], &[], &[])),
        ("N", labelled(array![[1., 2.], [3., 4.]], &[], &[])),
        (
            "D",
            labelled(array![[1., 2.], [3., 4.]], &["h", "h"], &["x", "x"]),
        ),
    ])
}

#[test]
fn power_binds_tighter_than_unary_minus_and_is_right_associative() {
    let s = grid();
    assert_eq!(num("-2 ** 2", &s), -4.0);
    assert_eq!(num("(-2) ** 2", &s), 4.0);
    assert_eq!(num("2 ** -1", &s), 0.5);
    assert_eq!(num("2 ** 3 ** 2", &s), 512.0);
    assert_eq!(num("2 * 3 ** 2", &s), 18.0);
    assert_eq!(num("-G[a, q2] ** 2", &s), -4.0);
    // `^T` binds tighter than `**`.
    let e = parse("N^T ** 2").unwrap();
    let ExprKind::Binary(BinOp::Pow, base, _) = e.kind else {
        panic!("{e:?}")
    };
    assert!(matches!(base.kind, ExprKind::Transpose(_)));
    let e = parse("-N ** 2").unwrap();
    let ExprKind::Neg(inner) = e.kind else {
        panic!("{e:?}")
    };
    assert!(matches!(inner.kind, ExprKind::Binary(BinOp::Pow, _, _)));
    assert_eq!(mat("N ** 2", &s).data, array![[1., 4.], [9., 16.]]);
    assert_eq!(mat("N ** one", &s).data, array![[1., 4.], [9., 16.]]);
    let e = err_of("N ** N", &s);
    assert!(
        e.message.contains("exponent `N` of `**` is a 2×2 matrix"),
        "{}",
        e.message
    );
    assert_eq!(e.span, 5..6);
}

#[test]
fn every_new_form_parses() {
    use crate::parse::expr::Sel;
    for src in [
        "Q[:, q1:q4]",
        "X[2:3, :]",
        "W_Q[q1:q4, :]",
        "A[\"The\":\"cat\", 1]",
        "hstack(A, B, C)",
        "vstack(A)",
        "layernorm(X, g, b)",
        "layernorm(X, g, b, 1e-6)",
        "ones(2, 3) + zeros(rows(X), 1) + eye(2)[1, :] * causal_mask(2)[:, 1]",
        "exp(log(sqrt(abs(tanh(sigmoid(relu(gelu(sin(cos(X))))))))))",
        "sum(X) + mean(X) - var(X) * max(X) / min(X)",
        "X ** 2",
    ] {
        parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    }
    let e = parse("Q[:, q1:q4]").unwrap();
    let ExprKind::Slice(_, sels) = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(sels.0, Sel::All);
    let Sel::Range((from, fs), (to, ts)) = &sels.1 else {
        panic!("{sels:?}")
    };
    assert_eq!((from.as_str(), to.as_str()), ("q1", "q4"));
    assert_eq!((fs.clone(), ts.clone()), (5..7, 8..10));
    // One label on both sides is still a number.
    assert!(matches!(
        parse("Q[cat, 2]").unwrap().kind,
        ExprKind::Index(..)
    ));
    assert!(matches!(
        parse("Q[cat:cat, 2]").unwrap().kind,
        ExprKind::Slice(..)
    ));
}

#[test]
fn new_syntax_errors_are_located() {
    let cases = [
        ("ones(2)", "`ones` takes 2 arguments, found 1", 0),
        ("eye(2, 3)", "`eye` takes one argument, found 2", 0),
        (
            "layernorm(X, g)",
            "`layernorm` takes 3 to 4 arguments, found 2",
            0,
        ),
        ("X[1:, 2]", "expected a row label or number, found `,`", 4),
        ("X[:3, 2]", "a range needs both ends", 3),
        (
            "X[1, 2:]",
            "expected a column label or number, found `]`",
            7,
        ),
        ("X[1 2]", "expected a `,`", 4),
        ("X ** ", "ends where a value was expected", 5),
        ("X *** 2", "expected a value, found `*`", 4),
        ("hstak(A, B)", "unknown function `hstak`", 0),
    ];
    for (src, msg, at) in cases {
        let e = parse(src).unwrap_err();
        assert!(e.message.contains(msg), "{src}: {}", e.message);
        assert_eq!(e.span.start, at, "{src}");
    }
    assert_eq!(
        parse("hstak(A, B)").unwrap_err().help.as_deref(),
        Some("did you mean `hstack`?")
    );
    assert_eq!(
        parse("X^2").unwrap_err().help.as_deref(),
        Some("write `A^T` to transpose, and `A ** 2` for powers")
    );
}

#[test]
fn slices_keep_the_selected_labels() {
    let s = grid();
    let m = mat("G[:, q2:q3]", &s);
    assert_eq!(m.data, array![[2., 3.], [6., 7.], [10., 11.]]);
    assert_eq!(m.rows, Some(vec!["a".into(), "b".into(), "c".into()]));
    assert_eq!(m.cols, Some(vec!["q2".into(), "q3".into()]));
    let m = mat("G[2:3, :]", &s);
    assert_eq!(m.data, array![[5., 6., 7., 8.], [9., 10., 11., 12.]]);
    assert_eq!(m.rows, Some(vec!["b".into(), "c".into()]));
    let m = mat("G[b, q1:2]", &s);
    assert_eq!(m.data, array![[5., 6.]]);
    assert_eq!(m.rows, Some(vec!["b".into()]));
    assert_eq!(num("G[c, q4]", &s), 12.0);
    assert_eq!(num("G[:, q2:q3][c, 2]", &s), 11.0);
    // An unlabelled matrix keeps the numbers of what was picked, and all of an axis stays plain.
    let m = mat("N[2:2, :]", &s);
    assert_eq!(m.rows, Some(vec!["2".into()]));
    assert_eq!(m.cols, None);
    let e = err_of("G[c:a, :]", &s);
    assert!(e.message.contains("runs backwards"), "{}", e.message);
    assert_eq!(e.span, 2..5);
    let e = err_of("G[:, q1:q9]", &s);
    assert_eq!(e.message, "G has no column `q9`");
    assert_eq!(e.span, 8..10);
}

#[test]
fn stacks_follow_their_operands_and_refuse_repeated_labels_as_keys() {
    let s = grid();
    let m = mat("hstack(G[:, q3:q4], G[:, q1:q2])", &s);
    assert_eq!(
        m.data,
        array![[3., 4., 1., 2.], [7., 8., 5., 6.], [11., 12., 9., 10.]]
    );
    assert_eq!(
        m.cols,
        Some(vec!["q3".into(), "q4".into(), "q1".into(), "q2".into()])
    );
    assert_eq!(m.rows, Some(vec!["a".into(), "b".into(), "c".into()]));
    let m = mat("vstack(G[a, :], row)", &s);
    assert_eq!(m.data, array![[1., 2., 3., 4.], [10., 20., 30., 40.]]);
    assert_eq!(m.rows, Some(vec!["a".into(), "1".into()]));
    let m = mat("hstack(G, G)", &s);
    assert_eq!(m.shape(), (3, 8));
    let e = err_of("hstack(G, G)[a, q1]", &s);
    assert!(
        e.message.contains("2 columns labelled `q1`"),
        "{}",
        e.message
    );
    assert!(e.help.as_deref().unwrap().contains("`cols:`"));
    let e = err_of("D[h, 1]", &s);
    assert!(e.message.contains("2 rows labelled `h`"), "{}", e.message);
    assert_eq!(num("D[2, 1]", &s), 3.0);
    let e = err_of("hstack(G, N)", &s);
    assert!(
        e.message
            .contains("same number of rows: G is 3×4, but N is 2×2"),
        "{}",
        e.message
    );
    assert_eq!(e.span, 10..11);
    let e = err_of("vstack(G, N)", &s);
    assert!(
        e.message.contains("same number of columns"),
        "{}",
        e.message
    );
}

#[test]
fn broadcasting_follows_numpy_and_names_both_shapes_when_it_cannot() {
    let s = grid();
    assert_eq!(
        mat("G + row", &s).data,
        array![
            [11., 22., 33., 44.],
            [15., 26., 37., 48.],
            [19., 30., 41., 52.]
        ]
    );
    assert_eq!(
        mat("G * col", &s).data,
        array![[1., 2., 3., 4.], [10., 12., 14., 16.], [27., 30., 33., 36.]]
    );
    assert_eq!(mat("one - G", &s).data[[2, 3]], -10.0);
    let m = mat("row + G", &s);
    assert_eq!(m.rows, Some(vec!["a".into(), "b".into(), "c".into()]));
    assert_eq!(
        m.cols,
        Some(vec!["q1".into(), "q2".into(), "q3".into(), "q4".into()])
    );
    assert_eq!(mat("col + row", &s).shape(), (3, 4));
    let e = err_of("G + N", &s);
    assert_eq!(
        e.message,
        "cannot apply `+` to G (3×4) and N (2×2): entry-by-entry operations need the same shape, or a 1×n row, an m×1 column or a 1×1 matrix on one side"
    );
    assert!(e.help.as_deref().unwrap().contains("3×4, 1×4, 3×1 or 1×1"));
    assert_eq!(e.span, 0..5);
}

#[test]
fn functions_reductions_and_constructors() {
    let s = grid();
    assert_eq!(mat("relu(N - 2)", &s).data, array![[0., 0.], [1., 2.]]);
    assert_eq!(mat("abs(2 - N)", &s).data, array![[1., 0.], [1., 2.]]);
    assert_eq!(num("exp(0) + log(1) + sin(0) + cos(0) + tanh(0)", &s), 2.0);
    assert_eq!(num("sigmoid(0)", &s), 0.5);
    // torch.nn.GELU()(torch.tensor(1.0)) = 0.8413447460685429; Φ(1) from the normal table.
    assert!((num("gelu(1)", &s) - 0.841_344_746_068_542_9).abs() < 1e-15);
    assert_eq!(num("gelu(0)", &s), 0.0);
    let m = mat("sum(G)", &s);
    assert_eq!(m.data, array![[10.], [26.], [42.]]);
    assert_eq!(m.cols, Some(vec!["sum".into()]));
    assert_eq!(m.rows, Some(vec!["a".into(), "b".into(), "c".into()]));
    assert_eq!(mat("mean(G)", &s).data, array![[2.5], [6.5], [10.5]]);
    assert_eq!(mat("var(G)", &s).data, array![[1.25], [1.25], [1.25]]);
    assert_eq!(mat("max(G) - min(G)", &s).data, array![[3.], [3.], [3.]]);
    assert_eq!(num("sum(G)[b, 1]", &s), 26.0);
    // A 1×1 result is a number where one is needed.
    assert_eq!(mat("ones(sum(one), 1)", &s).data, array![[1.], [1.]]);
    assert_eq!(mat("zeros(1, 2)", &s).data, array![[0., 0.]]);
    assert_eq!(mat("eye(2)", &s).data, array![[1., 0.], [0., 1.]]);
    assert_eq!(
        mat("causal_mask(3)", &s).data,
        array![
            [0., f64::NEG_INFINITY, f64::NEG_INFINITY],
            [0., 0., f64::NEG_INFINITY],
            [0., 0., 0.]
        ]
    );
    let e = err_of("ones(2, 0.5)", &s);
    assert!(
        e.message.contains("whole number of at least 1"),
        "{}",
        e.message
    );
    assert_eq!(e.span, 8..11);
    let e = err_of("eye(N)", &s);
    assert!(e.message.contains("a 2×2 matrix"), "{}", e.message);
    let e = err_of("sum(2)", &s);
    assert!(
        e.message.contains("`2` is a number, not a matrix"),
        "{}",
        e.message
    );
    assert!(run("sqrt(0 - 1)", &s).is_err());
    assert!(run("log(0)", &s).is_err());
}

#[test]
fn layernorm_normalises_each_row_then_scales_and_shifts() {
    let s = scope(&[
        ("X", Matrix::new(array![[1., 2., 3.], [2., 2., 2.]])),
        ("g", Matrix::new(array![[1., 2., 0.5]])),
        ("b", Matrix::new(array![[0., 1., -1.]])),
    ]);
    let m = mat("layernorm(X[1:1, :], g, b, 0)", &s);
    // Row 1: mean 2, variance 2/3, so (x − 2)/sqrt(2/3) = −1.2247…, 0, 1.2247…
    let z = 1.0 / (2.0f64 / 3.0).sqrt();
    assert!((m.data[[0, 0]] + z).abs() < 1e-12);
    assert!((m.data[[0, 1]] - 1.0).abs() < 1e-12);
    assert!((m.data[[0, 2]] - (0.5 * z - 1.0)).abs() < 1e-12);
    // A constant row with the default ε is 0, then shifted.
    let m = mat("layernorm(X, g, b)", &s);
    assert_eq!(m.data.row(1).to_vec(), vec![0., 1., -1.]);
    let e = err_of("layernorm(X, X, b)", &s);
    assert!(
        e.message.contains("gamma of `layernorm` must be a 1×3 row"),
        "{}",
        e.message
    );
    assert_eq!(e.span, 13..14);
    // ε = 0 on a constant row is 0/0.
    assert!(
        err_of("layernorm(X, g, b, 0)[2, 1] + 0", &s)
            .message
            .contains("not a finite")
    );
}

#[test]
fn infinities_pass_through_adds_slices_and_stacks_and_softmax_zeroes_them() {
    let ninf = f64::NEG_INFINITY;
    let s = scope(&[
        (
            "S",
            Matrix::new(array![[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]]),
        ),
        ("M", Matrix::new(array![[0., ninf], [0., 0.]])),
        ("Dead", Matrix::new(array![[ninf, ninf], [0., 0.]])),
        ("Up", Matrix::new(array![[f64::INFINITY, 0.]])),
    ]);
    let p = mat("softmax(S + causal_mask(3))", &s);
    assert_eq!(p.data[[0, 0]], 1.0);
    assert_eq!(p.data[[0, 1]], 0.0);
    assert_eq!(p.data[[0, 2]], 0.0);
    assert!((p.data[[1, 0]] - 1.0 / (1.0 + 1f64.exp())).abs() < 1e-15);
    let m = mat("hstack(M, M)[:, 2:3] - 1", &s);
    assert_eq!(m.data, array![[ninf, -1.], [-1., -1.]]);
    assert_eq!(num("M[1, 2]", &s), ninf);
    assert_eq!(mat("-M^T", &s).data[[1, 0]], f64::INFINITY);
    for (src, what, at) in [
        (
            "S[1:2, 1:2] * M",
            "`*` cannot take `M`: it holds −∞",
            14..15,
        ),
        ("exp(M)", "`exp` cannot take `M`", 4..5),
        ("M @ M", "`@` cannot take `M`", 0..1),
        (
            "sum(causal_mask(2))",
            "`sum` cannot take `causal_mask(2)`",
            4..18,
        ),
        (
            "softmax(Up)",
            "`softmax` cannot take `Up`: it holds ∞",
            8..10,
        ),
        ("softmax(Dead)", "row `1` of `Dead` is −∞ throughout", 8..12),
        ("M + -M", "not a finite number", 0..6),
        (
            "layernorm(M, M[1, :], M[2, :])",
            "`layernorm` cannot take `M`",
            10..11,
        ),
    ] {
        let e = err_of(src, &s);
        assert!(e.message.contains(what), "{src}: {}", e.message);
        assert_eq!(e.span, at, "{src}");
    }
    // An overflow is still an error where no infinity was typed.
    assert!(
        err_of("S * 1e308 + S * 1e308", &s)
            .message
            .contains("not a finite")
    );
}

#[test]
fn work_and_size_limits_cover_the_new_operations() {
    struct Tight(Names, std::cell::Cell<u64>);
    impl Scope for Tight {
        fn lookup(&self, name: &str) -> Option<&Matrix> {
            self.0.lookup(name)
        }
        fn max_cells(&self) -> usize {
            100
        }
        fn spend(&self, work: u64) -> bool {
            let left = self.1.get();
            self.1.set(left.saturating_sub(work));
            work <= left
        }
    }
    let s = Tight(grid(), std::cell::Cell::new(1000));
    for (src, what) in [
        ("ones(1000000000, 1000000000)", "more than the limit of 100"),
        ("eye(11)", "more than the limit of 100"),
        ("causal_mask(1e300)", "more than the limit of 100"),
        (
            "hstack(G, G, G, G, G, G, G, G, G)",
            "more than the limit of 100",
        ),
        (
            "vstack(row, row, row, row, row, row, row, row, row, row, row, row, row, row, row, row, row, row, row, row, row, row, row, row, row, row)",
            "more than the limit of 100",
        ),
        (
            "G[:, 1] + hstack(row, row, row, row, row, row, row, row, row)",
            "G[:, 1] + hstack(row, row, row, row, row, row, row, row, row) would have 3×36 = 108 cells",
        ),
        (&"sin(".repeat(60).chain_close(), "limits.expression_work"),
    ] {
        s.1.set(500);
        let e = parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
        let got = eval(&e, src, &s);
        let Err(got) = got else {
            panic!("{src}: expected an error")
        };
        assert!(got.message.contains(what), "{src}: {}", got.message);
    }
}

trait ChainClose {
    fn chain_close(self) -> String;
}

impl ChainClose for String {
    /// `exp(exp(…(G)…))`, closing as many calls as were opened.
    fn chain_close(self) -> String {
        let n = self.matches('(').count();
        format!("{self}G{}", ")".repeat(n))
    }
}

#[test]
fn new_operations_explain_their_cells_truthfully() {
    use super::explain::{explain, explains};
    let s = grid();
    let derivation = |src: &str| {
        let e = parse(src).unwrap();
        let m = mat(src, &s);
        assert_eq!(
            explains(&e, src, &s),
            explain("R", (&e, src), &m, 3, &s).is_some(),
            "{src}"
        );
        explain("R", (&e, src), &m, 3, &s)
    };
    let cells = derivation("G[:, q2:q3]").unwrap();
    assert_eq!(cells[2][1].text, "R[c, q3] = G[c, q3] = 11.000");
    assert_eq!(cells[2][1].reads.len(), 2);
    assert_eq!(cells[2][1].reads[1].index, 2);
    let cells = derivation("G + row").unwrap();
    assert_eq!(
        cells[2][3].text,
        "R[c, q4] = G[c, q4] + row[1, 4] = 12.000 + 40.000 = 52.000"
    );
    let cells = derivation("G ** 2").unwrap();
    assert_eq!(
        cells[0][1].text,
        "R[a, q2] = G[a, q2] ** 2 = 2.000 ** 2 = 4.000"
    );
    let masked = scope(&[("S", Matrix::new(array![[1., 2.], [3., 4.]]))]);
    let src = "softmax(S + causal_mask(2))";
    let e = parse(src).unwrap();
    let m = mat(src, &masked);
    let cells = explain("P", (&e, src), &m, 3, &masked).unwrap();
    assert_eq!(
        cells[0][1].text,
        "P[1, 2] = 0: masked, (S + causal_mask(2))[1, 2] is −∞"
    );
    assert!(
        cells[0][0].text.contains("e^0.000 / (e^0.000 + 0)"),
        "{}",
        cells[0][0].text
    );
    let src = "S + causal_mask(2)";
    let e = parse(src).unwrap();
    let m = mat(src, &masked);
    let cells = explain("P", (&e, src), &m, 3, &masked).unwrap();
    assert_eq!(
        cells[0][1].text,
        "P[1, 2] = −∞: masked, causal_mask(2)[1, 2] is −∞"
    );
    let cells = derivation("hstack(G[:, q3:q4], col)").unwrap();
    assert_eq!(
        cells[1][2].text,
        "R[b, 1] = col[2, 1], from operand 2 of hstack = 2.000"
    );
    assert_eq!(
        cells[1][0].text,
        "R[b, q3] = G[b, q3], from operand 1 of hstack = 7.000"
    );
    // …and its reads light that row and column of G.
    assert_eq!(
        cells[1][0]
            .reads
            .iter()
            .map(|r| (r.matrix.as_str(), r.row, r.index))
            .collect::<Vec<_>>(),
        [("G", true, 1), ("G", false, 2)]
    );
    let cells = derivation("vstack(row, G)").unwrap();
    assert_eq!(
        cells[3][0].text,
        "R[c, q1] = G[c, q1], from operand 2 of vstack = 9.000"
    );
    assert_eq!(cells[3][0].reads[0].index, 2);
    let cells = derivation("sum(G)").unwrap();
    assert_eq!(
        cells[1][0].text,
        "R[b, sum] = the sum of G[b, :] = 5.000 + 6.000 + 7.000 + 8.000 = 26.000"
    );
    let cells = derivation("mean(G)").unwrap();
    assert_eq!(
        cells[0][0].text,
        "R[a, mean] = the mean of G[a, :] = (1.000 + 2.000 + 3.000 + 4.000) / 4 = 2.500"
    );
    let cells = derivation("max(G - 10)").unwrap();
    assert_eq!(
        cells[0][0].text,
        "R[a, max] = the largest of row a of G - 10 = max(−9.000, −8.000, −7.000, −6.000) = −6.000"
    );
    let cells = derivation("relu(G - 2)").unwrap();
    assert_eq!(
        cells[0][0].text,
        "R[a, q1] = relu(G[a, q1] − 2) = relu(1.000 − 2) = relu(−1.000) = 0.000"
    );
    let cells = derivation("layernorm(G, row, row, 0)").unwrap();
    assert_eq!(
        cells[0][0].text,
        "R[a, q1] = (G[a, q1] − mean(G[a, :])) / √(var(G[a, :]) + ε) · row[1, 1] + row[1, 1] = (1.000 − 2.500) / √(1.250 + 0) · 10.000 + 10.000 = −3.416"
    );
    for src in ["causal_mask(3)", "ones(2, 2)"] {
        assert!(derivation(src).is_none(), "{src}");
    }
}

type Op1 = fn(f64) -> f64;
type Op2 = fn(f64, f64) -> f64;

fn labels(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

fn with_labels(data: Array2<f64>, labelled_rows: bool, labelled_cols: bool) -> Matrix {
    let (r, c) = data.dim();
    Matrix {
        data,
        rows: labelled_rows.then(|| labels("r", r)),
        cols: labelled_cols.then(|| labels("c", c)),
    }
}

/// A naive entry-by-entry combination with NumPy broadcasting, by index arithmetic.
fn naive_broadcast(a: &Array2<f64>, b: &Array2<f64>, f: fn(f64, f64) -> f64) -> Array2<f64> {
    let r = a.nrows().max(b.nrows());
    let c = a.ncols().max(b.ncols());
    let mut out = Array2::zeros((r, c));
    for i in 0..r {
        for j in 0..c {
            let ai = if a.nrows() == 1 { 0 } else { i };
            let aj = if a.ncols() == 1 { 0 } else { j };
            let bi = if b.nrows() == 1 { 0 } else { i };
            let bj = if b.ncols() == 1 { 0 } else { j };
            out[[i, j]] = f(a[[ai, aj]], b[[bi, bj]]);
        }
    }
    out
}

proptest! {
    #[test]
    fn broadcasting_agrees_with_loops(
        (a, b) in (1usize..6, 1usize..6, 0usize..4).prop_flat_map(|(r, c, kind)| {
            let (br, bc) = [(r, c), (1, c), (r, 1), (1, 1)][kind];
            (matrix(r, c), proptest::collection::vec(0.5f64..10.0, br * bc)
                .prop_map(move |v| Array2::from_shape_vec((br, bc), v).unwrap()))
        }),
        op in 0usize..4,
        swap in any::<bool>(),
        lr in any::<bool>(),
        lc in any::<bool>(),
    ) {
        let ops: [(&str, Op2); 4] =
            [("+", |x, y| x + y), ("-", |x, y| x - y), ("*", |x, y| x * y), ("/", |x, y| x / y)];
        let (sym, f) = ops[op];
        let s = scope(&[("A", with_labels(a.clone(), lr, lc)), ("B", Matrix::new(b.clone()))]);
        let (src, want) = if swap && op != 3 {
            (format!("B {sym} A"), naive_broadcast(&b, &a, f))
        } else {
            (format!("A {sym} B"), naive_broadcast(&a, &b, f))
        };
        let got = mat(&src, &s);
        prop_assert!(close(&got.data, &want, 1e-12), "{}", src);
        // A's labels survive whichever side it is on: it has the full shape.
        prop_assert_eq!(got.rows, lr.then(|| labels("r", a.nrows())));
        prop_assert_eq!(got.cols, lc.then(|| labels("c", a.ncols())));
    }

    #[test]
    fn slices_agree_with_loops(
        a in (1usize..7, 1usize..7).prop_flat_map(|(r, c)| matrix(r, c)),
        picks in (any::<proptest::sample::Index>(), any::<proptest::sample::Index>(),
                  any::<proptest::sample::Index>(), any::<proptest::sample::Index>()),
        by_label in any::<(bool, bool)>(),
        all_rows in any::<bool>(),
    ) {
        let (r, c) = a.dim();
        let (mut r0, mut r1) = (picks.0.index(r), picks.1.index(r));
        let (mut c0, mut c1) = (picks.2.index(c), picks.3.index(c));
        if r0 > r1 { std::mem::swap(&mut r0, &mut r1); }
        if c0 > c1 { std::mem::swap(&mut c0, &mut c1); }
        if all_rows { r0 = 0; r1 = r - 1; }
        let s = scope(&[("A", with_labels(a.clone(), true, true))]);
        let key = |label: bool, prefix: &str, i: usize| {
            if label { format!("{prefix}{i}") } else { (i + 1).to_string() }
        };
        let rows = if all_rows {
            ":".to_string()
        } else {
            format!("{}:{}", key(by_label.0, "r", r0), key(by_label.0, "r", r1))
        };
        let cols = format!("{}:{}", key(by_label.1, "c", c0), key(by_label.1, "c", c1));
        let src = format!("A[{rows}, {cols}]");
        let got = mat(&src, &s);
        prop_assert_eq!(got.shape(), (r1 - r0 + 1, c1 - c0 + 1));
        for i in r0..=r1 {
            for j in c0..=c1 {
                prop_assert_eq!(got.data[[i - r0, j - c0]], a[[i, j]]);
            }
        }
        prop_assert_eq!(got.rows, Some((r0..=r1).map(|i| format!("r{i}")).collect::<Vec<_>>()));
        prop_assert_eq!(got.cols, Some((c0..=c1).map(|j| format!("c{j}")).collect::<Vec<_>>()));
    }

    #[test]
    fn stacks_agree_with_loops(
        (rows, widths) in (1usize..5, proptest::collection::vec(1usize..4, 1..4)),
        seed in proptest::collection::vec(-10.0f64..10.0, 48),
        vertical in any::<bool>(),
    ) {
        // Parts P0, P1, … of `rows` rows each (or, stacked vertically, their transposes).
        let mut at = 0;
        let mut parts = Vec::new();
        for &w in &widths {
            let data = Array2::from_shape_fn((rows, w), |(i, j)| seed[(at + i * w + j) % seed.len()]);
            at += rows * w;
            parts.push(if vertical { data.t().to_owned() } else { data });
        }
        let named: Vec<(String, Matrix)> = parts.iter().enumerate()
            .map(|(k, p)| (format!("P{k}"), Matrix::new(p.clone()))).collect();
        let s = Names(named.iter().cloned().collect());
        let list: Vec<String> = (0..parts.len()).map(|k| format!("P{k}")).collect();
        let src = format!("{}({})", if vertical { "vstack" } else { "hstack" }, list.join(", "));
        let got = mat(&src, &s);
        let total: usize = widths.iter().sum();
        prop_assert_eq!(got.shape(), if vertical { (total, rows) } else { (rows, total) });
        let mut offset = 0;
        for p in &parts {
            for i in 0..p.nrows() {
                for j in 0..p.ncols() {
                    let v = if vertical { got.data[[offset + i, j]] } else { got.data[[i, offset + j]] };
                    prop_assert_eq!(v, p[[i, j]]);
                }
            }
            offset += if vertical { p.nrows() } else { p.ncols() };
        }
    }

    #[test]
    fn reductions_and_layernorm_agree_with_loops(
        (a, g, b) in (1usize..6, 2usize..7).prop_flat_map(|(r, c)| (matrix(r, c), matrix(1, c), matrix(1, c))),
    ) {
        let s = scope(&[("A", Matrix::new(a.clone())), ("g", Matrix::new(g.clone())), ("b", Matrix::new(b.clone()))]);
        let (sum, mean, var, max, min, ln) = (
            mat("sum(A)", &s), mat("mean(A)", &s), mat("var(A)", &s),
            mat("max(A)", &s), mat("min(A)", &s), mat("layernorm(A, g, b)", &s),
        );
        for i in 0..a.nrows() {
            let n = a.ncols() as f64;
            let mut total = 0.0;
            let (mut hi, mut lo) = (a[[i, 0]], a[[i, 0]]);
            for j in 0..a.ncols() {
                total += a[[i, j]];
                if a[[i, j]] > hi { hi = a[[i, j]]; }
                if a[[i, j]] < lo { lo = a[[i, j]]; }
            }
            let m = total / n;
            let mut sq = 0.0;
            for j in 0..a.ncols() {
                sq += (a[[i, j]] - m) * (a[[i, j]] - m);
            }
            let v = sq / n;
            prop_assert!((sum.data[[i, 0]] - total).abs() < 1e-10);
            prop_assert!((mean.data[[i, 0]] - m).abs() < 1e-10);
            prop_assert!((var.data[[i, 0]] - v).abs() < 1e-9);
            prop_assert_eq!(max.data[[i, 0]], hi);
            prop_assert_eq!(min.data[[i, 0]], lo);
            for j in 0..a.ncols() {
                let want = (a[[i, j]] - m) / (v + 1e-5).sqrt() * g[[0, j]] + b[[0, j]];
                prop_assert!((ln.data[[i, j]] - want).abs() < 1e-9, "{} vs {}", ln.data[[i, j]], want);
            }
        }
    }

    #[test]
    fn functions_and_powers_agree_with_loops(
        a in (1usize..5, 1usize..5).prop_flat_map(|(r, c)| matrix(r, c)),
        p in -3i32..4,
    ) {
        let s = scope(&[("A", Matrix::new(a.clone()))]);
        let cases: [(&str, Op1); 9] = [
            ("exp(A)", |x| x.exp()),
            ("abs(A)", |x| if x < 0.0 { -x } else { x }),
            ("tanh(A)", |x| (x.exp() - (-x).exp()) / (x.exp() + (-x).exp())),
            ("sigmoid(A)", |x| 1.0 / (1.0 + (-x).exp())),
            ("relu(A)", |x| if x > 0.0 { x } else { 0.0 }),
            ("sin(A)", |x| x.sin()),
            ("cos(A)", |x| x.cos()),
            ("log(abs(A) + 1)", |x| (x.abs() + 1.0).ln()),
            ("sqrt(abs(A))", |x| x.abs().sqrt()),
        ];
        for (src, f) in cases {
            let got = mat(src, &s);
            for ((i, j), &x) in a.indexed_iter() {
                prop_assert!((got.data[[i, j]] - f(x)).abs() <= 1e-12 * (1.0 + f(x).abs()), "{}", src);
            }
        }
        // Powers by repeated multiplication; a zero entry to a negative power is refused.
        let src = format!("A ** {p}");
        let pos = a.iter().all(|&x| x != 0.0);
        match run(&src, &s) {
            Ok(Value::Matrix(got)) => {
                for ((i, j), &x) in a.indexed_iter() {
                    let mut want = 1.0;
                    for _ in 0..p.unsigned_abs() {
                        want *= x;
                    }
                    if p < 0 { want = 1.0 / want; }
                    prop_assert!((got.data[[i, j]] - want).abs() <= 1e-12 * (1.0 + want.abs()), "{} {}", x, p);
                }
            }
            other => prop_assert!(!pos || p >= 0, "{:?}", other),
        }
    }

    #[test]
    fn gelu_agrees_with_a_series_for_erf(x in -3.0f64..3.0) {
        // erf(z) = 2/√π Σₙ (−1)ⁿ z^(2n+1) / (n! (2n+1))
        let z = x / 2f64.sqrt();
        let (mut term, mut erf) = (z, 0.0);
        for n in 0..80 {
            erf += term / (2 * n + 1) as f64;
            term *= -z * z / (n + 1) as f64;
        }
        erf *= 2.0 / std::f64::consts::PI.sqrt();
        let want = 0.5 * x * (1.0 + erf);
        let s = scope(&[("A", Matrix::new(array![[x]]))]);
        prop_assert!((mat("gelu(A)", &s).data[[0, 0]] - want).abs() < 1e-12);
    }
}

/// The README's Expressions table documents every function, and each of its examples parses.
#[test]
fn readme_documents_every_form_with_an_example_that_parses() {
    let readme = include_str!("../../README.md");
    let start = readme.find("### Expressions").unwrap();
    let section = &readme[start..start + readme[start..].find("**Labels flow.**").unwrap()];
    for (name, _) in crate::parse::expr::FUNCTIONS {
        assert!(
            section.contains(&format!("`{name}(")),
            "{name} is not documented"
        );
    }
    let mut examples = 0;
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let last = row.trim_end_matches('|').rsplit('|').next().unwrap();
        for code in last.split('`').skip(1).step_by(2) {
            parse(code).unwrap_or_else(|e| panic!("{code}: {e:?}"));
            examples += 1;
        }
    }
    assert!(examples >= 18, "{examples}");
}

/// The tree without its spans, to compare trees parsed from different texts.
fn erased(e: &crate::parse::expr::Expr) -> crate::parse::expr::Expr {
    use crate::parse::expr::{Expr, Sel};
    let key = |k: &(String, std::ops::Range<usize>)| (k.0.clone(), 0..0);
    let sel = |s: &Sel| match s {
        Sel::All => Sel::All,
        Sel::One(k) => Sel::One(key(k)),
        Sel::Range(a, b) => Sel::Range(key(a), key(b)),
    };
    let b = |x: &Expr| Box::new(erased(x));
    let kind = match &e.kind {
        ExprKind::Num(n) => ExprKind::Num(*n),
        ExprKind::Name(n) => ExprKind::Name(n.clone()),
        ExprKind::Neg(x) => ExprKind::Neg(b(x)),
        ExprKind::Transpose(x) => ExprKind::Transpose(b(x)),
        ExprKind::Index(x, r, c) => ExprKind::Index(b(x), key(r), key(c)),
        ExprKind::Slice(x, s) => ExprKind::Slice(b(x), Box::new((sel(&s.0), sel(&s.1)))),
        ExprKind::Binary(op, x, y) => ExprKind::Binary(*op, b(x), b(y)),
        ExprKind::Call(f, args) => ExprKind::Call(*f, args.iter().map(erased).collect()),
    };
    Expr { kind, span: 0..0 }
}

#[test]
fn unparse_reads_back_as_the_same_tree() {
    use crate::parse::expr::unparse;
    for src in [
        "X @ W_Q^T",
        "softmax(Q @ K^T / sqrt(cols(K)) + causal_mask(4))",
        "-2 ** 2",
        "(-2) ** 2",
        "2 ** -1",
        "2 ** 3 ** 2",
        "(2 ** 3) ** 2",
        "a - (b - c)",
        "(a - b) - c",
        "a / (b * c)",
        "-(a + b)",
        "(A @ B)^T",
        "(A + B)[cat, 1]",
        "Q[\"The\":'a\"b', :]",
        "hstack(A, B[1:2, q1])",
        "layernorm(X, g, b, 0.00001)",
        "(-A)^T",
    ] {
        let e = parse(src).unwrap();
        let text = unparse(&e);
        let again = parse(&text).unwrap_or_else(|err| panic!("{src} → {text}: {err:?}"));
        assert_eq!(unparse(&again), text, "{src}");
        assert_eq!(erased(&again), erased(&e), "{src} → {text}");
    }
    assert_eq!(unparse(&parse("(X @ (W^T))").unwrap()), "X @ W^T");
    assert_eq!(unparse(&parse("-2 ** 2").unwrap()), "-2 ** 2");
    assert_eq!(unparse(&parse("(-2) ** 2").unwrap()), "(-2) ** 2");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any sequence of the language's tokens parses or fails with a located error, and whatever
    /// parses evaluates or fails with one: no panic, no hang, within the limits.
    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(0usize..48, 1..24)) {
        const TOKENS: [&str; 48] = [
            "G", "row", "col", "one", "N", "D", "M", "nope", "1", "2", "0", "0.5", "1e300",
            "+", "-", "*", "/", "@", "**", "^T", "(", ")", "[", "]", ",", ":", "a", "q2",
            "sqrt(", "softmax(", "exp(", "log(", "relu(", "gelu(", "sum(", "var(", "max(",
            "ones(", "eye(", "causal_mask(", "hstack(", "vstack(", "layernorm(", "rows(",
            "\"q1\"", "3", "tanh(", "abs(",
        ];
        let src: String = tokens.iter().map(|&t| TOKENS[t]).collect::<Vec<_>>().join(" ");
        let mut names = grid().0;
        names.insert(
            "M".into(),
            Matrix::new(array![[0., f64::NEG_INFINITY], [f64::INFINITY, 0.]]),
        );
        struct Tight(Names, std::cell::Cell<u64>);
        impl Scope for Tight {
            fn lookup(&self, name: &str) -> Option<&Matrix> {
                self.0.lookup(name)
            }
            fn max_cells(&self) -> usize {
                10_000
            }
            fn spend(&self, work: u64) -> bool {
                let left = self.1.get();
                self.1.set(left.saturating_sub(work));
                work <= left
            }
        }
        let s = Tight(Names(names), std::cell::Cell::new(1_000_000));
        match parse(&src) {
            Err(e) => prop_assert!(e.span.end <= src.len(), "{}", src),
            Ok(e) => {
                if let Err(err) = eval(&e, &src, &s) {
                    prop_assert!(err.span.end <= src.len(), "{}", src);
                    prop_assert!(src.get(err.span.clone()).is_some(), "{}", src);
                }
                // Whatever it gives has no NaN, and an infinity only where one was asked for.
                if let Ok(Value::Matrix(m)) = eval(&e, &src, &s) {
                    prop_assert!(m.data.iter().all(|v| !v.is_nan()), "{}", src);
                }
            }
        }
    }
}

/// Well-formed expressions over the `grid` names (and `M`, which holds ±∞), built from every form
/// of the language: most parse, many evaluate, the rest fail with shape or value errors.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("G".to_string()),
        Just("row".to_string()),
        Just("col".to_string()),
        Just("one".to_string()),
        Just("N".to_string()),
        Just("M".to_string()),
        Just("2".to_string()),
        Just("0.5".to_string()),
        Just("0".to_string()),
        Just("causal_mask(2)".to_string()),
        Just("eye(2)".to_string()),
        Just("ones(3, 1)".to_string()),
    ];
    leaf.prop_recursive(4, 32, 3, |inner| {
        let sel = prop_oneof![
            Just(":"),
            Just("1"),
            Just("2"),
            Just("1:2"),
            Just("a:b"),
            Just("q2:q4"),
            Just("2:1")
        ];
        prop_oneof![
            (
                inner.clone(),
                prop_oneof![Just("+"), Just("-"), Just("*"), Just("/"), Just("@")],
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.clone().prop_map(|a| format!("-{a}")),
            inner.clone().prop_map(|a| format!("({a})^T")),
            (
                inner.clone(),
                prop_oneof![Just("2"), Just("-1"), Just("0.5"), Just("one")]
            )
                .prop_map(|(a, p)| format!("({a}) ** {p}")),
            (
                prop_oneof![
                    Just("sqrt"),
                    Just("exp"),
                    Just("log"),
                    Just("relu"),
                    Just("gelu"),
                    Just("softmax"),
                    Just("sum"),
                    Just("mean"),
                    Just("var"),
                    Just("max"),
                    Just("tanh"),
                    Just("abs")
                ],
                inner.clone()
            )
                .prop_map(|(f, a)| format!("{f}({a})")),
            (inner.clone(), sel.clone(), sel).prop_map(|(a, r, c)| format!("({a})[{r}, {c}]")),
            (
                prop_oneof![Just("hstack"), Just("vstack")],
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(f, a, b)| format!("{f}({a}, {b})")),
            (inner.clone(), inner.clone(), inner)
                .prop_map(|(a, g, b)| format!("layernorm({a}, {g}, {b})")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Every well-formed expression parses, and evaluates or fails with a located error; a
    /// result never holds NaN.
    #[test]
    fn well_formed_expressions_never_panic(src in expression()) {
        let mut names = grid().0;
        names.insert(
            "M".into(),
            Matrix::new(array![[0., f64::NEG_INFINITY], [f64::INFINITY, 0.]]),
        );
        let s = Names(names);
        let e = parse(&src).map_err(|e| TestCaseError::fail(format!("{src}: {e:?}")))?;
        match eval(&e, &src, &s) {
            Err(err) => prop_assert!(src.get(err.span.clone()).is_some(), "{}", src),
            Ok(Value::Matrix(m)) => prop_assert!(m.data.iter().all(|v| !v.is_nan()), "{}", src),
            Ok(Value::Scalar(v)) => prop_assert!(!v.is_nan(), "{}", src),
        }
    }
}
