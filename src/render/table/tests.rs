//! The table view a matrix template gets ([`view`] with cell views): labels, shown text against
//! the exact value, heat levels and legend, the NumPy-style summary of a large matrix, and the
//! derivation ids and operand reads of computed cells. Checked on the view itself, not on any
//! HTML written from it.

use super::*;
use crate::compute::lesson::compute;
use crate::load;
use crate::model::Site;

/// A one-step lesson parsed and computed from `body`, to take views of its matrices.
struct Fixture {
    site: Site,
    values: Vec<LessonValues>,
}

fn fixture(body: &str) -> Fixture {
    let step = format!("---\ntitle: S\n---\n\n{body}");
    let project = load::in_memory(
        "title: T\n",
        &[("l", "---\ntitle: L\n---\n", &[("01-s", &step)])],
    );
    let (site, problems) = crate::parse::parse(&project);
    assert!(problems.is_empty(), "{problems:#?}");
    let site = site.unwrap();
    let (values, _, problems) = compute(&site);
    assert!(problems.is_empty(), "{problems:#?}");
    Fixture { site, values }
}

impl Fixture {
    /// The view of matrix `name` as `matrix.html` gets it: every cell as a [`CellView`],
    /// derivations in full when `explain_cells` (else only their ids, as for `check`).
    fn view(&self, name: &str, tables: &Tables, explain_cells: bool) -> MatrixView<'_> {
        let lesson = &self.site.lessons[0];
        let values = &self.values[0];
        let def = lesson.steps[0]
            .doc
            .matrices
            .iter()
            .find(|d| d.name == name)
            .unwrap();
        let m = &values.matrices[name];
        let literals = Literals::default();
        let input = TableInput {
            lesson,
            values,
            tables,
            literals: &literals,
            lean: !explain_cells,
            scales: &Default::default(),
        };
        view(def, m, &input)
    }
}

fn block(yaml: &str) -> String {
    format!("```matrix\n{yaml}```\n\n")
}

/// `rows` rows of `cols` values, `f(i, j)` each, as YAML.
fn values(rows: usize, cols: usize, f: impl Fn(usize, usize) -> f64) -> String {
    let mut out = String::from("values:\n");
    for i in 0..rows {
        let row: Vec<String> = (0..cols).map(|j| f(i, j).to_string()).collect();
        out.push_str(&format!("  - [{}]\n", row.join(", ")));
    }
    out
}

fn texts(v: &MatrixView) -> Vec<Vec<String>> {
    v.rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text()).collect())
        .collect()
}

fn exact(v: &MatrixView) -> Vec<Vec<String>> {
    v.rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.value()).collect())
        .collect()
}

fn heats(v: &MatrixView) -> Vec<Vec<i8>> {
    v.rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.heat).collect())
        .collect()
}

#[test]
fn labels_shape_caption_and_formula() {
    let f = fixture(
        &(block(
            "name: X\ncaption: Inputs\nrows: [the, cat]\ncols: [d1, d2, d3]\nvalues:\n  - [1, 0, 2]\n  - [0, 1, 1]\n",
        ) + &block("name: Y\ncompute: '  X * 2  '\n")),
    );
    let x = f.view("X", &Tables::default(), true);
    assert_eq!(x.name, "X");
    assert_eq!((x.shape.as_str(), x.shape_text.as_str()), ("2x3", "2×3"));
    assert_eq!(x.caption, Some("Inputs"));
    assert_eq!(x.formula, None);
    assert_eq!(x.columns, ["d1", "d2", "d3"]);
    let labels: Vec<&str> = x.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["the", "cat"]);
    assert!(x.summary.is_none());
    // A computed matrix keeps its operand's labels; its formula is shown trimmed.
    let y = f.view("Y", &Tables::default(), true);
    assert_eq!(y.formula, Some("X * 2"));
    assert_eq!(y.caption, None);
    assert_eq!(y.columns, ["d1", "d2", "d3"]);
    assert_eq!(
        texts(&y),
        [["2.000", "0.000", "4.000"], ["0.000", "2.000", "2.000"]]
    );
}

#[test]
fn unlabelled_rows_and_columns_count_from_one() {
    let f = fixture(&block(
        "name: A\nvalues:\n  - [1, 2]\n  - [3, 4]\n  - [5, 6]\n",
    ));
    let a = f.view("A", &Tables::default(), true);
    assert_eq!(a.columns, ["1", "2"]);
    let labels: Vec<&str> = a.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["1", "2", "3"]);
}

