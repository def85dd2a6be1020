//! The template set: built-in templates compiled into the binary, overridden file by file by
//! the project's `templates/` folder.
//!
//! Files ending in `.html` are tera templates; any other file (e.g. `style.css`) is a static
//! asset copied to `site/assets/`.

use tera::Tera;

use crate::error::Diagnostic;

/// The built-in set: the repository's `templates/` folder.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("lesson.html", include_str!("../../templates/lesson.html")),
    ("step.html", include_str!("../../templates/step.html")),
    ("matrix.html", include_str!("../../templates/matrix.html")),
    ("style.css", include_str!("../../templates/style.css")),
];

pub struct Templates {
    pub tera: Tera,
    /// Static files for `site/assets/`: (name, contents), sorted by name.
    pub assets: Vec<(String, String)>,
}

impl Templates {
    /// Builds the set from the built-ins and the project's overrides.
    pub fn new(overrides: &[(String, String)]) -> Result<Templates, Diagnostic> {
        let mut all: Vec<(String, String)> = BUILTIN
            .iter()
            .filter(|(name, _)| !overrides.iter().any(|(o, _)| o == name))
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        all.extend(overrides.iter().cloned());
        all.sort();
        let (html, assets): (Vec<_>, Vec<_>) =
            all.into_iter().partition(|(n, _)| n.ends_with(".html"));
        let mut tera = Tera::new();
        tera.add_raw_templates(html.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&e, overrides))?;
        Ok(Templates { tera, assets })
    }
}

/// A tera error as a diagnostic, naming `templates/NAME` when the template is the project's own.
pub fn template_error(e: &tera::Error, overrides: &[(String, String)]) -> Diagnostic {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    let d = Diagnostic::error(format!("template error: {text}"));
    if overrides.is_empty() {
        d
    } else {
        let names: Vec<String> = overrides
            .iter()
            .map(|(n, _)| format!("templates/{n}"))
            .collect();
        d.note(format!("this project overrides {}", names.join(", ")))
    }
}
