//! Colour scales: the heatmap level of a value, and which tables of a page share one scale.

use std::collections::HashMap;

use crate::compute::lesson::LessonValues;
use crate::compute::matrix::Matrix;
use crate::model::{Layout, MatrixDef, MatrixSource};
use crate::parse::expr::{BinOp, ExprKind};

/// The colour scale of a table: the range of its values, or of its group's (see [`scales`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
}

impl Scale {
    pub(super) fn of(m: &Matrix) -> Scale {
        m.data.iter().fold(
            Scale {
                lo: f64::INFINITY,
                hi: f64::NEG_INFINITY,
            },
            // A masked (infinite) entry is no colour, and is left out of the scale.
            |s, &v| match v.is_finite() {
                true => Scale {
                    lo: s.lo.min(v),
                    hi: s.hi.max(v),
                },
                false => s,
            },
        )
    }

    fn join(self, o: Scale) -> Scale {
        Scale {
            lo: self.lo.min(o.lo),
            hi: self.hi.max(o.hi),
        }
    }

    /// Heatmap level of `v` from -4 to 4. Values of both signs get a diverging scale centred on
    /// 0 (the largest magnitude is ±4); values of one sign a sequential one from the value
    /// nearest 0 (level 0) to the farthest (±4).
    pub(super) fn level(self, v: f64) -> i8 {
        let Scale { lo, hi } = self;
        if !v.is_finite() || !lo.is_finite() {
            return 0;
        }
        let l = if lo < 0.0 && hi > 0.0 {
            v / lo.abs().max(hi) * 4.0
        } else if hi == lo {
            if v == 0.0 { 0.0 } else { 4.0f64.copysign(v) }
        } else if lo >= 0.0 {
            (v - lo) / (hi - lo) * 4.0
        } else {
            (v - hi) / (hi - lo) * 4.0
        };
        l.round().clamp(-4.0, 4.0) as i8
    }

    /// Where 0 sits on the legend bar (percent) and how strong its two ends are (0 to 1).
    pub(super) fn legend_style(self) -> String {
        let Scale { lo, hi } = self;
        let (zero, l, r) = if lo < 0.0 && hi > 0.0 {
            let m = lo.abs().max(hi);
            (-lo / (hi - lo) * 100.0, -lo / m, hi / m)
        } else if lo >= 0.0 {
            (0.0, 0.0, 1.0)
        } else {
            (100.0, 1.0, 0.0)
        };
        format!("--zero: {zero:.1}%; --l: {l:.2}; --r: {r:.2}")
    }
}

/// The colour scale of each shown table of a page, by name. Tables with the same `scale:` share
/// one; by default a product (`A @ B`, also `A @ B^T`) shares one with those of its operands
/// shown on the same page that have no `scale:` of their own; `scale: own` keeps a table apart.
pub fn scales(defs: &[MatrixDef], values: &LessonValues) -> HashMap<String, Scale> {
    let groups = scale_groups(defs, values);
    let mut by_group: HashMap<usize, Scale> = HashMap::new();
    for (name, g) in &groups {
        let s = Scale::of(&values.matrices[name]);
        by_group
            .entry(*g)
            .and_modify(|t| *t = t.join(s))
            .or_insert(s);
    }
    groups
        .into_iter()
        .map(|(name, g)| (name, by_group[&g]))
        .collect()
}

/// The page's shown tables (those with values), each with the number of its colour-scale group
/// (see [`scales`]), in page order.
pub fn scale_groups(defs: &[MatrixDef], values: &LessonValues) -> Vec<(String, usize)> {
    // The page's tables: its shown blocks, then the operands of its equations not shown as
    // blocks of their own (an operand without a block has no `scale:`).
    let mut shown: Vec<(&str, Option<&str>)> = defs
        .iter()
        .filter(|d| d.show && values.matrices.contains_key(&d.name))
        .map(|d| (d.name.as_str(), d.scale.as_deref()))
        .collect();
    for d in defs.iter().filter(|d| d.show) {
        for name in equation_operands(d) {
            if values.matrices.contains_key(name) && !shown.iter().any(|(n, _)| *n == name) {
                shown.push((name, None));
            }
        }
    }
    // Union-find over the page's tables (a page has a handful).
    let mut group: Vec<usize> = (0..shown.len()).collect();
    fn find(g: &mut [usize], i: usize) -> usize {
        let mut i = i;
        while g[i] != i {
            g[i] = g[g[i]];
            i = g[i];
        }
        i
    }
    fn join(g: &mut [usize], i: usize, j: usize) {
        let (a, b) = (find(g, i), find(g, j));
        g[a] = b;
    }
    let index = |name: &str| shown.iter().position(|(n, _)| *n == name);
    for def in defs.iter().filter(|d| d.show) {
        let Some(i) = index(&def.name) else {
            continue;
        };
        // An equation's operands always share its scale: one colour, one value across it.
        for name in equation_operands(def) {
            if let Some(j) = index(name).filter(|&j| shown[j].1 != Some("own")) {
                join(&mut group, i, j);
            }
        }
        match def.scale.as_deref() {
            Some("own") => {}
            Some(name) => {
                if let Some(j) = shown.iter().position(|(_, s)| *s == Some(name)) {
                    join(&mut group, i, j);
                }
            }
            None => {
                if let MatrixSource::Computed { expr, .. } = &def.source
                    && let ExprKind::Binary(BinOp::MatMul, a, b) = &expr.kind
                {
                    for term in [a, b].iter().filter_map(|e| e.term()) {
                        if let Some(j) = index(term.name).filter(|&j| shown[j].1.is_none()) {
                            join(&mut group, i, j);
                        }
                    }
                }
            }
        }
    }
    (0..shown.len())
        .map(|i| (shown[i].0.to_string(), find(&mut group, i)))
        .collect()
}

/// The names an equation block shows beside its result (none for other blocks).
pub fn equation_operands(def: &MatrixDef) -> Vec<&str> {
    match (&def.layout, &def.source) {
        (Layout::Equation, MatrixSource::Computed { expr, .. }) => expr
            .equation()
            .map(|(_, terms)| terms.iter().map(|t| t.name).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}
