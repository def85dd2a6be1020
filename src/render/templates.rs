//! The template set, and tera errors turned into located diagnostics.
//!
//! Files ending in `.html` are tera templates; any other file (e.g. `style.css`) is a static
//! asset copied to `site/assets/`. The set itself (built-ins plus the project's overrides) is
//! chosen by [`crate::load`].

use tera::{ErrorKind, Tera};

use super::Output;
use crate::error::Diagnostic;
use crate::load::{TemplateBody, TemplateFile};
use crate::source::{Sources, Span};

pub struct Templates {
    pub tera: Tera,
    /// Static files for `site/assets/`, sorted by name.
    pub assets: Vec<Output>,
}

impl Templates {
    pub fn new(files: &[TemplateFile], sources: &Sources) -> Result<Templates, Diagnostic> {
        let mut html = Vec::new();
        let mut assets = Vec::new();
        for t in files {
            let path = format!("assets/{}", t.name);
            match &t.body {
                TemplateBody::Template(file) => {
                    html.push((t.name.as_str(), sources.get(*file).text.as_str()))
                }
                TemplateBody::Builtin(text) => assets.push(Output::Page {
                    path,
                    contents: text.to_string(),
                    origin: None,
                }),
                TemplateBody::File(from) => assets.push(Output::Copy {
                    path,
                    from: from.clone(),
                }),
            }
        }
        let mut tera = Tera::new();
        tera.add_raw_templates(html)
            .map_err(|e| template_error(&e, files))?;
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
    let file = files.iter().find_map(|t| match t.body {
        TemplateBody::Template(file) if t.name == report.filename() => Some((t, file)),
        _ => None,
    });
    match file {
        Some((t, file)) => {
            let d = d.at(Span::new(file, report.span().range.clone()), "here");
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
