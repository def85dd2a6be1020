//! What the server adds to the site in serve mode, and only there: the live-reload script, the
//! build id and the error overlay injected into each HTML page as it is served, the server's own
//! pages, and content types.

/// The live-reload script, served at `PREFIX__lectern/live.js`. `base.html` loads it when the
/// page view has `live_reload` (serve mode only), with the page's own path in `data-page`.
///
/// Protocol (server-sent events from `PREFIX__lectern/events`): on connect, `hello` with the
/// build id of the pages on disk and the overlay if the last build failed; after each good
/// build, `build` with the new id and the paths of the files that changed; after a failed
/// build, `failed` with the overlay. A page reloads when its own file changed, when any non-HTML
/// file changed (a stylesheet, an image), when an error is fixed, or when it reconnects and the
/// build id differs from the one it was served with.
pub const LIVE_JS: &str = r#"(function () {
  "use strict";
  var script = document.currentScript;
  var page = script.getAttribute("data-page");
  var meta = document.querySelector('meta[name="lectern-build"]');
  var build = meta ? meta.getAttribute("content") : null;
  var events = new EventSource(new URL("events", script.src));
  function overlay(html) {
    var old = document.getElementById("lectern-overlay");
    if (old) old.remove();
    if (html) document.body.insertAdjacentHTML("beforeend", html);
  }
  events.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    if (build !== null && d.build !== build) location.reload();
    else overlay(d.overlay);
  });
  events.addEventListener("build", function (e) {
    var d = JSON.parse(e.data);
    var mine = d.changed.some(function (p) { return p === page || !/\.html$/.test(p); });
    if (mine || document.getElementById("lectern-overlay")) location.reload();
    else build = d.build;
  });
  events.addEventListener("failed", function (e) {
    overlay(JSON.parse(e.data).overlay);
  });
})();
"#;

/// The overlay shown over every page while the last build failed: the diagnostics exactly as
/// the terminal shows them (without colour), escaped.
pub fn overlay(diagnostics: &str) -> String {
    format!(
        concat!(
            r#"<div id="lectern-overlay" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;"#,
            r#"margin:0;padding:1.5rem 2rem;background:#18181b;color:#f4f4f5;text-align:left;box-sizing:border-box">"#,
            r#"<p style="margin:0 0 1rem;font:600 1.1rem/1.4 system-ui,sans-serif;color:#fca5a5">"#,
            r#"The build failed. Below the overlay is the last good build; fix the problem and the page reloads.</p>"#,
            r#"<pre style="all:unset;display:block;margin:0;padding:0;white-space:pre-wrap;background:#18181b;color:#f4f4f5;"#,
            r#"font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace">{}</pre>"#,
            r#"<button type="button" onclick="this.parentNode.remove()" style="margin-top:1rem;font:inherit">Hide</button>"#,
            r#"</div>"#
        ),
        escape(diagnostics.trim_end())
    )
}

pub use crate::format::escape;

/// A served HTML page with the build id (for the live-reload script) and, while the last build
/// failed, the overlay.
pub fn inject(html: &str, build: &str, overlay: Option<&str>) -> String {
    let meta = format!(r#"<meta name="lectern-build" content="{}">"#, escape(build));
    let mut out = match find_tag(html, "</head>") {
        Some(i) => format!("{}{meta}\n{}", &html[..i], &html[i..]),
        None => format!("{meta}\n{html}"),
    };
    if let Some(overlay) = overlay {
        match rfind_tag(&out, "</body>") {
            Some(i) => out.insert_str(i, &format!("{overlay}\n")),
            None => out.push_str(overlay),
        }
    }
    out
}

fn find_tag(html: &str, tag: &str) -> Option<usize> {
    html.to_ascii_lowercase().find(tag)
}

fn rfind_tag(html: &str, tag: &str) -> Option<usize> {
    html.to_ascii_lowercase().rfind(tag)
}

/// The server's own page (a missing page, or no good build yet), with the live-reload script so
/// that it reloads once `path` exists.
pub fn own_page(title: &str, body: &str, script: &str, path: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n</head>\n<body>\n<h1>{t}</h1>\n<p>{body}</p>\n<script src=\"{script}\" data-page=\"{path}\"></script>\n</body>\n</html>\n",
        t = escape(title),
        body = escape(body),
        script = escape(script),
        path = escape(path),
    )
}

/// The `Content-Type` of a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("csv") => "text/csv; charset=utf-8",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlay_escapes_what_it_shows() {
        let o = overlay("error: <script>alert('x')</script> & more\n");
        assert!(o.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more</pre>"));
        assert!(!o.contains("<script>"));
    }

    #[test]
    fn injects_the_build_id_and_overlay() {
        let html = "<html><head><title>t</title></HEAD><body><p>x</p></body></html>";
        let out = inject(html, "7", Some("<div id=\"o\"></div>"));
        assert_eq!(
            out,
            "<html><head><title>t</title><meta name=\"lectern-build\" content=\"7\">\n</HEAD><body><p>x</p><div id=\"o\"></div>\n</body></html>"
        );
        assert_eq!(
            inject("<p>bare</p>", "1", None),
            "<meta name=\"lectern-build\" content=\"1\">\n<p>bare</p>"
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x.svg"), "image/svg+xml");
        assert_eq!(content_type("Makefile"), "application/octet-stream");
    }
}
