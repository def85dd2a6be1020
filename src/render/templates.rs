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
                    contents: match t.name.ends_with(".js") {
                        true => shipped_script(text),
                        false => text.to_string(),
                    },
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
/// A built-in script as a learner downloads it: without its whole-line `//` comments, which are
/// for whoever edits it (a sixth of the scripts' gzipped size). Only for the built-ins: they have
/// no template literal and no line continuation, where such a line would be text (a test keeps
/// it so); a project's own scripts are copied as they are.
fn shipped_script(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

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

#[cfg(test)]
mod tests {
    use super::shipped_script;

    /// Dropping comment lines keeps every line of code: no built-in script has a line that a
    /// template literal or a line continuation would make text.
    #[test]
    fn built_in_scripts_ship_without_their_comment_lines() {
        let mut scripts = 0;
        for (name, text) in crate::builtin::TEMPLATES
            .iter()
            .filter(|(n, _)| n.ends_with(".js"))
        {
            scripts += 1;
            let code: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect();
            for line in &code {
                assert!(
                    !line.contains('`'),
                    "{name}: a template literal in {line:?}"
                );
                assert!(
                    !line.ends_with('\\'),
                    "{name}: a line continuation in {line:?}"
                );
            }
            let shipped = shipped_script(text);
            assert_eq!(shipped.lines().collect::<Vec<_>>(), code, "{name}");
            assert!(
                shipped.len() < text.len(),
                "{name} has no comment line to drop"
            );
            assert!(!shipped.lines().any(|l| l.trim_start().starts_with("//")));
        }
        assert_eq!(scripts, 2);
    }
}
