//! The `basic` fixture: every number in it was worked out by hand (see the comments).

use std::path::Path;

use crate::harness::*;

/// X = [[0.5, 1, 0], [0, 1, 1.5]], W = [[1, 0, 1], [2, 1, 0]] (output × input), so
/// Q = X Wᵀ = [[0.5·1 + 1·0 + 0·1, 0.5·2 + 1·1 + 0·0], [0 + 0 + 1.5, 0 + 1 + 0]] = [[0.5, 2], [1.5, 1]].
#[test]
fn computed_tables_carry_exact_values_labels_and_formula() {
    let run = Project::fixture("basic").build().ok();
    let page = run.page("tiny/01-project.html");
    let q = table(&page, "Q");
    assert_eq!(q.shape, "2x2");
    assert_eq!(q.rows, ["the", "cat"]);
    assert_eq!(q.cols, ["q1", "q2"]);
    assert_eq!(q.values, [["0.5", "2"], ["1.5", "1"]]);
    assert_eq!(q.texts, [["0.500", "2.000"], ["1.500", "1.000"]]);
    assert!(q.caption.contains("Queries"), "{}", q.caption);
    assert!(q.caption.contains("Q = X @ W^T"), "{}", q.caption);
    // Literal tables have no formula, just the name.
    let w = table(&page, "W");
    assert_eq!(w.values, [["1", "0", "1"], ["2", "1", "0"]]);
    assert_eq!(
        w.cols,
        ["1", "2", "3"],
        "unlabelled columns are numbered from 1"
    );
    assert!(!w.caption.contains('='), "{}", w.caption);

    // Scaled = Q / 3 at precision 2: 0.5/3 = 0.1666…, 2/3 = 0.666…, 1.5/3 = 0.5, 1/3 = 0.333…
    let scaled = table(&run.page("tiny/02-scale.html"), "Scaled");
    assert_eq!(
        scaled.values,
        [
            ["0.16666666666666666", "0.6666666666666666"],
            ["0.5", "0.3333333333333333"]
        ]
    );
    assert_eq!(scaled.texts, [["0.17", "0.67"], ["0.50", "0.33"]]);
    assert_eq!(scaled.rows, ["the", "cat"], "labels flow through `/`");
}

#[test]
fn inline_values_and_hidden_matrices() {
    let run = Project::fixture("basic").build().ok();
    let page = run.page("tiny/01-project.html");
    let values: Vec<(String, String)> = page
        .select(&sel("data.value"))
        .map(|d| {
            (
                d.value().attr("value").unwrap().to_string(),
                d.text().collect(),
            )
        })
        .collect();
    // Q[cat, q1] = 1.5 at Q's precision (3); rows(Q) = 2, a whole number, shown bare.
    assert_eq!(
        values,
        [("1.5".into(), "1.500".into()), ("2".into(), "2".into())]
    );
    let scale = run.page("tiny/02-scale.html");
    assert!(
        scale
            .select(&sel("table[data-matrix=Hidden]"))
            .next()
            .is_none()
    );
    assert_eq!(text_of(&scale, "data.value"), "0.000");
}

