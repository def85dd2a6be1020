//! Picking rows and columns by label or position (`M[r, c]`, `M[a:b, :]`), with errors that list
//! the labels there are.

use std::ops::Range;

use super::value::{EvalError, err};
use crate::compute::matrix::{Locate, Matrix};
use crate::parse::expr::Sel;

/// The position of row (`is_row`) or column `key` of `m`, named `name` in messages.
pub(super) fn position(
    m: &Matrix,
    is_row: bool,
    key: &str,
    span: &Range<usize>,
    name: &str,
) -> Result<usize, EvalError> {
    let (found, what, n) = if is_row {
        (m.locate_row(key), "row", m.shape().0)
    } else {
        (m.locate_col(key), "column", m.shape().1)
    };
    let list = || {
        if is_row {
            labels_list(n, |i| m.row_label(i))
        } else {
            labels_list(n, |j| m.col_label(j))
        }
    };
    found.map_err(|why| match why {
        Locate::Missing => err(
            format!("{name} has no {what} `{key}`"),
            span.clone(),
            Some(format!("its {what}s are {}", list())),
        ),
        Locate::Repeated(count) => err(
            format!("{name} has {count} {what}s labelled `{key}`, so `{key}` does not pick one"),
            span.clone(),
            Some(format!(
                "define it in its own block and rename with `{}:`, or pick by position (1 to {n})",
                if is_row { "rows" } else { "cols" }
            )),
        ),
    })
}

/// The positions one side of `M[rows, cols]` selects.
pub(crate) fn selection(
    m: &Matrix,
    is_row: bool,
    sel: &Sel,
    name: &str,
) -> Result<Vec<usize>, EvalError> {
    let n = if is_row { m.shape().0 } else { m.shape().1 };
    match sel {
        Sel::All => Ok((0..n).collect()),
        Sel::One((key, span)) => Ok(vec![position(m, is_row, key, span, name)?]),
        Sel::Range((from, fs), (to, ts)) => {
            let a = position(m, is_row, from, fs, name)?;
            let b = position(m, is_row, to, ts, name)?;
            if a > b {
                return Err(err(
                    format!(
                        "the range `{from}:{to}` runs backwards: `{from}` is {} {} of {name}, after `{to}`",
                        if is_row { "row" } else { "column" },
                        a + 1
                    ),
                    fs.start..ts.end,
                    Some(format!(
                        "write it first to last, `{to}:{from}`; a range includes both ends"
                    )),
                ));
            }
            Ok((a..=b).collect())
        }
    }
}

fn labels_list(n: usize, f: impl Fn(usize) -> String) -> String {
    let shown: Vec<String> = (0..n.min(12)).map(|i| format!("`{}`", f(i))).collect();
    let more = if n > 12 {
        format!(", … ({n} in all)")
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}
