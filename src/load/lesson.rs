//! One lesson folder: its `lesson.md`, its step files and its assets.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::files::{LessonFiles, display_name, walk_error};
use crate::error::{Diagnostic, Error};
use crate::source::{FileId, SourceFile, Sources};

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

/// The text of `lesson.md` in the lesson folder `dir`, if it can be read (a quick look; reading
/// the lesson reports any problem).
pub fn lesson_md_text(dir: &Path) -> Option<String> {
    std::fs::read_to_string(dir.join("lesson.md")).ok()
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

/// `NN-slug`: one or more digits, a dash, then at least one character.
pub fn is_step_name(stem: &str) -> bool {
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && stem[digits..].starts_with('-') && stem.len() > digits + 1
}

/// Reads one text file into the sources; a file that is not UTF-8 becomes a diagnostic.
pub(super) fn read_source(
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
