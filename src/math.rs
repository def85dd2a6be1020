//! LaTeX to MathML at build time (math-core): `$…$` and `$$…$$` become `<math>` elements, so
//! pages need no script and no web font to show formulas.

use std::collections::HashMap;
use std::sync::Mutex;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

/// Formulas kept converted: lessons repeat their formulas from step to step.
const CACHED: usize = 4096;

/// A formula that could not be converted: message and byte range inside the LaTeX.
#[derive(Debug, Clone)]
pub struct MathError {
    pub message: String,
    pub range: std::ops::Range<usize>,
}

pub struct Math {
    converter: LatexToMathML,
    /// The first [`CACHED`] formulas converted, by (LaTeX, display block).
    cache: Mutex<HashMap<(String, bool), Result<String, MathError>>>,
}

impl Default for Math {
    fn default() -> Self {
        Math {
            converter: LatexToMathML::new(MathCoreConfig::default())
                .expect("no custom macros to parse"),
            cache: Mutex::default(),
        }
    }
}

impl Math {
    pub fn convert(&self, latex: &str, block: bool) -> Result<String, MathError> {
        let key = (latex.to_string(), block);
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let converted = self.convert_uncached(latex, block);
        if let Ok(mut cache) = self.cache.lock()
            && cache.len() < CACHED
        {
            cache.insert(key, converted.clone());
        }
        converted
    }

    fn convert_uncached(&self, latex: &str, block: bool) -> Result<String, MathError> {
        let display = if block {
            MathDisplay::Block
        } else {
            MathDisplay::Inline
        };
        match self.converter.convert_with_local_state(latex, display) {
            Ok(r) => Ok(strip_scriptlevel(&r.mathml)),
            Err(e) => Err(MathError {
                message: e.error_message(),
                range: e.0.clone(),
            }),
        }
    }
}

/// math-core puts `scriptlevel` on `mtable`, which the W3C checker rejects; browsers do not need it.
fn strip_scriptlevel(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len());
    let mut rest = mathml;
    while let Some(at) = rest.find(" scriptlevel=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 14..];
        rest = after.find('"').map_or("", |q| &after[q + 1..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_what_lessons_need() {
        let m = Math::default();
        for latex in [
            r"Q = XW_Q^\top",
            r"\mathbb{R}^{4\times 8}",
            r"\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)",
            r"\sum_k x_k w_k",
            r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}",
        ] {
            let html = m
                .convert(latex, false)
                .unwrap_or_else(|e| panic!("{latex}: {}", e.message));
            assert!(html.starts_with("<math"), "{html}");
            assert!(!html.contains("scriptlevel"), "{html}");
        }
        assert!(
            m.convert(r"\frac{1}{2}", true)
                .unwrap()
                .contains("display=\"block\"")
        );
        let e = m.convert(r"\frac{1", false).unwrap_err();
        assert!(!e.message.is_empty());
        assert!(m.convert(r"\notacommand x", false).is_err());
    }
}
