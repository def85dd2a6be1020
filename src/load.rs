//! Load: read the project from disk in a fixed order.
//!
//! `content/site.yaml`, then one folder per lesson (sorted by name) with its `lesson.md`, its
//! step files and any other files (assets), then the project's template overrides. Everything
//! read lands in the [`Sources`] table so that later errors can quote it. Every I/O error names
//! its path.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Error};
use crate::source::{FileId, SourceFile, Sources};

/// Everything read from a project folder.
#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    pub sources: Sources,
    pub site_yaml: FileId,
    pub lessons: Vec<LessonFiles>,
    /// The template set: the project's `templates/` files and the built-ins they do not
    /// replace, sorted by name.
    pub templates: Vec<TemplateFile>,
}

#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The name templates use to refer to it, e.g. `step.html`.
    pub name: String,
    pub body: TemplateBody,
    /// True for a project's own file, false for a built-in one.
    pub overridden: bool,
}

#[derive(Debug, Clone)]
pub enum TemplateBody {
    /// A tera template (`.html`), read into the sources.
    Template(FileId),
    /// A built-in static asset.
    Builtin(&'static str),
    /// A project's static asset (any bytes), copied as it is.
    File(PathBuf),
}

#[derive(Debug)]
pub struct LessonFiles {
    pub slug: String,
    pub dir: PathBuf,
    pub lesson_md: Option<FileId>,
    /// Step files as (file, stem), sorted by file name.
    pub steps: Vec<(FileId, String)>,
    /// Markdown files whose names are not `lesson.md` or `NN-slug.md`.
    pub misnamed: Vec<String>,
    /// Every other file, also in subfolders: (path relative to the lesson folder, path).
    pub assets: Vec<(String, PathBuf)>,
}

/// Reads the project under `root`. Content problems (a file that is not UTF-8, a missing
/// `site.yaml`) are returned as diagnostics; a missing `content/` folder is a usage error.
pub fn load(root: &Path) -> Result<Project, Error> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::Usage(format!(
            "no content/ folder in {}: run lectern in a project folder, or pass --root DIR",
            root.display()
        )));
    }
    let mut sources = Sources::default();
    let mut problems = Vec::new();

    let site_path = content.join("site.yaml");
    let site_yaml = if site_path.is_file() {
        read_source(root, &site_path, &mut sources, &mut problems)?
    } else {
        problems.push(
            Diagnostic::error("content/site.yaml is missing")
                .help("create it with at least `title: My lessons`"),
        );
        None
    };

    // Lesson folders are read in parallel as the listing of content/ comes in (a large
    // folder takes a while to list), each into sources of its own, then put in name order and
    // appended so that file ids (and so every message) stay deterministic.
    enum Entry {
        Lesson(Box<(LessonFiles, Sources, Vec<Diagnostic>)>),
        Problem(Diagnostic),
    }
    let entries = WalkDir::new(&content)
        .min_depth(1)
        .max_depth(1)
        .follow_links(true);
    let mut loaded: Vec<(std::ffi::OsString, Result<Entry, Error>)> = entries
        .into_iter()
        .par_bridge()
        .filter_map(|entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => return Some((Default::default(), Err(walk_error(e)))),
            };
            let name = entry.file_name().to_os_string();
            let slug = match listed(entry.file_name(), entry.file_type().is_dir()) {
                Listed::Lesson(slug) => slug,
                Listed::Skip => return None,
                Listed::Problem(d) => return Some((name, Ok(Entry::Problem(d)))),
            };
            let mut own = Sources::default();
            let mut found = Vec::new();
            let lesson = load_lesson(root, entry.path(), slug, &mut own, &mut found)
                .map(|lesson| Entry::Lesson(Box::new((lesson, own, found))));
            Some((name, lesson))
        })
        .collect();
    // Errors of the listing itself (no name) first, as a walk in order would meet them.
    loaded.sort_by(|a, b| a.0.cmp(&b.0));
    // The listing's own problems come before those found in lesson folders.
    for (_, result) in &loaded {
        if let Ok(Entry::Problem(d)) = result {
            problems.push(d.clone());
        }
    }
    let mut lessons = Vec::new();
    for (_, result) in loaded {
        let Entry::Lesson(loaded) = result? else {
            continue;
        };
        let (mut lesson, own, mut found) = *loaded;
        let shift = sources.append(own);
        lesson.lesson_md = lesson.lesson_md.map(|f| FileId(f.0 + shift));
        for (file, _) in &mut lesson.steps {
            *file = FileId(file.0 + shift);
        }
        lessons.push(lesson);
        problems.append(&mut found);
    }

    let templates = read_templates(root, &mut sources, &mut problems)?;
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    let site_yaml = site_yaml.expect("a missing site.yaml is reported above");
    Ok(Project {
        root: root.to_path_buf(),
        sources,
        site_yaml,
        lessons,
        templates,
    })
}

