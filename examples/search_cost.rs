//! What the search index costs a build, apart from the build: reads every page of a built site
//! and times, on one thread, reading and cutting the words of each page (`search::extract`),
//! that and filing them (`search::Collector::add`), and making the index files
//! (`Collector::finish`, which uses every core).
//!
//! ```text
//! cargo run --release --example search_cost -- SITE_DIR
//! ```

use std::time::Instant;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: search_cost SITE_DIR");
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if rel.ends_with(".html") && lectern::search::indexed(&rel) {
            pages.push((rel, std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    let bytes: usize = pages.iter().map(|(_, h)| h.len()).sum();
    // Reading a page's sections also cuts their text into terms (here thrown away).
    let t = Instant::now();
    let mut kept = 0usize;
    for (path, html) in &pages {
        if let Some(p) = lectern::search::extract(path, html) {
            kept += p.sections.iter().map(|s| s.text.len()).sum::<usize>();
        }
    }
    let extract = t.elapsed();
    let collector = lectern::search::Collector::default();
    let t = Instant::now();
    collector.add(pages.iter().map(|(p, h)| (p.as_str(), h.as_str())));
    let add = t.elapsed();
    let t = Instant::now();
    let files = collector.finish();
    let finish = t.elapsed();
    let out: usize = files
        .iter()
        .map(|f| match f {
            lectern::render::Output::Page { contents, .. } => contents.len(),
            lectern::render::Output::Copy { .. } => 0,
        })
        .sum();
    println!(
        "{} pages, {:.1} MB of HTML, {:.1} MB of text kept for snippets\nextract (and cut) {:?}, add (extract, cut, number, weigh) {:?}, finish {:?}: {} files, {:.1} MB",
        pages.len(),
        bytes as f64 / 1e6,
        kept as f64 / 1e6,
        extract,
        add,
        finish,
        files.len(),
        out as f64 / 1e6
    );
}
