//! Deterministic benchmark corpus: N lessons × 7 steps, written three times over.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --lessons N --out DIR [--seed S]
//! ```
//!
//! writes
//!
//! - `DIR/lectern/`: a lectern project (`content/site.yaml`, one folder per lesson with
//!   `lesson.md` and seven step files). Per lesson: a literal X (4×8, tokens as row labels) and
//!   three literal weight matrices W_Q, W_K, W_V (8×8, stored output × input), the computed
//!   Q = X @ W_Q^T (with `expect:` values the generator computes exactly and rounds to three
//!   decimals), K and V, and two literal 4×8 matrices on every other step; inline values
//!   (`` `= Q[cat, q2]` ``) in the prose; one quiz question as a `<details>` block.
//! - `DIR/hugo/`: a Hugo site (config, a minimal `_default` layout with baseof/single/list
//!   templates) with the same prose, the matrices as plain Markdown tables and the inline values
//!   replaced by their numbers.
//! - `DIR/mdbook/`: an mdBook book (`book.toml`, `src/SUMMARY.md`, one chapter per lesson with
//!   seven sub-chapters) with the same prose and tables.
//!
//! Each step has about 1,000 words of prose: headings, paragraphs, bulleted and numbered lists
//! with emphasis, a GFM table, inline code, a fenced code block, a quoted note, links to outside
//! references and inline math kept as text (`$QK^\top$`). The output depends
//! only on N and the seed (a fixed SplitMix64 stream): the same arguments write the same bytes.
//! std only, so the example adds no dependency.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub const DEFAULT_SEED: u64 = 0x1ec7_e2b0_0c5e_ed01;
const STEPS: usize = 7;
const WORDS_PER_STEP: usize = 1000;

// ---------------------------------------------------------------------------------------------
// Random numbers: SplitMix64, enough for picking words and matrix entries deterministically.

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// `k` distinct items, in random order.
    fn sample<'a>(&mut self, items: &[&'a str], k: usize) -> Vec<&'a str> {
        let mut pool: Vec<&str> = items.to_vec();
        for i in 0..k {
            let j = i + self.below(pool.len() - i);
            pool.swap(i, j);
        }
        pool.truncate(k);
        pool
    }
}

// ---------------------------------------------------------------------------------------------
// Matrices. Literal entries are integers in units of 10^-2, so products are exact integers in
// units of 10^-4 and the `expect` values can be rounded without any floating-point doubt.

#[derive(Clone)]
struct Mat {
    name: String,
    caption: String,
    rows: Vec<String>,
    cols: Vec<String>,
    /// Entries in units of 10^-scale.
    cells: Vec<Vec<i64>>,
    /// 2 for literals (hundredths), 4 for products (ten-thousandths).
    scale: u32,
    /// Decimals shown.
    precision: usize,
    /// `Some("X @ W_Q^T")` for a computed matrix.
    compute: Option<String>,
    /// Write `expect:` (computed matrices only).
    expect: bool,
}

impl Mat {
    fn literal(
        rng: &mut Rng,
        name: &str,
        caption: String,
        rows: Vec<String>,
        cols: Vec<String>,
        bound: i64,
    ) -> Mat {
        let cells = (0..rows.len())
            .map(|_| (0..cols.len()).map(|_| rng.range(-bound, bound)).collect())
            .collect();
        Mat {
            name: name.into(),
            caption,
            rows,
            cols,
            cells,
            scale: 2,
            precision: 2,
            compute: None,
            expect: false,
        }
    }

    /// `x @ w^T`, exactly.
    fn project(x: &Mat, w: &Mat, name: &str, caption: String, expect: bool) -> Mat {
        let cells = x
            .cells
            .iter()
            .map(|xr| {
                w.cells
                    .iter()
                    .map(|wr| xr.iter().zip(wr).map(|(a, b)| a * b).sum())
                    .collect()
            })
            .collect();
        Mat {
            name: name.into(),
            caption,
            rows: x.rows.clone(),
            cols: w.rows.clone(),
            cells,
            scale: x.scale + w.scale,
            precision: 3,
            compute: Some(format!("{} @ {}^T", x.name, w.name)),
            expect,
        }
    }

    /// Entry `(r, c)` rounded to `precision` decimals (half away from zero, exact integer
    /// arithmetic), as text without negative zero.
    fn text(&self, r: usize, c: usize) -> String {
        fixed(self.cells[r][c], self.scale, self.precision)
    }

