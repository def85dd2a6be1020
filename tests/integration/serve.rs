//! `lectern serve` end to end: the real binary on an ephemeral port, read over plain TCP.
//! The `basic` fixture has `base_url: /lessons/`.

use std::fs;

use crate::harness::*;
use crate::server::*;

fn changed(e: &Event) -> Vec<String> {
    e.data["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Waits for the `build` event that names `path` among the changed files (an editor's save
/// may arrive as two batches; the first may change nothing yet).
fn build_changing(events: &Events, path: &str) -> Event {
    loop {
        let e = events.next("build");
        if changed(&e).iter().any(|p| p == path) {
            return e;
        }
    }
}

#[test]
fn edits_reload_errors_overlay_and_recovery() {
    let project = Project::copy_of("basic");
    let step = project.root.join("content/tiny/02-scale.md");
    let original = fs::read_to_string(&step).unwrap();
    let server = Server::start(&project.root);
    let events = server.events("/lessons/");
    let hello = events.next("hello");
    assert!(hello.data["overlay"].is_null(), "{:?}", hello.data);

    let page = server.get("/lessons/tiny/02-scale.html");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.body
            .contains(r#"<script src="../__lectern/live.js" data-page="tiny/02-scale.html">"#),
        "serve mode passes live_reload to the templates:\n{}",
        page.body
    );
    let build = hello.data["build"].as_str().unwrap();
    assert!(
        page.body
            .contains(&format!(r#"<meta name="lectern-build" content="{build}">"#))
    );

    // A plain save: only the edited page changed, so only it is named.
    fs::write(&step, format!("{original}\nEdited once.\n")).unwrap();
    let e = build_changing(&events, "tiny/02-scale.html");
    assert_eq!(changed(&e), ["tiny/02-scale.html"], "no other page changed");
    assert_ne!(e.data["build"].as_str(), Some(build), "a new build id");
    assert!(
        server
            .get("/lessons/tiny/02-scale.html")
            .body
            .contains("Edited once.")
    );

    // Save by writing a temporary file and renaming it over the step, as many editors do.
    let tmp = project.root.join("content/tiny/.02-scale.md.tmp");
    fs::write(&tmp, format!("{original}\nEdited twice.\n")).unwrap();
    fs::rename(&tmp, &step).unwrap();
    build_changing(&events, "tiny/02-scale.html");
    let good = server.get("/lessons/tiny/02-scale.html").body;
    assert!(good.contains("Edited twice.") && !good.contains("Edited once."));
    assert!(!good.contains("lectern-overlay"));

    // An error: the overlay goes to open pages and into every page served, escaped, with the
    // terminal's diagnostics; the last good page stays.
    let broken = original.replace("compute: Q / 3", "compute: Q / <Nope>");
    fs::write(&step, format!("{broken}\nEdited thrice.\n")).unwrap();
    let failed = events.next("failed");
    let overlay = failed.data["overlay"].as_str().unwrap();
    assert!(overlay.contains(r#"id="lectern-overlay""#), "{overlay}");
    assert!(
        overlay.contains("content/tiny/02-scale.md:6:"),
        "file:line: {overlay}"
    );
    assert!(
        overlay.contains("Q / &lt;Nope&gt;"),
        "escaped snippet: {overlay}"
    );
    assert!(!overlay.contains("<Nope>"));
    let page = server.get("/lessons/tiny/02-scale.html");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Edited twice."),
        "the last good page is served"
    );
    assert!(!page.body.contains("Edited thrice."));
    assert!(
        page.body.contains(overlay),
        "the overlay is injected into the page"
    );
    let index = server.get("/lessons/").body;
    assert!(index.contains(r#"id="lectern-overlay""#), "into every page");

    // A reconnecting page learns about the error at once.
    let late = server.events("/lessons/");
    assert_eq!(late.next("hello").data["overlay"].as_str(), Some(overlay));

    // Fixing it removes the overlay and reloads.
    fs::write(&step, format!("{original}\nFixed.\n")).unwrap();
    build_changing(&events, "tiny/02-scale.html");
    let page = server.get("/lessons/tiny/02-scale.html").body;
    assert!(page.contains("Fixed.") && !page.contains("lectern-overlay"));
    assert!(late.next("build").data["build"].is_string());

    // The project's own site/ was never written.
    assert!(!project.root.join("site").exists());
    let out = server.out.clone();
    assert!(out.join("tiny/02-scale.html").is_file());
    assert_eq!(server.interrupt(), Some(0), "Ctrl-C stops cleanly");
    assert!(!out.exists(), "the temporary output is removed on exit");
}

#[test]
fn serves_only_the_site_under_its_prefix() {
    let project = Project::copy_of("basic");
    fs::write(project.root.join("secret.txt"), "do not serve").unwrap();
    let server = Server::start(&project.root);

    let root = server.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some("/lessons/"));
    assert_eq!(server.get("/lessons").header("location"), Some("/lessons/"));
    let folder = server.get("/lessons/tiny");
    assert_eq!(
        (folder.status, folder.header("location")),
        (302, Some("/lessons/tiny/"))
    );
    let index = server.get("/lessons/tiny/");
    assert_eq!(index.status, 200);
    assert!(
        index.body.contains("Tiny projections"),
        "index.html for folders"
    );

    let css = server.get("/lessons/assets/style.css");
    assert_eq!(
        (css.status, css.header("content-type")),
        (200, Some("text/css; charset=utf-8"))
    );
    assert!(
        !css.body.contains("lectern-build"),
        "only HTML gets the build id"
    );
    let js = server.get("/lessons/__lectern/live.js");
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(js.body.contains("EventSource"));

    for path in [
        "/tiny/index.html",
        "/lessons/../secret.txt",
        "/lessons/../Cargo.toml",
        "/../Cargo.toml",
        "/lessons/%2e%2e/secret.txt",
        "/lessons/%2E%2E/%2e%2e/etc/passwd",
        "/lessons/..%2fsecret.txt",
        "/lessons/..%5csecret.txt",
        "/lessons/tiny/..%2f..%2fsecret.txt",
        "/lessons/%252e%252e/secret.txt",
        "/lessons//etc/passwd",
        "/lessons/%2fetc%2fpasswd",
        "/lessons/.lectern-site",
        "/lessons/tiny/index.html/",
        "/lessons/%zz",
        "/lessons/%00",
        "/etc/passwd",
        "/lessons/nope.html",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("do not serve"), "{path}");
        // The site's own 404.html, or the server's plain one.
        assert!(
            r.body.to_lowercase().contains("not found"),
            "{path}: {}",
            r.body
        );
    }
}

#[test]
fn template_edits_rerender_the_pages_that_use_them() {
    let project = Project::copy_of("basic");
    fs::create_dir(project.root.join("templates")).unwrap();
    let server = Server::start(&project.root);
    let events = server.events("/lessons/");
    events.next("hello");
    let builtin = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/step.html"),
    )
    .unwrap();
    fs::write(
        project.root.join("templates/step.html"),
        builtin.replace("<h1>", "<h1 class=\"edited\">"),
    )
    .unwrap();
    let e = build_changing(&events, "tiny/01-project.html");
    let mut pages = changed(&e);
    pages.sort();
    assert_eq!(
        pages,
        [
            "second/01-only.html",
            "tiny/01-project.html",
            "tiny/02-scale.html",
            "tiny/03-end.html"
        ],
        "step pages only"
    );
    assert!(
        server
            .get("/lessons/tiny/03-end.html")
            .body
            .contains("<h1 class=\"edited\">")
    );
}

#[test]
fn lesson_changes_reach_the_index_and_removed_steps_disappear() {
    let project = Project::copy_of("basic");
    let server = Server::start_with(&project.root, &["--poll"]);
    let events = server.events("/lessons/");
    events.next("hello");
    let index = || {
        let html = scraper::Html::parse_document(&server.get("/lessons/").body);
        html.select(&sel(".lessons li a"))
            .map(|a| a.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    assert_eq!(index(), ["Tiny projections", "Another lesson"]);

    // The title and order of `second` are on the index: it is rendered again, in the new order.
    let lesson = project.root.join("content/second/lesson.md");
    let text = fs::read_to_string(&lesson).unwrap();
    fs::write(
        &lesson,
        text.replace(
            "title: Another lesson\norder: 2",
            "title: First now\norder: 0",
        ),
    )
    .unwrap();
    let e = build_changing(&events, "index.html");
    assert!(
        changed(&e).contains(&"second/index.html".to_string()),
        "{:?}",
        e.data
    );
    // Every lesson shows the course: `tiny`'s overview lists the new title, first.
    assert!(
        changed(&e).contains(&"tiny/index.html".to_string()),
        "{:?}",
        e.data
    );
    let tiny = server.get("/lessons/tiny/index.html").body;
    let first_now = tiny
        .find(">First now</a>")
        .expect("the new title in the course");
    assert!(first_now < tiny.find(">Tiny projections</a>").unwrap());
    assert_eq!(index(), ["First now", "Tiny projections"]);

    // A removed step: its page is deleted, its neighbours and the index (step count) change.
    fs::remove_file(project.root.join("content/tiny/03-end.md")).unwrap();
    let e = build_changing(&events, "tiny/03-end.html");
    for page in ["index.html", "tiny/02-scale.html", "tiny/index.html"] {
        assert!(
            changed(&e).contains(&page.to_string()),
            "{page}: {:?}",
            e.data
        );
    }
    assert_eq!(server.get("/lessons/tiny/03-end.html").status, 404);
    assert!(server.get("/lessons/").body.contains("2 steps"));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let project = Project::fixture("basic");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args([
            "serve",
            "--port",
            &port,
            "--root",
            project.root.to_str().unwrap(),
        ])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("lectern serve kept running on a port in use");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
    assert!(stderr.contains("--port"), "{stderr}");
}

#[test]
fn built_sites_have_no_trace_of_live_reload() {
    let run = Project::fixture("basic").build().ok();
    let files = run.files();
    assert!(files.contains_key("tiny/02-scale.html"));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for trace in [
            "__lectern",
            "live.js",
            "lectern-build",
            "EventSource",
            "lectern-overlay",
        ] {
            assert!(!text.contains(trace), "{path} contains {trace}");
        }
    }
}

/// `--open` runs the desktop's launcher (`xdg-open` first on Linux and the BSDs) with the address.
#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn open_hands_the_address_to_the_desktop_launcher() {
    // A stand-in for `xdg-open`, first on PATH, that writes down what it was asked to open.
    let bin = tempfile::tempdir().unwrap();
    let launcher = bin.path().join("xdg-open");
    fs::write(
        &launcher,
        "#!/bin/sh\nprintf '%s' \"$1\" > \"$(dirname \"$0\")/opened.tmp\"\nmv \"$(dirname \"$0\")/opened.tmp\" \"$(dirname \"$0\")/opened\"\n",
    )
    .unwrap();
    let mut perms = fs::metadata(&launcher).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    fs::set_permissions(&launcher, perms).unwrap();
    let path = std::env::join_paths(std::iter::once(bin.path().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let project = Project::copy_of("basic");
    let server = Server::start_with_env(&project.root, &["--open"], &[("PATH", &path)]);
    let opened = bin.path().join("opened");
    let deadline = std::time::Instant::now() + WAIT;
    while !opened.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the launcher was not run"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(
        fs::read_to_string(&opened).unwrap(),
        format!("http://{}/lessons/", server.addr)
    );
}
