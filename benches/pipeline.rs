//! Criterion micro-benchmarks for the hot parts of a build, through lectern's public library API,
//! on content from the benchmark's corpus generator (`examples/gen_corpus.rs`, included below so
//! the benches and `bench/run.sh` measure the same text).
//!
//! ```text
//! cargo bench --bench pipeline                 # all
//! cargo bench --bench pipeline -- render       # one group
//! ```
//!
//! - `parse`: `lectern::parse::parse` of a project holding one step (the Q/K/V step: three
//!   computed matrices, one with 32 `expect` values, inline values) plus its small `lesson.md`,
//!   and of a whole generated lesson (lesson.md + 7 steps).
//! - `expr`: `lectern::parse::expr::parse` of a formula, and `lectern::compute::eval::eval` of
//!   `X @ W_Q^T`, of an attention-score formula and of an inline entry `Q[tok, q2]`.
//! - `render`: `lectern::render::render_site` of one computed lesson: its 7 step pages, its overview
//!   and the index (the public API renders a site, not a single page, so the throughput is given
//!   per page of that lesson).
//! - `build`: `lectern::pipeline::build` end to end (load, parse, compute, verify, render, write)
//!   of a 15-lesson corpus into a temporary folder (on /dev/shm when there is one).

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lectern::compute::eval::{Scope, eval};
use lectern::compute::lesson::LessonValues;
use lectern::compute::matrix::Matrix;
use lectern::parse::expr;
use lectern::pipeline::{Options, build};
use lectern::render::templates::Templates;

#[allow(dead_code)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

/// A temporary folder, removed on drop; on tmpfs when available so the disk is not measured.
struct Scratch(PathBuf);

impl Scratch {
    fn new(what: &str) -> Scratch {
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("lectern-criterion-{what}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a scratch folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Generates `lessons` lessons; returns the lectern project folder.
fn corpus(scratch: &Scratch, lessons: usize) -> PathBuf {
    let out = scratch.0.join("corpus");
    gen_corpus::run(lessons, &out, gen_corpus::DEFAULT_SEED).expect("generate the corpus");
    out.join("lectern")
}

/// The first lesson folder of a generated project.
fn first_lesson(root: &Path) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.remove(0)
}

fn load(root: &Path) -> lectern::load::Project {
    lectern::load::load(root).expect("load the generated project")
}

fn parse_benches(c: &mut Criterion) {
    let scratch = Scratch::new("parse");
    let root = corpus(&scratch, 1);
    let lesson = first_lesson(&root);

    // A project with one step: the Q/K/V step and the lesson.md it needs.
    let one = scratch.0.join("one-step");
    let one_lesson = one.join("content").join(lesson.file_name().unwrap());
    std::fs::create_dir_all(&one_lesson).unwrap();
    std::fs::copy(
        root.join("content/site.yaml"),
        one.join("content/site.yaml"),
    )
    .unwrap();
    for name in ["lesson.md", "03-computing-qkv.md"] {
        std::fs::copy(lesson.join(name), one_lesson.join(name)).unwrap();
    }
    let step_bytes = std::fs::metadata(one_lesson.join("03-computing-qkv.md"))
        .unwrap()
        .len();

    let mut g = c.benchmark_group("parse");
    let project = load(&one);
    g.throughput(Throughput::Bytes(step_bytes));
    g.bench_function("step (qkv step + lesson.md)", |b| {
        b.iter(|| {
            let (site, problems) = lectern::parse::parse(black_box(&project));
            assert!(problems.is_empty());
            site
        })
    });
    let project = load(&root);
    let bytes: u64 = std::fs::read_dir(&lesson)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("lesson (lesson.md + 7 steps)", |b| {
        b.iter(|| lectern::parse::parse(black_box(&project)))
    });
    g.finish();
}

/// Names for `eval`, from a computed lesson.
struct Vars(BTreeMap<String, Matrix>);

impl Scope for Vars {
    fn lookup(&self, name: &str) -> Option<&Matrix> {
        self.0.get(name)
    }
}

/// Loads, parses and computes the first lesson of a fresh 1-lesson corpus.
fn computed(
    scratch: &Scratch,
) -> (
    lectern::load::Project,
    lectern::model::Site,
    Vec<LessonValues>,
) {
    let project = load(&corpus(scratch, 1));
    let (site, problems) = lectern::parse::parse(&project);
    assert!(problems.is_empty(), "the generated lesson parses");
    let site = site.unwrap();
    let (values, _, problems) = lectern::compute::lesson::compute(&site);
    assert!(problems.is_empty(), "the generated lesson computes");
    (project, site, values)
}

fn expr_benches(c: &mut Criterion) {
    let scratch = Scratch::new("expr");
    let (_, _, values) = computed(&scratch);
    let vars = Vars(values[0].matrices.clone());
    let token = vars.0["Q"].row_label(1);

    let mut g = c.benchmark_group("expr");
    let formula = "softmax(Q @ K^T / sqrt(cols(K))) @ V";
    g.bench_function("parse softmax(Q @ K^T / sqrt(cols(K))) @ V", |b| {
        b.iter(|| expr::parse(black_box(formula)).unwrap())
    });
    let inline = format!("Q[{token}, q2]");
    for text in ["X @ W_Q^T", formula, inline.as_str()] {
        let e = expr::parse(text).unwrap();
        let name = if text == inline { "Q[token, q2]" } else { text };
        g.bench_function(format!("eval {name}"), |b| {
            b.iter(|| eval(black_box(&e), text, &vars).unwrap())
        });
    }
    g.finish();
}

fn render_benches(c: &mut Criterion) {
    let scratch = Scratch::new("render");
    let (project, site, values) = computed(&scratch);
    let templates = Templates::new(&project.templates, &project.sources)
        .expect("the built-in templates compile");
    let pages = 2 + site.lessons[0].steps.len();

    let mut g = c.benchmark_group("render");
    g.throughput(Throughput::Elements(pages as u64));
    g.bench_function("one lesson (7 step pages, overview, index)", |b| {
        b.iter(|| {
            lectern::render::render_site(
                black_box(&site),
                &project.sources,
                &values,
                (&templates, &project.templates),
                lectern::render::RenderOptions::default(),
            )
            .unwrap()
        })
    });
    g.finish();
}

fn build_benches(c: &mut Criterion) {
    let scratch = Scratch::new("build");
    let lessons = 15;
    let opts = Options {
        out: Some(scratch.0.join("site")),
        ..Options::new(corpus(&scratch, lessons))
    };
    let mut g = c.benchmark_group("build");
    g.sample_size(20);
    g.throughput(Throughput::Elements(lessons as u64 * 7));
    g.bench_function("15 lessons end to end (per step page)", |b| {
        b.iter(|| {
            let (_, result) = build(black_box(&opts));
            result.expect("the generated corpus builds")
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    parse_benches,
    expr_benches,
    render_benches,
    build_benches
);
criterion_main!(benches);