/// What an entry of `content/` is to the loader.
enum Listed {
    Lesson(String),
    /// Not a lesson: a file, or a hidden folder.
    Skip,
    Problem(Diagnostic),
}

fn listed(name: &std::ffi::OsStr, is_dir: bool) -> Listed {
    let slug = name.to_string_lossy().into_owned();
    if !is_dir || slug.starts_with('.') {
        Listed::Skip
    } else if slug == "assets" {
        Listed::Problem(
            Diagnostic::error("content/assets/: a lesson folder cannot be named `assets`")
                .help("site/assets/ holds the stylesheet; rename the lesson folder"),
        )
    } else {
        Listed::Lesson(slug)
    }
}

/// The project with its lesson folders only listed, as (slug, folder) in name order, for a run
/// that reads each lesson when its turn comes and drops it after (see [`crate::pipeline`]):
/// `site.yaml` and the templates are read. Problems are reported as [`load`] reports them.
pub fn listing(root: &Path) -> Result<(Project, Vec<(String, PathBuf)>), Error> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::Usage(format!(
            "no content/ folder in {}: run lectern in a project folder, or pass --root DIR",
            root.display()
        )));
    }
    let mut sources = Sources::default();
    let mut problems = Vec::new();
    let site_path = content.join("site.yaml");
    let site_yaml = if site_path.is_file() {
        read_source(root, &site_path, &mut sources, &mut problems)?
    } else {
        problems.push(
            Diagnostic::error("content/site.yaml is missing")
                .help("create it with at least `title: My lessons`"),
        );
        None
    };
    let mut dirs = Vec::new();
    for (name, is_dir, path) in list_content(&content)? {
        match listed(&name, is_dir) {
            Listed::Lesson(slug) => dirs.push((slug, path)),
            Listed::Skip => {}
            Listed::Problem(d) => problems.push(d),
        }
    }
    dirs.sort();
    let templates = read_templates(root, &mut sources, &mut problems)?;
    let Some(site_yaml) = site_yaml.filter(|_| problems.is_empty()) else {
        return Err(Error::Content(problems));
    };
    let project = Project {
        root: root.to_path_buf(),
        sources,
        site_yaml,
        lessons: Vec::new(),
        templates,
    };
    Ok((project, dirs))
}

/// The entries of `content/` as (name, is a folder, path), in name order. A plain listing when
/// `content/` holds no link: the walk that follows links also opens every folder it lists, to
/// guard against loops, which costs more than all the rest for a large site.
fn list_content(content: &Path) -> Result<Vec<(std::ffi::OsString, bool, PathBuf)>, Error> {
    let mut entries = Vec::new();
    let mut links = false;
    for entry in std::fs::read_dir(content).map_err(|e| Error::io(content, e))? {
        let entry = entry.map_err(|e| Error::io(content, e))?;
        let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
        links |= kind.is_symlink();
        entries.push((entry.file_name(), kind.is_dir(), entry.path()));
    }
    if links {
        entries.clear();
        let walk = WalkDir::new(content)
            .min_depth(1)
            .max_depth(1)
            .follow_links(true);
        for entry in walk {
            let entry = entry.map_err(walk_error)?;
            let is_dir = entry.file_type().is_dir();
            entries.push((entry.file_name().to_os_string(), is_dir, entry.into_path()));
        }
    }
    entries.sort();
    Ok(entries)
}

