//! What [`explain`](super::explain) gives each cell: its derivation text and the rows and
//! columns of named matrices it reads.

/// A row or a column of a named matrix that a cell reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperandRef {
    pub matrix: String,
    /// `true` for a row, `false` for a column.
    pub row: bool,
    pub index: usize,
}

/// One cell's derivation.
#[derive(Debug, Clone, PartialEq)]
pub struct CellDerivation {
    /// Plain text, e.g. `Q[cat, q2] = Σₖ X[cat, k]·W_Q[q2, k] = 0.12·0.40 + … = 0.873`.
    pub text: String,
    pub reads: Vec<OperandRef>,
}