#[test]
fn pages_navigate_in_step_order() {
    let run = Project::fixture("basic").build().ok();
    let index = run.page("index.html");
    let lessons: Vec<String> = index
        .select(&sel(".lessons a"))
        .map(|a| a.value().attr("href").unwrap().into())
        .collect();
    assert_eq!(
        lessons,
        ["tiny/index.html", "second/index.html"],
        "ordered by `order`"
    );

    let overview = run.page("tiny/index.html");
    let steps: Vec<String> = overview
        .select(&sel(".steps li a"))
        .map(|a| a.value().attr("href").unwrap().into())
        .collect();
    assert_eq!(steps, ["01-project.html", "02-scale.html", "03-end.html"]);
    assert_eq!(
        text_of(&overview, ".objectives li"),
        "Compute a query by hand"
    );
    assert_eq!(text_of(&overview, ".prerequisites li"), "Matrix products");
    let terms: Vec<String> = overview
        .select(&sel(".concepts dt"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(terms, ["Query", "Weight matrix"]);
    assert_eq!(
        table(&overview, "X").rows,
        ["the", "cat"],
        "lesson.md's matrices render on the overview"
    );

    let rel = |page: &scraper::Html, r: &str| -> String {
        page.select(&sel(&format!(".pager a[rel={r}]")))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap()
            .into()
    };
    let first = run.page("tiny/01-project.html");
    assert_eq!(text_of(&first, ".step-count"), "Step 1 of 3");
    assert_eq!(rel(&first, "prev"), "index.html");
    assert_eq!(rel(&first, "next"), "02-scale.html");
    let second = run.page("tiny/02-scale.html");
    assert_eq!(text_of(&second, ".step-count"), "Step 2 of 3");
    assert_eq!(
        (rel(&second, "prev"), rel(&second, "next")),
        ("01-project.html".into(), "03-end.html".into())
    );
    let last = run.page("tiny/03-end.html");
    assert_eq!(text_of(&last, ".step-count"), "Step 3 of 3");
    // The last step leads on to the next lesson of the course (`second`, order 2).
    assert_eq!(rel(&last, "next"), "../second/index.html");
    assert_eq!(text_of(&last, ".sidebar [aria-current=page]"), "The end");
    // The course's last lesson has no lesson after it: its last step leads to its overview.
    let files = run.files();
    let end = files
        .keys()
        .filter(|p| p.starts_with("second/") && !p.ends_with("index.html") && p.ends_with(".html"))
        .max()
        .unwrap();
    assert_eq!(rel(&run.page(end), "next"), "index.html");
}

/// base_url is `/lessons/`: every link must resolve when the site is served from that subpath,
/// and also from `file://` — so links are relative and point at files, never at folders.
#[test]
fn every_internal_link_resolves_under_a_subpath() {
    let run = Project::fixture("basic").build().ok();
    check_links(&run.out, "/lessons/");
}

/// Every link of every page resolves to a file of the site. Links are relative, except on the
/// 404 page, which is served at any depth and links from `base_path`.
pub fn check_links(out: &Path, base_path: &str) {
    let files = read_tree(out);
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for el in html.select(&sel("[href], [src]")) {
            let link = el.value().attr("href").or(el.value().attr("src")).unwrap();
            // A `data:` URL (the inline favicon) is not a link to anything.
            if el.value().attr("rel") == Some("canonical")
                || link.starts_with('#')
                || link.starts_with("data:")
            {
                continue;
            }
            assert!(!link.contains("://"), "{path}: {link} leaves the site");
            let mut parts: Vec<&str> = path.split('/').collect();
            parts.pop();
            let mut target = link.split('#').next().unwrap();
            if path == "404.html" {
                target = target
                    .strip_prefix(base_path)
                    .unwrap_or_else(|| panic!("404.html: {link} is not under {base_path}"));
            } else {
                assert!(!link.starts_with('/'), "{path}: {link} is not relative");
            }
            for seg in target.split('/') {
                match seg {
                    ".." => {
                        assert!(parts.pop().is_some(), "{path}: {link} leaves the site");
                    }
                    "." | "" => {}
                    s => parts.push(s),
                }
            }
            let resolved = percent_decode(&parts.join("/"));
            assert!(
                files.contains_key(&resolved),
                "{path}: {link} -> {resolved} does not exist"
            );
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} links checked");
}

#[test]
fn builds_are_byte_identical() {
    let project = Project::fixture("basic");
    let a = project.build().ok();
    let b = project.build().ok();
    assert_eq!(a.files(), b.files());
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let project = Project::copy_of("basic");
    let out = project.root.join("site");
    project.build_to(&out).ok();
    let before = read_tree(&out);
    assert!(before.contains_key("tiny/01-project.html"));
    let step = project.root.join("content/tiny/01-project.md");
    let text = std::fs::read_to_string(&step)
        .unwrap()
        .replace("[0.5, 2]", "[0.5, 2.5]");
    std::fs::write(&step, text).unwrap();
    let run = project.build_to(&out).fails(1);
    assert!(
        run.stderr.contains("content/tiny/01-project.md:22:3"),
        "{}",
        run.stderr
    );
    assert_eq!(read_tree(&out), before);
    // No temporary folders are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&project.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_to_write_over_the_project_or_foreign_folders() {
    let project = Project::copy_of("basic");
    let before = read_tree(&project.root);
    for out in [".", "content", "content/tiny"] {
        let run = project.build_to(&project.root.join(out)).fails(2);
        assert!(
            run.stderr.contains("refusing to write the site into"),
            "{}",
            run.stderr
        );
    }
    let foreign = project.root.join("notes");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("todo.txt"), "keep me").unwrap();
    let run = project.build_to(&foreign).fails(2);
    assert!(
        run.stderr
            .contains("not empty and was not written by lectern"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(foreign.join("todo.txt")).unwrap(),
        "keep me"
    );
    std::fs::remove_dir_all(&foreign).unwrap();
    assert_eq!(read_tree(&project.root), before);
}

#[test]
fn bare_lectern_builds_and_prints_a_summary() {
    let project = Project::fixture("basic");
    let tmp = tempfile::TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let run = lectern(&[
        "--root",
        project.root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
    .ok();
    assert!(out.join("index.html").is_file());
    assert!(
        run.stdout.starts_with(
            "built 2 lessons, 4 steps: 3 matrices computed, 4 typed values and 1 shape verified, 11 files written to"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn project_templates_override_the_built_in_ones() {
    let project = Project::copy_of("basic");
    project.write(
        "templates/step.html",
        "<!DOCTYPE html><title>{{ step.title }}</title><p id=custom>{{ step.position }}/{{ step.count }}</p>{{ step.html | safe }}",
    );
    let run = project.build().ok();
    let step = run.page("tiny/02-scale.html");
    assert_eq!(text_of(&step, "#custom"), "2/3");
    assert_eq!(table(&step, "Scaled").texts[0], ["0.17", "0.67"]);
    // Pages the project does not override keep the built-in template.
    assert_eq!(text_of(&run.page("index.html"), "h1"), "Fixture site");
}

/// `search: false` in `site.yaml` leaves the search field out of every page and the index out of
/// the site, and `check` agrees; by default both are there.
#[test]
fn search_false_leaves_the_field_and_the_index_out() {
    let project = Project::copy_of("basic");
    let pages = [
        "index.html",
        "tiny/index.html",
        "tiny/02-scale.html",
        "404.html",
    ];
    let fields = |run: &Run, page: &str| run.page(page).select(&sel("form.search")).count();
    let run = project.build().ok();
    assert!(run.out.join("assets/search/engine.js").is_file());
    for page in pages {
        assert_eq!(fields(&run, page), 1, "{page}");
    }
    let yaml = std::fs::read_to_string(project.root.join("content/site.yaml")).unwrap();
    project.write("content/site.yaml", &format!("{yaml}search: false\n"));
    let run = project.build().ok();
    assert!(!run.out.join("assets/search").exists());
    assert!(run.files().keys().all(|path| !path.contains("search")));
    for page in pages {
        assert_eq!(fields(&run, page), 0, "{page}");
    }
    let root = project.root.to_str().unwrap();
    let checked = lectern(&["check", "--root", root]).ok();
    assert!(!checked.stderr.contains("warning"), "{}", checked.stderr);
    // A project's own base.html that writes the form regardless gets a located warning: the
    // field would show, with no index behind it.
    let builtin = include_str!("../../templates/base.html");
    let unguarded = builtin.replacen("{% if site.search %}", "", 1).replacen(
        "</form>{% endif %}",
        "</form>",
        1,
    );
    assert_ne!(unguarded, builtin);
    project.write("templates/base.html", &unguarded);
    let run = project.build().ok();
    assert_eq!(fields(&run, "index.html"), 1);
    assert!(!run.out.join("assets/search").exists());
    let line = unguarded.lines().position(|l| l.contains("<form")).unwrap() + 1;
    for stderr in [
        &run.stderr,
        &lectern(&["check", "--root", root]).ok().stderr,
    ] {
        assert!(
            stderr.contains("writes a search field, but `site.yaml` sets `search: false`")
                && stderr.contains(&format!("templates/base.html:{line}:")),
            "{stderr}"
        );
    }
}

/// A template may loop over a view's keys: they come in the order the README lists them, the
/// same in every build (tera's maps were once seeded at random, and such a loop gave another
/// order on each build).
#[test]
fn a_loop_over_a_views_keys_gives_them_in_their_listed_order() {
    let project = Project::copy_of("basic");
    let builtin = include_str!("../../templates/matrix.html");
    project.write(
        "templates/matrix.html",
        &format!("<p class=keys>{{% for key, value in matrix %}}{{{{ key }}}} {{% endfor %}}</p>\n{builtin}"),
    );
    let listed = "name shape shape_text caption formula columns rows legend derivations numpy \
                  pytorch summary equation";
    let builtin = include_str!("../../templates/index.html");
    project.write(
        "templates/index.html",
        &builtin.replacen(
            "{% block body %}",
            "{% block body %}<p class=keys>{% for key, value in lessons[0] %}{{ key }} {% endfor %}</p>",
            1,
        ),
    );
    for _ in 0..3 {
        let run = project.build().ok();
        assert_eq!(
            text_of(&run.page("tiny/02-scale.html"), ".keys").trim(),
            listed
        );
        assert_eq!(
            text_of(&run.page("index.html"), ".keys").trim(),
            "number title summary href step_count minutes"
        );
    }
}

#[test]
fn a_title_holding_the_body_mark_does_not_move_the_body() {
    // Pages of the built-in templates are rendered around a mark (`\0lectern-body\0`) that
    // the body then replaces; a title that holds the mark must not change where it goes.
    let project = Project::empty();
    project
        .write("content/site.yaml", "title: Marks\n")
        .write("content/l/lesson.md", "---\ntitle: L\n---\nThe intro.\n")
        .write(
            "content/l/01-a.md",
            "---\ntitle: \"A \\0lectern-body\\0 title\"\n---\nHello **world**.\n",
        );
    let run = project.build().ok();
    let text = std::fs::read_to_string(run.out.join("l/01-a.html")).unwrap();
    assert_eq!(text.matches("<strong>world</strong>").count(), 1, "{text}");
    // Every mark left is part of the title as written (in <title>, the sidebar, the heading).
    let marks = text.matches("\0lectern-body\0").count();
    assert!(marks >= 2, "{text}");
    assert_eq!(
        text.matches("A \0lectern-body\0 title").count(),
        marks,
        "{text}"
    );
    let main = text.split("<main").nth(1).unwrap();
    assert!(
        main.contains("<p>Hello <strong>world</strong>.</p>"),
        "{main}"
    );
}

#[test]
fn names_with_spaces_and_accents_work() {
    let project = Project::copy_of("basic");
    std::fs::rename(
        project.root.join("content/second"),
        project.root.join("content/déjà vu"),
    )
    .unwrap();
    std::fs::rename(
        project.root.join("content/déjà vu/01-only.md"),
        project.root.join("content/déjà vu/01-première étape.md"),
    )
    .unwrap();
    let run = project.build().ok();
    assert!(run.out.join("déjà vu/01-première étape.html").is_file());
    check_links(&run.out, "/lessons/");
}

#[test]
fn labels_and_captions_are_escaped() {
    let project = Project::copy_of("basic");
    project.write(
        "content/tiny/04-xss.md",
        "---\ntitle: \"<i>Title</i>\"\n---\n```matrix\nname: Z\ncaption: \"<img src=x onerror=alert(1)>\"\nrows: [\"<script>alert(1)</script>\"]\nvalues: [[1]]\n```\n",
    );
    let run = project.build().ok();
    let page = run.page("tiny/04-xss.html");
    let z = table(&page, "Z");
    assert_eq!(z.rows, ["<script>alert(1)</script>"], "the label is text");
    assert!(z.caption.contains("<img src=x onerror=alert(1)>"));
    assert_eq!(text_of(&page, "h1"), "<i>Title</i>");
    assert!(
        page.select(&sel("main script, main img, main i"))
            .next()
            .is_none()
    );
}

#[test]
fn hidden_unused_matrices_warn_and_fail_with_strict() {
    let project = Project::copy_of("basic");
    project.write(
        "content/tiny/04-unused.md",
        "---\ntitle: Unused\n---\n```matrix\nname: Spare\nshow: false\nvalues: [[1]]\n```\n",
    );
    let run = project.build().ok();
    assert!(
        run.stderr
            .contains("warning: `Spare` is hidden and never used"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/tiny/04-unused.md:5:7"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains(", 1 warning in"), "{}", run.stdout);
    let root = project.root.to_str().unwrap();
    let strict = lectern(&[
        "build",
        "--strict",
        "--root",
        root,
        "--out",
        "/tmp/lectern-strict-never-written",
    ])
    .fails(1);
    assert!(strict.stderr.contains("`Spare` is hidden and never used"));
    assert!(!Path::new("/tmp/lectern-strict-never-written").exists());
}

/// An author's raw HTML with an unclosed quote (`<div title="oops>`) makes the link scanner read
/// on to the next quote of the page. check, which scans only the links and ids of the pages it
/// does not write, must still find the ones a build finds after it: here the overview's
/// `#key-concepts`.
#[test]
fn check_agrees_with_build_after_broken_raw_html() {
    let project = Project::copy_of("basic");
    let lesson = std::fs::read_to_string(project.root.join("content/tiny/lesson.md")).unwrap();
    project.write(
        "content/tiny/lesson.md",
        &format!("{lesson}\n<div title=\"oops>\n"),
    );
    project.write(
        "content/tiny/03-end.md",
        "---\ntitle: End\n---\nBack to [the concepts](lesson.md#key-concepts).\n\n<div title=\"oops>\n",
    );
    let root = project.root.to_str().unwrap().to_string();
    let built = project.build().ok();
    let checked = lectern(&["check", "--root", &root]).ok();
    assert!(
        built.stdout.starts_with("built 2 lessons"),
        "{}",
        built.stdout
    );
    assert!(
        checked.stdout.contains("links checked"),
        "{}",
        checked.stdout
    );
}

/// A link to a cell's derivation (`#why-Q-1-0`) leads somewhere in a build, and check, which
/// leaves the derivations out of its pages, finds the same ids; a link to a cell the matrix does
/// not have fails both, with the same message.
#[test]
fn check_and_build_agree_on_links_to_cell_derivations() {
    let project = Project::copy_of("basic");
    let root = project.root.to_str().unwrap().to_string();
    let page = |fragment: &str| {
        format!("---\ntitle: End\n---\nSee [how it is computed](01-project.md#{fragment}).\n")
    };
    project.write("content/tiny/03-end.md", &page("why-Q-1-0"));
    let built = project.build().ok();
    assert!(
        built.stdout.starts_with("built 2 lessons"),
        "{}",
        built.stdout
    );
    let html = std::fs::read_to_string(built.out.join("tiny/01-project.html")).unwrap();
    assert!(
        html.contains("<li id=\"why-Q-1-0\""),
        "the derivation is on the page"
    );
    let checked = lectern(&["check", "--root", &root]).ok();
    assert!(
        checked.stdout.contains("links checked"),
        "{}",
        checked.stdout
    );

    // Q is 2×2: there is no row 3.
    project.write("content/tiny/03-end.md", &page("why-Q-2-0"));
    let message = "points to an anchor `#why-Q-2-0` that tiny/01-project.html does not have";
    let built = project.build().fails(1);
    assert!(built.stderr.contains(message), "{}", built.stderr);
    let checked = lectern(&["check", "--root", &root]).fails(1);
    assert!(checked.stderr.contains(message), "{}", checked.stderr);
}

#[test]
fn check_writes_nothing_and_reports_like_build() {
    let project = Project::copy_of("basic");
    let root = project.root.to_str().unwrap().to_string();
    let run = lectern(&["check", "--root", &root]).ok();
    assert!(
        run.stdout.starts_with("checked 2 lessons, 4 steps"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("links checked"), "{}", run.stdout);
    assert!(!project.root.join("site").exists());
    project.write(
        "content/tiny/03-end.md",
        "---\ntitle: End\n---\nSee [nowhere](04-none.md).\n",
    );
    let run = lectern(&["check", "--root", &root]).fails(1);
    assert!(
        run.stderr
            .contains("the link `04-none.html` points to tiny/04-none.html"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/tiny/03-end.md:4:15"),
        "{}",
        run.stderr
    );
    // Usage errors exit 2.
    lectern(&["check", "--root", "/nonexistent/lectern"]).fails(2);
}

#[test]
fn json_messages_carry_locations() {
    let project = Project::copy_of("basic");
    project.write(
        "content/tiny/03-end.md",
        "---\ntitle: End\n---\nValue: `= Q[dog, 1]`\n",
    );
    let run = lectern(&[
        "check",
        "--message-format",
        "json",
        "--root",
        project.root.to_str().unwrap(),
    ])
    .fails(1);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let d = &lines[0];
    assert_eq!(d["type"], "diagnostic");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "Q has no row `dog`");
    assert_eq!(d["file"], "content/tiny/03-end.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(13))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(4), Some(16))
    );
    assert_eq!(d["help"], "its rows are `the`, `cat`");
    let ok = lectern(&[
        "check",
        "--message-format",
        "json",
        "--root",
        project.root.to_str().unwrap(),
    ]);
    assert_eq!(ok.code, 1);
}

#[test]
fn symlink_loops_are_reported_not_followed_forever() {
    let project = Project::copy_of("basic");
    std::os::unix::fs::symlink("..", project.root.join("content/tiny/loop")).unwrap();
    let run = project.build().fails(2);
    assert!(run.stderr.contains("symbolic link loop"), "{}", run.stderr);
}

/// Links in content/ itself are followed as in a lesson folder: a broken one, a loop or a link
/// back to content/, hidden or not, stops build and check with the same error as ever (the
/// build that lists content/ without reading it leaves links to the full load).
#[test]
fn links_in_content_are_followed_and_reported() {
    let cases: [(&str, &str, &str); 3] = [
        ("broken", "nowhere", "No such file or directory"),
        (".self", ".", "symbolic link loop"),
        (
            ".#site.yaml",
            "me@host.1234:1700000000",
            "No such file or directory",
        ),
    ];
    for (name, target, message) in cases {
        let project = Project::copy_of("basic");
        std::os::unix::fs::symlink(target, project.root.join("content").join(name)).unwrap();
        let root = project.root.to_str().unwrap().to_string();
        let built = project.build().fails(2);
        assert!(built.stderr.contains(message), "{name}: {}", built.stderr);
        let checked = lectern(&["check", "--root", &root]).fails(2);
        assert!(
            checked.stderr.contains(message),
            "{name}: {}",
            checked.stderr
        );
    }
    // A link to a lesson folder is a lesson.
    let project = Project::copy_of("basic");
    let elsewhere = project.root.join("elsewhere");
    std::fs::rename(project.root.join("content/second"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, project.root.join("content/second")).unwrap();
    let built = project.build().ok();
    assert!(
        built.stdout.starts_with("built 2 lessons"),
        "{}",
        built.stdout
    );
}

#[test]
fn out_paths_through_parent_folders_or_links_cannot_reach_content() {
    let project = Project::copy_of("basic");
    let before = read_tree(&project.root.join("content"));
    let sneaky = project.root.join("nothing-here/../content");
    let run = project.build_to(&sneaky).fails(2);
    assert!(
        run.stderr.contains("inside the project's content/ folder"),
        "{}",
        run.stderr
    );
    std::os::unix::fs::symlink(project.root.join("content"), project.root.join("c")).unwrap();
    project.build_to(&project.root.join("c/site")).fails(2);
    assert_eq!(read_tree(&project.root.join("content")), before);
}

#[test]
fn assets_in_subfolders_and_binary_template_files_are_copied() {
    let project = Project::copy_of("basic");
    let png = [0x89u8, b'P', b'N', b'G', 0xff, 0x00];
    std::fs::create_dir_all(project.root.join("content/tiny/img")).unwrap();
    std::fs::write(project.root.join("content/tiny/img/a.png"), png).unwrap();
    std::fs::create_dir_all(project.root.join("templates")).unwrap();
    std::fs::write(project.root.join("templates/logo.png"), png).unwrap();
    project.write(
        "content/tiny/03-end.md",
        "---\ntitle: End\n---\n![A picture of `= Q[cat, q1]`](img/a.png)\n",
    );
    let run = project.build().ok();
    let files = run.files();
    assert_eq!(files["tiny/img/a.png"], png);
    assert_eq!(files["assets/logo.png"], png);
    let page = run.page("tiny/03-end.html");
    let img = page.select(&sel("main img")).next().unwrap();
    assert_eq!(
        img.value().attr("alt"),
        Some("A picture of 1.500"),
        "inline values in alt text are plain text"
    );
}

#[test]
fn a_byte_order_mark_does_not_hide_front_matter() {
    let project = Project::copy_of("basic");
    project.write(
        "content/tiny/03-end.md",
        "\u{feff}---\ntitle: With BOM\n---\nBody.\n",
    );
    let run = project.build().ok();
    assert_eq!(text_of(&run.page("tiny/03-end.html"), "h1"), "With BOM");
}

#[test]
fn quizzes_render_with_computed_answers() {
    let project = Project::copy_of("basic");
    project.write(
        "content/tiny/04-quiz.md",
        r#"---
title: Quiz
---
```quiz
question: "Which entry of Q is `= Q[cat, q1]`?"
choices:
  - "Q[the, q2], which is `= Q[the, q2]`"
  - "Q[cat, q1]"
answer: 2
explanation: "Row *cat*, column q1."
```

```quiz
question: What is Q[cat, q1]?
answer: "= Q[cat, q1]"
explanation: "Q has `= rows(Q)` rows; this entry is `= Q[cat, q1]`."
```
"#,
    );
    let run = project.build().ok();
    let page = run.page("tiny/04-quiz.html");
    let quizzes: Vec<_> = page.select(&sel("section.quiz")).collect();
    assert_eq!(quizzes.len(), 2);
    // Multiple choice: the second choice is right; computed numbers appear in the text.
    let first = quizzes[0];
    let correct: Vec<_> = first
        .select(&sel("input[data-correct]"))
        .map(|i| i.value().attr("value").unwrap())
        .collect();
    assert_eq!(correct, ["2"]);
    let q = first
        .select(&sel(".quiz-question data.value"))
        .next()
        .unwrap();
    assert_eq!(q.value().attr("value"), Some("1.5"));
    let choice = first.select(&sel("label data.value")).next().unwrap();
    assert_eq!(choice.text().collect::<String>(), "2.000", "Q[the, q2] = 2");
    // Numeric: the answer is computed, and the explanation's own values are its own.
    let second = quizzes[1];
    let form = second.select(&sel("form[data-quiz]")).next().unwrap();
    assert_eq!(form.value().attr("data-value"), Some("1.5"));
    assert_eq!(form.value().attr("data-tolerance"), Some("0.0005"));
    let shown: Vec<String> = second
        .select(&sel(".quiz-answer data.value"))
        .map(|d| d.text().collect())
        .collect();
    assert_eq!(shown, ["2", "1.500"], "rows(Q) = 2, then Q[cat, q1] = 1.5");
    let answer: String = second
        .select(&sel(".quiz-answer p"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(answer, "Answer: 1.500");
    // Without JavaScript the check button stays hidden and the answer sits in <details>.
    assert!(second.select(&sel("button[hidden]")).next().is_some());
}

#[test]
fn formulas_become_mathml() {
    let project = Project::copy_of("basic");
    project.write(
        "content/tiny/03-end.md",
        "---\ntitle: End\n---\nInline $Q = XW_Q^\\top$ and a display:\n\n$$\\mathrm{softmax}\\left(\\frac{QK^\\top}{\\sqrt{d_k}}\\right)$$\n",
    );
    let run = project.build().ok();
    let page = run.page("tiny/03-end.html");
    let maths: Vec<_> = page.select(&sel("main math")).collect();
    assert_eq!(maths.len(), 2);
    assert_eq!(maths[1].value().attr("display"), Some("block"));
    assert!(page.select(&sel("main math mfrac msqrt")).next().is_some());
}

/// Step pages skip tera when the page templates are the built-in ones; every page must be
/// exactly what the templates give. Overriding `step.html` with the built-in text forces the
/// template path. The site covers what the templates branch on: a summary, an empty one and
/// none, a table of contents and none, first and last steps, text that must be escaped, and a
/// canonical URL (an absolute `base_url`).
#[test]
fn native_step_pages_match_the_builtin_templates() {
    let project = Project::copy_of("basic");
    project.write(
        "content/site.yaml",
        "title: Fixture & \"friends\"\ndescription: Pages <checked> by hand.\nbase_url: https://example.org/my lessons/\nlanguage: en-GB\n",
    );
    project.write(
        "content/tiny/04-toc.md",
        "---\ntitle: \"Q < K & 'V'\"\nsummary: \"\"\n---\n## One & two\n\nText.\n\n## Two\n\n### Three <b>\n\nMore.\n",
    );
    project.write(
        "content/tiny/05-last.md",
        "---\ntitle: Last \"one\"\nsummary: The <end>.\n---\n## Only\n\nDone.\n",
    );
    let native = project.build().ok();
    let page = native.page("tiny/04-toc.html");
    assert_eq!(
        page.select(&sel("nav.toc li")).count(),
        3,
        "the table of contents is on the page"
    );
    assert!(page.select(&sel("link[rel=canonical]")).next().is_some());
    let compared = same_through_tera(
        &project,
        &native,
        "templates/step.html",
        include_str!("../../templates/step.html"),
    );
    let steps = compared
        .iter()
        .filter(|p| p.contains("/0") && p.ends_with(".html"))
        .count();
    assert_eq!(steps, 6, "every step page was compared");
}

/// Overrides `template` with its built-in `text`, which sends that part of rendering through
/// tera, builds again, and asserts that every file is the same as in the `native` build;
/// returns the paths compared.
fn same_through_tera(project: &Project, native: &Run, template: &str, text: &str) -> Vec<String> {
    project.write(template, text);
    let via_tera = project.build().ok();
    let (a, b) = (native.files(), via_tera.files());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{path} differs between native and template rendering:\n{}\n----\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&b[path])
        );
    }
    a.into_keys().collect()
}

/// Tables skip tera when `matrix.html` is the built-in one; the output must be exactly what the
/// template gives. Overriding `matrix.html` with the built-in text forces the template path.
#[test]
fn native_table_rendering_matches_the_builtin_template() {
    let project = Project::copy_of("basic");
    let rows: Vec<String> = (0..20)
        .map(|i| {
            format!(
                "  - [{}]",
                (0..18)
                    .map(|j| format!("{}", (i * 7 + j * 3) % 11 - 5))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect();
    project.write(
        "content/tiny/04-big.md",
        &format!(
            "---\ntitle: Big\n---\n```matrix\nname: Big\ncaption: \"A <big> one & more\"\nvalues:\n{}\n```\n\n```matrix\nname: P\ncompute: softmax(Q) * 2 - Q / 3\n```\n\n```matrix\nname: S\ncompute: softmax(Q)\n```\n",
            rows.join("\n")
        ),
    );
    let native = project.build().ok();
    let page = native.page("tiny/04-big.html");
    assert!(
        page.select(&sel("table.matrix-summary[data-summary-of=Big]"))
            .next()
            .is_some()
    );
    assert_eq!(table(&page, "Big").shape, "20x18");
    same_through_tera(
        &project,
        &native,
        "templates/matrix.html",
        include_str!("../../templates/matrix.html"),
    );
}

/// The link check reads every part of every page, matrix blocks included: a broken link that a
/// project's own `matrix.html` puts into each table fails both build and check, and the
/// previous site stays as it was.
#[test]
fn a_broken_link_in_an_overridden_matrix_template_fails_build_and_check() {
    let project = Project::copy_of("basic");
    let root = project.root.to_str().unwrap().to_string();
    let out = project.root.join("site");
    project.build_to(&out).ok();
    let before = std::fs::read(out.join("index.html")).unwrap();
    let builtin = include_str!("../../templates/matrix.html");
    project.write(
        "templates/matrix.html",
        &builtin.replacen(
            "</figcaption>",
            "</figcaption>\n<a href=\"{{ matrix.name }}-notes.html\">Notes</a>",
            1,
        ),
    );
    let built = project.build_to(&out).fails(1);
    let checked = lectern(&["check", "--root", &root]).fails(1);
    for run in [&built, &checked] {
        assert!(
            run.stderr.contains("the link `Q-notes.html` points to"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        std::fs::read(out.join("index.html")).unwrap(),
        before,
        "the last good site stays"
    );
}

/// A lesson imports matrices of another (one renamed with `as`) and recalls them onto its
/// page: the product is computed from the imported values (checked here with plain loops), the
/// recalled tables show the same numbers as where they are defined (with the precision they
/// were defined with, unless the recall sets its own), and the snippet writes the imports out
/// as values.
#[test]
fn a_lesson_imports_and_recalls_matrices_of_another() {
    let run = Project::fixture("course").build().ok();
    let inputs = run.page("vectors/01-inputs.html");
    let queries = run.page("scores/01-queries.html");
    let x = table(&inputs, "X");
    let w = table(&inputs, "W");
    let x_again = table(&queries, "X");
    assert_eq!(x_again.values, x.values);
    assert_eq!(
        x_again.texts, x.texts,
        "the precision of X (1 decimal) stays"
    );
    assert_eq!(x_again.rows, ["The", "cat"]);
    assert_eq!(x_again.texts[0], ["1.5", "\u{2212}2.0", "0.5"]);
    let w_again = table(&queries, "W_Q");
    assert_eq!(w_again.values, w.values);
    assert_eq!(
        w_again.texts[0],
        ["0.20", "0.40", "\u{2212}1.00"],
        "the recall sets 2"
    );
    // Q = X @ W_Q^T by hand, from the numbers on the first lesson's page.
    let (xn, wn) = (x.numbers(), w.numbers());
    let q = table(&queries, "Q");
    let expected: Vec<Vec<f64>> = xn
        .iter()
        .map(|xr| {
            wn.iter()
                .map(|wr| xr.iter().zip(wr).map(|(a, b)| a * b).sum())
                .collect()
        })
        .collect();
    for (row, want) in q.numbers().iter().zip(&expected) {
        for (got, want) in row.iter().zip(want) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
    }
    assert_eq!(q.rows, ["The", "cat"], "labels come with the import");
    assert_eq!(q.cols, ["q1", "q2"]);
    // The imported matrices are written into the snippet as values.
    let snippet = text_of(&queries, "code[data-lang=numpy]");
    assert!(snippet.contains("X = np.array("), "{snippet}");
    assert!(snippet.contains("W_Q = np.array("), "{snippet}");
    assert!(snippet.contains("Q = X @ W_Q.T"), "{snippet}");
    // The recall blocks are tables like any other: the operands of Q are on its page.
    assert_eq!(queries.select(&sel("figure.matrix-block")).count(), 3);
}

/// `--base-url` replaces site.yaml's `base_url` for one run: canonical links and the sitemap
/// use it, the 404 page links from its path, and site.yaml is left as it was.
#[test]
fn base_url_flag_overrides_site_yaml_for_one_build() {
    let project = Project::copy_of("basic");
    let yaml = std::fs::read_to_string(project.root.join("content/site.yaml")).unwrap();
    let tmp = tempfile::TempDir::new().unwrap();
    let out = tmp.path().join("site");
    let (root, out_s) = (project.root.to_str().unwrap(), out.to_str().unwrap());
    let url = "https://someone.github.io/course/";
    lectern(&["build", "--root", root, "--out", out_s, "--base-url", url]).ok();
    let page = scraper::Html::parse_document(
        &std::fs::read_to_string(out.join("tiny/01-project.html")).unwrap(),
    );
    let canonical = page.select(&sel("link[rel=canonical]")).next().unwrap();
    assert_eq!(
        canonical.value().attr("href"),
        Some("https://someone.github.io/course/tiny/01-project.html")
    );
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(not_found.contains("/course/"), "{not_found}");
    assert_eq!(
        std::fs::read_to_string(project.root.join("content/site.yaml")).unwrap(),
        yaml
    );
    // `check` takes it too: a check with the flag passes where the build did.
    lectern(&["check", "--root", root, "--base-url", url]).ok();
}

#[test]
fn markdown_as_authors_write_it() {
    let project = Project::copy_of("basic");
    project
        .write("content/second/öö.txt", "a file with a non-ASCII name\n")
        .write(
            "content/second/01-only.md",
            concat!(
                "---\ntitle: Only step\n---\n",
                "It's\nfine\n----\n\n",
                "## See <a href=\"#its-fine\">above</a>\n\n",
                "Raw: <a href=\"&ouml;&ouml;.txt\">file</a>, [it](#its-fine), costs \\$\\,5, ",
                "write \\$\\alpha\\$, <https://example.com/$\\x>, `$\\x`, 10$\\\nnext line.\n",
            ),
        );
    let run = project.build().ok();
    let page = run.page("second/01-only.html");
    let h2: Vec<_> = page.select(&sel("h2")).collect();
    assert_eq!(h2[0].value().attr("id"), Some("its-fine"));
    // The raw link is the heading's only link: no self-link around it.
    let h2 = h2[1];
    assert_eq!(h2.value().attr("id"), Some("see-above"));
    assert_eq!(h2.select(&sel("a")).count(), 1, "{}", h2.html());
    let main = text_of(&page, "main");
    assert!(main.contains("costs $,5, write $\\alpha$"), "{main}");
}
