//! Write: put the rendered site on disk without ever leaving a half-written or lost site.
//!
//! Everything is written into a temporary folder beside the output; only when all of it is there
//! is the old output moved aside and the new one renamed into place. A marker file identifies a
//! folder as lectern's own output, and lectern refuses to replace any other non-empty folder.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::render::Output;

/// The file that marks a folder as lectern's output.
pub const MARKER: &str = ".lectern-site";
const MARKER_TEXT: &str =
    "This folder is written by `lectern build`, which replaces it on every build.\n";

/// Resolves the output folder (`..` and symbolic links included, as the OS would) and refuses
/// folders that would destroy the project: the root itself, a folder holding it, anything inside
/// `content/` or `templates/`, or an existing non-empty folder without the marker. Returns the
/// resolved path, which is the one to write to.
pub fn check_target(root: &Path, out: &Path) -> Result<PathBuf, Error> {
    let root = absolute(root);
    let out = absolute(out);
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "refusing to write the site into {}: {why}; choose another --out",
            out.display()
        )))
    };
    if root.starts_with(&out) {
        return refuse("it holds the project itself");
    }
    for keep in ["content", "templates", "src", ".git"] {
        if out.starts_with(root.join(keep)) {
            return refuse(&format!("it is inside the project's {keep}/ folder"));
        }
    }
    if out.is_file() {
        return refuse("it is a file");
    }
    if out.is_dir() && !out.join(MARKER).is_file() {
        let empty = fs::read_dir(&out)
            .map_err(|e| Error::io(&out, e))?
            .next()
            .is_none();
        if !empty {
            return refuse(&format!(
                "it is not empty and was not written by lectern (no {MARKER} file)"
            ));
        }
    }
    Ok(out)
}

/// A site being written: files go into a temporary folder beside the output, and only
/// [`Staging::commit`] swaps it into place. Dropped without a commit, it removes the folder,
/// so a failed build leaves the previous site as it was.
pub struct Staging {
    tmp: PathBuf,
    old: PathBuf,
    out: PathBuf,
    committed: bool,
    /// The words of the pages written so far, for the search index written at commit (none
    /// when the site has no search).
    search: Option<crate::search::Collector>,
}

impl Staging {
    /// Starts writing the site that will replace `out` (a path [`check_target`] returned), with
    /// its search index when `search` is set.
    pub fn new(out: &Path, search: bool) -> Result<Staging, Error> {
        let out = out.to_path_buf();
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        let tmp = parent.join(format!(".{name}.new-{}", std::process::id()));
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        }
        fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        fs::write(tmp.join(MARKER), MARKER_TEXT).map_err(|e| Error::io(tmp.join(MARKER), e))?;
        Ok(Staging {
            tmp,
            old,
            out,
            committed: false,
            search: search.then(crate::search::Collector::default),
        })
    }

    /// Writes files into the staging folder; safe to call from several threads at once.
    pub fn write(&self, files: &[Output]) -> Result<(), Error> {
        // The files of a batch (a lesson) mostly share one folder: make it once.
        let mut made: Option<&Path> = None;
        let paths: Vec<PathBuf> = files.iter().map(|f| self.tmp.join(f.path())).collect();
        for (file, path) in files.iter().zip(&paths) {
            if let Some(dir) = path.parent()
                && made != Some(dir)
            {
                fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                made = Some(dir);
            }
            match file {
                Output::Page { contents, .. } => {
                    fs::write(path, contents.as_bytes()).map_err(|e| Error::io(path, e))?
                }
                Output::Copy { from, .. } => {
                    fs::copy(from, path).map_err(|e| Error::io(from, e))?;
                }
            }
        }
        if let Some(search) = &self.search {
            search.add(files.iter().filter_map(|f| match f {
                Output::Page { path, contents, .. } => Some((path.as_str(), contents.as_str())),
                Output::Copy { .. } => None,
            }));
        }
        Ok(())
    }

    /// Writes the search index of the pages written, then puts the staged site in place of the
    /// output folder.
    pub fn commit(mut self) -> Result<(), Error> {
        let index: Vec<Output> = self
            .search
            .take()
            .map(crate::search::Collector::finish)
            .unwrap_or_default();
        {
            use rayon::prelude::*;
            index
                .par_chunks(512)
                .try_for_each(|files| self.write(files))?;
        }
        swap(&self.tmp, &self.old, &self.out)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

fn swap(tmp: &Path, old: &Path, out: &Path) -> Result<(), Error> {
    let had_old = out.exists();
    if had_old {
        fs::rename(out, old).map_err(|e| Error::io(out, e))?;
    }
    if let Err(e) = fs::rename(tmp, out) {
        if had_old {
            let _ = fs::rename(old, out);
        }
        return Err(Error::io(out, e));
    }
    if had_old {
        fs::remove_dir_all(old).map_err(|e| Error::io(old, e))?;
    }
    Ok(())
}

/// A fingerprint of what `file` would write: its contents, or for a copy the source's path, size
/// and modification time. Two equal fingerprints mean the file on disk need not be rewritten.
pub fn fingerprint(file: &Output) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match file {
        Output::Page { contents, .. } => (0u8, contents).hash(&mut h),
        Output::Copy { from, .. } => {
            (1u8, from).hash(&mut h);
            if let Ok(meta) = fs::metadata(from) {
                meta.len().hash(&mut h);
                meta.modified().ok().hash(&mut h);
            }
        }
    }
    h.finish()
}

