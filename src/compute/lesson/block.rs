//! One matrix block evaluated: its literal or its `compute:` expression (never itself), then its
//! row and column labels applied and checked against its shape.

use super::env::Env;
use super::located::located;
use crate::compute::eval::Value;
use crate::compute::matrix::Matrix;
use crate::error::Diagnostic;
use crate::model::{MatrixDef, MatrixSource};
use crate::source::Span;

/// Evaluates one block and applies its labels.
pub(super) fn evaluate(def: &MatrixDef, env: &Env) -> Result<Matrix, Vec<Diagnostic>> {
    let mut m = match &def.source {
        MatrixSource::Literal(data) => Matrix::new(data.clone()),
        // A recall block defines nothing (the walk never evaluates one).
        MatrixSource::Recall { .. } => return Err(Vec::new()),
        MatrixSource::Computed {
            expr, text, base, ..
        } => {
            let key = def
                .yaml
                .key_span("compute")
                .unwrap_or_else(|| def.yaml.whole_span());
            if let Some((_, at)) = expr.names().into_iter().find(|(n, _)| *n == def.name) {
                let span = match base {
                    Some(b) => Span::new(def.name_span.file, b + at.start..b + at.end),
                    None => key,
                };
                return Err(vec![
                    Diagnostic::error(format!("`{}` is computed from itself", def.name))
                        .at(span, "refers to the matrix being defined")
                        .help("give the result a new name, e.g. `X2`, and compute it from `X`"),
                ]);
            }
            match env.eval(expr, text) {
                Ok(Value::Matrix(m)) => m.into_owned(),
                Ok(Value::Scalar(s)) => Matrix::new(ndarray::arr2(&[[s]])),
                Err(e) => {
                    return Err(located(e, def.name_span.file, *base, &key, env)
                        .map(|d| d.note(format!("while computing `{}`", def.name)))
                        .into_iter()
                        .collect());
                }
            }
        }
    };
    let (r, c) = m.shape();
    let mut problems = Vec::new();
    for (key, labels, n, what) in [
        ("rows", &def.rows, r, "rows"),
        ("cols", &def.cols, c, "columns"),
    ] {
        if let Some(l) = labels
            && l.len() != n
        {
            problems.push(
                Diagnostic::error(format!(
                    "{} labels in `{key}`, but `{}` has {n} {what}",
                    l.len(),
                    def.name
                ))
                .at(
                    def.yaml
                        .key_span(key)
                        .unwrap_or_else(|| def.yaml.whole_span()),
                    "here",
                )
                .help(format!(
                    "give exactly one label per {}",
                    &what[..what.len() - 1]
                )),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if def.rows.is_some() {
        m.rows = def.rows.clone();
    }
    if def.cols.is_some() {
        m.cols = def.cols.clone();
    }
    Ok(m)
}
