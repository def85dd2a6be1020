//! Report: diagnostics as rustc-style text (path:line:col, the source lines, an underline, notes
//! and help), rendered by annotate-snippets.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use serde_json::{Value, json};

use crate::error::{Diagnostic, Error, Severity};
use crate::pipeline::Summary;
use crate::source::Sources;

/// Renders one diagnostic. `number` is shown as `error[number]`; `color` selects ANSI styling.
pub fn render(d: &Diagnostic, sources: &Sources, number: Option<&str>, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut title = level.primary_title(d.message.as_str());
    if let Some(n) = number {
        title = title.id(n);
    }
    let mut group = Group::with_title(title);
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
            let n = ds.iter().filter(|d| d.severity == Severity::Error).count();
            let mut i = 0;
            for d in ds {
                let number = (d.severity == Severity::Error && n > 1).then(|| {
                    i += 1;
                    format!("{i}/{n}")
                });
                out.push_str(&render(d, sources, number.as_deref(), color));
                out.push_str("\n\n");
            }
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

/// One diagnostic as a JSON object on one line: severity, message, the primary location
/// (`file`, 1-based `line`/`column`, `end_line`/`end_column`), `label`, `related` locations,
/// `notes` and `help`.
pub fn json(d: &Diagnostic, sources: &Sources) -> String {
    let place = |span: &crate::source::Span, label: &str| {
        let f = sources.get(span.file);
        let (line, column) = f.line_col(span.range.start);
        let (end_line, end_column) = f.line_col(span.range.end);
        json!({"file": f.name, "line": line, "column": column, "end_line": end_line,
               "end_column": end_column, "label": label})
    };
    let mut v = json!({
        "type": "diagnostic",
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "message": d.message,
        "related": d.secondary.iter().map(|(s, l)| place(s, l)).collect::<Vec<_>>(),
        "notes": d.notes,
        "help": d.help,
    });
    let primary = match &d.primary {
        Some((s, l)) => place(s, l),
        None => json!({"file": null, "line": null, "column": null, "end_line": null,
                       "end_column": null, "label": null}),
    };
    if let (Value::Object(o), Value::Object(p)) = (&mut v, primary) {
        o.extend(p);
    }
    v.to_string()
}

/// The last line of a successful run in JSON.
pub fn json_summary(s: &Summary) -> String {
    json!({
        "type": "summary", "success": true, "lessons": s.lessons, "steps": s.steps,
        "matrices_computed": s.matrices_computed, "values_verified": s.checked.values,
        "shapes_verified": s.checked.shapes, "files": s.files, "links": s.links,
        "warnings": s.warnings.len(), "out": s.out.as_ref().map(|p| p.display().to_string()),
        "elapsed_ms": s.elapsed.as_millis() as u64,
    })
    .to_string()
}

/// A usage or I/O failure in JSON.
pub fn json_failure(e: &Error) -> String {
    json!({"type": "failure", "success": false, "exit_code": e.exit_code(), "message": e.to_string()})
        .to_string()
}
