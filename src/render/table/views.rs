//! What `matrix.html` gets: the serialisable view of a block, its rows and cells, their
//! derivations, an equation's operands and the legend.

use serde::Serialize;

use super::summary::SummaryView;
use crate::compute::explain::OperandRef;
use crate::format;

#[derive(Serialize)]
pub struct MatrixView<'a> {
    pub name: &'a str,
    /// `"4x8"`, for `data-shape`.
    pub shape: String,
    /// `"4×8"`, for people.
    pub shape_text: String,
    pub caption: Option<&'a str>,
    /// The expression of a computed matrix.
    pub formula: Option<&'a str>,
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    /// Heatmap scale: the largest magnitude, shown at both ends of the legend.
    pub legend: Option<LegendView>,
    /// Per-cell derivations, row by row (empty when there is no cell-by-cell derivation).
    pub derivations: Vec<DerivationView>,
    pub numpy: Option<String>,
    pub pytorch: Option<String>,
    /// Set for large matrices: the summary shown in place of the full table.
    pub summary: Option<SummaryView>,
    /// With `layout: equation`, the operands shown before the result (`X · W_Qᵀ =`).
    pub equation: Vec<TermView>,
}

/// An operand of an equation, as its table shows it (a transposed term is shown transposed).
#[derive(Serialize)]
pub struct TermView {
    pub name: String,
    /// `W_Qᵀ` for a transposed term, else the name.
    pub title: String,
    pub transposed: bool,
    /// The matrix's own shape, `"4x8"`, for `data-shape` (a transposed table shows `8×4`).
    pub shape: String,
    /// The shape as shown, `"8×4"`.
    pub shape_text: String,
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    /// What follows the term: the operator (`·`, `+`, `−`, `⊙`), or `=` after the last.
    pub sign: &'static str,
}

#[derive(Serialize)]
pub struct RowView {
    pub label: String,
    pub cells: Vec<CellView>,
}

/// One cell. Templates see `value` (the exact f64, shortest round-trip form), `text` (rounded
/// to the block's precision), `heat`, `reads` and `derivation`; the two texts are written straight
/// into the template's value, not kept as strings of their own (a large site has millions of
/// cells).
pub struct CellView {
    pub v: f64,
    pub precision: usize,
    /// Heatmap level from -4 to 4 (0 when the heatmap is off).
    pub heat: i8,
    /// Operand rows/columns this cell reads: `X:r:0 W_Q:r:1` (`r` row, `c` column, from 0).
    pub reads: String,
    /// The `id` of this cell's derivation, if it has one.
    pub derivation: Option<String>,
}

impl CellView {
    /// The exact value, shortest round-trip form.
    pub fn value(&self) -> String {
        format::exact(self.v)
    }

    /// The value rounded to the block's precision.
    pub fn text(&self) -> String {
        format::rounded(self.v, self.precision)
    }
}

impl Serialize for CellView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        thread_local! {
            static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        let mut st = s.serialize_struct("CellView", 5)?;
        format::with_exact(self.v, |exact| {
            st.serialize_field("value", exact)?;
            TEXT.with_borrow_mut(|text| {
                text.clear();
                format::round_into(text, self.v, exact, self.precision);
                st.serialize_field("text", text.as_str())
            })
        })?;
        st.serialize_field("heat", &self.heat)?;
        st.serialize_field("reads", &self.reads)?;
        st.serialize_field("derivation", &self.derivation)?;
        st.end()
    }
}

#[derive(Serialize)]
pub struct DerivationView {
    pub id: String,
    pub text: String,
    /// For a product, the value of each term the text shows, rounded to the table's precision
    /// and separated by spaces (`0.063 -0.045 …`), for a page to line up with the terms; else
    /// empty.
    pub products: String,
    /// What the cell reads (templates get it as the cell's `reads`).
    #[serde(skip)]
    pub reads: Vec<OperandRef>,
}

#[derive(Serialize)]
pub struct LegendView {
    /// The lowest and highest value of the scale (of the table's group when it shares one).
    pub min: String,
    pub max: String,
    /// `diverging` (both signs, centred on 0) or `sequential` (one sign).
    pub kind: &'static str,
    /// CSS custom properties for the legend bar: where 0 sits, and the strength of each end.
    pub style: String,
}
