//! The last good build, as a session keeps it between rebuilds: what `mod.rs` and `partial.rs`
//! both read and update.

use std::collections::{BTreeMap, BTreeSet};

use crate::compute::lesson::LessonValues;
use crate::load::TemplateFile;
use crate::model::Site;
use crate::serve::incremental::TemplateGraph;
use crate::source::Sources;

/// The last good build.
pub(super) struct Good {
    pub(super) sources: Sources,
    pub(super) template_files: Vec<TemplateFile>,
    pub(super) graph: TemplateGraph,
    pub(super) site: Site,
    pub(super) values: Vec<LessonValues>,
    /// Fingerprint of every file in the output folder.
    pub(super) written: BTreeMap<String, u64>,
    /// What each HTML page links to.
    pub(super) links: BTreeMap<String, BTreeSet<String>>,
}