/// Reads the files of one lesson folder into `sources`: `lesson.md`, the step files, and the
/// paths of its assets.
pub fn load_lesson(
    root: &Path,
    dir: &Path,
    slug: String,
    sources: &mut Sources,
    problems: &mut Vec<Diagnostic>,
) -> Result<LessonFiles, Error> {
    let mut lesson = LessonFiles {
        slug,
        dir: dir.to_path_buf(),
        lesson_md: None,
        steps: Vec::new(),
        misnamed: Vec::new(),
        assets: Vec::new(),
    };
    // A folder of plain files (nearly every lesson) is listed as it is; one with subfolders or
    // links is walked, following the links and guarding against loops, which costs a dozen
    // system calls more per lesson.
    let listed: Vec<(PathBuf, usize)> = match flat_files(dir) {
        Some(files) => files.into_iter().map(|path| (path, 1)).collect(),
        None => {
            let mut files = Vec::new();
            let walk = WalkDir::new(dir)
                .min_depth(1)
                .follow_links(true)
                .sort_by_file_name();
            for f in walk {
                let f = f.map_err(walk_error)?;
                if f.file_type().is_file() {
                    files.push((f.path().to_path_buf(), f.depth()));
                }
            }
            files
        }
    };
    for (path, depth) in &listed {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        let path = path.as_path();
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
        let markdown = matches!(ext.as_deref(), Some("md" | "markdown"));
        if *depth > 1 || !markdown {
            lesson
                .assets
                .push((display_name(dir, path), path.to_path_buf()));
        } else if name == "lesson.md" {
            lesson.lesson_md = read_source(root, path, sources, problems)?;
        } else if let Some(stem) = name.strip_suffix(".md").filter(|s| is_step_name(s)) {
            if let Some(id) = read_source(root, path, sources, problems)? {
                lesson.steps.push((id, stem.to_string()));
            }
        } else {
            lesson.misnamed.push(display_name(root, path));
        }
    }
    Ok(lesson)
}

/// The text of each Markdown file directly in the lesson folder `dir`, in name order; files that
/// cannot be read are left out (a quick look, for hints; reading the lesson reports them).
pub fn markdown_texts(dir: &Path) -> Vec<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// The files of `dir`, sorted by name, if it holds only regular files; `None` if it holds a
/// folder (hidden ones too: the walk goes into them) or a link, or cannot be listed.
fn flat_files(dir: &Path) -> Option<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        if !entry.file_type().ok()?.is_file() {
            return None;
        }
        files.push(entry.path());
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Some(files)
}

/// The names of the folders under `content/` that [`load`] reads as lessons (also `assets`,
/// which it reports as an error), without reading them.
pub fn lesson_slugs(root: &Path) -> Result<std::collections::BTreeSet<String>, Error> {
    let mut slugs = std::collections::BTreeSet::new();
    let content = root.join("content");
    for entry in WalkDir::new(&content)
        .min_depth(1)
        .max_depth(1)
        .follow_links(true)
    {
        let entry = entry.map_err(walk_error)?;
        let slug = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_dir() && !slug.starts_with('.') {
            slugs.insert(slug);
        }
    }
    Ok(slugs)
}

/// Reads one text file into the sources; a file that is not UTF-8 becomes a diagnostic.
fn read_source(
    root: &Path,
    path: &Path,
    sources: &mut Sources,
    problems: &mut Vec<Diagnostic>,
) -> Result<Option<FileId>, Error> {
    let name = display_name(root, path);
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            // A byte-order mark is invisible in editors; don't let it hide the front matter.
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(Some(sources.add(SourceFile::new(
                name,
                path.to_path_buf(),
                text,
            ))))
        }
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            problems.push(
                Diagnostic::error(format!(
                    "{name}:{line}:{col}: the file is not UTF-8 text (invalid byte 0x{:02X})",
                    e.as_bytes()[valid.len()]
                ))
                .help("save the file as UTF-8 in your editor"),
            );
            Ok(None)
        }
    }
}

/// A lesson for [`in_memory`]: slug, `lesson.md`, and the steps as (stem, text).
pub type MemoryLesson<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// A project made in memory, for tests and fuzzing: `site.yaml`, then per lesson its slug, its
/// `lesson.md` and its steps as (stem, text). Templates are the built-in ones.
pub fn in_memory(site_yaml: &str, lessons: &[MemoryLesson]) -> Project {
    let mut sources = Sources::default();
    let mut add = |name: String, text: &str| {
        sources.add(SourceFile::new(name.clone(), name.into(), text.to_string()))
    };
    let site_yaml = add("content/site.yaml".into(), site_yaml);
    let lessons = lessons
        .iter()
        .map(|(slug, lesson_md, steps)| LessonFiles {
            slug: slug.to_string(),
            dir: PathBuf::from(format!("content/{slug}")),
            lesson_md: Some(add(format!("content/{slug}/lesson.md"), lesson_md)),
            steps: steps
                .iter()
                .map(|(stem, text)| {
                    (
                        add(format!("content/{slug}/{stem}.md"), text),
                        stem.to_string(),
                    )
                })
                .collect(),
            misnamed: Vec::new(),
            assets: Vec::new(),
        })
        .collect();
    let mut problems = Vec::new();
    let templates = read_templates(Path::new("/nonexistent"), &mut sources, &mut problems)
        .expect("built-in templates need no I/O");
    Project {
        root: PathBuf::from("."),
        sources,
        site_yaml,
        lessons,
        templates,
    }
}

