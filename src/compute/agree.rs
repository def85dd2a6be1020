//! Whether computed values agree with what the author typed: the rule `verify` reports with,
//! and that compute uses to tell a root cause from the errors that follow from it.

use super::matrix::Matrix;
use crate::model::{MatrixDef, MatrixSource};

/// Whether a computed matrix agrees with its own `shape` and `expect`, as `verify`
/// checks them: compute uses it to tell a root cause from the errors that follow from it.
pub fn agrees(def: &MatrixDef, m: &Matrix) -> bool {
    let MatrixSource::Computed { expect, shape, .. } = &def.source else {
        return true;
    };
    if shape.is_some_and(|s| s != m.shape()) {
        return false;
    }
    let Some(expect) = expect else {
        return true;
    };
    let tol = tolerance(def);
    expect.dim() == m.shape()
        && expect
            .indexed_iter()
            .all(|(ij, &e)| within(e, m.data[ij], tol))
}

/// The largest difference accepted between a typed and a computed value.
pub fn tolerance(def: &MatrixDef) -> f64 {
    def.tolerance
        .unwrap_or_else(|| 0.5 * 10f64.powi(-(def.precision as i32)))
}

/// Whether a typed value agrees with the computed one within `tol`.
pub fn within(expected: f64, computed: f64, tol: f64) -> bool {
    // An infinity (a masked score) matches only the same infinity.
    if expected.is_infinite() || computed.is_infinite() {
        return expected == computed;
    }
    // A hair of slack so that a value exactly on the rounding boundary (0.0005 at precision 3)
    // is not failed by binary floating point.
    (expected - computed).abs() <= tol * (1.0 + 1e-9) + f64::EPSILON * computed.abs()
}