    /// Does any entry sit exactly on a rounding boundary at its precision? Such a value would
    /// make an `expect` written here depend on how the build sums the products.
    fn has_tie(&self) -> bool {
        let drop = self.scale as usize - self.precision.min(self.scale as usize);
        if drop == 0 {
            return false;
        }
        let unit = 10i64.pow(drop as u32);
        self.cells
            .iter()
            .flatten()
            .any(|v| (v.abs() % unit) * 2 == unit)
    }
}

/// `v × 10^-scale` rounded to `precision` decimals, as text.
fn fixed(v: i64, scale: u32, precision: usize) -> String {
    let scale = scale as usize;
    let (mut mag, neg) = (v.unsigned_abs(), v < 0);
    if precision < scale {
        let unit = 10u64.pow((scale - precision) as u32);
        mag = (mag + unit / 2) / unit;
    } else {
        mag *= 10u64.pow((precision - scale) as u32);
    }
    let p = 10u64.pow(precision as u32);
    let mut s = String::new();
    if neg && mag != 0 {
        s.push('-');
    }
    write!(s, "{}", mag / p).unwrap();
    if precision > 0 {
        write!(s, ".{:0width$}", mag % p, width = precision).unwrap();
    }
    s
}

fn labels(prefix: &str, n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("{prefix}{i}")).collect()
}

fn yaml_list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

fn yaml_rows(out: &mut String, m: &Mat) {
    for r in 0..m.rows.len() {
        let cells: Vec<String> = (0..m.cols.len()).map(|c| m.text(r, c)).collect();
        writeln!(out, "  - [{}]", cells.join(", ")).unwrap();
    }
}

/// The matrix as lectern's fenced block.
fn matrix_block(m: &Mat) -> String {
    let mut s = String::from("```matrix\n");
    writeln!(s, "name: {}", m.name).unwrap();
    match &m.compute {
        Some(expr) => {
            writeln!(s, "compute: {expr}").unwrap();
            writeln!(s, "shape: [{}, {}]", m.rows.len(), m.cols.len()).unwrap();
            writeln!(s, "caption: {}", m.caption).unwrap();
            if m.expect {
                s.push_str("expect:\n");
                yaml_rows(&mut s, m);
            }
        }
        None => {
            writeln!(s, "caption: {}", m.caption).unwrap();
            writeln!(s, "rows: {}", yaml_list(&m.rows)).unwrap();
            writeln!(s, "cols: {}", yaml_list(&m.cols)).unwrap();
            writeln!(s, "precision: {}", m.precision).unwrap();
            s.push_str("values:\n");
            yaml_rows(&mut s, m);
        }
    }
    s.push_str("```\n");
    s
}