#[test]
fn cells_show_rounded_text_and_carry_the_exact_value() {
    let f = fixture(
        &(block(
            "name: A\nprecision: 2\nvalues:\n  - [0.125, 2.5, -0.001]\n  - [0.1, 0.2, 1234.5678]\n",
        ) + &block("name: S\nprecision: 0\ncompute: A + A\n")
            + &block("name: P\ncompute: A[2, 1] + A[2, 2]\n")),
    );
    let a = f.view("A", &Tables::default(), true);
    // Halves away from zero, never `-0.00`.
    assert_eq!(
        texts(&a),
        [["0.13", "2.50", "0.00"], ["0.10", "0.20", "1234.57"]]
    );
    assert_eq!(
        exact(&a),
        [["0.125", "2.5", "-0.001"], ["0.1", "0.2", "1234.5678"]]
    );
    let s = f.view("S", &Tables::default(), true);
    assert_eq!(texts(&s), [["0", "5", "0"], ["0", "0", "2469"]]);
    // The exact value is the f64's shortest round-trip form, not the rounded text.
    let p = f.view("P", &Tables::default(), true);
    assert_eq!(exact(&p), [["0.30000000000000004"]]);
    assert_eq!(texts(&p), [["0.300"]]);
}

#[test]
fn heat_levels_and_legend_follow_the_largest_magnitude() {
    let f = fixture(
        &(block("name: A\nprecision: 1\nvalues:\n  - [-8, -3, 0, 1, 8]\n  - [2, -2, 6, -7, 4]\n")
            + &block("name: Z\nvalues:\n  - [0, 0]\n")),
    );
    let a = f.view("A", &Tables::default(), true);
    // round(v / 8 · 4), halves away from zero, within -4..=4.
    assert_eq!(heats(&a), [[-4, -2, 0, 1, 4], [1, -1, 3, -4, 2]]);
    let legend = a.legend.as_ref().unwrap();
    assert_eq!((legend.min.as_str(), legend.max.as_str()), ("−8.0", "8.0"));

    let off = Tables {
        heatmap: false,
        ..Tables::default()
    };
    let a = f.view("A", &off, true);
    assert!(heats(&a).iter().flatten().all(|&h| h == 0));
    assert!(a.legend.is_none());

    // All zeros: no scale to show.
    let z = f.view("Z", &Tables::default(), true);
    assert_eq!(heats(&z), [[0, 0]]);
    assert!(z.legend.is_none());
}

#[test]
fn a_large_matrix_is_summarised_with_edge_items_and_ellipses() {
    let f = fixture(&block(&format!(
        "name: B\nprecision: 0\n{}",
        values(20, 18, |i, j| (i * 100 + j) as f64)
    )));
    let b = f.view("B", &Tables::default(), true);
    // The full table stays in the view, for the "show all" part.
    assert_eq!((b.rows.len(), b.rows[0].cells.len()), (20, 18));
    let s = b.summary.as_ref().expect("20×18 is above 16");
    assert_eq!(s.columns, ["1", "2", "3", "…", "16", "17", "18"]);
    let labels: Vec<&str> = s.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["1", "2", "3", "⋮", "18", "19", "20"]);
    let text =
        |i: usize| -> Vec<&str> { s.rows[i].cells.iter().map(|c| c.text.as_str()).collect() };
    assert_eq!(text(0), ["0", "1", "2", "…", "15", "16", "17"]);
    assert_eq!(text(3), ["⋮", "⋮", "⋮", "⋱", "⋮", "⋮", "⋮"]);
    assert_eq!(
        text(6),
        ["1900", "1901", "1902", "…", "1915", "1916", "1917"]
    );
    let value = |i: usize, j: usize| s.rows[i].cells[j].value.as_deref();
    assert_eq!(value(6, 6), Some("1917"));
    assert_eq!((value(0, 3), value(3, 0), value(3, 3)), (None, None, None));
    // Heat on the kept cells (largest magnitude 1917), none on the gaps.
    assert_eq!(s.rows[6].cells[6].heat, 4);
    assert_eq!(s.rows[0].cells[0].heat, 0);
    assert_eq!(s.rows[3].cells[3].heat, 0);

    let tables = Tables {
        summarize_above: 4,
        edge_items: 2,
        ..Tables::default()
    };
    let b = f.view("B", &tables, true);
    let s = b.summary.as_ref().unwrap();
    assert_eq!(s.columns, ["1", "2", "…", "17", "18"]);
}

