//! The HTTP side of `serve`: files from the output folder under the site's path prefix, as a
//! static host would serve them, plus the live-reload script and event stream.
//!
//! Only files under the output folder are served: the request path is split into segments,
//! each percent-decoded once, and any segment that is empty (except a final one), `.`, `..`,
//! hidden (`.name`), not UTF-8 once decoded, or holds a slash, backslash or NUL is refused; the
//! file found must still be inside the folder after resolving symbolic links. Everything refused
//! is a 404. A `%` without two hex digits after it is taken as it is, as the link check takes
//! it, so a page that passes the check is served.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::live::{LIVE_RELOAD_DIR, LIVE_RELOAD_SCRIPT};
use super::page::{self, LIVE_JS};
use super::shared::{Message, Shared};

/// What the handler needs.
pub struct App {
    /// The output folder, with symbolic links resolved.
    pub out: PathBuf,
    pub shared: Arc<Shared>,
    pub shutdown: tokio::sync::watch::Receiver<bool>,
}

/// Answers every request.
pub async fn handle(State(app): State<Arc<App>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let path = req.uri().path();
    let prefix = app.shared.status().prefix;
    let prefix = prefix.as_str();
    if prefix != "/" && (path == "/" || path == prefix.trim_end_matches('/')) {
        return redirect(prefix);
    }
    let Some(rest) = path.strip_prefix(prefix) else {
        return not_found(&app, path).await;
    };
    if let Some(own) = rest
        .strip_prefix(LIVE_RELOAD_DIR)
        .and_then(|r| r.strip_prefix('/'))
    {
        return match own {
            "live.js" => file_response(StatusCode::OK, "live.js", LIVE_JS.into()),
            "events" => events(&app).into_response(),
            _ => not_found(&app, path).await,
        };
    }
    match resolve(&app.out, rest) {
        Resolved::File(file) => match tokio::fs::read(&file).await {
            Ok(bytes) => serve_file(&app, StatusCode::OK, &file, bytes),
            Err(_) => not_found(&app, path).await,
        },
        Resolved::Folder => redirect(&format!("{path}/")),
        Resolved::NotFound => not_found(&app, path).await,
    }
}

/// Where a request path leads inside the output folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A folder asked for without the final `/`: redirect, so that relative links work.
    Folder,
    NotFound,
}