/// The matrix as a plain Markdown table, for Hugo and mdBook.
fn markdown_table(m: &Mat) -> String {
    let mut s = String::new();
    write!(s, "**{}**", m.name).unwrap();
    if let Some(expr) = &m.compute {
        write!(s, " = `{expr}`").unwrap();
    }
    writeln!(s, " ({}×{}): {}\n", m.rows.len(), m.cols.len(), m.caption).unwrap();
    writeln!(s, "|   | {} |", m.cols.join(" | ")).unwrap();
    writeln!(s, "|---|{}", "---:|".repeat(m.cols.len())).unwrap();
    for r in 0..m.rows.len() {
        let cells: Vec<String> = (0..m.cols.len()).map(|c| m.text(r, c)).collect();
        writeln!(s, "| **{}** | {} |", m.rows[r], cells.join(" | ")).unwrap();
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Two documents written side by side: lectern's (matrix blocks, inline values) and the peers'
// (Markdown tables, numbers in the text). Prose words are counted to reach the target length.

#[derive(Default)]
struct Pair {
    lectern: String,
    plain: String,
    words: usize,
}

impl Pair {
    fn text(&mut self, s: &str) {
        self.words += s.split_whitespace().count();
        self.lectern.push_str(s);
        self.plain.push_str(s);
    }

    fn matrix(&mut self, m: &Mat) {
        self.lectern.push_str(&matrix_block(m));
        self.plain.push_str(&markdown_table(m));
        self.text("\n");
    }

    /// An inline value `M[r, c]`: an expression for lectern, its number for the peers.
    fn entry(&mut self, m: &Mat, r: usize, c: usize) {
        self.words += 1;
        write!(self.lectern, "`= {}[{}, {}]`", m.name, m.rows[r], m.cols[c]).unwrap();
        self.plain.push_str(&m.text(r, c));
    }

    /// An inline value `rows(M)` or `cols(M)`.
    fn count(&mut self, func: &str, m: &Mat) {
        self.words += 1;
        write!(self.lectern, "`= {func}({})`", m.name).unwrap();
        let n = if func == "rows" {
            m.rows.len()
        } else {
            m.cols.len()
        };
        write!(self.plain, "{n}").unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// Word banks. The prose is generated from sentence templates whose slots are filled from these.

const TOKENS: &[&str] = &[
    "cat", "dog", "sat", "ran", "the", "a", "mat", "rug", "bird", "sang", "tree", "river", "flows",
    "north", "king", "queen", "ruled", "land", "ship", "sails", "west", "child", "reads", "book",
    "rain", "falls", "softly", "train", "left", "early", "storm", "broke", "dawn", "owl", "hunts",
    "night", "bread", "rises", "slowly", "fox", "jumps", "over", "fence", "wind", "moves", "grass",
    "light", "bends", "glass", "clock", "ticks", "loudly", "snow", "melts", "quickly", "lamp",
    "glows",
];

const TOPICS: &[(&str, &str)] = &[
    ("attention-scores", "Attention Scores"),
    ("scaled-dot-product", "Scaled Dot-Product Attention"),
    ("multi-head", "Multi-Head Attention"),
    ("positional-encoding", "Positional Encoding"),
    ("layer-norm", "Layer Normalisation"),
    ("residual-stream", "The Residual Stream"),
    ("feed-forward", "Feed-Forward Blocks"),
    ("causal-masking", "Causal Masking"),
    ("embeddings", "Token Embeddings"),
    ("softmax", "Softmax, Step by Step"),
    ("output-projection", "The Output Projection"),
    ("kv-cache", "The Key-Value Cache"),
];

const CONCEPTS: &[&str] = &[
    "query vector",
    "key vector",
    "value vector",
    "attention score",
    "attention weight",
    "softmax",
    "residual stream",
    "embedding",
    "positional encoding",
    "head dimension",
    "weight matrix",
    "dot product",
    "scaling factor",
    "output projection",
    "layer normalisation",
    "context vector",
    "causal mask",
    "feed-forward block",
];

const ADJECTIVES: &[&str] = &[
    "small",
    "careful",
    "concrete",
    "familiar",
    "useful",
    "simple",
    "precise",
    "honest",
    "compact",
    "patient",
    "deliberate",
    "tidy",
];

const VERBS: &[&str] = &[
    "mixes",
    "weighs",
    "projects",
    "compares",
    "combines",
    "rescales",
    "collects",
    "summarises",
    "reshapes",
    "filters",
];

const HEADINGS: &[&str] = &[
    "The idea",
    "Why it matters",
    "A worked example",
    "Reading the shapes",
    "What training changes",
    "A common pitfall",
    "One entry, by hand",
    "Putting it together",
    "How to read these numbers",
    "From vectors to matrices",
    "A second look",
    "Checking our work",
    "What the model sees",
    "Where this goes next",
];

const SENTENCES: &[&str] = &[
    "Each row of {M} belongs to one token, so the row for \"{tok}\" is the vector that token carries into the layer.",
    "The {c} is easiest to understand if you first ignore the {c2} and look only at the shapes involved.",
    "Training nudges every weight a little after each batch, and over many batches the {c} settles into something {adj}.",
    "If you multiply a 4×8 matrix by an 8×8 matrix, you get another 4×8 matrix: one row per token and one column per feature.",
    "It helps to say the convention out loud: weights are stored output × input, so the product is written `X @ W^T`.",
    "A common mistake is to treat the {c} as if it had a fixed meaning, when it only means something relative to the {c2}.",
    "Nothing here depends on the sentence being English: the same arithmetic works for any sequence of tokens.",
    "In a real model the width is 512 or more, but the arithmetic is identical to what we do here with eight dimensions.",
    "The layer {verb} the inputs in a way that is learned, not designed, and that is exactly why we inspect it with numbers.",
    "Think of the {c} as a {adj} summary: it keeps what later layers need and drops what they do not.",
    "When two rows point in similar directions, their dot product is large, and the model treats the tokens as related.",
    "Scaling by $\\frac{1}{\\sqrt{d_k}}$ keeps the scores in a range where the softmax still has useful gradients.",
    "Written compactly, the scores are $QK^\\top$, a square matrix with one row and one column per token.",
    "You can check any entry yourself: pick a row, pick a column, multiply pairwise and add up the products.",
    "The token \"{tok}\" has no special status; it is simply the example we keep returning to so the numbers stay familiar.",
    "Because every step is a matrix product, the whole computation runs in parallel over all tokens at once.",
    "Look at the signs before the magnitudes: a negative entry pushes a score down just as firmly as a positive one lifts it.",
    "The {c2} does not change the shape of anything; it only changes which entries end up large.",
    "A {adj} way to picture this is a spreadsheet where every cell is a weighted sum of a row and a column.",
    "Most of the work in a transformer is exactly this kind of bookkeeping, repeated across layers and heads.",
    "If the numbers feel arbitrary, that is because they are: the weights here are random, just as they are before training.",
    "After training, the same formula holds, but the weights encode patterns learned from billions of examples.",
    "The model never sees words, only vectors, so everything it knows about \"{tok}\" lives in rows like these.",
    "Try to predict the sign of the next entry before reading it; it is a quick way to build intuition.",
    "We write $W_Q \\in \\mathbb{R}^{d \\times d}$ to say that the query weights form a square matrix of real numbers.",
    "In code, the whole step is a single line, and the library takes care of the loops for us.",
    "Every number on this page is computed from the matrices above, so changing one weight changes the tables that follow.",
    "The {c} and the {c2} are computed from the same input, yet they play very different roles.",
    "It is worth pausing here, because the next step builds directly on this one.",
    "Keeping the labels next to the numbers makes it much harder to read a table the wrong way round.",
    "A row of {M} can be read as a recipe: how much of each input dimension goes into one output feature.",
    "The sum over the shared dimension is where the information actually {verb2}; everything else is indexing.",
    "Notice that the result has as many rows as there are tokens, whatever the width of the model.",
    "One practical consequence is memory: the scores grow with the square of the sequence length.",
    "This is also why long contexts are expensive, and why tricks such as the key-value cache exist.",
    "The {adj} version of the story is enough for now; the details return when we stack several heads.",
];

const LIST_ITEMS: &[&str] = &[
    "the input matrix has one row per token and one column per model dimension;",
    "each weight matrix is stored output × input, like `torch.nn.Linear`;",
    "a product of shapes 4×8 and 8×8 gives a 4×8 result;",
    "the softmax turns each row of scores into weights that add up to one;",
    "scores are divided by $\\sqrt{d_k}$ before the softmax;",
    "labels follow the numbers: rows from the left operand, columns from the right;",
    "a transpose swaps rows and columns, and their labels with them;",
    "none of the weights is designed by hand: all of them are learned;",
    "the same weights are shared by every position in the sequence;",
    "a larger dot product means a stronger match between query and key;",
    "the value vectors carry the content that attention moves between tokens;",
    "the output keeps the shape of the input, so layers can be stacked;",
];

/// Outside references, as (text, URL).
const LINKS: &[(&str, &str)] = &[
    (
        "Attention Is All You Need",
        "https://arxiv.org/abs/1706.03762",
    ),
    (
        "The Illustrated Transformer",
        "https://jalammar.github.io/illustrated-transformer/",
    ),
    (
        "the PyTorch documentation",
        "https://pytorch.org/docs/stable/nn.html",
    ),
    (
        "NumPy's broadcasting rules",
        "https://numpy.org/doc/stable/user/basics.broadcasting.html",
    ),
    (
        "a note on layer normalization",
        "https://arxiv.org/abs/1607.06450",
    ),
];

const CODE: &[&str] = &[
    "import numpy as np\n\nX = np.random.randn(4, 8)\nW_q = np.random.randn(8, 8)\nQ = X @ W_q.T          # one query per token\nprint(Q.shape)        # (4, 8)\n",
    "import torch\n\nproj = torch.nn.Linear(8, 8, bias=False)\nx = torch.randn(4, 8)\nq = proj(x)            # computes x @ proj.weight.T\nassert q.shape == (4, 8)\n",
    "def softmax(row):\n    m = max(row)\n    e = [math.exp(v - m) for v in row]\n    s = sum(e)\n    return [v / s for v in e]\n",
    "scores = Q @ K.T / math.sqrt(d_k)\nweights = softmax(scores, axis=-1)\ncontext = weights @ V\n",
    "for i, token in enumerate(tokens):\n    q = X[i] @ W_q.T\n    print(token, q.round(3))\n",
];

// ---------------------------------------------------------------------------------------------
// Prose.

struct Writer<'a> {
    rng: &'a mut Rng,
    tokens: &'a [String],
    /// Matrices in scope: names for the templates, plus ones with values for inline numbers.
    in_scope: Vec<Mat>,
}

impl Writer<'_> {
    /// A sentence template with its slots filled.
    fn fill(&mut self, t: &str) -> String {
        let mut s = t.to_string();
        let c = self.rng.pick(CONCEPTS);
        let mut c2 = self.rng.pick(CONCEPTS);
        while c2 == c {
            c2 = self.rng.pick(CONCEPTS);
        }
        let tok = self.tokens[self.rng.below(self.tokens.len())].clone();
        let m = self.in_scope[self.rng.below(self.in_scope.len())]
            .name
            .clone();
        s = s
            .replace("{c2}", c2)
            .replace("{c}", c)
            .replace("{tok}", &tok)
            .replace("{M}", &m)
            .replace("{adj}", self.rng.pick(ADJECTIVES))
            .replace("{verb2}", self.rng.pick(VERBS))
            .replace("{verb}", self.rng.pick(VERBS));
        s
    }

    /// `n` different sentences.
    fn sentences(&mut self, n: usize) -> String {
        let picked = self.rng.sample(SENTENCES, n);
        let filled: Vec<String> = picked.into_iter().map(|t| self.fill(t)).collect();
        filled.join(" ")
    }

    fn paragraph(&mut self, out: &mut Pair) {
        let n = 3 + self.rng.below(3);
        let p = self.sentences(n);
        out.text(&p);
        out.text("\n\n");
    }

    /// A paragraph that quotes one entry of `m`, and one of an earlier matrix in scope.
    fn paragraph_with_value(&mut self, out: &mut Pair, m: &Mat) {
        let (r, c) = (self.rng.below(m.rows.len()), self.rng.below(m.cols.len()));
        let lead = self.sentences(1);
        out.text(&format!(
            "{lead} For instance, the entry of {} in row “{}”, column {} is ",
            m.name, m.rows[r], m.cols[c]
        ));
        out.entry(m, r, c);
        out.text(", and the whole matrix is ");
        out.count("rows", m);
        out.text(" × ");
        out.count("cols", m);
        let other = self.in_scope[self.rng.below(self.in_scope.len())].clone();
        let (r, c) = (
            self.rng.below(other.rows.len()),
            self.rng.below(other.cols.len()),
        );
        out.text(&format!(
            ". Compare it with {}[{}, {}], which is ",
            other.name, other.rows[r], other.cols[c]
        ));
        out.entry(&other, r, c);
        let tail = self.sentences(2);
        out.text(&format!(". {tail}\n\n"));
    }

    fn list(&mut self, out: &mut Pair) {
        out.text("Keep these facts in mind:\n\n");
        for item in self.rng.sample(LIST_ITEMS, 5) {
            out.text(&format!("- {item}\n"));
        }
        out.text("\n");
    }

    /// A numbered list of steps with emphasis, as lessons write procedures.
    fn steps(&mut self, out: &mut Pair) {
        out.text("To work it out by hand:\n\n");
        for (n, item) in self.rng.sample(LIST_ITEMS, 4).into_iter().enumerate() {
            let word = self.rng.pick(ADJECTIVES);
            out.text(&format!(
                "{}. **{word}**: {item} *Check the shapes first.*\n",
                n + 1
            ));
        }
        out.text("\n");
    }

    /// A quoted remark and a paragraph with links out of the site, as lessons cite papers.
    fn quote_and_links(&mut self, out: &mut Pair) {
        let remark = self.sentences(2);
        out.text(&format!("> **Note.** {remark}\n\n"));
        let a = LINKS[self.rng.below(LINKS.len())];
        let b = LINKS[self.rng.below(LINKS.len())];
        let lead = self.sentences(1);
        out.text(&format!(
            "{lead} Read more in [{}]({}) and in [{}]({}), or see the `torch.nn` documentation.\n\n",
            a.0, a.1, b.0, b.1
        ));
    }

    fn table(&mut self, out: &mut Pair) {
        out.text("| Name | Shape | Role |\n|---|---|---|\n");
        let rows = [
            ("X", "4×8", "the input, one row per token"),
            ("W_Q", "8×8", "query weights, output × input"),
            ("W_K", "8×8", "key weights, output × input"),
            ("W_V", "8×8", "value weights, output × input"),
            ("Q", "4×8", "what each token is looking for"),
            ("K", "4×8", "what each token offers to be found by"),
            ("V", "4×8", "what each token hands over"),
        ];
        let start = self.rng.below(3);
        for (n, s, r) in &rows[start..start + 5] {
            out.text(&format!("| `{n}` | {s} | {r} |\n"));
        }
        out.text("\n");
    }

    fn code(&mut self, out: &mut Pair) {
        out.text("In code:\n\n```python\n");
        out.text(self.rng.pick(CODE));
        out.text("```\n\n");
    }

    fn heading(&mut self, out: &mut Pair, used: &mut Vec<&'static str>) {
        let mut h = self.rng.pick(HEADINGS);
        while used.contains(&h) {
            h = self.rng.pick(HEADINGS);
        }
        used.push(h);
        out.text(&format!("## {h}\n\n"));
    }

    /// Fills `out` with sections of prose until it holds about `words` words, placing the
    /// matrices of the step between the sections.
    fn step_body(&mut self, out: &mut Pair, matrices: &[Mat], quiz: Option<&Mat>) {
        let mut used = Vec::new();
        let mut pending: Vec<Mat> = matrices.to_vec();
        pending.reverse();
        let mut section = 0;
        while out.words < WORDS_PER_STEP || !pending.is_empty() {
            self.heading(out, &mut used);
            self.paragraph(out);
            if let Some(m) = pending.pop() {
                out.matrix(&m);
                self.paragraph_with_value(out, &m);
                self.in_scope.push(m);
            }
            match section % 4 {
                0 => self.list(out),
                1 => self.table(out),
                2 => self.code(out),
                _ => self.steps(out),
            }
            if section % 2 == 0 {
                self.quote_and_links(out);
            }
            self.paragraph(out);
            section += 1;
        }
        if let Some(q) = quiz {
            let (r, c) = (self.rng.below(q.rows.len()), self.rng.below(q.cols.len()));
            let (row, col) = (&q.rows[r], &q.cols[c]);
            out.text(&format!(
                "## Check your understanding\n\n<details>\n<summary>Which row of X and which row of W_Q give the entry {}[{row}, {col}]?</summary>\n\nRow “{row}” of X and row {col} of W_Q: multiply them entry by entry and add up the products to get ",
                q.name
            ));
            out.entry(q, r, c);
            out.text(".\n\n</details>\n");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One lesson, written into the three trees.

struct Lesson {
    slug: String,
    title: String,
    summary: String,
    lectern_intro: String,
    plain_intro: String,
    objectives: Vec<String>,
    /// (stem, title, summary, lectern body, plain body)
    steps: Vec<(String, String, String, String, String)>,
}

const STEP_TITLES: [(&str, &str); STEPS] = [
    ("tokens-as-vectors", "Tokens as vectors"),
    ("three-weight-matrices", "Three weight matrices"),
    ("computing-qkv", "Computing Q, K and V"),
    ("scores", "From projections to scores"),
    ("weights", "Turning scores into weights"),
    ("mixing-values", "Mixing the values"),
    ("review", "Review and quiz"),
];

fn lesson(rng: &mut Rng, index: usize) -> Lesson {
    let (topic_slug, topic_title) = TOPICS[index % TOPICS.len()];
    let slug = format!("l{:04}-{topic_slug}", index + 1);
    let title = format!("{topic_title} {}", index + 1);
    let tokens: Vec<String> = rng
        .sample(TOKENS, 4)
        .into_iter()
        .map(String::from)
        .collect();
    let sentence = tokens.join(" ");
    let d = labels("d", 8);

    let x = Mat::literal(
        rng,
        "X",
        format!("Input embeddings of “{sentence}”, one row per token"),
        tokens.clone(),
        d.clone(),
        100,
    );
    let p1 = Mat::literal(
        rng,
        "P1",
        "Positional encodings, one row per position".into(),
        tokens.clone(),
        d.clone(),
        50,
    );
    let weights = |rng: &mut Rng, name: &str, prefix: &str, what: &str| {
        Mat::literal(
            rng,
            name,
            format!("{what} weights {name}, stored output × input"),
            labels(prefix, 8),
            d.clone(),
            60,
        )
    };
    // Draw W_Q again until no entry of Q sits exactly halfway between two shown values.
    let (w_q, q) = loop {
        let w_q = weights(rng, "W_Q", "q", "Query");
        let q = Mat::project(&x, &w_q, "Q", "Queries, one row per token".into(), true);
        if !q.has_tie() {
            break (w_q, q);
        }
    };
    let w_k = weights(rng, "W_K", "k", "Key");
    let w_v = weights(rng, "W_V", "v", "Value");
    let k = Mat::project(&x, &w_k, "K", "Keys, one row per token".into(), false);
    let v = Mat::project(&x, &w_v, "V", "Values, one row per token".into(), false);

    let mut step_mats: Vec<Vec<Mat>> = vec![
        vec![x.clone(), p1],
        vec![w_q, w_k, w_v],
        vec![q.clone(), k, v],
    ];
    for n in 4..=STEPS {
        let pair = [
            ("H", "Hidden states after step"),
            ("Z", "Normalised states after step"),
        ]
        .iter()
        .map(|(p, what)| {
            Mat::literal(
                rng,
                &format!("{p}{n}"),
                format!("{what} {n}, one row per token"),
                tokens.clone(),
                d.clone(),
                100,
            )
        })
        .collect();
        step_mats.push(pair);
    }

    let mut writer = Writer {
        rng,
        tokens: &tokens,
        in_scope: vec![x.clone()],
    };
    let mut intro = Pair::default();
    intro.text(&format!(
        "This lesson follows one tiny example from start to finish: the four-token sentence “{sentence}”, whose tokens are 8-dimensional vectors. "
    ));
    writer.paragraph(&mut intro);
    writer.paragraph(&mut intro);
    // The intro may only use what it defines; the writer's scope starts empty for the steps.
    writer.in_scope.clear();

    let mut steps = Vec::new();
    for (i, mats) in step_mats.into_iter().enumerate() {
        let (stem_slug, step_title) = STEP_TITLES[i];
        if writer.in_scope.is_empty() {
            // Inline values see every matrix of their own file, so step 1 may quote X early.
            writer.in_scope.push(mats[0].clone());
        }
        let quiz = (i + 1 == STEPS).then_some(&q);
        let mut body = Pair::default();
        writer.step_body(&mut body, &mats, quiz);
        steps.push((
            format!("{:02}-{stem_slug}", i + 1),
            step_title.to_string(),
            format!("Step {} of {title}, on the sentence “{sentence}”.", i + 1),
            body.lectern,
            body.plain,
        ));
    }

    Lesson {
        slug,
        summary: format!(
            "{topic_title}, computed by hand and checked by the build, on the sentence “{sentence}”."
        ),
        title,
        lectern_intro: intro.lectern,
        plain_intro: intro.plain,
        objectives: vec![
            "Compute Q, K and V from an input matrix and three weight matrices".into(),
            "Predict the shape of every product before computing it".into(),
            format!(
                "Explain what {} means for the token “{}”",
                topic_title.to_lowercase(),
                tokens[0]
            ),
        ],
        steps,
    }
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}

const SITE_TITLE: &str = "Attention, by the numbers (benchmark corpus)";

fn write_lectern(root: &Path, l: &Lesson, order: usize) -> Result<(), String> {
    let dir = root.join("content").join(&l.slug);
    let mut md = format!(
        "---\ntitle: \"{}\"\nsummary: \"{}\"\norder: {order}\nprerequisites:\n  - Matrix multiplication basics\nobjectives:\n",
        l.title, l.summary
    );
    for o in &l.objectives {
        writeln!(md, "  - \"{o}\"").unwrap();
    }
    md.push_str("key_concepts:\n  - term: Query\n    definition: \"What a token is looking for.\"\n  - term: Key\n    definition: \"What a token offers to be found by.\"\n  - Value\n---\n\n");
    md.push_str(&l.lectern_intro);
    write(&dir.join("lesson.md"), &md)?;
    for (stem, title, summary, body, _) in &l.steps {
        let text = format!("---\ntitle: \"{title}\"\nsummary: \"{summary}\"\n---\n\n{body}");
        write(&dir.join(format!("{stem}.md")), &text)?;
    }
    Ok(())
}

fn write_hugo(root: &Path, l: &Lesson, order: usize) -> Result<(), String> {
    let dir = root.join("content").join(&l.slug);
    let mut md = format!(
        "---\ntitle: \"{}\"\ndescription: \"{}\"\nweight: {order}\n---\n\n## Objectives\n\n",
        l.title, l.summary
    );
    for o in &l.objectives {
        writeln!(md, "- {o}").unwrap();
    }
    md.push('\n');
    md.push_str(&l.plain_intro);
    write(&dir.join("_index.md"), &md)?;
    for (i, (stem, title, summary, _, body)) in l.steps.iter().enumerate() {
        let text = format!(
            "---\ntitle: \"{title}\"\ndescription: \"{summary}\"\nweight: {}\n---\n\n{body}",
            i + 1
        );
        write(&dir.join(format!("{stem}.md")), &text)?;
    }
    Ok(())
}

fn write_mdbook(root: &Path, l: &Lesson, summary: &mut String) -> Result<(), String> {
    let dir = root.join("src").join(&l.slug);
    let mut md = format!("# {}\n\n*{}*\n\n## Objectives\n\n", l.title, l.summary);
    for o in &l.objectives {
        writeln!(md, "- {o}").unwrap();
    }
    md.push('\n');
    md.push_str(&l.plain_intro);
    write(&dir.join("index.md"), &md)?;
    writeln!(summary, "- [{}]({}/index.md)", l.title, l.slug).unwrap();
    for (stem, title, summary_text, _, body) in &l.steps {
        let text = format!("# {title}\n\n*{summary_text}*\n\n{body}");
        write(&dir.join(format!("{stem}.md")), &text)?;
        writeln!(summary, "  - [{title}]({}/{stem}.md)", l.slug).unwrap();
    }
    Ok(())
}

const HUGO_CONFIG: &str = r#"baseURL = "https://example.org/"
title = "Attention, by the numbers (benchmark corpus)"
locale = "en"
# Only pages: lectern writes no feeds, sitemaps or taxonomies either.
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableGitInfo = false

[markup.goldmark.renderer]
# The quiz is a raw <details> block.
unsafe = true
"#;

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
{{ block "main" . }}{{ end }}
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<nav class="breadcrumbs"><a href="{{ "/" | relURL }}">Lessons</a> › <a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a> › <span>{{ .Title }}</span></nav>
<nav class="sidebar"><ol>
{{ $current := . }}{{ range .CurrentSection.Pages.ByWeight }}<li><a href="{{ .RelPermalink }}"{{ if eq . $current }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
{{ end }}</ol></nav>
<main>
<p class="step-count">Step {{ .Weight }} of {{ len .CurrentSection.Pages }}</p>
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lede">{{ . }}</p>{{ end }}
{{ .Content }}
<nav class="pager">
{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</nav>
</main>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<main>
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lede">{{ . }}</p>{{ end }}
{{ .Content }}
<ol>
{{ range .Pages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }} — {{ . }}{{ end }}</li>
{{ end }}</ol>
</main>
{{ end }}
"#;

pub fn run(lessons: usize, out: &Path, seed: u64) -> Result<(), String> {
    let (lectern, hugo, mdbook) = (out.join("lectern"), out.join("hugo"), out.join("mdbook"));
    for d in [&lectern, &hugo, &mdbook] {
        if d.exists() {
            return Err(format!("{} exists: remove it first", d.display()));
        }
    }
    write(
        &lectern.join("content/site.yaml"),
        &format!(
            "title: \"{SITE_TITLE}\"\ndescription: Generated lessons for benchmarking lectern.\n"
        ),
    )?;
    write(&hugo.join("hugo.toml"), HUGO_CONFIG)?;
    write(&hugo.join("layouts/_default/baseof.html"), HUGO_BASEOF)?;
    write(&hugo.join("layouts/_default/single.html"), HUGO_SINGLE)?;
    write(&hugo.join("layouts/_default/list.html"), HUGO_LIST)?;
    write(
        &hugo.join("content/_index.md"),
        "---\ntitle: \"Lessons\"\ndescription: \"Generated lessons for benchmarking.\"\n---\n",
    )?;
    write(
        &mdbook.join("book.toml"),
        &format!("[book]\ntitle = \"{SITE_TITLE}\"\nlanguage = \"en\"\nsrc = \"src\"\n"),
    )?;
    write(
        &mdbook.join("src/README.md"),
        "# Lessons\n\nGenerated lessons for benchmarking.\n",
    )?;
    let mut summary = String::from("# Summary\n\n[Lessons](README.md)\n\n");
    let mut rng = Rng(seed);
    for i in 0..lessons {
        let l = lesson(&mut rng, i);
        write_lectern(&lectern, &l, i + 1)?;
        write_hugo(&hugo, &l, i + 1)?;
        write_mdbook(&mdbook, &l, &mut summary)?;
    }
    write(&mdbook.join("src/SUMMARY.md"), &summary)?;
    Ok(())
}

const USAGE: &str = "usage: gen_corpus --lessons N --out DIR [--seed S]";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut lessons, mut out, mut seed) = (None, None, DEFAULT_SEED);
    while let Some(a) = args.next() {
        let value = args.next();
        match (a.as_str(), value) {
            ("--lessons", Some(v)) => lessons = v.parse::<usize>().ok(),
            ("--out", Some(v)) => out = Some(PathBuf::from(v)),
            ("--seed", Some(v)) if v.parse::<u64>().is_ok() => seed = v.parse().unwrap(),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(lessons), Some(out)) = (lessons, out) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match run(lessons, &out, seed) {
        Ok(()) => {
            println!(
                "wrote {lessons} lessons × {STEPS} steps to {}/{{lectern,hugo,mdbook}}",
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::from(1)
        }
    }
}
