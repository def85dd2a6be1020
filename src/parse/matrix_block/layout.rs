//! The `layout:` key of a matrix block: `block`, or `equation` for a computed `A op B` of two
//! names.

use crate::error::Diagnostic;
use crate::model::{Layout, MatrixSource};
use crate::parse::yaml::YamlText;

/// `layout:`: `block` (the default) or `equation`, which needs a computed `A op B` of two named
/// matrices (see [`crate::model::Expr::equation`]).
pub(super) fn layout(
    yaml: &YamlText,
    value: Option<&str>,
    source: Option<&MatrixSource>,
    problems: &mut Vec<Diagnostic>,
) -> Layout {
    let at = || {
        yaml.value_span("layout")
            .or_else(|| yaml.key_span("layout"))
            .unwrap_or_else(|| yaml.whole_span())
    };
    match value {
        None | Some("block") => Layout::Block,
        Some("equation") => {
            match source {
                Some(MatrixSource::Computed { expr, text, .. }) if expr.equation().is_none() => {
                    problems.push(
                        Diagnostic::error(format!(
                            "`layout: equation` cannot lay out `{}`",
                            text.trim()
                        ))
                        .at(at(), "needs two named matrices and one operator")
                        .help("an equation shows `A @ B`, `A + B`, `A - B` or `A * B`, where each side is a matrix name, maybe transposed (`X @ W_Q^T`); give the rest of the expression its own block, or remove `layout`"),
                    );
                }
                Some(MatrixSource::Literal(_)) => problems.push(
                    Diagnostic::error("`layout: equation` is for computed matrices")
                        .at(at(), "this block types its values")
                        .help(
                            "remove `layout`, or put it on the block that computes from this one",
                        ),
                ),
                _ => {}
            }
            Layout::Equation
        }
        Some(other) => {
            problems.push(
                Diagnostic::error(format!("`layout: {other}` is not a layout"))
                    .at(at(), "expected `block` or `equation`")
                    .help("`block` shows the table alone (the default); `equation` shows a product's operands beside it, as in `X · W_Qᵀ = Q`"),
            );
            Layout::Block
        }
    }
}