/// Resolves `rest` (the request path after the prefix, still percent-encoded) inside `out`
/// (a path with symbolic links resolved).
pub fn resolve(out: &Path, rest: &str) -> Resolved {
    let mut path = out.to_path_buf();
    let segments: Vec<&str> = rest.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() && i + 1 == segments.len() {
            break; // a final slash: a folder
        }
        let Some(name) = percent_decode(seg) else {
            return Resolved::NotFound;
        };
        if name.is_empty() || name.starts_with('.') || name.contains(['/', '\\', '\0']) {
            return Resolved::NotFound;
        }
        path.push(name);
    }
    let Ok(real) = path.canonicalize() else {
        return Resolved::NotFound;
    };
    if !real.starts_with(out) {
        return Resolved::NotFound;
    }
    if real.is_dir() {
        if !(rest.is_empty() || rest.ends_with('/')) {
            return Resolved::Folder;
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if rest.ends_with('/') || !real.is_file() {
        return Resolved::NotFound;
    }
    Resolved::File(real)
}

/// Decodes `%XX` escapes (a `%` without two hex digits stays as it is); `None` for a result
/// that is not UTF-8, which no file lectern writes is named.
fn percent_decode(s: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(s).decode_utf8().ok()?;
    Some(decoded.into_owned())
}

fn serve_file(app: &App, status: StatusCode, file: &Path, bytes: Vec<u8>) -> Response {
    let name = file.to_string_lossy();
    let body = if name.ends_with(".html") {
        let status = app.shared.status();
        let html = String::from_utf8_lossy(&bytes);
        page::inject(&html, &status.build, status.overlay.as_deref()).into_bytes()
    } else {
        bytes
    };
    file_response(status, &name, body)
}

fn file_response(status: StatusCode, name: &str, body: Vec<u8>) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let headers = r.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(page::content_type(name)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn redirect(to: &str) -> Response {
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// The site's `404.html` if it has one, else the server's own page; status 404 either way.
async fn not_found(app: &App, path: &str) -> Response {
    let prefix = app.shared.status().prefix;
    let custom = app.out.join("404.html");
    if let Ok(bytes) = tokio::fs::read(&custom).await {
        return serve_file(app, StatusCode::NOT_FOUND, &custom, bytes);
    }
    let status = app.shared.status();
    let script = format!("{prefix}{LIVE_RELOAD_SCRIPT}");
    let wanted = path.strip_prefix(prefix.as_str()).unwrap_or("");
    let wanted = if wanted.is_empty() || wanted.ends_with('/') {
        format!("{wanted}index.html")
    } else {
        wanted.to_string()
    };
    let (title, text) = if status.has_site {
        (
            "Not found",
            format!("There is no page at {path} in this site."),
        )
    } else {
        (
            "No site yet",
            "The first build failed; fix the problem and this page reloads.".to_string(),
        )
    };
    let html = page::own_page(
        title,
        &text,
        &script,
        &percent_decode(&wanted).unwrap_or(wanted),
    );
    let html = page::inject(&html, &status.build, status.overlay.as_deref());
    file_response(StatusCode::NOT_FOUND, "404.html", html.into_bytes())
}

/// The live-reload event stream: `hello` now, then every build's message, until shutdown.
fn events(app: &App) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let rx = app.shared.events.subscribe();
    let hello = app.shared.hello();
    let shared = app.shared.clone();
    let later = stream::unfold(
        (rx, app.shutdown.clone(), shared),
        |(mut rx, mut shutdown, shared)| async move {
            if *shutdown.borrow() {
                return None;
            }
            let message = tokio::select! {
                m = rx.recv() => match m {
                    Ok(m) => m,
                    // A slow client missed messages: tell it where things stand now.
                    Err(RecvError::Lagged(_)) => shared.hello(),
                    Err(RecvError::Closed) => return None,
                },
                _ = shutdown.changed() => return None,
            };
            Some((Ok(event(&message)), (rx, shutdown, shared)))
        },
    );
    Sse::new(stream::once(async move { Ok(event(&hello)) }).chain(later))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn event(m: &Message) -> Event {
    Event::default().event(m.name).data(&*m.data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_inside_the_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        std::fs::create_dir_all(out.join("l")).unwrap();
        for f in [
            "index.html",
            "l/index.html",
            "l/déjà.html",
            "100%.html",
            "%2e%2e",
        ] {
            std::fs::write(out.join(f), f).unwrap();
        }
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        let out = out.canonicalize().unwrap();
        let file = |f: &str| Resolved::File(out.join(f));
        assert_eq!(resolve(&out, ""), file("index.html"));
        assert_eq!(resolve(&out, "l"), Resolved::Folder);
        assert_eq!(resolve(&out, "l/"), file("l/index.html"));
        assert_eq!(resolve(&out, "l/d%C3%A9j%C3%A0.html"), file("l/déjà.html"));
        assert_eq!(resolve(&out, "l/d%c3%a9j%c3%a0.html"), file("l/déjà.html"));
        // Malformed escapes are taken literally, like the link check does.
        assert_eq!(resolve(&out, "100%.html"), file("100%.html"));
        // Decoded once only: `%252e%252e` is the file `%2e%2e`, never `..`.
        assert_eq!(resolve(&out, "%252e%252e"), file("%2e%2e"));
        for refused in [
            "../secret.txt",
            "%2e%2e/secret.txt",
            "%2E%2E/secret.txt",
            "l/..%2f..%2fsecret.txt",
            "l/..%5c..%5csecret.txt",
            "%2fetc%2fpasswd",
            "l//index.html",
            "%00",
            "l/d%E9j%E0.html",
            "%FF",
            ".lectern-site",
            "index.html/",
            "%zz",
        ] {
            assert_eq!(resolve(&out, refused), Resolved::NotFound, "{refused}");
        }
    }
}
