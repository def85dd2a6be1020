//! Edit-to-reload latency of `lectern serve`: from the moment a step file is written to the
//! moment the `build` event naming its page reaches a connected client, over N edits.
//!
//! ```text
//! cargo build --release --examples
//! target/release/examples/serve_latency --seed content            # the repository's lesson
//! target/release/examples/serve_latency --generate 1000           # 1,000 lessons × 7 steps
//! target/release/examples/serve_latency --generate 1000 --into DIR  # only write the project
//! ```
//!
//! It copies or generates the project into a temporary folder, starts the `lectern` binary next
//! to this example (`target/release/lectern`, or `$LECTERN`) with `serve --port 0`, connects to
//! the event stream with a plain TCP client, then edits one step's prose N times (50 by default),
//! waiting 150 ms between edits so that they do not merge. It prints p50, p95 and max of the
//! latency, and the rebuild time the server reports for the same edits. Then it breaks and
//! fixes the step `--errors` times (5 by default) and reports how long the overlay and the
//! recovery take.
//!
//! Not a test: nothing here asserts a time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(120);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let edits: usize = value("--edits").map_or(50, |v| v.parse().expect("--edits N"));
    let errors: usize = value("--errors").map_or(5, |v| v.parse().expect("--errors N"));
    if let (Some(n), Some(dir)) = (value("--generate"), value("--into")) {
        generate(Path::new(&dir), n.parse().expect("--generate N"), 7);
        return;
    }
    let tmp = tempfile::tempdir().expect("temporary folder");
    let root = tmp.path().to_path_buf();
    let (step, page) = if let Some(n) = value("--generate") {
        let n: usize = n.parse().expect("--generate N");
        generate(&root, n, 7);
        let lesson = format!("lesson-{:04}", n / 2);
        (
            root.join(format!("content/{lesson}/03-step.md")),
            format!("{lesson}/03-step.html"),
        )
    } else {
        let seed = PathBuf::from(value("--seed").unwrap_or_else(|| "content".into()));
        copy_dir(&seed, &root.join("content"));
        (
            root.join("content/qkv-projections/03-query.md"),
            "qkv-projections/03-query.html".to_string(),
        )
    };
    let original = std::fs::read_to_string(&step).expect("the step to edit");

    let lectern = std::env::var_os("LECTERN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let exe = std::env::current_exe().unwrap();
            exe.parent().unwrap().parent().unwrap().join("lectern")
        });
    let started = Instant::now();
    let mut child = Command::new(&lectern)
        .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", lectern.display()));
    let (tx, lines) = mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut first_build = String::new();
    let url = loop {
        let line = lines
            .recv_timeout(WAIT)
            .expect("lectern serve printed its address");
        if line.starts_with("built") {
            first_build = line.clone();
        }
        if let Some(url) = line.strip_prefix("serving ") {
            break url.split_whitespace().next().unwrap().to_string();
        }
    };
    println!(
        "{first_build} (process ready after {} ms)",
        started.elapsed().as_millis()
    );
    let addr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let prefix = format!(
        "/{}",
        url.trim_start_matches("http://").split_once('/').unwrap().1
    );
    let events = connect(&addr, &format!("{prefix}__lectern/events"));
    events.recv_timeout(WAIT).expect("hello");

    let mut latencies = Vec::new();
    let mut rebuilds = Vec::new();
    for i in 0..edits {
        std::thread::sleep(Duration::from_millis(150));
        while lines.try_recv().is_ok() {}
        let text = original.replacen("\n\n", &format!("\n\nEdit number {i} of this step.\n\n"), 1);
        let t0 = Instant::now();
        std::fs::write(&step, text).unwrap();
        loop {
            let data = events.recv_timeout(WAIT).expect("a build event");
            if data.contains(&format!("\"{page}\"")) {
                break;
            }
        }
        latencies.push(t0.elapsed());
        // The server's own line for this rebuild: "built … in N ms".
        if let Ok(line) = lines.recv_timeout(Duration::from_secs(5))
            && let Some(ms) = line
                .rsplit_once(" in ")
                .and_then(|(_, t)| t.strip_suffix(" ms"))
        {
            rebuilds.push(ms.parse::<u64>().unwrap_or(0));
        }
    }
    // The error path: an edit that breaks the step (the overlay event), then its fix.
    let mut failing = Vec::new();
    let mut fixing = Vec::new();
    for i in 0..errors {
        std::thread::sleep(Duration::from_millis(150));
        let t0 = Instant::now();
        std::fs::write(
            &step,
            original.replacen("```matrix\n", "```matrix\nnot yaml: [\n", 1),
        )
        .unwrap();
        while !events
            .recv_timeout(WAIT)
            .expect("a failed event")
            .contains("lectern-overlay")
        {}
        failing.push(t0.elapsed());
        std::thread::sleep(Duration::from_millis(150));
        let text = original.replacen("\n\n", &format!("\n\nFixed {i}.\n\n"), 1);
        let t0 = Instant::now();
        std::fs::write(&step, text).unwrap();
        while !events
            .recv_timeout(WAIT)
            .expect("a build event")
            .contains(&format!("\"{page}\""))
        {}
        fixing.push(t0.elapsed());
    }
    // Stop it as a user would, so that it removes its output folder.
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();

    latencies.sort();
    rebuilds.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pick = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "edit-to-reload over {} edits of {page}: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms, min {:.1} ms",
        latencies.len(),
        ms(pick(0.5)),
        ms(pick(0.95)),
        ms(*latencies.last().unwrap()),
        ms(latencies[0]),
    );
    if errors > 0 {
        failing.sort();
        fixing.sort();
        println!(
            "error shown (overlay event) over {errors} errors: p50 {:.1} ms, max {:.1} ms; fixed (reload): p50 {:.1} ms, max {:.1} ms",
            ms(failing[errors / 2]),
            ms(*failing.last().unwrap()),
            ms(fixing[errors / 2]),
            ms(*fixing.last().unwrap()),
        );
    }
    if !rebuilds.is_empty() {
        println!(
            "rebuild time reported by lectern: p50 {} ms, max {} ms",
            rebuilds[rebuilds.len() / 2],
            rebuilds.last().unwrap()
        );
    }
}

