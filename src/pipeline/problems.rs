//! Problems as a run keeps them: each once, and whether they fail the run.

use crate::error::{Diagnostic, Severity};

/// Adds `d` unless the same problem is there already (a template error breaks many pages).
pub(super) fn push_once(problems: &mut Vec<Diagnostic>, d: Diagnostic) {
    if !problems
        .iter()
        .any(|p| p.message == d.message && p.primary == d.primary)
    {
        problems.push(d);
    }
}

/// Whether these problems fail a build.
pub fn failed(problems: &[Diagnostic], strict: bool) -> bool {
    problems
        .iter()
        .any(|d| d.severity == Severity::Error || strict)
}
