//! `content/site.yaml`: the site-wide settings, strictly typed.

use serde::Deserialize;

/// Every key of `site.yaml`. Unknown keys are errors, so a typo never passes silently.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name, shown in every page title and on the index page.
    pub title: String,
    /// One sentence about the site, used as the index page's description.
    #[serde(default)]
    pub description: String,
    /// Where the site is hosted: `/`, a subpath such as `/lessons/`, or an absolute URL.
    /// Internal links are relative, so the site works under any path and from `file://`;
    /// this value is used for canonical links.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The language of the content, as a BCP 47 tag (`en`, `de`, `pt-BR`) for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// Limits that keep a build fast and bounded whatever the content.
    #[serde(default)]
    pub limits: Limits,
}

pub const SITE_KEYS: &[&str] = &["title", "description", "base_url", "language", "limits"];

/// Bounds on what one block may ask of the build.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Most cells of any one matrix, literal or computed (default 1,000,000).
    pub matrix_cells: usize,
    /// Deepest nesting of parentheses and functions in an expression (default 64).
    pub expression_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            matrix_cells: 1_000_000,
            expression_depth: crate::parse::expr::MAX_DEPTH,
        }
    }
}

fn default_base_url() -> String {
    "/".into()
}

fn default_language() -> String {
    "en".into()
}

impl SiteConfig {
    /// `base_url` with exactly one trailing slash.
    pub fn base(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }
}
