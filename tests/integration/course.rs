//! The repository's course (issue 15): every lesson builds, no matrix is typed in two lessons,
//! every step that computes a product shows both of its operands, the last step of each lesson
//! leads to the next one, and the right answers of multiple-choice quizzes are spread out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::harness::*;

/// The lessons of the course, in order.
const COURSE: [&str; 5] = [
    "embeddings-and-positions",
    "qkv-projections",
    "attention-scores",
    "multi-head-attention",
    "transformer-block",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn course() -> Run {
    Project::at(&root()).build().ok()
}

/// One ```matrix block of the course's Markdown.
struct Block {
    lesson: String,
    /// The page the block is on, relative to the site: `LESSON/NN-slug.html` or `LESSON/index.html`.
    page: String,
    name: Option<String>,
    compute: Option<String>,
    show: bool,
    /// Literal `values`, and the largest number of decimals typed in them.
    values: Option<(Vec<Vec<f64>>, usize)>,
    first_line: String,
}

fn number(v: &serde_yaml::Value) -> f64 {
    match v {
        serde_yaml::Value::Number(n) => n.as_f64().unwrap(),
        serde_yaml::Value::String(s) => s.parse().unwrap(),
        other => panic!("not a number: {other:?}"),
    }
}

/// Every matrix block of every lesson, read from `content/`.
fn blocks() -> Vec<Block> {
    let mut out = Vec::new();
    let content = root().join("content");
    for lesson in COURSE {
        let mut files: Vec<PathBuf> = std::fs::read_dir(content.join(lesson))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        for file in files {
            let stem = file.file_stem().unwrap().to_str().unwrap();
            let page = if stem == "lesson" {
                format!("{lesson}/index.html")
            } else {
                format!("{lesson}/{stem}.html")
            };
            let text = std::fs::read_to_string(&file).unwrap();
            let mut lines = text.lines();
            while let Some(line) = lines.next() {
                if line.trim() != "```matrix" {
                    continue;
                }
                let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
                let yaml: serde_yaml::Value = serde_yaml::from_str(&body.join("\n")).unwrap();
                let get = |k: &str| yaml.get(k).and_then(|v| v.as_str()).map(str::to_string);
                let values = yaml.get("values").map(|rows| {
                    let rows: Vec<Vec<f64>> = rows
                        .as_sequence()
                        .unwrap()
                        .iter()
                        .map(|r| r.as_sequence().unwrap().iter().map(number).collect())
                        .collect();
                    let start = body.iter().position(|l| l.starts_with("values:")).unwrap();
                    let decimals = body[start..]
                        .iter()
                        .flat_map(|l| l.split(|c: char| !(c.is_ascii_digit() || c == '.')))
                        .filter_map(|n| n.split_once('.').map(|(_, d)| d.len()))
                        .max()
                        .unwrap_or(0);
                    (rows, decimals)
                });
                out.push(Block {
                    lesson: lesson.to_string(),
                    page: page.clone(),
                    name: get("name"),
                    compute: get("compute"),
                    show: yaml.get("show").and_then(|v| v.as_bool()) != Some(false),
                    values,
                    first_line: body.first().copied().unwrap_or("").to_string(),
                });
            }
        }
    }
    out
}

/// The names of the matrices an expression multiplies: the primaries on both sides of each `@`
/// (`X @ W_Q^T` gives X and W_Q, `Qr[:, 1:4] @ Kr[:, 1:4]^T` gives Qr and Kr). Labels inside
/// `[…]` and function names are not matrices.
fn product_operands(expr: &str) -> Vec<String> {
    // Tokens: identifiers and numbers, `^T`, `**`, and single characters.
    let chars: Vec<char> = expr.chars().collect();
    let mut tokens: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '.' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == '^' && chars.get(i + 1) == Some(&'T') {
            tokens.push("^T".into());
            i += 2;
        } else if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += 1;
            }
            i += 1;
            tokens.push(chars[start..i].iter().collect());
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    let is_ident = |t: &str| t.starts_with(|c: char| c.is_alphabetic() || c == '_');
    // The matrix names among tokens[from..to]: identifiers outside brackets, not called.
    let names = |from: usize, to: usize| -> Vec<String> {
        let mut depth = 0;
        let mut out = Vec::new();
        for k in from..to {
            match tokens[k].as_str() {
                "[" => depth += 1,
                "]" => depth -= 1,
                t if depth == 0
                    && is_ident(t)
                    && tokens.get(k + 1).map(String::as_str) != Some("(") =>
                {
                    out.push(t.to_string())
                }
                _ => {}
            }
        }
        out
    };
    let matching = |k: usize, open: &str, close: &str, step: isize| -> usize {
        let mut depth = 0;
        let mut k = k as isize;
        loop {
            let t = tokens[k as usize].as_str();
            if t == open {
                depth += 1;
            } else if t == close {
                depth -= 1;
            }
            if depth == 0 {
                return k as usize;
            }
            k += step;
        }
    };
    let mut out = Vec::new();
    for (at, _) in tokens.iter().enumerate().filter(|(_, t)| *t == "@") {
        // Left primary: postfix `^T` and `[…]`, then a name, a call or a parenthesised group.
        let mut k = at - 1;
        loop {
            match tokens[k].as_str() {
                "^T" => k -= 1,
                "]" => k = matching(k, "]", "[", -1) - 1,
                _ => break,
            }
        }
        let end = k + 1;
        let mut start = k;
        if tokens[k] == ")" {
            start = matching(k, ")", "(", -1);
            if start > 0 && is_ident(&tokens[start - 1]) {
                start -= 1;
            }
        }
        out.extend(names(start, end));
        // Right primary.
        let mut k = at + 1;
        while tokens[k] == "-" {
            k += 1;
        }
        let start = k;
        if is_ident(&tokens[k]) && tokens.get(k + 1).map(String::as_str) == Some("(") {
            k += 1;
        }
        if tokens[k] == "(" {
            k = matching(k, "(", ")", 1);
        }
        k += 1;
        while k < tokens.len() {
            match tokens[k].as_str() {
                "^T" => k += 1,
                "[" => k = matching(k, "[", "]", 1) + 1,
                _ => break,
            }
        }
        out.extend(names(start, k));
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn product_operands_are_read_from_expressions() {
    assert_eq!(product_operands("X @ W_Q^T"), ["W_Q", "X"]);
    assert_eq!(product_operands("Qr[:, 1:4] @ Kr[:, 1:4]^T"), ["Kr", "Qr"]);
    assert_eq!(
        product_operands("Q_1 @ K_1^T / sqrt(cols(K_1)) + causal_mask(rows(Q_1))"),
        ["K_1", "Q_1"]
    );
    assert_eq!(product_operands("G @ W2^T + b2"), ["G", "W2"]);
    assert_eq!(product_operands("EmbUnit @ EmbUnit^T"), ["EmbUnit"]);
    assert_eq!(product_operands("softmax(S) @ (V + B)"), ["B", "S", "V"]);
    assert_eq!(product_operands("hstack(E, P)"), Vec::<String>::new());
}

/// The names of the matrices shown on a page (`table.matrix[data-matrix]`).
fn shown(run: &Run, page: &str) -> Vec<String> {
    run.page(page)
        .select(&sel("table.matrix[data-matrix]"))
        .map(|t| t.value().attr("data-matrix").unwrap().to_string())
        .collect()
}

#[test]
fn the_course_builds_and_passes_the_strict_check() {
    let run = course();
    for lesson in COURSE {
        assert!(
            run.out.join(lesson).join("index.html").is_file(),
            "{lesson} has no overview page"
        );
    }
    let root = root();
    lectern(&["check", "--strict", "--root", root.to_str().unwrap()]).ok();
}

/// Nothing is typed twice across the course: no block is a copy marked `# IMPORT:`, and no literal
/// matrix has the values (to the decimals typed) of a matrix that another lesson defines, typed or
/// computed. A lesson that needs another lesson's matrix imports it.
#[test]
fn no_matrix_is_typed_in_two_lessons() {
    let run = course();
    let blocks = blocks();
    for b in &blocks {
        assert!(
            !b.first_line.starts_with("# IMPORT"),
            "{}: a copy ({}) instead of an import",
            b.page,
            b.first_line
        );
    }
    // Every matrix a lesson defines, with its values: typed ones from the Markdown, computed
    // ones from the table on the page that defines them.
    let mut defined: Vec<(&Block, Vec<Vec<f64>>)> = Vec::new();
    for b in blocks.iter().filter(|b| b.name.is_some()) {
        let name = b.name.as_deref().unwrap();
        if let Some((values, _)) = &b.values {
            defined.push((b, values.clone()));
        } else if b.show {
            defined.push((b, table(&run.page(&b.page), name).numbers()));
        }
    }
    let mut literals = 0;
    for typed in blocks.iter().filter(|b| b.values.is_some()) {
        literals += 1;
        let (values, decimals) = typed.values.as_ref().unwrap();
        let tolerance = 0.5 * 10f64.powi(-(*decimals as i32)) + 1e-12;
        for (other, theirs) in defined.iter().filter(|(o, _)| o.lesson != typed.lesson) {
            let same = values.len() == theirs.len()
                && values.iter().zip(theirs).all(|(a, b)| {
                    a.len() == b.len()
                        && a.iter()
                            .zip(b)
                            .all(|(x, y)| x == y || (x - y).abs() <= tolerance)
                });
            assert!(
                !same,
                "{} types {} with the values of {} defined in {}: import it",
                typed.page,
                typed.name.as_deref().unwrap(),
                other.name.as_deref().unwrap(),
                other.page
            );
        }
    }
    assert!(literals >= 10, "{literals} literal matrices");
}

/// Every step that shows a computed product `A @ B` shows A and B on the same page (a recall
/// block where they were defined elsewhere), so the highlight of a cell reaches both operands.
#[test]
fn every_step_showing_a_product_shows_its_operands() {
    let run = course();
    let mut products = 0;
    for b in blocks().iter().filter(|b| b.show) {
        let (Some(name), Some(expr)) = (&b.name, &b.compute) else {
            continue;
        };
        let operands = product_operands(expr);
        if operands.is_empty() {
            continue;
        }
        products += 1;
        let on_page = shown(&run, &b.page);
        assert!(on_page.contains(name), "{}: {name} is not shown", b.page);
        for operand in &operands {
            assert!(
                on_page.contains(operand),
                "{}: {name} = {expr} but {operand} is not on the page (shown: {on_page:?})",
                b.page
            );
        }
    }
    assert!(products >= 20, "{products} products");
}

/// The last step of each lesson links to the next lesson of the course (its pager, made from
/// the course's order), and each overview says where the lesson sits and lists the course.
#[test]
fn the_last_step_of_each_lesson_leads_to_the_next() {
    let run = course();
    let files = run.files();
    for (i, pair) in COURSE.windows(2).enumerate() {
        let last = files
            .keys()
            .filter(|p| {
                p.starts_with(&format!("{}/", pair[0]))
                    && p.ends_with(".html")
                    && !p.ends_with("index.html")
            })
            .max()
            .unwrap();
        let page = run.page(last);
        let target = format!("../{}/index.html", pair[1]);
        let link = page
            .select(&sel(".pager a[rel=next]"))
            .next()
            .unwrap_or_else(|| panic!("{last} has no next link"));
        assert_eq!(link.value().attr("href"), Some(target.as_str()), "{last}");
        let text: String = link.text().collect();
        assert!(text.starts_with("Next lesson"), "{last}: {text}");
        assert!(Path::new(&run.out.join(pair[1]).join("index.html")).is_file());
        let overview = run.page(&format!("{}/index.html", pair[0]));
        let count: String = overview
            .select(&sel("main .step-count"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert_eq!(count, format!("Lesson {} of {}", i + 1, COURSE.len()));
        let listed: Vec<&str> = overview
            .select(&sel("nav.course li a"))
            .map(|a| a.value().attr("href").unwrap())
            .collect();
        let expected: Vec<String> = COURSE
            .iter()
            .map(|l| format!("../{l}/index.html"))
            .collect();
        assert_eq!(listed, expected);
        let here: Vec<&str> = overview
            .select(&sel("nav.course a[aria-current=page]"))
            .map(|a| a.value().attr("href").unwrap())
            .collect();
        assert_eq!(here, [format!("../{}/index.html", pair[0])]);
    }
    // The course's last step leads back to its overview.
    let last = files
        .keys()
        .filter(|p| p.starts_with("transformer-block/0"))
        .max()
        .unwrap();
    let page = run.page(last);
    let next = page.select(&sel(".pager a[rel=next]")).next().unwrap();
    assert_eq!(next.value().attr("href"), Some("index.html"));
}

/// Every lesson has at least five quizzes, and the right answers of its multiple-choice quizzes
/// are not all in the same position.
#[test]
fn every_lesson_has_quizzes_with_spread_answers() {
    let run = course();
    let mut quizzes: BTreeMap<String, usize> = BTreeMap::new();
    let mut right: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, _) in run
        .files()
        .iter()
        .filter(|(p, _)| p.ends_with(".html") && p.contains('/') && !p.ends_with("index.html"))
    {
        let lesson = path.split('/').next().unwrap().to_string();
        let page = run.page(path);
        *quizzes.entry(lesson.clone()).or_default() += page.select(&sel("section.quiz")).count();
        for input in page.select(&sel("input[type=radio][data-correct]")) {
            let position = input.value().attr("value").unwrap().to_string();
            right.entry(lesson.clone()).or_default().push(position);
        }
    }
    for lesson in COURSE {
        assert!(
            quizzes[lesson] >= 5,
            "{lesson}: {} quizzes",
            quizzes[lesson]
        );
        let positions = &right[lesson];
        assert!(positions.len() >= 2, "{lesson}: {positions:?}");
        assert!(
            positions.iter().any(|p| p != &positions[0]),
            "{lesson}: every right answer is choice {}",
            positions[0]
        );
    }
}

/// The index lists the lessons as a course: numbered in site order, each with its steps and a
/// reading time from its prose (counted here independently: words outside fenced blocks, at 200
/// a minute), and a link to start; a prerequisite that names a lesson links to it.
#[test]
fn the_index_is_a_course_and_prerequisites_link_to_lessons() {
    let run = Project::at(&root()).build().ok();
    let index = run.page("index.html");
    let items: Vec<String> = index
        .select(&sel("ol.lessons > li"))
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(items.len(), 5);
    assert!(items[0].contains("Lesson 1."), "{}", items[0]);
    assert!(items[1].contains("Lesson 2."), "{}", items[1]);
    let words: usize = std::fs::read_dir(root().join("content/qkv-projections"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            // The body: after the front matter's closing line.
            let after = text.strip_prefix("---\n").unwrap_or(&text);
            let body = after
                .split_once("\n---\n")
                .map_or("", |(_, b)| b)
                .to_string();
            let mut fenced = false;
            body.lines()
                .filter(|l| {
                    let t = l.trim_start_matches(['>', ' ']);
                    if t.starts_with("```") {
                        fenced = !fenced;
                        return false;
                    }
                    !fenced
                })
                .map(|l| l.split_whitespace().count())
                .sum::<usize>()
        })
        .sum();
    let minutes = words.div_ceil(200).max(1);
    assert!(
        items[1].contains(&format!("about {minutes} min")),
        "{} ({words} words)",
        items[1]
    );
    assert!(index.select(&sel("a.button")).next().is_some());
    let overview = run.page("qkv-projections/index.html");
    let link = overview
        .select(&sel(".prerequisites a"))
        .next()
        .expect("a linked prerequisite");
    assert_eq!(
        link.value().attr("href"),
        Some("../embeddings-and-positions/index.html")
    );
}

/// A course of more than 30 lessons does not list every lesson on every overview (that would
/// grow the site with the square of its lessons): each overview links the lessons before and
/// after it and the index.
#[test]
fn a_long_course_links_neighbours_instead_of_listing_every_lesson() {
    let project = Project::empty();
    project.write("content/site.yaml", "title: T\n");
    for i in 1..=31 {
        project
            .write(
                &format!("content/l{i:02}/lesson.md"),
                &format!("---\ntitle: Lesson {i}\norder: {i}\n---\n"),
            )
            .write(
                &format!("content/l{i:02}/01-a.md"),
                "---\ntitle: A\n---\n\nText.\n",
            );
    }
    let run = project.build().ok();
    let overview = run.page("l02/index.html");
    assert!(overview.select(&sel("nav.course ol")).next().is_none());
    let links: Vec<&str> = overview
        .select(&sel("nav.course a"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(
        links,
        ["../l01/index.html", "../l03/index.html", "../index.html"]
    );
    let text: String = overview
        .select(&sel("nav.course"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(text.contains("All 31 lessons"), "{text}");
    let count: String = overview
        .select(&sel("main .step-count"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(count, "Lesson 2 of 31");
}