/// Writes each file into `out` (which exists), each one atomically: into a temporary file beside
/// it, then renamed over the old one, so that a reader sees the old file or the new one, never
/// half of one. Used by `serve`, which rewrites only the files that changed.
pub fn write_files<'a>(
    out: &Path,
    files: impl IntoIterator<Item = &'a Output>,
) -> Result<(), Error> {
    for file in files {
        let path = out.join(file.path());
        let dir = path.parent().unwrap_or(out);
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let result = match file {
            Output::Page { contents, .. } => {
                fs::write(&tmp, contents).map_err(|e| Error::io(&tmp, e))
            }
            Output::Copy { from, .. } => fs::copy(from, &tmp)
                .map(drop)
                .map_err(|e| Error::io(from, e)),
        };
        if let Err(e) =
            result.and_then(|()| fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e)))
        {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    }
    Ok(())
}

/// Deletes these files of `out` (paths relative to it), then the folders they leave empty.
pub fn remove_files<'a>(
    out: &Path,
    paths: impl IntoIterator<Item = &'a String>,
) -> Result<(), Error> {
    for rel in paths {
        let path = out.join(rel);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(&path, e)),
            _ => {}
        }
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != out && d.starts_with(out)) {
            if fs::remove_dir(d).is_err() {
                break; // not empty
            }
            dir = d.parent();
        }
    }
    Ok(())
}

/// The files under `out` (relative, `/`-separated) that `keep` does not list, except the marker.
pub fn stray_files(out: &Path, keep: &std::collections::BTreeSet<String>) -> Vec<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(out).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel != MARKER && !keep.contains(&rel)).then_some(rel)
        })
        .collect()
}

/// An absolute path with `.`, `..` and symbolic links resolved component by component, also
/// for the part that does not exist yet (where `..` is then taken literally, as the OS would).
fn absolute(p: &Path) -> PathBuf {
    use std::path::Component;
    let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut cur = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                cur.pop();
            }
            Component::CurDir => {}
            other => {
                cur.push(other);
                if cur.is_symlink()
                    && let Ok(real) = cur.canonicalize()
                {
                    cur = real;
                }
            }
        }
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::absolute;

    #[test]
    fn resolves_parent_components_of_paths_that_do_not_exist() {
        let tmp = std::env::temp_dir();
        let base = absolute(&tmp);
        assert_eq!(absolute(&tmp.join("nope/../content")), base.join("content"));
        assert_eq!(absolute(&tmp.join("a/./b/../../c")), base.join("c"));
    }
}
