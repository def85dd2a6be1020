//! The template set, and tera errors turned into located diagnostics.
//!
//! Files ending in `.html` are tera templates; any other file (e.g. `style.css`) is a static
//! asset copied to `site/assets/`. The set itself (built-ins plus the project's overrides) is
//! chosen by [`crate::load`].

use tera::{ErrorKind, Tera};

use crate::error::Diagnostic;
use crate::load::TemplateFile;
use crate::source::{Sources, Span};

pub struct Templates {
    pub tera: Tera,
    /// Static files for `site/assets/`: (name, contents), sorted by name.
    pub assets: Vec<(String, String)>,
}

impl Templates {
    pub fn new(files: &[TemplateFile], sources: &Sources) -> Result<Templates, Diagnostic> {
        let (html, assets): (Vec<_>, Vec<_>) =
            files.iter().partition(|t| t.name.ends_with(".html"));
        let mut tera = Tera::new();
        tera.add_raw_templates(
            html.iter()
                .map(|t| (t.name.as_str(), sources.get(t.file).text.as_str())),
        )
        .map_err(|e| template_error(&e, files))?;
        let assets = assets
            .iter()
            .map(|t| (t.name.clone(), sources.get(t.file).text.clone()))
            .collect();
        Ok(Templates { tera, assets })
    }
}

/// A tera error as a diagnostic pointing into the template file.
pub fn template_error(e: &tera::Error, files: &[TemplateFile]) -> Diagnostic {
    let report = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let Some(report) = report else {
        let mut text = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            text.push_str(&format!(": {s}"));
            source = s.source();
        }
        return Diagnostic::error(format!("template error: {text}"));
    };
    let d = Diagnostic::error(format!("template error: {}", report.message()));
    match files.iter().find(|t| t.name == report.filename()) {
        Some(t) => {
            let d = d.at(Span::new(t.file, report.span().range.clone()), "here");
            if t.overridden {
                d.help(format!(
                    "templates/{} replaces the built-in template; the variables templates see are listed in the README",
                    t.name
                ))
            } else {
                d
            }
        }
        None => d.note(format!("in template {}", report.filename())),
    }
}
