//! Report: diagnostics as rustc-style text (path:line:col, the source lines, an underline, notes
//! and help), rendered by annotate-snippets.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::error::{Diagnostic, Error, Severity};
use crate::source::Sources;

/// Renders one diagnostic. `color` selects ANSI styling.
pub fn render(d: &Diagnostic, sources: &Sources, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = Group::with_title(level.primary_title(d.message.as_str()));
    let mut spans: Vec<(&crate::source::Span, &str, bool)> = Vec::new();
    if let Some((span, label)) = &d.primary {
        spans.push((span, label, true));
    }
    spans.extend(d.secondary.iter().map(|(s, l)| (s, l.as_str(), false)));
    // One snippet per file, primary file first.
    let mut files: Vec<crate::source::FileId> = Vec::new();
    for (s, _, _) in &spans {
        if !files.contains(&s.file) {
            files.push(s.file);
        }
    }
    for file in files {
        let f = sources.get(file);
        let mut snippet = Snippet::source(f.text.as_str()).path(f.name.as_str());
        for (span, label, primary) in spans.iter().filter(|(s, _, _)| s.file == file) {
            let kind = if *primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            let range = clamp(&f.text, span.range.clone());
            snippet = snippet.annotation(kind.span(range).label(*label));
        }
        group = group.element(snippet);
    }
    for note in &d.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&[group])
}

/// Keeps a span inside the text and on char boundaries.
fn clamp(text: &str, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let start = crate::source::floor_char(text, r.start);
    let end = crate::source::floor_char(text, r.end.max(start));
    start..end
}

/// Renders a failed command: every diagnostic, numbered, then a one-line verdict.
pub fn render_error(e: &Error, sources: &Sources, color: bool) -> String {
    match e {
        Error::Content(ds) => {
            let mut out = String::new();
            for d in ds {
                out.push_str(&render(d, sources, color));
                out.push_str("\n\n");
            }
            let n = ds.iter().filter(|d| d.severity == Severity::Error).count();
            out.push_str(&format!(
                "error: the build failed with {n} error{}; the previous site was left as it was\n",
                if n == 1 { "" } else { "s" }
            ));
            out
        }
        Error::Io { path, source } => format!("error: {}: {source}\n", path.display()),
        Error::Usage(m) => format!("error: {m}\n"),
    }
}
