//! Verify: compare what the author typed (`expect:`, `shape:`) with what was computed.
//!
//! A typed value agrees when it is within the tolerance of the computed one: by default half a
//! unit of the last decimal the table shows (±0.0005 at precision 3), so a value copied from the
//! rendered table always passes and a wrong digit never does.

use crate::compute::agree::{tolerance, within};
use crate::compute::eval::{Scope, Value, eval};
use crate::compute::lesson::LessonValues;
use crate::compute::matrix::{Matrix, shape_text};
use crate::config::Limits;
use crate::error::Diagnostic;
use crate::model::{self, MatrixDef, MatrixSource, Site};
use crate::parse::expr::{BinOp, Expr, ExprKind, unparse};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// How much was checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checked {
    /// Typed `expect` values compared with computed ones.
    pub values: usize,
    /// `shape:` assertions.
    pub shapes: usize,
}

/// Checks every `expect` and `shape` of the site. Returns what was compared and the problems found.
pub fn verify(site: &Site, values: &[LessonValues]) -> (Checked, Vec<Diagnostic>) {
    // Lessons are independent: verify them in parallel, then keep the site's order.
    let per_lesson: Vec<(Checked, Vec<Diagnostic>)> = site
        .lessons
        .par_iter()
        .zip(values)
        .map(|(lesson, vals)| verify_lesson(&site.config.limits, lesson, vals))
        .collect();
    let mut checked = Checked::default();
    let mut problems = Vec::new();
    for (c, mut found) in per_lesson {
        checked.values += c.values;
        checked.shapes += c.shapes;
        problems.append(&mut found);
    }
    (checked, problems)
}

/// One lesson's `expect`s, `shape`s and table sizes.
pub(crate) fn verify_lesson(
    limits: &Limits,
    lesson: &model::Lesson,
    vals: &LessonValues,
) -> (Checked, Vec<Diagnostic>) {
    let mut checked = Checked::default();
    let mut problems = Vec::new();
    // Matrices whose own `shape` or `expect` failed, and those computed from them: a failure of
    // the latter follows from the former's and is not reported again (root cause first).
    let mut wrong: BTreeSet<&str> = BTreeSet::new();
    let docs = std::iter::once(&lesson.intro).chain(lesson.steps.iter().map(|s| &s.doc));
    for def in docs.flat_map(|d| &d.matrices) {
        let limit = limits.table_cells;
        if let Some(m) = vals.matrices.get(&def.name)
            && def.show
            && m.data.len() > limit
        {
            problems.push(
                    Diagnostic::error(format!(
                        "`{}` is {} = {} cells, too many to show as a table (the limit is {limit})",
                        def.name,
                        m.shape_text(),
                        m.data.len()
                    ))
                    .at(def.name_span.clone(), "shown as a table")
                    .help("add `show: false` and pick entries with inline values, or raise `limits.table_cells` in site.yaml"),
                );
        }
        let MatrixSource::Computed {
            expect,
            shape,
            expr,
            ..
        } = &def.source
        else {
            continue;
        };
        // A matrix that failed to compute was reported already.
        let Some(m) = vals.matrices.get(&def.name) else {
            continue;
        };
        let follows = expr.names().iter().any(|(n, _)| wrong.contains(n));
        if follows {
            wrong.insert(&def.name);
        }
        let before = problems.len();
        if let Some(shape) = shape {
            checked.shapes += 1;
            if let Some(d) = check_shape(def, m, *shape) {
                wrong.insert(&def.name);
                if !follows {
                    problems.push(d);
                }
                continue;
            }
        }
        if let Some(expect) = expect {
            checked.values += expect.len();
            if follows {
                continue;
            }
            problems.extend(check_expect(def, m, expect).map(|(d, values_differ)| {
                if !values_differ {
                    return d;
                }
                match near_miss(def, expect, vals, limits) {
                    Some(alt) => d
                        .note(format!("these values match `{alt}`"))
                        .help(format!("did you mean `compute: {alt}`?")),
                    None => d.help(
                        "fix the typed values, or the inputs if the computation is what is wrong",
                    ),
                }
            }));
            if problems.len() > before {
                wrong.insert(&def.name);
            }
        }
    }
    (checked, problems)
}

