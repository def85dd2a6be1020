//! A matrix with row and column labels, and the operations expressions use.
//!
//! Labels travel with the numbers so that a computed table can be shown with the right headers:
//! `A @ B` keeps A's row labels and B's column labels, `A^T` swaps them, and element-wise
//! operations keep the labels of their left operand (or the right one when the left has none).
//! A matrix without labels is numbered 1, 2, 3, ... when shown.

use ndarray::{Array2, Axis};

/// Row or column labels: `None` means "number them from 1".
pub type Labels = Option<Vec<String>>;

#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub data: Array2<f64>,
    pub rows: Labels,
    pub cols: Labels,
}

impl Matrix {
    pub fn new(data: Array2<f64>) -> Self {
        Matrix {
            data,
            rows: None,
            cols: None,
        }
    }

    pub fn shape(&self) -> (usize, usize) {
        self.data.dim()
    }

    /// `"4×8"`, the way shapes are written in messages.
    pub fn shape_text(&self) -> String {
        shape_text(self.shape())
    }

    pub fn row_label(&self, i: usize) -> String {
        label(&self.rows, i)
    }

    pub fn col_label(&self, j: usize) -> String {
        label(&self.cols, j)
    }

    /// Position of a row given by label, or by 1-based number when no label has that text.
    pub fn find_row(&self, key: &str) -> Option<usize> {
        find(&self.rows, self.shape().0, key)
    }

    pub fn find_col(&self, key: &str) -> Option<usize> {
        find(&self.cols, self.shape().1, key)
    }

    pub fn transpose(&self) -> Matrix {
        Matrix {
            data: self.data.t().to_owned(),
            rows: self.cols.clone(),
            cols: self.rows.clone(),
        }
    }

    /// Matrix product; the caller has checked that the inner dimensions agree. Each entry is
    /// summed left to right from 0 (see [`sum`]), so a page's script, which sums the same
    /// way, reproduces every entry bit for bit when a learner edits an operand.
    pub fn matmul(&self, other: &Matrix) -> Matrix {
        let (a, b) = (&self.data, &other.data);
        let (m, n) = (a.nrows(), b.ncols());
        let data = Array2::from_shape_fn((m, n), |(i, j)| {
            sum(a.row(i).iter().zip(b.column(j)).map(|(x, y)| x * y))
        });
        Matrix {
            data,
            rows: self.rows.clone(),
            cols: other.cols.clone(),
        }
    }

    /// Element-wise combination of two matrices of the same shape.
    pub fn zip_with(&self, other: &Matrix, f: impl Fn(f64, f64) -> f64) -> Matrix {
        let mut data = self.data.clone();
        data.zip_mut_with(&other.data, |a, &b| *a = f(*a, b));
        Matrix {
            data,
            rows: self.rows.clone().or_else(|| other.rows.clone()),
            cols: self.cols.clone().or_else(|| other.cols.clone()),
        }
    }

    pub fn map(&self, f: impl Fn(f64) -> f64) -> Matrix {
        Matrix {
            data: self.data.mapv(f),
            rows: self.rows.clone(),
            cols: self.cols.clone(),
        }
    }

    /// Row-wise softmax, computed stably by subtracting each row's maximum first.
    pub fn softmax_rows(&self) -> Matrix {
        let mut data = self.data.clone();
        for mut row in data.axis_iter_mut(Axis(0)) {
            let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
            row.mapv_inplace(|v| (v - max).exp());
            let total = sum(row.iter().copied());
            row.mapv_inplace(|v| v / total);
        }
        Matrix {
            data,
            rows: self.rows.clone(),
            cols: self.cols.clone(),
        }
    }

    pub fn all_finite(&self) -> bool {
        self.data.iter().all(|v| v.is_finite())
    }

    pub fn has_infinity(&self) -> bool {
        self.data.iter().any(|v| v.is_infinite())
    }

    /// Row `key` (a label, or a 1-based position when no label has that text), refusing a label
    /// that more than one row has.
    pub fn locate_row(&self, key: &str) -> Result<usize, Locate> {
        locate(&self.rows, self.shape().0, key)
    }

