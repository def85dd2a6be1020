//! The YAML shape of a ```` ```matrix ```` block, as serde reads it (and as the fast reader in
//! [`super::fast`] gives it for the common shape).

use serde::Deserialize;

/// The keys of a matrix block as written.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockYaml {
    #[serde(default)]
    pub name: String,
    /// `recall: NAME` shows a matrix in scope again.
    #[serde(default)]
    pub recall: Option<String>,
    #[serde(default, deserialize_with = "grid_entries")]
    pub values: Option<Vec<Vec<f64>>>,
    #[serde(default)]
    pub compute: Option<String>,
    #[serde(default, deserialize_with = "grid_entries")]
    pub expect: Option<Vec<Vec<f64>>>,
    #[serde(default)]
    pub shape: Option<[usize; 2]>,
    #[serde(default)]
    pub rows: Option<Vec<Label>>,
    #[serde(default)]
    pub cols: Option<Vec<Label>>,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub precision: Option<usize>,
    #[serde(default)]
    pub tolerance: Option<f64>,
    #[serde(default)]
    pub show: Option<bool>,
    #[serde(default)]
    pub scale: Option<String>,
    #[serde(default)]
    pub layout: Option<String>,
}

/// Rows of numbers, where an entry may also be `inf` or `-inf` (YAML itself reads `.inf` and
/// `-.inf`): a typed mask or an expected masked score.
fn grid_entries<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<Vec<f64>>>, D::Error> {
    let rows: Option<Vec<Vec<Entry>>> = Option::deserialize(d)?;
    Ok(rows.map(|rows| {
        rows.into_iter()
            .map(|r| r.into_iter().map(|e| e.0).collect())
            .collect()
    }))
}

/// One entry of `values` or `expect`.
struct Entry(f64);

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Number;
        impl serde::de::Visitor<'_> for Number {
            type Value = f64;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                // As serde writes it for an f64, so messages stay the same.
                f.write_str("f64")
            }
            fn visit_f64<E>(self, v: f64) -> Result<f64, E> {
                Ok(v)
            }
            fn visit_i64<E>(self, v: i64) -> Result<f64, E> {
                Ok(v as f64)
            }
            fn visit_u64<E>(self, v: u64) -> Result<f64, E> {
                Ok(v as f64)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<f64, E> {
                // `inf`, `-inf`, `infinity`…, but not a number too large (`1e999`), which is
                // reported as such.
                match v.parse::<f64>() {
                    Ok(x) if x.is_infinite() && !v.bytes().any(|b| b.is_ascii_digit()) => Ok(x),
                    _ => Err(E::invalid_type(serde::de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(Number).map(Entry)
    }
}

/// Every key a matrix block accepts.
pub const BLOCK_KEYS: &[&str] = &[
    "name",
    "recall",
    "values",
    "compute",
    "expect",
    "shape",
    "rows",
    "cols",
    "caption",
    "precision",
    "tolerance",
    "show",
    "scale",
    "layout",
];

/// A row or column label: text, or a number written without quotes.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Label {
    Text(String),
    Int(i64),
    Float(f64),
}

impl Label {
    pub(in crate::parse) fn text(self) -> String {
        match self {
            Label::Text(s) => s,
            Label::Int(i) => i.to_string(),
            Label::Float(f) => f.to_string(),
        }
    }
}
