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

/// `explains` says yes exactly where `explain` tells each cell's story, for every kind of top
/// operation (those without a story included).
#[test]
fn explains_agrees_with_explain() {
    use super::explain::{explain, explains};
    let s = qkv();
    let mut with_stories = 0;
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
        let told = explain("R", &e, src, &m, 3, &s).is_some();
        assert_eq!(explains(&e, src, &s), told, "{src}");
        with_stories += usize::from(told);
    }
    assert_eq!(with_stories, 9);
}
