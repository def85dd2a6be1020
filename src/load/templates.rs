//! The template set: a project's `templates/` files, then the built-ins they do not replace.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::files::{TemplateBody, TemplateFile, display_name, walk_error};
use super::lesson::read_source;
use crate::error::{Diagnostic, Error};
use crate::source::{SourceFile, Sources};

/// The project's templates, then the built-ins it does not override.
pub fn read_templates(
    root: &Path,
    sources: &mut Sources,
    problems: &mut Vec<Diagnostic>,
) -> Result<Vec<TemplateFile>, Error> {
    let dir = root.join("templates");
    let mut out = Vec::new();
    if dir.is_dir() {
        for entry in WalkDir::new(&dir)
            .min_depth(1)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.map_err(walk_error)?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = display_name(&dir, entry.path());
            let body = if name.ends_with(".html") {
                match read_source(root, entry.path(), sources, problems)? {
                    Some(file) => TemplateBody::Template(file),
                    None => continue,
                }
            } else if name.ends_with(".js")
                && let Ok(text) = std::fs::read_to_string(entry.path())
            {
                TemplateBody::Script(text)
            } else {
                TemplateBody::File(entry.path().to_path_buf())
            };
            out.push(TemplateFile {
                name,
                body,
                overridden: true,
            });
        }
    }
    for (name, text) in crate::builtin::TEMPLATES {
        if out.iter().any(|t| t.name == *name) {
            continue;
        }
        let body = if name.ends_with(".html") {
            TemplateBody::Template(sources.add(SourceFile::new(
                format!("(built-in) templates/{name}"),
                PathBuf::from(name),
                text.to_string(),
            )))
        } else {
            TemplateBody::Builtin(text)
        };
        out.push(TemplateFile {
            name: name.to_string(),
            body,
            overridden: false,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
