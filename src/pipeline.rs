//! The spine of a build: load → parse → compute → verify → render → write.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Error};
use crate::render::templates::Templates;
use crate::source::Sources;
use crate::{compute, load, parse, render, verify, write};

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The project folder, holding `content/` and optionally `templates/`.
    pub root: PathBuf,
    /// The output folder; `ROOT/site` by default.
    pub out: Option<PathBuf>,
}

impl Options {
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("site"))
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Summary {
    pub lessons: usize,
    pub steps: usize,
    pub matrices_computed: usize,
    pub checked: verify::Checked,
    pub pages: usize,
    pub out: PathBuf,
    pub elapsed: Duration,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "built {}, {}: {} computed, {} and {} verified, {} written to {} in {} ms",
            plural(self.lessons, "lesson", "lessons"),
            plural(self.steps, "step", "steps"),
            plural(self.matrices_computed, "matrix", "matrices"),
            plural(self.checked.values, "typed value", "typed values"),
            plural(self.checked.shapes, "shape", "shapes"),
            plural(self.pages, "file", "files"),
            self.out.display(),
            self.elapsed.as_millis()
        )
    }
}

/// Builds the site. The sources are returned in every case so that errors can be shown with
/// the lines they point at.
pub fn build(opts: &Options) -> (Sources, Result<Summary, Error>) {
    let start = Instant::now();
    let out = opts.out_dir();
    if let Err(e) = write::check_target(&opts.root, &out) {
        return (Sources::default(), Err(e));
    }
    let project = match load::load(&opts.root) {
        Ok(p) => p,
        Err(e) => return (Sources::default(), Err(e)),
    };
    let result = run(&project, &out, start);
    (project.sources, result)
}

fn run(project: &load::Project, out: &std::path::Path, start: Instant) -> Result<Summary, Error> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    let templates = Templates::new(&project.templates)
        .map_err(|d| problems.push(d))
        .ok();
    let (site, mut found) = parse::parse(project);
    problems.append(&mut found);
    let Some(site) = site else {
        return Err(Error::Content(problems));
    };
    let (values, computed, mut found) = compute::lesson::compute(&site);
    problems.append(&mut found);
    let (checked, mut found) = verify::verify(&site, &values);
    problems.append(&mut found);
    let Some(templates) = templates else {
        return Err(Error::Content(problems));
    };
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    let files = render::render(
        &site,
        &project.sources,
        &values,
        &templates,
        &project.templates,
    )
    .map_err(Error::Content)?;
    write::write_site(out, &files)?;
    Ok(Summary {
        lessons: site.lessons.len(),
        steps: site.lessons.iter().map(|l| l.steps.len()).sum(),
        matrices_computed: computed,
        checked,
        pages: files.len(),
        out: out.to_path_buf(),
        elapsed: start.elapsed(),
    })
}
