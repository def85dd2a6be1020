//! Any text as a step file: front matter, Markdown, matrix blocks, expressions, inline values,
//! all the way through compute, verify, render, link checking and error reporting (no disk I/O).
//! It must never panic, hang or exhaust memory; errors are fine.
#![no_main]

use std::path::Path;
use std::time::Instant;

use lectern::error::Error;
use lectern::pipeline::{Options, run};
use lectern::{load, report};
use libfuzzer_sys::fuzz_target;

const LESSON: &str = "---\ntitle: L\n---\n```matrix\nname: X\nrows: [the, cat]\nvalues: [[1, 2], [3, 4]]\n```\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Small limits keep each run fast; they are part of what is exercised.
    let site = "title: Fuzz\nlimits:\n  matrix_cells: 10000\n  table_cells: 1000\n  expression_work: 1000000\n";
    let project = load::in_memory(site, &[("l", LESSON, &[("01-fuzz", text)])]);
    let opts = Options { write: false, ..Options::new("/nonexistent") };
    match run(&project, &opts, Path::new("/nonexistent/site"), Instant::now()) {
        Ok(summary) => {
            for d in &summary.warnings {
                let _ = report::render(d, &project.sources, None, false);
            }
        }
        Err(Error::Content(ds)) => {
            for d in &ds {
                let _ = report::render(d, &project.sources, Some("1/1"), false);
                let _ = report::json(d, &project.sources);
            }
        }
        Err(_) => {}
    }
});
