//! Plain data: the site as parsed from `content/`, before anything is computed.
//!
//! Every definition keeps the [`Span`]s of what the author wrote so that later stages can point
//! back at it.

use std::ops::Range;

use ndarray::Array2;

pub mod expr;

use crate::config::SiteConfig;
pub use crate::source::YamlText;
use crate::source::{FileId, Span};
use expr::Expr;

#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub lessons: Vec<Lesson>,
}

#[derive(Debug)]
pub struct Lesson {
    /// The folder name under `content/`, also the folder of its pages under `site/`.
    pub slug: String,
    pub meta: LessonMeta,
    /// The body of `lesson.md`: the introduction shown on the lesson's overview page.
    pub intro: Doc,
    pub steps: Vec<Step>,
    /// Other files of the lesson folder (images, data), copied next to its pages:
    /// (path relative to the lesson folder, path on disk).
    pub assets: Vec<(String, std::path::PathBuf)>,
    /// Words of prose in its Markdown (fenced blocks left out), for a reading-time estimate.
    pub words: usize,
}

impl Lesson {
    /// Where the lesson goes in the site: by `order`, then by folder name.
    pub fn site_order(&self) -> (i64, &str) {
        (self.meta.order, &self.slug)
    }

    /// The lesson without what was read from its Markdown bodies (blocks, inline values,
    /// quizzes): what the site-wide pages need, once its own pages are written.
    pub fn outline(mut self) -> Self {
        for doc in std::iter::once(&mut self.intro).chain(self.steps.iter_mut().map(|s| &mut s.doc))
        {
            doc.matrices = Vec::new();
            doc.inlines = Vec::new();
            doc.quizzes = Vec::new();
            doc.broken = Vec::new();
        }
        self
    }
}

/// The front matter of `lesson.md`.
#[derive(Debug, Clone, Default)]
pub struct LessonMeta {
    pub title: String,
    pub summary: String,
    pub order: i64,
    pub prerequisites: Vec<Prerequisite>,
    pub objectives: Vec<FrontText>,
    pub key_concepts: Vec<Concept>,
    /// Matrices of other lessons that this lesson uses (`imports:`).
    pub imports: Vec<Import>,
}

/// One entry of `imports:`: `LESSON/NAME`, or `LESSON/NAME as ALIAS`.
#[derive(Debug, Clone)]
pub struct Import {
    /// The slug of the lesson the matrix comes from.
    pub lesson: String,
    /// Its name there.
    pub name: String,
    /// Its name here (`name` unless renamed with `as`).
    pub alias: String,
    /// The entry in `lesson.md`.
    pub span: Span,
}

/// What a learner should know first: text, or another lesson of the site (linked).
#[derive(Debug, Clone, PartialEq)]
pub struct Prerequisite {
    pub text: String,
    /// The slug of a lesson of the site.
    pub lesson: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    pub term: FrontText,
    pub definition: Option<FrontText>,
}

/// A short text of the front matter that pages show as inline Markdown (objectives, key
/// concepts), with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontText {
    pub text: String,
    pub span: Span,
    /// `span` holds `text` exactly as written (no quotes or escapes in between), so a place in
    /// the text is a place in the file; else `span` is the whole entry.
    pub verbatim: bool,
}

#[derive(Debug)]
pub struct Step {
    /// The `NN` of `NN-slug.md`.
    pub number: u32,
    /// The file stem, `NN-slug`; the page is `NN-slug.html`.
    pub stem: String,
    pub title: String,
    pub summary: Option<String>,
    pub doc: Doc,
}

/// A Markdown document and what lectern found in it.
#[derive(Debug)]
pub struct Doc {
    pub file: FileId,
    /// Byte range of the Markdown body (after the front matter).
    pub body: Range<usize>,
    pub matrices: Vec<MatrixDef>,
    pub inlines: Vec<InlineDef>,
    pub quizzes: Vec<QuizDef>,
    /// Names of matrix blocks that could not be read (already reported): later uses of these
    /// names are not reported again.
    pub broken: Vec<String>,
}

/// One ```` ```matrix ```` block.
#[derive(Debug)]
pub struct MatrixDef {
    pub name: String,
    pub name_span: Span,
    /// Byte offset of the fence in the file: the key that puts the table back in the page.
    pub fence_offset: usize,
    pub source: MatrixSource,
    pub rows: Option<Vec<String>>,
    pub cols: Option<Vec<String>>,
    pub caption: Option<String>,
    pub precision: usize,
    pub tolerance: Option<f64>,
    pub show: bool,
    /// `scale:`, the colour-scale group (`own` for a scale of its own); `None` for the default,
    /// where a product and its operands on the same page share one.
    pub scale: Option<String>,
    /// `layout:`, how the table is laid out on the page.
    pub layout: Layout,
    /// The block's YAML, kept to point at its keys and rows in later messages.
    pub yaml: YamlText,
}

/// How a matrix block is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// The table alone (the default).
    #[default]
    Block,
    /// A computed `A op B` of two named matrices as its equation: the operands' tables, then
    /// the result's (`X · W_Qᵀ = Q`).
    Equation,
}

#[derive(Debug)]
pub enum MatrixSource {
    Literal(Array2<f64>),
    /// `recall: NAME`: a matrix already in scope, shown again (the block's `name` is the
    /// recalled name); `precision` unless the block sets it is that of the matrix recalled.
    Recall {
        precision: Option<usize>,
    },
    Computed {
        expr: Expr,
        /// The expression as written.
        text: String,
        /// File offset of the expression text, when it maps one-to-one onto the file.
        base: Option<usize>,
        expect: Option<Array2<f64>>,
        shape: Option<(usize, usize)>,
    },
}

/// A ```` ```quiz ```` block.
#[derive(Debug)]
pub struct QuizDef {
    /// Byte offset of the fence in the file: the key that puts the quiz back in the page.
    pub fence_offset: usize,
    pub question: RichText,
    pub choices: Vec<RichText>,
    pub answer: QuizAnswer,
    pub explanation: Option<RichText>,
    /// For numeric answers: largest accepted difference (default: half a unit of the 3rd decimal).
    pub tolerance: Option<f64>,
}

/// Markdown from a YAML string, with the keys of the inline values it holds, in order.
#[derive(Debug, Clone)]
pub struct RichText {
    pub text: String,
    pub inline_offsets: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuizAnswer {
    /// The right choice, from 0.
    Choice(usize),
    /// A number typed in the block.
    Number(f64),
    /// An expression, computed like an inline value stored under this offset.
    Computed(usize),
}

/// An inline value: `` `= Q[cat, 2]` `` in prose.
#[derive(Debug)]
pub struct InlineDef {
    pub expr: Expr,
    pub text: String,
    /// File offset of the expression text.
    pub base: usize,
    /// Byte offset of the code span in the file: the key that puts the number back in the page.
    pub offset: usize,
    pub span: Span,
}