fn check_shape(def: &MatrixDef, m: &Matrix, shape: (usize, usize)) -> Option<Diagnostic> {
    (m.shape() != shape).then(|| {
        let key = def
            .yaml
            .key_span("shape")
            .unwrap_or_else(|| def.yaml.whole_span());
        Diagnostic::error(format!(
            "`{}` is {}, but `shape` says {}",
            def.name,
            m.shape_text(),
            shape_text(shape)
        ))
        .at(key, format!("asserted {}", shape_text(shape)))
        .also(
            def.yaml
                .value_span("compute")
                .unwrap_or_else(|| def.name_span.clone()),
            format!("this gives {}", m.shape_text()),
        )
        .help("check the order of the operands and which weight needs `^T`")
    })
}

/// The problem with `expect`, if any, and whether it is one of values (not of shape).
fn check_expect(
    def: &MatrixDef,
    m: &Matrix,
    expect: &ndarray::Array2<f64>,
) -> Option<(Diagnostic, bool)> {
    let key = def
        .yaml
        .key_span("expect")
        .unwrap_or_else(|| def.yaml.whole_span());
    if expect.dim() != m.shape() {
        return Some((
            Diagnostic::error(format!(
                "`expect` of `{}` is {}, but the computed matrix is {}",
                def.name,
                shape_text(expect.dim()),
                m.shape_text()
            ))
            .at(key, "typed values here")
            .help("type one row per row of the result, one number per column"),
            false,
        ));
    }
    let tol = tolerance(def);
    let wrong: Vec<(usize, usize)> = expect
        .indexed_iter()
        .filter(|&((i, j), &e)| !within(e, m.data[[i, j]], tol))
        .map(|(ij, _)| ij)
        .collect();
    let &(first_row, _) = wrong.first()?;
    let p = def.precision;
    let mut table = vec![[
        "cell".to_string(),
        "expected".to_string(),
        "computed".to_string(),
        "difference".to_string(),
    ]];
    for &(i, j) in wrong.iter().take(10) {
        let (e, c) = (expect[[i, j]], m.data[[i, j]]);
        table.push([
            format!("{}[{}, {}]", def.name, m.row_label(i), m.col_label(j)),
            if e.is_finite() {
                format!("{e}")
            } else {
                crate::format::rounded(e, 0)
            },
            if c.is_finite() {
                format!("{c:.*}", p + 2)
            } else {
                crate::format::rounded(c, 0)
            },
            if (e - c).is_finite() {
                format!("{:+.*}", p + 2, e - c)
            } else {
                "∞".to_string()
            },
        ]);
    }
    let mut note = render_table(&table);
    if wrong.len() > 10 {
        note.push_str(&format!("\n… and {} more", wrong.len() - 10));
    }
    let span = def.yaml.item_span("expect", first_row).unwrap_or(key);
    Some((
        Diagnostic::error(format!(
            "`{}` differs from its `expect` values in {} of {} cells",
            def.name,
            wrong.len(),
            expect.len()
        ))
        .at(span, "first wrong value in this row")
        .note(note)
        .note(match def.tolerance {
            Some(t) => format!("tolerance: ±{t} (from `tolerance:`)"),
            None => format!("tolerance: ±{tol} (half a unit of the last of {p} decimals shown)"),
        }),
        true,
    ))
}

/// Most rewrites of an expression tried by [`near_miss`].
const MAX_NEAR_MISSES: usize = 24;

/// The expression as it was likely meant, when the typed values match it instead: one product
/// with an operand transposed (or not), its operands swapped, or the whole result transposed.
/// A forgotten `^T` on square matrices gives a result of the right shape and wrong values.
fn near_miss(
    def: &MatrixDef,
    expect: &ndarray::Array2<f64>,
    vals: &LessonValues,
    limits: &Limits,
) -> Option<String> {
    let MatrixSource::Computed { expr, text, .. } = &def.source else {
        return None;
    };
    let mut candidates = product_variants(expr);
    candidates.truncate(MAX_NEAR_MISSES);
    candidates.push(transpose(expr.clone()));
    let tol = tolerance(def);
    let scope = AllMatrices {
        matrices: &vals.matrices,
        limits,
        budget: std::cell::Cell::new(0),
    };
    candidates.into_iter().find_map(|c| {
        scope.budget.set(limits.expression_work);
        let m = match eval(&c, text, &scope).ok()? {
            Value::Matrix(m) => m.into_owned(),
            Value::Scalar(_) => return None,
        };
        (m.shape() == expect.dim()
            && expect
                .indexed_iter()
                .all(|(ij, &e)| within(e, m.data[ij], tol)))
        .then(|| unparse(&c))
    })
}

