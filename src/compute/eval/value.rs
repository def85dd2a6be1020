//! What evaluation takes and gives: the [`Scope`] names come from, the [`Value`] of an
//! expression, and the located [`EvalError`].

use std::borrow::Cow;
use std::ops::Range;

use crate::compute::matrix::Matrix;

/// The result of an expression. A name evaluates to the scope's own matrix, borrowed: most
/// expressions only read their operands (`X @ W_Q^T`), and copying them cost more than the
/// product.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Scalar(f64),
    Matrix(Cow<'a, Matrix>),
}

impl Value<'_> {
    pub(super) fn owned(m: Matrix) -> Self {
        Value::Matrix(Cow::Owned(m))
    }
}

/// Where names come from, and how much an expression may cost.
pub trait Scope {
    fn lookup(&self, name: &str) -> Option<&Matrix>;

    /// Most cells any intermediate or final matrix may have.
    fn max_cells(&self) -> usize {
        usize::MAX
    }

    /// Records `work` multiply-adds; returns false once the expression's budget is spent.
    fn spend(&self, _work: u64) -> bool {
        true
    }
}

/// An evaluation error, located in the expression text.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalError {
    pub message: String,
    pub span: Range<usize>,
    pub help: Option<String>,
    /// Set when the error is an unknown name, so the caller can explain what is in scope.
    pub unknown_name: Option<String>,
}

pub(super) fn err(
    message: impl Into<String>,
    span: Range<usize>,
    help: Option<String>,
) -> EvalError {
    EvalError {
        message: message.into(),
        span,
        help,
        unknown_name: None,
    }
}

/// A number, or a 1×1 matrix, which may be used wherever a number is expected.
pub(super) fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Scalar(s) => Some(*s),
        Value::Matrix(m) if m.shape() == (1, 1) => Some(m.data[[0, 0]]),
        Value::Matrix(_) => None,
    }
}
