//! The order in which lessons are made when some import matrices from others: in waves, each
//! lesson after every lesson it imports from, and what each made lesson offers to the lessons
//! that import from it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::RwLock;

use crate::compute::imports::{Imported, Unavailable};
use crate::compute::lesson::LessonValues;
use crate::model::Lesson;

/// The lessons of a run, by the imports between them.
pub(super) struct Graph {
    /// Indices of lessons, wave by wave: a lesson's wave comes after the waves of every lesson it
    /// imports from. Lessons whose imports go round in a circle come last, together.
    pub waves: Vec<Vec<usize>>,
    /// For a lesson in a circle, the lessons of the circle (slugs, in the order they import).
    pub cycle: Vec<Option<Vec<String>>>,
    /// The names imported from each lesson (by slug), by any lesson.
    pub wanted: BTreeMap<String, BTreeSet<String>>,
}

/// The graph of `slugs` (the lessons, as listed), each importing `imports[i]` as (lesson, name).
pub(super) fn graph(slugs: &[&str], imports: &[Vec<(String, String)>]) -> Graph {
    let index: BTreeMap<&str, usize> = slugs.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let deps: Vec<BTreeSet<usize>> = imports
        .iter()
        .enumerate()
        .map(|(i, list)| {
            list.iter()
                .filter_map(|(l, _)| index.get(l.as_str()).copied())
                .filter(|&d| d != i)
                .collect()
        })
        .collect();
    let mut wanted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for list in imports {
        for (lesson, name) in list {
            wanted
                .entry(lesson.clone())
                .or_default()
                .insert(name.clone());
        }
    }
    // Kahn's algorithm, a wave at a time.
    let mut wave_of: Vec<Option<usize>> = vec![None; slugs.len()];
    let mut waves: Vec<Vec<usize>> = Vec::new();
    loop {
        let next: Vec<usize> = (0..slugs.len())
            .filter(|&i| wave_of[i].is_none())
            .filter(|&i| deps[i].iter().all(|&d| wave_of[d].is_some()))
            .collect();
        if next.is_empty() {
            break;
        }
        for &i in &next {
            wave_of[i] = Some(waves.len());
        }
        waves.push(next);
    }
    let mut cycle = vec![None; slugs.len()];
    let stuck: Vec<usize> = (0..slugs.len()).filter(|&i| wave_of[i].is_none()).collect();
    for &i in &stuck {
        cycle[i] = Some(circle_from(i, &deps, &stuck, slugs));
    }
    if !stuck.is_empty() {
        waves.push(stuck);
    }
    Graph {
        waves,
        cycle,
        wanted,
    }
}

/// A circle of imports through lesson `i`, or the lessons left stuck behind one.
fn circle_from(i: usize, deps: &[BTreeSet<usize>], stuck: &[usize], slugs: &[&str]) -> Vec<String> {
    let mut path = vec![i];
    let mut at = i;
    while let Some(&next) = deps[at].iter().find(|d| stuck.contains(d)) {
        if let Some(start) = path.iter().position(|&p| p == next) {
            let mut circle: Vec<String> = path[start..]
                .iter()
                .map(|&p| slugs[p].to_string())
                .collect();
            circle.push(slugs[next].to_string());
            return circle;
        }
        path.push(next);
        at = next;
    }
    path.iter().map(|&p| slugs[p].to_string()).collect()
}

