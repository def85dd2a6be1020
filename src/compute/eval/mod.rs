//! Evaluates a parsed expression on ndarray matrices.
//!
//! Pure: names are looked up through the [`Scope`] the caller gives. Shape errors are explained in
//! the lesson's terms (the operands as the author wrote them, their shapes, and a likely fix).
//!
//! Split by job: `value` holds the types (values, the scope, errors), `walk` evaluates each node
//! and function call, `binary` the binary operators, `select` picks rows and columns by label,
//! and `guard` keeps results finite and within the scope's limits.

mod binary;
mod guard;
mod select;
mod value;
mod walk;

pub(crate) use select::selection;
pub use value::{EvalError, Scope, Value};
pub use walk::{eval, gelu};
