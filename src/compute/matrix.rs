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

    /// Matrix product; the caller has checked that the inner dimensions agree.
    pub fn matmul(&self, other: &Matrix) -> Matrix {
        Matrix {
            data: self.data.dot(&other.data),
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
            let sum = row.sum();
            row.mapv_inplace(|v| v / sum);
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
