//! What a successful run did, as the one line `build` and `check` print.

use std::path::PathBuf;
use std::time::Duration;

use crate::error::Diagnostic;
use crate::verify;

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Summary {
    pub lessons: usize,
    pub steps: usize,
    pub matrices_computed: usize,
    pub checked: verify::Checked,
    pub files: usize,
    pub links: usize,
    /// `None` when nothing was written (a check).
    pub out: Option<PathBuf>,
    pub elapsed: Duration,
    /// Problems that do not fail the build (unless `strict`).
    pub warnings: Vec<Diagnostic>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "{} {}, {}: {} computed, {} and {} verified, ",
            if self.out.is_some() {
                "built"
            } else {
                "checked"
            },
            plural(self.lessons, "lesson", "lessons"),
            plural(self.steps, "step", "steps"),
            plural(self.matrices_computed, "matrix", "matrices"),
            plural(self.checked.values, "typed value", "typed values"),
            plural(self.checked.shapes, "shape", "shapes"),
        )?;
        match &self.out {
            Some(out) => write!(
                f,
                "{} written to {}",
                plural(self.files, "file", "files"),
                out.display()
            )?,
            None => write!(f, "{} checked", plural(self.links, "link", "links"))?,
        }
        if !self.warnings.is_empty() {
            write!(
                f,
                ", {}",
                plural(self.warnings.len(), "warning", "warnings")
            )?;
        }
        write!(f, " in {} ms", self.elapsed.as_millis())
    }
}