#[test]
fn only_the_long_side_of_a_matrix_is_cut() {
    let f = fixture(&block(&format!(
        "name: W\n{}",
        values(2, 30, |i, j| (i + j) as f64)
    )));
    let w = f.view("W", &Tables::default(), true);
    let s = w.summary.as_ref().expect("30 columns is above 16");
    assert_eq!(s.rows.len(), 2, "two rows are all kept");
    assert_eq!(s.columns, ["1", "2", "3", "…", "28", "29", "30"]);
    let small = fixture(&block(&format!(
        "name: A\n{}",
        values(16, 16, |i, j| (i * j) as f64)
    )));
    assert!(
        small.view("A", &Tables::default(), true).summary.is_none(),
        "16×16 is not above 16"
    );
}

#[test]
fn computed_cells_carry_derivation_ids_and_what_they_read() {
    let f = fixture(
        &(block("name: X\nrows: [the, cat]\nvalues:\n  - [1, 2]\n  - [3, 4]\n")
            + &block("name: W\nvalues:\n  - [1, 0]\n  - [0, 1]\n  - [1, 1]\n")
            + &block("name: Q\ncompute: X @ W^T\n")),
    );
    let q = f.view("Q", &Tables::default(), true);
    let ids: Vec<&str> = q.derivations.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "why-Q-0-0",
            "why-Q-0-1",
            "why-Q-0-2",
            "why-Q-1-0",
            "why-Q-1-1",
            "why-Q-1-2"
        ]
    );
    // Each cell points at its own derivation, which names the cell and its result.
    for (i, row) in q.rows.iter().enumerate() {
        for (j, cell) in row.cells.iter().enumerate() {
            let id = format!("why-Q-{i}-{j}");
            assert_eq!(cell.derivation.as_deref(), Some(id.as_str()));
            let derivation = q.derivations.iter().find(|s| s.id == id).unwrap();
            assert!(
                derivation
                    .text
                    .starts_with(&format!("Q[{}, {}]", row.label, j + 1)),
                "{}",
                derivation.text
            );
            assert!(
                derivation.text.ends_with(&format!("= {}", cell.text())),
                "{}",
                derivation.text
            );
        }
    }
    // Q[cat, 3] reads row cat of X and row 3 of W (column 3 of W^T).
    assert_eq!(q.rows[1].cells[2].reads, "X:r:1 W:r:2");
    assert_eq!(q.rows[0].cells[0].reads, "X:r:0 W:r:0");

    // A literal matrix has none.
    let x = f.view("X", &Tables::default(), true);
    assert!(x.derivations.is_empty());
    assert!(
        x.rows
            .iter()
            .flat_map(|r| &r.cells)
            .all(|c| c.derivation.is_none() && c.reads.is_empty())
    );
    // For check, the derivations keep their ids (a link may point at one) but not their text.
    let lean = f.view("Q", &Tables::default(), false);
    let ids =
        |v: &MatrixView| -> Vec<String> { v.derivations.iter().map(|s| s.id.clone()).collect() };
    assert_eq!(ids(&lean), ids(&q));
    assert!(lean.derivations.iter().all(|s| s.text.is_empty()));
    assert_eq!(
        lean.rows[0].cells[0].derivation.as_deref(),
        Some("why-Q-0-0")
    );
    assert!(lean.numpy.is_none() && lean.pytorch.is_none());
}

