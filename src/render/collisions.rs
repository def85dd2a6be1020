//! The check that no two outputs claim one path, and that no file stands where a folder must.

use rayon::prelude::*;

use crate::error::Diagnostic;

/// Two outputs at one path (an asset named like a page), or a file where a folder must be.
/// `paths` holds every output path with what produced it (`false`: a generated page, `true`:
/// a file copied there).
pub fn collisions<'a>(paths: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<Diagnostic> {
    let all: Vec<(&str, bool)> = paths.into_iter().collect();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut twice = Vec::new();
    for &(p, copy) in &all {
        if !seen.insert(p) {
            twice.push((p, copy));
        }
    }
    // A path that is also a folder: some path starts with it and a `/`. In sorted order the
    // first path not below `p/` is where such a path would be.
    let mut sorted: Vec<&str> = seen.into_iter().collect();
    sorted.par_sort_unstable();
    let below = |q: &str, p: &str| q.as_bytes().iter().cmp(p.as_bytes().iter().chain(b"/"));
    let folders: Vec<(&str, bool)> = all
        .par_iter()
        .filter(|(p, _)| {
            let i = sorted.partition_point(|q| below(q, p).is_lt());
            sorted.get(i).is_some_and(|q| {
                q.len() > p.len() && q.starts_with(p) && q.as_bytes()[p.len()] == b'/'
            })
        })
        .copied()
        .collect();
    twice.extend(folders);
    twice
        .into_iter()
        .map(|(path, copy)| {
            let what = match copy {
                true if path.starts_with("assets/") => format!("templates/{}", &path[7..]),
                true => format!("the file content/{path}"),
                false => "a generated page".to_string(),
            };
            Diagnostic::error(format!("two things would be written to site/{path}: {what} and another one"))
                .help("rename the file: the names of generated pages (index.html, NN-slug.html, 404.html) and assets/ are taken")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::collisions;

    /// Each path written twice is reported once per extra writer, then each path that some
    /// other path needs as a folder; names that only share a prefix (`x.htm`, `x.html-2/`) are
    /// not folders of `x.html`.
    #[test]
    fn finds_repeated_paths_and_files_in_the_place_of_folders() {
        let paths = [
            ("a/index.html", false),
            ("a/index.html", true),
            ("a/x.html", false),
            ("a/x.htm", false),
            ("a/x.html-2/b.png", true),
            ("a/x.html/img.png", true),
            ("b", true),
            ("b.d", false),
            ("b/c", true),
            ("c/d", true),
        ];
        let messages: Vec<String> = collisions(paths).into_iter().map(|d| d.message).collect();
        assert_eq!(
            messages,
            [
                "two things would be written to site/a/index.html: the file content/a/index.html and another one",
                "two things would be written to site/a/x.html: a generated page and another one",
                "two things would be written to site/b: the file content/b and another one",
            ]
        );
    }
}
