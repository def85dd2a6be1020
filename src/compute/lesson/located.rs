//! Evaluation errors as diagnostics located in the file, with the likely cause of an unknown name:
//! used before its block, defined in another lesson, a function, or a typo.

use super::env::Env;
use crate::compute::eval::EvalError;
use crate::error::{Diagnostic, did_you_mean};
use crate::model::MatrixDef;
use crate::source::{FileId, Span};

/// A recall of a name that is not in scope where the block is.
pub(super) fn recall_unknown(def: &MatrixDef, env: &Env) -> Option<Diagnostic> {
    let e = EvalError {
        message: String::new(),
        span: 0..0,
        help: None,
        unknown_name: Some(def.name.clone()),
    };
    located(e, def.name_span.file, None, &def.name_span, env)
        .map(|d| d.note("a recall block shows a matrix defined earlier in the lesson, or imported"))
}

/// Turns an evaluation error into a diagnostic located in the file. Returns `None` for uses of
/// a name whose own definition already failed (that failure is reported once, at its block).
pub(super) fn located(
    e: EvalError,
    file: FileId,
    base: Option<usize>,
    fallback: &Span,
    env: &Env,
) -> Option<Diagnostic> {
    let span = match base {
        Some(b) => Span::new(file, b + e.span.start..b + e.span.end),
        None => fallback.clone(),
    };
    let Some(name) = e.unknown_name else {
        return Some(
            Diagnostic::error(e.message)
                .at(span, "here")
                .maybe_help(e.help),
        );
    };
    if env.failed.contains(&name) {
        return None;
    }
    if let Some(def) = env.all_defs.get(name.as_str()) {
        return Some(
            Diagnostic::error(format!("`{name}` is used before it is defined"))
                .at(span, "used here")
                .also((*def).clone(), "defined here, later")
                .help("a matrix can be used only after its block: move the block earlier, or this use later"),
        );
    }
    // One entry per block that defines it, in site order.
    let elsewhere: Vec<String> = (env.elsewhere)(&name)
        .into_iter()
        .filter(|l| l != env.lesson)
        .collect();
    if !elsewhere.is_empty() {
        let lessons = elsewhere;
        return Some(
            Diagnostic::error(format!(
                "`{name}` is not defined in lesson `{}`",
                env.lesson
            ))
            .at(span, "not in scope here")
            .note(format!(
                "`{name}` is defined in lesson `{}`",
                lessons.join("`, `")
            ))
            .help(format!(
                "import it: add `imports: [{}/{name}]` to the front matter of this lesson's lesson.md",
                lessons[0]
            )),
        );
    }
    if crate::parse::expr::FUNCTIONS
        .iter()
        .any(|(f, _)| *f == name)
    {
        return Some(
            Diagnostic::error(format!("`{name}` is a function, not a matrix"))
                .at(span, "used as a matrix")
                .help(format!("call it with parentheses: `{name}(A)`")),
        );
    }
    let in_scope: Vec<&str> = env.defined.keys().map(String::as_str).collect();
    let d = Diagnostic::error(format!("unknown matrix `{name}`")).at(span, "not defined");
    let d = match did_you_mean(&name, in_scope.iter().copied()) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d,
    };
    Some(if in_scope.is_empty() {
        d.note("no matrix is defined at this point of the lesson")
    } else {
        d.note(format!("in scope here: {}", in_scope.join(", ")))
    })
}
