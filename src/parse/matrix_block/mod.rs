//! Matrix blocks: the YAML of a ```` ```matrix ```` fence, checked and turned into a [`MatrixDef`].

use ndarray::Array2;

use super::expr::{self, is_identifier};
use super::yaml::block::{BLOCK_KEYS, BlockYaml, Label};
use super::yaml::{YamlText, fast};
use crate::config::Limits;
use crate::error::Diagnostic;
use crate::model::{Layout, MatrixDef, MatrixSource};
use crate::source::Span;
use layout::layout;

mod layout;

/// Most decimals a table may show: beyond this, f64 has no more digits to give.
pub const MAX_PRECISION: usize = 15;

/// Parses one block. All problems of the block are returned together.
pub fn parse(
    yaml: YamlText,
    fence_offset: usize,
    limits: &Limits,
) -> Result<MatrixDef, Vec<Diagnostic>> {
    let b: BlockYaml = match fast::block(&yaml.text) {
        Some(b) => b,
        None => yaml
            .parse("matrix block", BLOCK_KEYS)
            .map_err(|d| vec![d])?,
    };
    let key = |k: &str| yaml.key_span(k).unwrap_or_else(|| yaml.whole_span());
    if let Some(name) = b.recall.clone() {
        return recall(yaml, fence_offset, b, name);
    }
    let mut problems = Vec::new();
    if yaml.key_span("name").is_none() {
        return Err(vec![
            Diagnostic::error("this matrix block has no `name`")
                .at(yaml.whole_span(), "a block defines a matrix, or recalls one")
                .help("start the block with `name: X`, or `recall: X` to show a matrix defined earlier again"),
        ]);
    }
    let name_span = yaml.value_span("name").unwrap_or_else(|| key("name"));
    if !is_identifier(&b.name) {
        problems.push(
            Diagnostic::error(format!("`{}` is not a valid matrix name", b.name))
                .at(name_span.clone(), "names are used in expressions")
                .help("use letters, digits and `_`, starting with a letter or `_`, e.g. `W_Q`"),
        );
    }
    let source = match (b.values, b.compute) {
        (Some(_), Some(_)) => {
            problems.push(
                Diagnostic::error(format!("`{}` has both `values` and `compute`", b.name))
                    .at(key("compute"), "a matrix is either typed in or computed")
                    .help("to check typed values against a computation, put them under `expect:`"),
            );
            None
        }
        (None, None) => {
            problems.push(
                Diagnostic::error(format!("`{}` has neither `values` nor `compute`", b.name))
                    .at(name_span.clone(), "this block defines no numbers")
                    .help("add `values:` (a list of rows) or `compute:` (an expression such as `X @ W_Q^T`)"),
            );
            None
        }
        (Some(values), None) => {
            if b.expect.is_some() {
                problems.push(
                    Diagnostic::error("`expect` only applies to computed matrices")
                        .at(key("expect"), "nothing is computed here to compare with")
                        .help("use `compute:` with an expression, or remove `expect:`"),
                );
            }
            grid(&yaml, "values", values, limits, &mut problems).map(MatrixSource::Literal)
        }
        (None, Some(text)) => {
            let base = yaml
                .plain_value_offset("compute", &text)
                .map(|o| yaml.to_file(o));
            let expect = match b.expect {
                Some(e) => grid(&yaml, "expect", e, limits, &mut problems).map(Some),
                None => Some(None),
            };
            match expr::parse_with_depth(&text, limits.expression_depth) {
                Ok(expr) => expect.map(|expect| MatrixSource::Computed {
                    expr,
                    text,
                    base,
                    expect,
                    shape: b.shape.map(|[r, c]| (r, c)),
                }),
                Err(e) => {
                    let span = match base {
                        Some(base) => {
                            Span::new(name_span.file, base + e.span.start..base + e.span.end)
                        }
                        None => key("compute"),
                    };
                    problems.push(
                        Diagnostic::error(format!(
                            "cannot read the expression of `{}`: {}",
                            b.name, e.message
                        ))
                        .at(span, "here")
                        .maybe_help(e.help),
                    );
                    None
                }
            }
        }
    };
    let rows = b
        .rows
        .map(|l| l.into_iter().map(Label::text).collect::<Vec<_>>());
    let cols = b
        .cols
        .map(|l| l.into_iter().map(Label::text).collect::<Vec<_>>());
    duplicate_labels(&yaml, "rows", rows.as_deref(), &mut problems);
    duplicate_labels(&yaml, "cols", cols.as_deref(), &mut problems);
    if let Some(MatrixSource::Literal(data)) = &source {
        let (r, c) = data.dim();
        check_labels(&yaml, "rows", rows.as_deref(), r, &mut problems);
        check_labels(&yaml, "cols", cols.as_deref(), c, &mut problems);
        if let Some([sr, sc]) = b.shape
            && (sr, sc) != (r, c)
        {
            problems.push(
                Diagnostic::error(format!(
                    "`{}` is {r}×{c}, but `shape` says {sr}×{sc}",
                    b.name
                ))
                .at(key("shape"), "asserted here"),
            );
        }
    }
    let precision = b.precision.unwrap_or(3);
    if precision > MAX_PRECISION {
        problems.push(
            Diagnostic::error(format!(
                "`precision: {precision}` is more than {MAX_PRECISION} decimals"
            ))
            .at(key("precision"), "too many decimals")
            .help("a 64-bit float holds about 15 significant digits"),
        );
    }
    check_tolerance(&yaml, b.tolerance, &mut problems);
    if let Some(scale) = &b.scale
        && !is_identifier(scale)
    {
        problems.push(
            Diagnostic::error(format!("`scale: {scale}` is not a group name"))
                .at(key("scale"), "expected a name such as `qkv`, or `own`")
                .help("tables of one page with the same `scale` share one colour scale; `own` gives this table a scale of its own"),
        );
    }
    let layout = layout(&yaml, b.layout.as_deref(), source.as_ref(), &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(MatrixDef {
        name: b.name,
        name_span,
        fence_offset,
        source: source.expect("no problems means the source was read"),
        rows,
        cols,
        caption: b.caption,
        precision,
        tolerance: b.tolerance,
        show: b.show.unwrap_or(true),
        scale: b.scale,
        layout,
        yaml,
    })
}

/// A `recall: NAME` block: only `caption` and `precision` go with it.
fn recall(
    yaml: YamlText,
    fence_offset: usize,
    b: BlockYaml,
    name: String,
) -> Result<MatrixDef, Vec<Diagnostic>> {
    let span = yaml
        .value_span("recall")
        .unwrap_or_else(|| yaml.whole_span());
    let mut problems = Vec::new();
    for other in BLOCK_KEYS
        .iter()
        .filter(|k| !matches!(**k, "recall" | "caption" | "precision" | "scale"))
    {
        if let Some(at) = yaml.key_span(other) {
            problems.push(
                Diagnostic::error(format!("`{other}` does not go with `recall`"))
                    .at(at, "a recall block shows a matrix again, defining nothing")
                    .help("keep only `recall`, `caption`, `precision` and `scale`; to define a new matrix, use `name:` with `values:` or `compute:`"),
            );
        }
    }
    if !is_identifier(&name) {
        problems.push(
            Diagnostic::error(format!("`{name}` is not a valid matrix name"))
                .at(span.clone(), "recall a matrix by its name"),
        );
    }
    if let Some(scale) = b.scale.as_ref().filter(|s| !is_identifier(s)) {
        problems.push(
            Diagnostic::error(format!("`scale: {scale}` is not a group name")).at(
                yaml.key_span("scale").unwrap_or_else(|| span.clone()),
                "expected a name such as `qkv`, or `own`",
            ),
        );
    }
    if b.precision.is_some_and(|p| p > MAX_PRECISION) {
        problems.push(
            Diagnostic::error(format!(
                "`precision: {}` is more than {MAX_PRECISION} decimals",
                b.precision.unwrap_or_default()
            ))
            .at(
                yaml.key_span("precision").unwrap_or_else(|| span.clone()),
                "too many decimals",
            ),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(MatrixDef {
        name,
        name_span: span,
        fence_offset,
        source: MatrixSource::Recall {
            precision: b.precision,
        },
        rows: None,
        cols: None,
        caption: b.caption,
        precision: b.precision.unwrap_or(3),
        tolerance: None,
        show: true,
        scale: b.scale,
        layout: Layout::Block,
        yaml,
    })
}

/// Checks a list of rows: not empty, rectangular, no NaN, within the size limit. Infinities are
/// allowed: an author types them on purpose (a mask), and expressions keep them in check.
fn grid(
    yaml: &YamlText,
    key: &str,
    rows: Vec<Vec<f64>>,
    limits: &Limits,
    problems: &mut Vec<Diagnostic>,
) -> Option<Array2<f64>> {
    // Found only for a message: finding a key in the block's text costs more than the rest.
    let key_span = || yaml.key_span(key).unwrap_or_else(|| yaml.whole_span());
    let item = |i: usize| yaml.item_span(key, i).unwrap_or_else(key_span);
    let before = problems.len();
    let width = rows.first().map_or(0, Vec::len);
    if rows.is_empty() || width == 0 {
        problems.push(
            Diagnostic::error(format!("`{key}` is empty"))
                .at(key_span(), "a matrix needs at least one row and one column")
                .help(format!(
                    "write one list per row, e.g.\n{key}:\n  - [1, 0]\n  - [0, 1]"
                )),
        );
        return None;
    }
    if rows.len().saturating_mul(width) > limits.matrix_cells {
        problems.push(
            Diagnostic::error(format!(
                "`{key}` has {} cells, more than the limit of {}",
                rows.len().saturating_mul(width),
                limits.matrix_cells
            ))
            .at(key_span(), "too large")
            .help("raise `limits.matrix_cells` in site.yaml if this is intended"),
        );
        return None;
    }
    for (i, row) in rows.iter().enumerate() {
        if row.len() != width {
            problems.push(
                Diagnostic::error(format!(
                    "row {} of `{key}` has {} entries, but row 1 has {width}",
                    i + 1,
                    row.len()
                ))
                .at(item(i), format!("{} entries", row.len()))
                .help("every row of a matrix needs the same number of entries"),
            );
        } else if let Some(j) = row.iter().position(|v| v.is_nan()) {
            problems.push(
                Diagnostic::error(format!(
                    "entry {} of row {} of `{key}` is not a number (NaN)",
                    j + 1,
                    i + 1,
                ))
                .at(item(i), "in this row")
                .help("NaN cannot be shown or checked; an infinity is written `-inf` or `inf`"),
            );
        }
    }
    if problems.len() > before {
        return None;
    }
    let flat: Vec<f64> = rows.into_iter().flatten().collect();
    let n = flat.len() / width;
    Some(Array2::from_shape_vec((n, width), flat).expect("rows were checked to be rectangular"))
}

fn check_labels(
    yaml: &YamlText,
    key: &str,
    labels: Option<&[String]>,
    n: usize,
    problems: &mut Vec<Diagnostic>,
) {
    let Some(labels) = labels else { return };
    let what = if key == "rows" { "rows" } else { "columns" };
    if labels.len() != n {
        problems.push(
            Diagnostic::error(format!(
                "{} labels in `{key}`, but the matrix has {n} {what}",
                labels.len()
            ))
            .at(
                yaml.key_span(key).unwrap_or_else(|| yaml.whole_span()),
                "here",
            )
            .help(format!(
                "give exactly one label per {}",
                &what[..what.len() - 1]
            )),
        );
    }
}

/// Labels pick rows and columns, so they must be unique.
fn duplicate_labels(
    yaml: &YamlText,
    key: &str,
    labels: Option<&[String]>,
    problems: &mut Vec<Diagnostic>,
) {
    let Some(labels) = labels else { return };
    if let Some((i, l)) = labels
        .iter()
        .enumerate()
        .find(|(i, l)| labels[..*i].contains(l))
    {
        problems.push(
            Diagnostic::error(format!("the label `{l}` appears twice in `{key}`"))
                .at(
                    yaml.key_span(key).unwrap_or_else(|| yaml.whole_span()),
                    format!("label {} repeats an earlier one", i + 1),
                )
                .help("labels pick rows and columns in expressions such as `Q[cat, 2]`, so each must be unique"),
        );
    }
}

/// `tolerance:` (of a matrix or a quiz) must be a finite number of at least 0.
pub fn check_tolerance(yaml: &YamlText, tolerance: Option<f64>, problems: &mut Vec<Diagnostic>) {
    if let Some(t) = tolerance
        && !(t.is_finite() && t >= 0.0)
    {
        problems.push(
            Diagnostic::error("`tolerance` must be a finite number of at least 0").at(
                yaml.key_span("tolerance")
                    .unwrap_or_else(|| yaml.whole_span()),
                "here",
            ),
        );
    }
}
