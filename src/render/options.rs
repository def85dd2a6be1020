//! What a caller may ask of rendering besides the site: the [`Target`] (check's pages are lean),
//! serve's live-reload script, and the subset of pages an incremental rebuild needs. A plain
//! `build` renders every page for [`Target::Site`].

pub use crate::target::Target;

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

/// How to render.
#[derive(Default, Clone, Copy)]
pub struct RenderOptions<'a> {
    pub target: Target,
    /// Serve mode: the live-reload script's path below the site root; every page gets
    /// `page.live_reload`, which `base.html` turns into a `<script>`. Never set by `build`.
    pub live_reload: Option<&'a str>,
    /// Render only the pages for which this is true (assets are always listed); `None` renders
    /// every page.
    pub only: Option<&'a (dyn Fn(&PageKey) -> bool + Sync)>,
}

impl RenderOptions<'_> {
    pub fn wants(&self, page: impl FnOnce() -> PageKey) -> bool {
        self.only.is_none_or(|f| f(&page()))
    }
}
