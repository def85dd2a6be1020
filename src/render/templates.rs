//! The template set, and tera errors turned into located diagnostics.
//!
//! Files ending in `.html` are tera templates; any other file (e.g. `style.css`) is a static
//! asset copied to `site/assets/`. The set itself (built-ins plus the project's overrides) is
//! chosen by [`crate::load`].

use tera::{ErrorKind, Tera};

use super::output::Output;
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
                TemplateBody::Script(text) => assets.push(Output::Page {
                    path,
                    contents: shipped_script(text),
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

    /// Renders template `name` into a buffer kept by the thread from page to page, checked as
    /// UTF-8 with SIMD. tera's own `render` checks each page with `String::from_utf8`, 4 % of
    /// a build's CPU time; this saves about 2.5 % of the build's wall time.
    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, tera::Error> {
        thread_local! {
            static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUF.with_borrow_mut(|buf| {
            buf.clear();
            self.tera.render_to(name, ctx, &mut *buf)?;
            Ok(match simdutf8::basic::from_utf8(buf) {
                Ok(text) => text.to_string(),
                // tera writes only `str`s: never taken.
                Err(_) => String::from_utf8_lossy(buf).into_owned(),
            })
        })
    }
}

/// Warnings for a project's templates that write a search form although `site.yaml` sets
/// `search: false`: `lectern.js` would show the field, with no index behind it. A template that
/// mentions `site.search` is taken to write the form only when it is set.
pub fn stray_search_forms(
    files: &[TemplateFile],
    sources: &Sources,
    search: bool,
) -> Vec<Diagnostic> {
    if search {
        return Vec::new();
    }
    let form_at = |text: &str| {
        text.match_indices("<form").map(|(at, _)| at).find(|&at| {
            let end = text[at..].find('>').map_or(text.len(), |e| at + e);
            text[at..end]
                .split(|c: char| c.is_ascii_whitespace() || matches!(c, '"' | '\'' | '='))
                .any(|word| word == "search")
        })
    };
    files
        .iter()
        .filter(|t| t.overridden)
        .filter_map(|t| match t.body {
            TemplateBody::Template(file) => {
                let text = &sources.get(file).text;
                let at = form_at(text).filter(|_| !text.contains("site.search"))?;
                Some(
                    Diagnostic::warning(
                        "this template writes a search field, but `site.yaml` sets `search: false`",
                    )
                    .at(
                        Span::new(file, at..at + "<form".len()),
                        "`lectern.js` shows this field, and no index is written for it",
                    )
                    .help("write the form only `{% if site.search %}`, as the built-in `base.html` does, or remove it"),
                )
            }
            _ => None,
        })
        .collect()
}

/// A script as a learner downloads it: without its whole-line `//` comments, which are for
/// whoever edits it (a sixth of the built-in scripts' gzipped size). In JavaScript such a line
/// can only be text inside a template literal or after a line continuation, so a script with a
/// backtick or a line ending in `\\` in its code is shipped as it is.
pub fn shipped_script(text: &str) -> String {
    let code = || text.lines().filter(|l| !l.trim_start().starts_with("//"));
    if code().any(|l| l.contains('`') || l.ends_with('\\')) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for line in code() {
        out.push_str(line);
        out.push('\n');
    }
    out
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

#[cfg(test)]
mod tests {
    use super::shipped_script;

    /// The built-in scripts lose their comment lines and keep every line of code.
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
            let shipped = shipped_script(text);
            assert_eq!(shipped.lines().collect::<Vec<_>>(), code, "{name}");
            assert!(
                shipped.len() < text.len(),
                "{name} has no comment line to drop"
            );
        }
        assert_eq!(scripts, 2);
    }

    /// Where a `//` line could be text, the script is left whole.
    #[test]
    fn a_script_whose_lines_could_be_text_is_left_whole() {
        let literal = "var s = `a\n// not a comment\n`;\n// a comment\n";
        assert_eq!(shipped_script(literal), literal);
        let continued = "var s = 'a\\\n// not a comment';\n";
        assert_eq!(shipped_script(continued), continued);
        let plain = "  // a comment\nvar a = 1; // kept: not a whole line\n//\n";
        assert_eq!(
            shipped_script(plain),
            "var a = 1; // kept: not a whole line\n"
        );
    }
}