    pub fn locate_col(&self, key: &str) -> Result<usize, Locate> {
        locate(&self.cols, self.shape().1, key)
    }

    /// The rows `rows` and columns `cols` (positions, in order), with their labels. An
    /// unlabelled axis keeps its numbers as labels unless every position is kept.
    pub fn select(&self, rows: &[usize], cols: &[usize]) -> Matrix {
        let data = Array2::from_shape_fn((rows.len(), cols.len()), |(i, j)| {
            self.data[[rows[i], cols[j]]]
        });
        let pick = |labels: &Labels, n: usize, keep: &[usize]| -> Labels {
            let all = keep.len() == n && keep.iter().enumerate().all(|(k, &i)| k == i);
            if labels.is_none() && all {
                return None;
            }
            Some(keep.iter().map(|&i| label(labels, i)).collect())
        };
        Matrix {
            data,
            rows: pick(&self.rows, self.shape().0, rows),
            cols: pick(&self.cols, self.shape().1, cols),
        }
    }

    /// Side by side (`horizontal`) or one above another; the caller has checked that the rows
    /// (or columns) agree. Labels follow their operands; the shared axis takes the first labels.
    pub fn stack(parts: &[&Matrix], horizontal: bool) -> Matrix {
        let views: Vec<_> = parts.iter().map(|m| m.data.view()).collect();
        let axis = if horizontal { Axis(1) } else { Axis(0) };
        let data = ndarray::concatenate(axis, &views).expect("shapes were checked");
        let joined = |get: &dyn Fn(&Matrix) -> (&Labels, usize)| -> Labels {
            if parts.iter().all(|m| get(m).0.is_none()) {
                return None;
            }
            Some(
                parts
                    .iter()
                    .flat_map(|m| {
                        let (l, n) = get(m);
                        (0..n).map(move |i| label(l, i))
                    })
                    .collect(),
            )
        };
        let shared = |get: &dyn Fn(&Matrix) -> &Labels| parts.iter().find_map(|m| get(m).clone());
        if horizontal {
            Matrix {
                data,
                rows: shared(&|m| &m.rows),
                cols: joined(&|m| (&m.cols, m.shape().1)),
            }
        } else {
            Matrix {
                data,
                rows: joined(&|m| (&m.rows, m.shape().0)),
                cols: shared(&|m| &m.cols),
            }
        }
    }

    /// Entry-by-entry combination with NumPy's broadcasting: on each axis the sizes agree or
    /// one of them is 1. `None` when the shapes do not broadcast. Labels come from the left
    /// operand, else the right one, among those with the result's size on that axis.
    pub fn broadcast_with(&self, other: &Matrix, f: impl Fn(f64, f64) -> f64) -> Option<Matrix> {
        let (ra, ca) = self.shape();
        let (rb, cb) = other.shape();
        let (r, c) = broadcast_shape((ra, ca), (rb, cb))?;
        if (ra, ca) == (rb, cb) {
            return Some(self.zip_with(other, f));
        }
        let data = Array2::from_shape_fn((r, c), |(i, j)| {
            f(
                self.data[[i.min(ra - 1), j.min(ca - 1)]],
                other.data[[i.min(rb - 1), j.min(cb - 1)]],
            )
        });
        let pick = |a: &Labels, na: usize, b: &Labels, nb: usize, n: usize| -> Labels {
            [(a, na), (b, nb)]
                .into_iter()
                .find_map(|(l, k)| if k == n { l.clone() } else { None })
        };
        Some(Matrix {
            data,
            rows: pick(&self.rows, ra, &other.rows, rb, r),
            cols: pick(&self.cols, ca, &other.cols, cb, c),
        })
    }

    /// Each row reduced to one number: an m×1 column labelled `name`.
    pub fn reduce_rows(&self, name: &str, f: impl Fn(ndarray::ArrayView1<f64>) -> f64) -> Matrix {
        let col: Vec<f64> = self.data.rows().into_iter().map(f).collect();
        let n = col.len();
        Matrix {
            data: Array2::from_shape_vec((n, 1), col).expect("one entry per row"),
            rows: self.rows.clone(),
            cols: Some(vec![name.to_string()]),
        }
    }