/// `changed` and every lesson that imports from one of them, directly or not, in an order in
/// which each comes after the lessons it imports from (for `serve`, which makes a changed lesson
/// again on its own).
pub(crate) fn with_importers(lessons: &[Lesson], changed: &BTreeSet<String>) -> Vec<String> {
    let mut set = changed.clone();
    loop {
        let more: Vec<String> = lessons
            .iter()
            .filter(|l| !set.contains(&l.slug))
            .filter(|l| l.meta.imports.iter().any(|i| set.contains(&i.lesson)))
            .map(|l| l.slug.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        set.extend(more);
    }
    let slugs: Vec<&str> = set.iter().map(String::as_str).collect();
    let imports: Vec<Vec<(String, String)>> = slugs
        .iter()
        .map(|s| {
            lessons
                .iter()
                .find(|l| l.slug == *s)
                .map(|l| {
                    l.meta
                        .imports
                        .iter()
                        .map(|i| (i.lesson.clone(), i.name.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    graph(&slugs, &imports)
        .waves
        .into_iter()
        .flatten()
        .map(|i| slugs[i].to_string())
        .collect()
}

/// What a made lesson offers: the matrices other lessons import from it, and the names it has.
pub(super) enum Offer {
    Made {
        matrices: BTreeMap<String, Imported>,
        names: Vec<String>,
    },
    /// The lesson has errors of its own.
    Failed,
}

impl Offer {
    /// The offer of a lesson computed as `values`, of which `wanted` are imported elsewhere.
    pub fn of(values: &LessonValues, wanted: &BTreeSet<String>) -> Offer {
        Offer::Made {
            matrices: wanted
                .iter()
                .filter_map(|n| {
                    let matrix = values.matrices.get(n)?.clone();
                    let precision = values.precision.get(n).copied().unwrap_or(3);
                    Some((n.clone(), Imported { matrix, precision }))
                })
                .collect(),
            names: values.matrices.keys().cloned().collect(),
        }
    }
}

/// The offers of the lessons made so far, read by the lessons of the next waves.
pub(super) struct Offers<'a> {
    pub slugs: &'a [&'a str],
    pub made: RwLock<BTreeMap<String, Offer>>,
}

impl Offers<'_> {
    /// `name` of lesson `from`, for a lesson in the circle `cycle` (if it is in one).
    pub fn get(
        &self,
        from: &str,
        name: &str,
        cycle: Option<&Vec<String>>,
    ) -> Result<Imported, Unavailable> {
        if !self.slugs.contains(&from) {
            let mut lessons: Vec<String> = self.slugs.iter().map(|s| s.to_string()).collect();
            lessons.sort();
            return Err(Unavailable::NoLesson(lessons));
        }
        // Lessons of one circle are made side by side: whatever the timing, they cannot import
        // from each other.
        if let Some(circle) = cycle.filter(|c| c.iter().any(|l| l == from)) {
            return Err(Unavailable::Cycle(circle.clone()));
        }
        let made = self.made.read().unwrap_or_else(|e| e.into_inner());
        match made.get(from) {
            Some(Offer::Made { matrices, names }) => matrices
                .get(name)
                .cloned()
                .ok_or_else(|| Unavailable::NoName(names.clone())),
            Some(Offer::Failed) => Err(Unavailable::Failed),
            // Not made before the importing lesson: they import from each other.
            None => Err(Unavailable::Cycle(cycle.cloned().unwrap_or_default())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imports(list: &[&[&str]]) -> Vec<Vec<(String, String)>> {
        list.iter()
            .map(|l| l.iter().map(|s| (s.to_string(), "X".to_string())).collect())
            .collect()
    }

    #[test]
    fn lessons_come_after_what_they_import_and_circles_last() {
        let slugs = ["a", "b", "c", "d", "e"];
        // a imports b, b imports c; d and e import each other; c imports nothing.
        let g = graph(
            &slugs,
            &imports(&[&["b"], &["c"], &[], &["e"], &["d", "c"]]),
        );
        assert_eq!(g.waves, vec![vec![2], vec![1], vec![0], vec![3, 4]]);
        assert_eq!(
            g.cycle[3].as_deref(),
            Some(&["d".to_string(), "e".into(), "d".into()][..])
        );
        assert!(g.cycle[0].is_none());
        assert_eq!(g.wanted["c"], BTreeSet::from(["X".to_string()]));
        // Imports of unknown lessons do not hold a lesson back.
        let g = graph(&["a"], &imports(&[&["nowhere"]]));
        assert_eq!(g.waves, vec![vec![0]]);
    }
}