/// `expr` with one product changed: operands swapped, or one of them transposed (or no longer).
fn product_variants(e: &Expr) -> Vec<Expr> {
    let mut out = Vec::new();
    let rebuild = |kind: ExprKind| Expr {
        kind,
        span: e.span.clone(),
    };
    match &e.kind {
        ExprKind::Binary(op, a, b) => {
            if *op == BinOp::MatMul {
                for (x, y) in [
                    ((**b).clone(), (**a).clone()),
                    (transpose((**a).clone()), (**b).clone()),
                    ((**a).clone(), transpose((**b).clone())),
                ] {
                    out.push(rebuild(ExprKind::Binary(*op, Box::new(x), Box::new(y))));
                }
            }
            for v in product_variants(a) {
                out.push(rebuild(ExprKind::Binary(*op, Box::new(v), b.clone())));
            }
            for v in product_variants(b) {
                out.push(rebuild(ExprKind::Binary(*op, a.clone(), Box::new(v))));
            }
        }
        ExprKind::Neg(x) => out.extend(
            product_variants(x)
                .into_iter()
                .map(|v| rebuild(ExprKind::Neg(Box::new(v)))),
        ),
        ExprKind::Transpose(x) => out.extend(
            product_variants(x)
                .into_iter()
                .map(|v| rebuild(ExprKind::Transpose(Box::new(v)))),
        ),
        ExprKind::Call(f, args) => {
            for (i, arg) in args.iter().enumerate() {
                for v in product_variants(arg) {
                    let mut args = args.clone();
                    args[i] = v;
                    out.push(rebuild(ExprKind::Call(*f, args)));
                }
            }
        }
        _ => {}
    }
    out
}

/// `x^T`, or `x` itself for an `x` that was already `y^T`.
fn transpose(x: Expr) -> Expr {
    match x.kind {
        ExprKind::Transpose(inner) => *inner,
        _ => Expr {
            span: x.span.clone(),
            kind: ExprKind::Transpose(Box::new(x)),
        },
    }
}

/// The lesson's matrices, for evaluating a rewritten expression.
struct AllMatrices<'a> {
    matrices: &'a std::collections::BTreeMap<String, Matrix>,
    limits: &'a Limits,
    budget: std::cell::Cell<u64>,
}

impl Scope for AllMatrices<'_> {
    fn lookup(&self, name: &str) -> Option<&Matrix> {
        self.matrices.get(name)
    }

    fn max_cells(&self) -> usize {
        self.limits.matrix_cells
    }

    fn spend(&self, work: u64) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(work));
        work <= left
    }
}

fn render_table(rows: &[[String; 4]]) -> String {
    let widths: Vec<usize> = (0..4)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    rows.iter()
        .map(|r| {
            let cells: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(c, s)| {
                    if c == 0 {
                        format!("{s:<w$}", w = widths[c])
                    } else {
                        format!("{s:>w$}", w = widths[c])
                    }
                })
                .collect();
            cells.join("   ").trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn tolerance_is_half_a_unit_of_the_last_decimal() {
        let tol = 0.0005;
        assert!(within(0.873, 0.8734999, tol));
        assert!(within(0.873, 0.8725, tol));
        assert!(!within(0.873, 0.8736, tol));
        assert!(!within(0.874, 0.873, tol));
    }

    #[test]
    fn infinities_match_only_themselves() {
        assert!(within(f64::NEG_INFINITY, f64::NEG_INFINITY, 0.0005));
        assert!(!within(f64::NEG_INFINITY, f64::INFINITY, 0.0005));
        assert!(!within(f64::NEG_INFINITY, -1e300, 1e300));
        assert!(!within(0.0, f64::NEG_INFINITY, 0.0005));
    }
}
