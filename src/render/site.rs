//! The pages of the site as a whole: the index, the 404 page and the sitemap, plus the check
//! that no two outputs claim one path.

use rayon::prelude::*;

use super::Renderer;
use super::options::PageKey;
use super::output::Output;
use super::views::LessonLinkView;
use crate::error::Diagnostic;
use crate::format::url_segment;
use crate::model::Site;

impl Renderer<'_> {
    /// The index, the 404 page, the sitemap and the template assets (stylesheet, script).
    pub(crate) fn site_wide(&self, site: &Site) -> (Vec<Output>, Vec<Diagnostic>) {
        let mut out = Vec::new();
        let mut problems = Vec::new();
        let lessons: Vec<LessonLinkView> = site
            .lessons
            .iter()
            .enumerate()
            .map(|(i, l)| LessonLinkView {
                number: i + 1,
                minutes: l.words.div_ceil(200).max(1),
                title: &l.meta.title,
                summary: &l.meta.summary,
                href: format!("{}/index.html", url_segment(&l.slug)),
                step_count: l.steps.len(),
            })
            .collect();
        // The site-wide pages depend on the list of lessons: an incremental rebuild asks for
        // them (as the index) when that list changed.
        if self.opts.wants(|| PageKey::Index) {
            let mut ctx = self.context("", site.config.title.clone(), "index.html");
            ctx.insert("lessons", &lessons);
            self.page(
                &mut out,
                &mut problems,
                ("index.html", None),
                "index.html",
                &ctx,
            );
            // The 404 page is served at any depth, so it links from the site's root path.
            let root_path = site.config.base_path();
            let title = format!("Page not found · {}", site.config.title);
            let mut ctx = self.context(&root_path, title, "404.html");
            ctx.insert("root_path", &root_path);
            ctx.insert("lessons", &lessons);
            self.page(
                &mut out,
                &mut problems,
                ("404.html", None),
                "404.html",
                &ctx,
            );
            if let Some(base) = site.config.absolute_base() {
                out.push(Output::Page {
                    path: "sitemap.xml".into(),
                    contents: sitemap(&base, site),
                    origin: None,
                });
            }
        }
        out.extend(self.templates.assets.iter().cloned());
        (out, problems)
    }
}

/// `sitemap.xml`: every page (not the 404 page), with absolute URLs, in path order.
fn sitemap(base: &str, site: &Site) -> String {
    let mut paths = vec!["index.html".to_string()];
    for l in &site.lessons {
        paths.push(format!("{}/index.html", l.slug));
        paths.extend(
            l.steps
                .iter()
                .map(|s| format!("{}/{}.html", l.slug, s.stem)),
        );
    }
    paths.sort_unstable();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        let url: Vec<String> = p.split('/').map(url_segment).collect();
        xml.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            crate::format::escape(&format!("{base}{}", url.join("/")))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

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