/// Connects to the event stream; sends the data of each event.
fn connect(addr: &str, path: &str) -> mpsc::Receiver<String> {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(s);
        let mut line = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
        }
        let mut text = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let Ok(size) = usize::from_str_radix(line.trim(), 16) else {
                return;
            };
            let mut chunk = vec![0; size + 2];
            if size == 0 || r.read_exact(&mut chunk).is_err() {
                return;
            }
            text.push_str(&String::from_utf8_lossy(&chunk[..size]));
            while let Some(end) = text.find("\n\n") {
                let block: String = text.drain(..end + 2).collect();
                let data = block.lines().find_map(|l| l.strip_prefix("data: "));
                if let Some(data) = data
                    && tx.send(data.to_string()).is_err()
                {
                    return;
                }
            }
        }
    });
    rx
}

/// A site of `lessons` lessons × `steps` steps. Each step holds a literal 4×4 weight matrix, a
/// matrix computed from it and the lesson's inputs with `expect` (worked out here), an inline
/// value and some prose, so every rebuild parses, computes, verifies and renders real work.
fn generate(root: &Path, lessons: usize, steps: usize) {
    let content = root.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("site.yaml"),
        "title: Generated\ndescription: A generated site for benchmarks.\nbase_url: /\n",
    )
    .unwrap();
    let prose = "A paragraph of prose that explains the step, long enough to look like a real \
                 lesson: the inputs are multiplied by the weights, and each number is checked.";
    for l in 0..lessons {
        let dir = content.join(format!("lesson-{l:04}"));
        std::fs::create_dir_all(&dir).unwrap();
        let x = matrix(l, 0);
        std::fs::write(
            dir.join("lesson.md"),
            format!(
                "---\ntitle: \"Lesson {l}\"\nsummary: \"Generated lesson number {l}.\"\norder: {l}\n---\n\n{prose}\n\n```matrix\nname: X\nrows: [a, b, c, d]\nvalues:\n{}```\n",
                rows(&x)
            ),
        )
        .unwrap();
        for s in 1..=steps {
            let w = matrix(l, s);
            // Y = X @ W^T
            let y: Vec<Vec<f64>> = (0..4)
                .map(|i| {
                    (0..4)
                        .map(|j| (0..4).map(|k| x[i][k] * w[j][k]).sum())
                        .collect()
                })
                .collect();
            std::fs::write(
                dir.join(format!("{s:02}-step.md")),
                format!(
                    "---\ntitle: \"Step {s} of lesson {l}\"\nsummary: \"What step {s} shows.\"\n---\n\n{prose}\n\n```matrix\nname: W{s}\nvalues:\n{}```\n\n{prose}\n\n```matrix\nname: Y{s}\ncompute: X @ W{s}^T\nshape: [4, 4]\nexpect:\n{}```\n\nThe first entry is `= Y{s}[a, 1]`. {prose}\n",
                    rows(&w),
                    rows(&y)
                ),
            )
            .unwrap();
        }
    }
}

/// Small numbers that are exact in binary (quarters), so typed values match exactly.
fn matrix(l: usize, s: usize) -> Vec<Vec<f64>> {
    (0..4)
        .map(|i| {
            (0..4)
                .map(|j| (((i * 5 + j * 3 + l + s * 7) % 9) as f64 - 4.0) / 4.0)
                .collect()
        })
        .collect()
}

fn rows(m: &[Vec<f64>]) -> String {
    m.iter()
        .map(|r| {
            let cells: Vec<String> = r.iter().map(|v| format!("{v}")).collect();
            format!("  - [{}]\n", cells.join(", "))
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}
