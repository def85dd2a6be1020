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
    /// Whether Markdown may contain raw HTML (`<details>`, `<kbd>`, ...). With `false`, any raw
    /// HTML in the content is an error; text from matrix blocks is escaped either way.
    #[serde(default = "yes")]
    pub allow_html: bool,
    /// Whether pages have a search field, and the build writes its index to
    /// `assets/search/` (default true). With `false` neither is made, and the build saves the
    /// index's time (a third of a large build's).
    #[serde(default = "yes")]
    pub search: bool,
    /// How matrices are shown.
    #[serde(default)]
    pub tables: Tables,
    /// Limits that keep a build fast and bounded whatever the content.
    #[serde(default)]
    pub limits: Limits,
}

/// How matrices are shown.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Tables {
    /// A matrix with more rows or columns than this is shown summarised, like NumPy prints it
    /// (first and last rows and columns around an ellipsis), with the full table one click away
    /// (default 16).
    pub summarize_above: usize,
    /// Rows and columns kept at each end of a summarised matrix (default 3).
    pub edge_items: usize,
    /// Shade each cell by its value (diverging palette centred on 0; default true).
    pub heatmap: bool,
}

impl Default for Tables {
    fn default() -> Self {
        Tables {
            summarize_above: 16,
            edge_items: 3,
            heatmap: true,
        }
    }
}

pub const SITE_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "allow_html",
    "search",
    "tables",
    "limits",
];

/// Bounds on what one block may ask of the build.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Most cells of any one matrix, literal or computed (default 1,000,000).
    pub matrix_cells: usize,
    /// Most cells of a table shown on a page (default 10,000); larger matrices need `show: false`.
    pub table_cells: usize,
    /// Deepest nesting of parentheses and functions in an expression (default 64).
    pub expression_depth: usize,
    /// Most multiply-adds one expression may cost (default 1,000,000,000, about a second).
    pub expression_work: u64,
}

pub const LIMIT_KEYS: &[&str] = &[
    "matrix_cells",
    "table_cells",
    "expression_depth",
    "expression_work",
];

impl Default for Limits {
    fn default() -> Self {
        Limits {
            matrix_cells: 1_000_000,
            table_cells: 10_000,
            expression_depth: DEFAULT_EXPRESSION_DEPTH,
            expression_work: 1_000_000_000,
        }
    }
}

fn yes() -> bool {
    true
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

    /// The base URL when it is absolute (`https://…/`), for canonical links and the sitemap.
    pub fn absolute_base(&self) -> Option<String> {
        let base = self.base();
        (base.starts_with("https://") || base.starts_with("http://")).then_some(base)
    }

    /// The path part of `base_url` (`/lessons/`), for pages that must link from the root.
    pub fn base_path(&self) -> String {
        let base = self.base();
        match base.split_once("://") {
            Some((_, rest)) => rest
                .find('/')
                .map_or("/".to_string(), |i| rest[i..].to_string()),
            None if base.starts_with('/') => base,
            None => format!("/{base}"),
        }
    }
}

/// Deepest nesting of an expression by default (`limits.expression_depth`).
pub const DEFAULT_EXPRESSION_DEPTH: usize = 64;