/// `NN-slug`: one or more digits, a dash, then at least one character.
pub fn is_step_name(stem: &str) -> bool {
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && stem[digits..].starts_with('-') && stem.len() > digits + 1
}

/// The project's templates, then the built-ins it does not override.
pub fn read_templates(
    root: &Path,
    sources: &mut Sources,
    problems: &mut Vec<Diagnostic>,
) -> Result<Vec<TemplateFile>, Error> {
    let dir = root.join("templates");
    let mut out = Vec::new();
    if dir.is_dir() {
        for entry in WalkDir::new(&dir)
            .min_depth(1)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.map_err(walk_error)?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = display_name(&dir, entry.path());
            let body = if name.ends_with(".html") {
                match read_source(root, entry.path(), sources, problems)? {
                    Some(file) => TemplateBody::Template(file),
                    None => continue,
                }
            } else {
                TemplateBody::File(entry.path().to_path_buf())
            };
            out.push(TemplateFile {
                name,
                body,
                overridden: true,
            });
        }
    }
    for (name, text) in crate::builtin::TEMPLATES {
        if out.iter().any(|t| t.name == *name) {
            continue;
        }
        let body = if name.ends_with(".html") {
            TemplateBody::Template(sources.add(SourceFile::new(
                format!("(built-in) templates/{name}"),
                PathBuf::from(name),
                text.to_string(),
            )))
        } else {
            TemplateBody::Builtin(text)
        };
        out.push(TemplateFile {
            name: name.to_string(),
            body,
            overridden: false,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn walk_error(e: walkdir::Error) -> Error {
    let path = e.path().map(Path::to_path_buf).unwrap_or_default();
    if e.loop_ancestor().is_some() {
        return Error::Usage(format!("{}: symbolic link loop", path.display()));
    }
    let io = e
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other("walk error"));
    Error::io(path, io)
}

/// The path as shown in messages: relative to the project root, with `/` separators.
pub fn display_name(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_names() {
        assert!(is_step_name("01-recap"));
        assert!(is_step_name("7-x"));
        assert!(!is_step_name("recap"));
        assert!(!is_step_name("01-"));
        assert!(!is_step_name("01recap"));
    }

    /// A lesson folder of plain files is listed directly, one with subfolders is walked: both
    /// ways find the same steps, misnamed files and assets, in the same order, and a hidden
    /// subfolder is walked into as before.
    #[test]
    fn flat_and_nested_lesson_folders_list_alike() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let write = |path: &Path| {
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
            std::fs::write(path, "---\ntitle: T\n---\n").expect("a file");
        };
        let (flat, nested) = (tmp.path().join("flat"), tmp.path().join("nested"));
        for dir in [&flat, &nested] {
            for name in [
                "lesson.md",
                "02-b.md",
                "01-a.md",
                "notes.txt",
                ".hidden.md",
                "Draft.md",
            ] {
                write(&dir.join(name));
            }
        }
        write(&nested.join("img/x.png"));
        write(&nested.join(".drafts/y.png"));
        assert!(
            flat_files(&flat).is_some(),
            "plain files are listed directly"
        );
        assert!(flat_files(&nested).is_none(), "subfolders are walked");
        let load = |dir: &Path| {
            let (mut sources, mut problems) = (Sources::default(), Vec::new());
            let lesson = load_lesson(tmp.path(), dir, "l".into(), &mut sources, &mut problems)
                .expect("the folder loads");
            assert!(problems.is_empty(), "{problems:?}");
            let steps: Vec<String> = lesson.steps.iter().map(|(_, s)| s.clone()).collect();
            let assets: Vec<String> = lesson.assets.iter().map(|(a, _)| a.clone()).collect();
            let misnamed: Vec<String> = lesson
                .misnamed
                .iter()
                .map(|m| m.rsplit('/').next().unwrap_or(m).to_string())
                .collect();
            (lesson.lesson_md.is_some(), steps, misnamed, assets)
        };
        let (a, b) = (load(&flat), load(&nested));
        assert_eq!(a.0, b.0);
        assert_eq!(a.1, ["01-a", "02-b"]);
        assert_eq!(a.1, b.1);
        assert_eq!(a.2, ["Draft.md"]);
        assert_eq!(a.2, b.2);
        assert_eq!(a.3, ["notes.txt"]);
        assert_eq!(b.3, [".drafts/y.png", "img/x.png", "notes.txt"]);
        // A hidden subfolder alone is walked too.
        std::fs::remove_dir_all(nested.join("img")).expect("removable");
        assert_eq!(load(&nested).3, [".drafts/y.png", "notes.txt"]);
    }
}
