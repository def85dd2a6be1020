//! Watch: the files a site is built from, debounced, and each changed path classified as a
//! [`Change`].
//!
//! `content/` and `templates/` are watched recursively (folders, not files, so that an editor
//! that saves by writing a temporary file and renaming it over the old one is seen like any other
//! save), and the project folder itself without recursion, to notice `templates/` appearing.
//! Events are debounced by notify-debouncer-mini: a burst of events (the temporary file, the
//! rename) arrives as one batch [`DEBOUNCE`] after it ended. `--poll` uses notify's
//! `PollWatcher` instead, for file systems without change notifications (network mounts, some
//! containers).

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{
    Config, DebounceEventResult, DebouncedEventKind, Debouncer, new_debouncer_opt,
};

use super::incremental::Change;
use crate::error::Error;

/// How long a burst of events may last before it is handed over as one batch.
pub const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often `--poll` reads every file (it compares contents: about 10 ms of hashing per scan of
/// a 1,000-lesson site).
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// What the watcher reports: a batch of changed paths, or a problem with watching itself.
pub type Report = Result<Vec<PathBuf>, String>;

/// A running watcher; dropping it stops watching.
pub struct Watch {
    root: PathBuf,
    inner: Inner,
}

enum Inner {
    Native(Debouncer<Writes<RecommendedWatcher>>),
    Poll(Debouncer<Writes<PollWatcher>>),
}

/// A watcher that passes on only events that can change what a file holds. inotify also reports
/// opening and reading a file, and the access time that a read updates: without this filter,
/// every rebuild (which reads the files) would trigger the next one.
pub struct Writes<W>(W);

impl<W: notify::Watcher> notify::Watcher for Writes<W> {
    fn new<F: notify::EventHandler>(
        mut handler: F,
        config: notify::Config,
    ) -> notify::Result<Self> {
        W::new(
            move |event: notify::Result<notify::Event>| match &event {
                Ok(e) if !changes_contents(&e.kind) => {}
                _ => handler.handle_event(event),
            },
            config,
        )
        .map(Writes)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn kind() -> notify::WatcherKind {
        W::kind()
    }
}

/// Whether an event can change what the site is built from: creating, removing, renaming or
/// writing a file, or a new modification time (how `PollWatcher` sees a write); not opening or
/// reading a file, nor another metadata change (inotify reports the access time that a read
/// updates as an unspecified metadata change).
pub fn changes_contents(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        _ => true,
    }
}

impl Watch {
    /// Starts watching the project at `root` (an absolute path); `report` is called from the
    /// watcher's thread with each batch.
    pub fn start(
        root: &Path,
        poll: bool,
        mut report: impl FnMut(Report) + Send + 'static,
    ) -> Result<Watch, Error> {
        let handler = move |r: DebounceEventResult| {
            // A path whose events span the end of a debounce period is reported twice: as
            // still changing (`AnyContinuous`), then once it is quiet (`Any`). Only the second
            // counts, so that one save is one rebuild.
            let paths = r.map(|events| {
                events
                    .into_iter()
                    .filter(|e| e.kind == DebouncedEventKind::Any)
                    .map(|e| e.path)
                    .collect::<Vec<_>>()
            });
            match paths {
                Ok(paths) if paths.is_empty() => {}
                other => report(other.map_err(|e| e.to_string())),
            }
        };
        let config = Config::default().with_timeout(DEBOUNCE);
        let failed = |e: notify::Error| Error::io(root, std::io::Error::other(e.to_string()));
        let inner = if poll {
            // Modification times are compared in whole seconds: without comparing contents, a
            // second save within the same second would be missed.
            let notify = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Inner::Poll(
                new_debouncer_opt(config.with_notify_config(notify), handler).map_err(failed)?,
            )
        } else {
            Inner::Native(new_debouncer_opt(config, handler).map_err(failed)?)
        };
        let mut watch = Watch {
            root: root.to_path_buf(),
            inner,
        };
        watch.refresh()?;
        Ok(watch)
    }

    /// (Re)adds the watches: after `templates/` or `content/` appeared or was replaced.
    pub fn refresh(&mut self) -> Result<(), Error> {
        let watcher: &mut dyn notify::Watcher = match &mut self.inner {
            Inner::Native(d) => d.watcher(),
            Inner::Poll(d) => d.watcher(),
        };
        let add = |w: &mut dyn notify::Watcher, path: &Path, mode| {
            w.watch(path, mode).map_err(|e| {
                Error::io(path, std::io::Error::other(format!("cannot watch it: {e}")))
            })
        };
        add(watcher, &self.root, RecursiveMode::NonRecursive)?;
        for dir in ["content", "templates"] {
            let path = self.root.join(dir);
            if path.is_dir() {
                let _ = watcher.unwatch(&path);
                add(watcher, &path, RecursiveMode::Recursive)?;
            }
        }
        Ok(())
    }
}

/// What a changed path means for the site, or `None` if the site is not built from it. Mirrors
/// what [`crate::load`] reads: files whose names start with `.` in lesson folders (editor swap
/// and temporary files) are ignored.
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    match parts.as_slice() {
        ["content"] => Some(Change::ContentFolder),
        ["content", "site.yaml"] => Some(Change::Config),
        ["content", lesson, rest @ ..] => {
            let hidden = lesson.starts_with('.') || rest.last().is_some_and(|n| n.starts_with('.'));
            (!hidden).then(|| Change::Lesson(lesson.to_string()))
        }
        ["templates"] => Some(Change::TemplatesFolder),
        ["templates", rest @ ..] => Some(Change::Template(rest.join("/"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_a_file_is_not_a_change() {
        use notify::event::{CreateKind, DataChange, RemoveKind, RenameMode};
        assert!(!changes_contents(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes_contents(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!changes_contents(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(changes_contents(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_contents(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(changes_contents(&EventKind::Modify(ModifyKind::Name(
            RenameMode::To
        ))));
        assert!(changes_contents(&EventKind::Create(CreateKind::File)));
        assert!(changes_contents(&EventKind::Remove(RemoveKind::File)));
    }

    #[test]
    fn classifies_paths_as_load_reads_them() {
        let root = Path::new("/p");
        let c = |p: &str| classify(root, &root.join(p));
        let lesson = |s: &str| Some(Change::Lesson(s.into()));
        assert_eq!(c("content/site.yaml"), Some(Change::Config));
        assert_eq!(c("content"), Some(Change::ContentFolder));
        assert_eq!(c("content/qkv/03-query.md"), lesson("qkv"));
        assert_eq!(c("content/qkv"), lesson("qkv"));
        assert_eq!(c("content/qkv/img/diagram.png"), lesson("qkv"));
        assert_eq!(c("content/qkv/.03-query.md.swp"), None, "editor files");
        assert_eq!(c("content/.git/index"), None);
        assert_eq!(
            c("templates/step.html"),
            Some(Change::Template("step.html".into()))
        );
        assert_eq!(
            c("templates/partials/nav.html"),
            Some(Change::Template("partials/nav.html".into()))
        );
        assert_eq!(c("templates"), Some(Change::TemplatesFolder));
        assert_eq!(c("site/index.html"), None);
        assert_eq!(c("target/x"), None);
        assert_eq!(classify(root, Path::new("/elsewhere/content/a/b.md")), None);
    }
}
