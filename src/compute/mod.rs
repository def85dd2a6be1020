//! Compute: evaluate every matrix block of a lesson, in order, on ndarray.
//!
//! Pure: no I/O. [`matrix`] is the labelled matrix type, [`eval`] evaluates one expression, and
//! [`lesson`] walks a lesson's documents, keeps the scope rules, and turns failures into
//! located diagnostics. [`agree`] is the rule by which typed values agree with computed ones.

pub mod agree;
mod docs;
pub mod eval;
pub mod explain;
pub mod imports;
pub mod lesson;
pub mod matrix;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod scope_tests;
