//! The pages of the site as a whole: the index, the 404 page and the sitemap (the rest of
//! [`Renderer`]'s work).

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