#[test]
fn derivation_ids_past_nine_and_the_size_limit() {
    // 20×20 = 400 cells: derivations; 21×20: none (they would dwarf the page).
    let f = fixture(
        &(block(&format!(
            "name: A\n{}",
            values(20, 20, |i, j| (i + j) as f64)
        )) + &block(&format!(
            "name: B\n{}",
            values(21, 20, |i, j| (i * j) as f64)
        )) + &block("name: C\ncompute: A + A\n")
            + &block("name: D\ncompute: B + B\n")),
    );
    let c = f.view("C", &Tables::default(), true);
    assert_eq!(c.derivations.len(), 400);
    assert_eq!(c.rows[12].cells.len(), 20);
    assert_eq!(
        c.rows[12].cells[9].derivation.as_deref(),
        Some("why-C-12-9")
    );
    assert_eq!(
        c.rows[3].cells[17].derivation.as_deref(),
        Some("why-C-3-17")
    );
    assert_eq!(c.derivations[12 * 20 + 9].id, "why-C-12-9");
    let d = f.view("D", &Tables::default(), true);
    assert!(d.derivations.is_empty());
    assert!(d.rows[0].cells[0].derivation.is_none());
}

#[test]
fn a_product_and_its_operands_share_one_scale_sequential_when_one_sign() {
    let f = fixture(
        &(block("name: X\nvalues:\n  - [1, 2]\n  - [3, 4]\n")
            + &block("name: W\nvalues:\n  - [1, 0]\n  - [0, 1]\n")
            + &block("name: Q\ncompute: X @ W^T\n")
            + &block("name: N\nscale: own\nvalues:\n  - [-1, -3]\n")
            + &block("name: A\nscale: g\nvalues:\n  - [-2, 2]\n")
            + &block("name: B\nscale: g\nvalues:\n  - [0, 4]\n")),
    );
    let defs = &f.site.lessons[0].steps[0].doc.matrices;
    let scales = scales(defs, &f.values[0]);
    let s = |n: &str| (scales[n].lo, scales[n].hi);
    // X, W and Q = X @ W^T share one scale: 0 to 4, all of one sign.
    assert_eq!([s("X"), s("W"), s("Q")], [(0.0, 4.0); 3]);
    assert_eq!(s("N"), (-3.0, -1.0));
    assert_eq!([s("A"), s("B")], [(-2.0, 4.0); 2]);
    // Sequential: from the value nearest 0 (level 0) to the farthest (±4).
    assert_eq!(scales["X"].level(1.0), 1);
    assert_eq!(scales["X"].level(4.0), 4);
    assert_eq!(scales["N"].level(-1.0), 0);
    assert_eq!(scales["N"].level(-3.0), -4);
    // Diverging: centred on 0, the largest magnitude at ±4.
    assert_eq!(scales["A"].level(-2.0), -2);
    assert_eq!(scales["A"].level(4.0), 4);

    let lesson = &f.site.lessons[0];
    let literals = Literals::default();
    let input = TableInput {
        lesson,
        values: &f.values[0],
        tables: &Tables::default(),
        literals: &literals,
        lean: true,
        scales: &scales,
    };
    let def = defs.iter().find(|d| d.name == "X").unwrap();
    let x = view(def, &f.values[0].matrices["X"], &input);
    assert_eq!(heats(&x), [[1, 2], [3, 4]]);
    let legend = x.legend.as_ref().unwrap();
    assert_eq!(
        (legend.min.as_str(), legend.max.as_str(), legend.kind),
        ("0.000", "4.000", "sequential")
    );
}

#[test]
fn a_product_gives_each_shown_term_its_value() {
    let f = fixture(
        &(block("name: X\nvalues:\n  - [1, 2]\n  - [3, -4]\n")
            + &block("name: W\nvalues:\n  - [0.5, 0]\n  - [0, 1]\n")
            + &block("name: Q\ncompute: X @ W^T\nprecision: 2\n")
            + &block("name: S\ncompute: X + X\n")),
    );
    let q = f.view("Q", &Tables::default(), true);
    let products: Vec<&str> = q.derivations.iter().map(|s| s.products.as_str()).collect();
    // Q[i, j] = Σₖ X[i, k]·W[j, k], one value per term, at Q's precision.
    assert_eq!(
        products,
        ["0.50 0.00", "0.00 2.00", "1.50 0.00", "0.00 \u{2212}4.00"]
    );
    // No terms to give values to: element-wise operations, and `check`'s lean view.
    assert!(
        f.view("S", &Tables::default(), true)
            .derivations
            .iter()
            .all(|s| s.products.is_empty())
    );
    assert!(q_lean_products_empty(&f));
}

fn q_lean_products_empty(f: &Fixture) -> bool {
    f.view("Q", &Tables::default(), false)
        .derivations
        .iter()
        .all(|s| s.products.is_empty())
}
