//! What a caller may ask of rendering besides the site: `serve`'s live-reload data, and the
//! subset of pages an incremental rebuild needs. A plain `build` uses the defaults: every page,
//! no live reload.

/// One page of the site, named by what it shows rather than by its path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageKey {
    /// `index.html`: the list of lessons.
    Index,
    /// `LESSON/index.html`: a lesson's overview.
    Overview(String),
    /// `LESSON/STEM.html`: one step (lesson slug, step file stem).
    Step(String, String),
}

impl PageKey {
    /// The page's path relative to the output folder.
    pub fn path(&self) -> String {
        match self {
            PageKey::Index => "index.html".into(),
            PageKey::Overview(lesson) => format!("{lesson}/index.html"),
            PageKey::Step(lesson, stem) => format!("{lesson}/{stem}.html"),
        }
    }
}

/// The folder, under the site's root, from which `serve` answers live-reload requests.
pub const LIVE_RELOAD_DIR: &str = "__lectern";

/// How to render.
#[derive(Default, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// Serve mode: every page gets `page.live_reload` (the script to load and the page's own
    /// path), which `base.html` turns into a `<script>`. Never set by `build`.
    pub live_reload: bool,
    /// Render only the pages for which this is true (assets are always listed); `None` renders
    /// every page.
    pub only: Option<&'a (dyn Fn(&PageKey) -> bool + Sync)>,
    /// For `check`: leave out what cannot fail and is never linked to (cell derivations and
    /// reproduce snippets), since no page is written; step pages of the built-in templates then
    /// hold only their links and ids.
    pub lean: bool,
}

impl RenderOptions<'_> {
    pub fn wants(&self, page: impl FnOnce() -> PageKey) -> bool {
        self.only.is_none_or(|f| f(&page()))
    }
}
