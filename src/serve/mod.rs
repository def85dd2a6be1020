//! `lectern serve`: build into a temporary folder, serve it on loopback under the site's path
//! prefix, watch the project, rebuild what changed and tell open pages to reload.
//!
//! Three threads: the watcher's (notify), the builder (owns the [`Session`], runs one rebuild
//! at a time, publishes each outcome) and the HTTP server (tokio, current thread), which reads
//! the published [`Status`] and forwards published messages to every open event stream. The
//! project's own `site/` is never touched.

mod http;
pub mod incremental;
pub mod page;
pub mod session;
pub mod watch;

pub mod live;
mod shared;
pub use live::{LIVE_RELOAD_DIR, LIVE_RELOAD_SCRIPT};

use std::collections::BTreeSet;
use std::io::Write as _;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use tokio::sync::{broadcast, watch as tokio_watch};

use crate::error::Error;
use incremental::Change;
use session::{Outcome, Session};
pub use shared::{Message, Shared, Status};
use watch::Watch;

/// What `lectern serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    pub poll: bool,
    /// Colour in terminal output.
    pub color: bool,
}

enum Job {
    Paths(Vec<PathBuf>),
    Stop,
}

/// Runs the server until Ctrl-C.
pub fn run(opts: &ServeOptions) -> Result<(), Error> {
    let root = std::path::absolute(&opts.root).map_err(|e| Error::io(&opts.root, e))?;
    if !root.join("content").is_dir() {
        return Err(Error::Usage(format!(
            "no content/ folder in {}: run lectern serve in a project folder, or pass --root DIR",
            root.display()
        )));
    }
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener.local_addr().map_err(|e| Error::io("socket", e))?;
    let tmp = tempfile::Builder::new()
        .prefix("lectern-serve-")
        .tempdir()
        .map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let out = tmp
        .path()
        .canonicalize()
        .map_err(|e| Error::io(tmp.path(), e))?;

    let started = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let mut builds = 0u64;
    let mut next_id = move || {
        builds += 1;
        format!("{started:x}-{builds}")
    };
    let shared = Arc::new(Shared {
        status: RwLock::new(Status {
            build: next_id(),
            overlay: None,
            has_site: false,
            prefix: "/".into(),
        }),
        events: broadcast::channel(64).0,
        announced: AtomicBool::new(false),
    });
    let mut session = Session::new(&root, &out, opts.color);
    let first = session.rebuild([]);
    publish(&shared, &session, first, &mut next_id);

    let (jobs, inbox) = mpsc::channel();
    let to_builder = jobs.clone();
    let mut watcher = Watch::start(&root, opts.poll, move |report| match report {
        Ok(paths) => {
            let _ = to_builder.send(Job::Paths(paths));
        }
        Err(e) => eprintln!("warning: watching the project failed: {e} (try --poll)"),
    })?;
    let builder = {
        let shared = shared.clone();
        let root = root.clone();
        std::thread::spawn(move || {
            while let Ok(Job::Paths(mut paths)) = inbox.recv() {
                // Take everything that queued up during the last rebuild as one batch.
                let mut stop = false;
                while let Ok(job) = inbox.try_recv() {
                    match job {
                        Job::Paths(more) => paths.extend(more),
                        Job::Stop => stop = true,
                    }
                }
                let changes: BTreeSet<_> = paths
                    .iter()
                    .filter_map(|p| watch::classify(&root, p))
                    .collect();
                let folders = [Change::TemplatesFolder, Change::ContentFolder];
                if folders.iter().any(|f| changes.contains(f))
                    && let Err(e) = watcher.refresh()
                {
                    eprintln!("warning: {e}");
                }
                if !changes.is_empty() {
                    let outcome = session.rebuild(changes);
                    publish(&shared, &session, outcome, &mut next_id);
                }
                if stop {
                    break;
                }
            }
        })
    };

    let url = format!("http://{}{}", display_addr(addr), shared.status().prefix);
    println!("serving {url} (Ctrl-C stops)");
    println!("pages are built in {}, removed on exit", out.display());
    shared.announced.store(true, Ordering::Relaxed);
    let _ = std::io::stdout().flush();
    if opts.open {
        // The launcher is watched for a moment to see whether it failed: not on the way to
        // serving.
        let url = url.clone();
        std::thread::spawn(move || open_browser(&url));
    }
    let served = serve(listener, &out, shared);
    let _ = jobs.send(Job::Stop);
    let _ = builder.join();
    drop(tmp);
    served
}

/// Prints an outcome and tells the server and every open page.
fn publish(
    shared: &Shared,
    session: &Session,
    outcome: Outcome,
    next_id: &mut impl FnMut() -> String,
) {
    match outcome {
        Outcome::Nothing => {}
        Outcome::Built(b) => {
            eprint!("{}", b.warnings.styled);
            let files = b.changed.len();
            println!(
                "built {}: {} page{} rendered, {} file{} changed in {} ms",
                b.what,
                b.rendered,
                if b.rendered == 1 { "" } else { "s" },
                files,
                if files == 1 { "" } else { "s" },
                b.elapsed.as_millis()
            );
            let build = next_id();
            let prefix = session.prefix().unwrap_or_else(|| "/".into());
            let old = shared.status().prefix;
            if old != prefix && shared.announced.load(Ordering::Relaxed) {
                println!("the site is now served under {prefix} (its base_url)");
            }
            shared.update(|s| {
                s.build = build.clone();
                s.overlay = None;
                s.has_site = true;
                s.prefix = prefix;
            });
            shared.send(
                "build",
                serde_json::json!({"build": build, "changed": b.changed}),
            );
        }
        Outcome::Failed(text) => {
            eprint!("{}", text.styled);
            let overlay = page::overlay(&text.plain);
            shared.update(|s| s.overlay = Some(overlay.clone()));
            shared.send("failed", serde_json::json!({"overlay": overlay}));
        }
    }
    let _ = std::io::stdout().flush();
}

/// Binds the listening socket, with a clear error for a port in use.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, Error> {
    let addr = SocketAddr::new(ip, port);
    TcpListener::bind(addr).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "port {port} is already in use (another `lectern serve`?); pass --port with another number, or --port 0 for any free one"
            ),
            _ => format!("cannot listen on {}: {e}; try another --port or --bind", display_addr(addr)),
        };
        Error::Usage(why)
    })
}

fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        ip if ip.is_unspecified() => format!("localhost:{}", addr.port()),
        _ => addr.to_string(),
    }
}

/// Serves until Ctrl-C, then ends every event stream so that shutdown is prompt.
fn serve(listener: TcpListener, out: &Path, shared: Arc<Shared>) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("tokio runtime", e))?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::io("socket", e))?;
        let listener =
            tokio::net::TcpListener::from_std(listener).map_err(|e| Error::io("socket", e))?;
        let (stop, shutdown) = tokio_watch::channel(false);
        let app = Arc::new(http::App {
            out: out.to_path_buf(),
            shared,
            shutdown,
        });
        let router = Router::new().fallback(http::handle).with_state(app);
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                stop_signal().await;
                eprintln!("\nstopping");
                let _ = stop.send(true);
            })
            .await
            .map_err(|e| Error::io("server", e))
    })
}

/// Ctrl-C, or (on Unix) SIGTERM, as `kill` sends: both stop cleanly and remove the output.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Opens `url` in the default browser (the `open` crate: `xdg-open` and its fallbacks, `open`
/// on macOS, the shell on Windows) without waiting for it; a failure is a warning.
fn open_browser(url: &str) {
    if let Err(e) = open::that_detached(url) {
        eprintln!("warning: could not open a browser ({e}); open {url} yourself");
    }
}