    /// Each row to mean 0 and (population) variance 1, `(x − mean) / sqrt(var + eps)`, as
    /// `torch.nn.LayerNorm` before its scale and shift.
    pub fn normalize_rows(&self, eps: f64) -> Matrix {
        let mut data = self.data.clone();
        for mut row in data.axis_iter_mut(Axis(0)) {
            let (mean, var) = mean_var(row.view());
            let d = (var + eps).sqrt();
            row.mapv_inplace(|v| (v - mean) / d);
        }
        Matrix {
            data,
            rows: self.rows.clone(),
            cols: self.cols.clone(),
        }
    }
}

/// Why a row or column key does not pick one position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locate {
    Missing,
    /// The label names this many rows (or columns).
    Repeated(usize),
}

fn locate(labels: &Labels, n: usize, key: &str) -> Result<usize, Locate> {
    if let Some(l) = labels {
        let count = l.iter().filter(|x| *x == key).count();
        if count > 1 {
            return Err(Locate::Repeated(count));
        }
    }
    find(labels, n, key).ok_or(Locate::Missing)
}

/// The shape NumPy broadcasting gives two shapes, if they broadcast.
pub fn broadcast_shape(a: (usize, usize), b: (usize, usize)) -> Option<(usize, usize)> {
    let axis = |x: usize, y: usize| match (x, y) {
        _ if x == y => Some(x),
        (1, _) => Some(y),
        (_, 1) => Some(x),
        _ => None,
    };
    Some((axis(a.0, b.0)?, axis(a.1, b.1)?))
}

/// Mean and population variance (divided by n, as layer norm uses), in two passes.
pub fn mean_var(row: ndarray::ArrayView1<f64>) -> (f64, f64) {
    let n = row.len() as f64;
    let mean = sum(row.iter().copied()) / n;
    let var = sum(row.iter().map(|v| (v - mean) * (v - mean))) / n;
    (mean, var)
}

/// The sum of `values`, added one after another from 0 (not pairwise, as ndarray's `sum`
/// does): the order every sum of the build takes, and the one a page's script repeats.
pub fn sum(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(0.0, |acc, v| acc + v)
}

pub fn shape_text((r, c): (usize, usize)) -> String {
    format!("{r}×{c}")
}

fn label(labels: &Labels, i: usize) -> String {
    match labels {
        Some(l) => l[i].clone(),
        None => (i + 1).to_string(),
    }
}

fn find(labels: &Labels, n: usize, key: &str) -> Option<usize> {
    if let Some(l) = labels
        && let Some(i) = l.iter().position(|x| x == key)
    {
        return Some(i);
    }
    match key.parse::<usize>() {
        Ok(k) if (1..=n).contains(&k) => Some(k - 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn labels_flow_through_product_and_transpose() {
        let x = Matrix {
            data: array![[1., 2.], [3., 4.]],
            rows: Some(vec!["a".into(), "b".into()]),
            cols: None,
        };
        let w = Matrix {
            data: array![[1., 0.], [0., 1.], [1., 1.]],
            rows: Some(vec!["q1".into(), "q2".into(), "q3".into()]),
            cols: None,
        };
        let q = x.matmul(&w.transpose());
        assert_eq!(q.data, array![[1., 2., 3.], [3., 4., 7.]]);
        assert_eq!(q.row_label(1), "b");
        assert_eq!(q.col_label(2), "q3");
        assert_eq!(q.find_col("q2"), Some(1));
        assert_eq!(q.find_col("2"), Some(1));
        assert_eq!(q.find_col("4"), None);
        assert_eq!(x.col_label(0), "1");
    }

    #[test]
    fn softmax_is_stable_for_large_inputs() {
        let m = Matrix::new(array![[1000., 1000.], [0., f64::ln(3.0)]]);
        let s = m.softmax_rows();
        assert_eq!(s.data[[0, 0]], 0.5);
        assert!((s.data[[1, 1]] - 0.75).abs() < 1e-15);
    }
}
