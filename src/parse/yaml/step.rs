//! The YAML shape of a step's front matter, as serde reads it (and as the fast reader in
//! [`super::fast`] gives it for the common shape).

use serde::Deserialize;

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StepFront {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
}

/// Every key a step's front matter accepts.
pub const STEP_KEYS: &[&str] = &["title", "summary"];
