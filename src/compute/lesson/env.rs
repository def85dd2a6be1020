//! The scope a lesson's expressions are evaluated in: the matrices defined so far, what failed or
//! is wrong, where names are defined, and the limits on cells and work.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use crate::compute::eval::{self, EvalError, Scope, Value};
use crate::compute::matrix::Matrix;
use crate::config::Limits;
use crate::parse::expr::Expr;
use crate::source::Span;

/// The lessons (slugs, in site order, one entry per block) other than the one at hand that
/// define a matrix of a given name.
pub type Elsewhere<'a> = &'a (dyn Fn(&str) -> Vec<String> + Sync);
pub(super) struct Env<'a> {
    pub(super) defined: BTreeMap<String, Matrix>,
    /// Where each name of this lesson is defined (all of them, also later ones).
    pub(super) all_defs: BTreeMap<&'a str, &'a Span>,
    /// Which other lessons define a name: asked only to explain an unknown name, so nothing
    /// site-wide is made for the common case of no error.
    pub(super) elsewhere: Elsewhere<'a>,
    /// Names whose own block failed: uses of them are not reported again.
    pub(super) failed: BTreeSet<String>,
    /// Names computed but wrong: their own `shape` or `expect` fails (verify reports it), or
    /// they are computed from such a matrix. An error in a use of them (`Q[cat, 1]` when Q's
    /// rows are not the tokens) follows from that one and is not reported (root cause first).
    pub(super) wrong: BTreeSet<String>,
    pub(super) lesson: &'a str,
    pub(super) limits: &'a Limits,
    /// Multiply-adds left for the expression being evaluated.
    pub(super) budget: Cell<u64>,
}

impl Scope for Env<'_> {
    fn lookup(&self, name: &str) -> Option<&Matrix> {
        self.defined.get(name)
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

impl Env<'_> {
    /// Whether `expr` reads a matrix that is computed but wrong (see [`Env::wrong`]).
    pub(super) fn reads_wrong(&self, expr: &Expr) -> bool {
        !self.wrong.is_empty() && expr.names().iter().any(|(n, _)| self.wrong.contains(*n))
    }

    pub(super) fn eval(&self, expr: &Expr, text: &str) -> Result<Value<'_>, EvalError> {
        self.budget.set(self.limits.expression_work);
        eval::eval(expr, text, self)
    }
}
