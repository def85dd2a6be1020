//! A small fluent harness: make or copy a project, run the binary on it, read what it wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};
use tempfile::TempDir;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A project folder: a fixture used in place, or a temporary copy that a test may change.
pub struct Project {
    pub root: PathBuf,
    _tmp: Option<TempDir>,
}

impl Project {
    /// `tests/fixtures/NAME`, used in place (never written to: the output goes elsewhere).
    pub fn fixture(name: &str) -> Project {
        Project {
            root: fixtures().join(name),
            _tmp: None,
        }
    }

    /// A project folder used in place.
    pub fn at(root: &Path) -> Project {
        Project {
            root: root.to_path_buf(),
            _tmp: None,
        }
    }

    /// A temporary copy of `tests/fixtures/NAME`.
    pub fn copy_of(name: &str) -> Project {
        let tmp = TempDir::new().unwrap();
        copy_dir(&fixtures().join(name), tmp.path());
        Project {
            root: tmp.path().to_path_buf(),
            _tmp: Some(tmp),
        }
    }

    /// An empty temporary project.
    pub fn empty() -> Project {
        let tmp = TempDir::new().unwrap();
        Project {
            root: tmp.path().to_path_buf(),
            _tmp: Some(tmp),
        }
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Builds into a fresh temporary folder.
    pub fn build(&self) -> Run {
        let tmp = TempDir::new().unwrap();
        let out = tmp.path().join("site");
        let mut run = self.build_to(&out);
        run._tmp = Some(tmp);
        run
    }

    pub fn build_to(&self, out: &Path) -> Run {
        let args = [
            "build",
            "--root",
            self.root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        let mut run = lectern(&args);
        run.out = out.to_path_buf();
        run
    }
}

/// Runs the binary with `args`.
pub fn lectern(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run lectern");
    Run {
        code: output
            .status
            .code()
            .expect("lectern was killed by a signal"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        out: PathBuf::new(),
        _tmp: None,
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub out: PathBuf,
    _tmp: Option<TempDir>,
}

impl Run {
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "build failed:\n{}", self.stderr);
        self
    }

    pub fn fails(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit code {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn page(&self, rel: &str) -> Html {
        let path = self.out.join(rel);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Html::parse_document(&text)
    }

    /// Every file written, by path relative to the output folder.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        read_tree(&self.out)
    }
}

pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

pub fn copy_dir(from: &Path, to: &Path) {
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

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The text of the first element matching `selector`.
pub fn text_of(html: &Html, selector: &str) -> String {
    html.select(&sel(selector))
        .next()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .text()
        .collect::<String>()
}

/// A matrix table as `(row labels, column labels, data-value strings, cell texts)`.
pub struct Table {
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    pub values: Vec<Vec<String>>,
    pub texts: Vec<Vec<String>>,
    pub shape: String,
    pub caption: String,
}

impl Table {
    pub fn numbers(&self) -> Vec<Vec<f64>> {
        self.values
            .iter()
            .map(|r| r.iter().map(|v| v.parse().unwrap()).collect())
            .collect()
    }
}

pub fn table(html: &Html, name: &str) -> Table {
    let t = html
        .select(&sel(&format!("table.matrix[data-matrix=\"{name}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no table for {name}"));
    let cols = t
        .select(&sel("thead th[scope=col]"))
        .map(|e| e.text().collect())
        .collect();
    let mut rows = Vec::new();
    let mut values = Vec::new();
    let mut texts = Vec::new();
    for tr in t.select(&sel("tbody tr")) {
        rows.push(
            tr.select(&sel("th[scope=row]"))
                .next()
                .unwrap()
                .text()
                .collect(),
        );
        let cells: Vec<_> = tr.select(&sel("td")).collect();
        values.push(
            cells
                .iter()
                .map(|c| c.value().attr("data-value").unwrap().to_string())
                .collect(),
        );
        texts.push(cells.iter().map(|c| c.text().collect()).collect());
    }
    Table {
        rows,
        cols,
        values,
        texts,
        shape: t.value().attr("data-shape").unwrap().to_string(),
        caption: t.select(&sel("caption")).next().unwrap().text().collect(),
    }
}

/// Decodes `%XX` escapes of a URL path (which must be UTF-8 once decoded).
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .unwrap()
        .into_owned()
}
