use std::collections::BTreeMap;

use super::files::file_name;
use super::*;

fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |t| out.push(t.to_string()));
    out
}

fn page(path: &str, html: &str) -> Page {
    extract(path, html).expect("a page with <main>")
}

/// The postings of `term` in the built index: (page path, score, section anchor).
fn lookup(files: &[(String, String)], query: &str) -> Vec<(String, u32)> {
    let key = shard_key(query);
    let shard = files
        .iter()
        .find(|(p, _)| *p == format!("{DIR}/t/{}.js", file_name(key)));
    let Some((_, text)) = shard else {
        return Vec::new();
    };
    let json = text
        .strip_prefix("lectern.search.add(")
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap();
    let body = &json[json.find(',').unwrap() + 1..];
    let map: BTreeMap<String, Vec<u32>> = serde_json::from_str(body).unwrap();
    let paths: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.starts_with(&format!("{DIR}/p/")))
        .map(|(p, t)| {
            let id: usize = p[DIR.len() + 3..p.len() - 3].parse().unwrap();
            let u = t.split("\"u\":\"").nth(1).unwrap();
            (id, u[..u.find('"').unwrap()].to_string())
        })
        .collect::<BTreeMap<_, _>>()
        .into_values()
        .collect();
    // Like the script: every term the query is a prefix of; per page the best score.
    let mut best: BTreeMap<usize, u32> = BTreeMap::new();
    for (term, list) in &map {
        if term.starts_with(query) {
            for p in list.chunks(3) {
                let s = best.entry(p[0] as usize).or_default();
                *s = (*s).max(p[1]);
            }
        }
    }
    let mut out: Vec<(String, u32)> = best
        .into_iter()
        .map(|(id, s)| (paths[id].clone(), s))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

#[test]
fn terms_are_folded_words_and_cjk_bigrams() {
    assert_eq!(terms("Query, Key & Value"), ["query", "key", "value"]);
    assert_eq!(terms("Ÿ Élan café naïve"), ["elan", "cafe", "naive"]);
    assert_eq!(terms("0.958 and 3 d_k x2"), ["and", "x2"]);
    assert_eq!(terms("注意力机制"), ["注意", "意力", "力机", "机制"]);
    assert_eq!(terms("the 行列 matrix"), ["the", "行列", "matrix"]);
    assert_eq!(terms("字"), ["字"]);
    assert_eq!(terms("한국어 텍스트"), ["한국어", "텍스트"]);
    assert_eq!(
        terms("ひらがなカタカナ"),
        ["ひら", "らが", "がな", "なカ", "カタ", "タカ", "カナ"]
    );
}

#[test]
fn extraction_keeps_prose_and_leaves_numbers_and_code_out() {
    let html = r##"<html><body><nav>Outside</nav><main id="main"><p class="step-count">Step 1 of 3</p><h1>The &amp; query</h1>
<nav class="toc"><a href="#a">Table of contents</a></nav>
<p>Intro <em>text</em> here.</p>
<h2 id="first-part">First <code>part</code></h2>
<figure><figcaption>Caption words</figcaption><table class="matrix" data-matrix="Q"><tr><td>tablecell</td></tr></table>
<details class="derivations"><summary>How</summary><p>derivation</p></details></figure>
<p>Body of the <data class="value" value="1">1.000</data> section.</p><pre><code>code_here</code></pre>
<details class="reproduce"><summary>NumPy</summary>numpy</details>
<div class="quiz-question">Which projection?</div><form><label>Your answer</label></form>
<h3>No id</h3><p>still first</p>
<h2 id="second">Second</h2><p>End&nbsp;text</p></main><footer>Footer</footer></body></html>"##;
    let p = page("l/01-a.html", html);
    assert_eq!(p.title, "The & query");
    assert_eq!(
        p.sections,
        [
            Section {
                heading: "".into(),
                anchor: "".into(),
                text: "Intro text here.".into()
            },
            Section {
                heading: "First part".into(),
                anchor: "first-part".into(),
                text: "Caption words Body of the section. Which projection? No id still first"
                    .into()
            },
            Section {
                heading: "Second".into(),
                anchor: "second".into(),
                text: "End text".into()
            },
        ]
    );
}

fn site() -> Vec<(String, String)> {
    build([
        (
            "attn/index.html",
            "<main><h1>Attention basics</h1><p>Why we project tokens.</p></main>",
        ),
        (
            "attn/01-proj.html",
            "<main><h1>Projections</h1><p>Every token is multiplied.</p></main>",
        ),
        (
            "attn/02-body.html",
            "<main><h1>Scores</h1><h2 id=\"dot\">Dot products</h2><p>A projection, then a dot product. The café résumé.</p></main>",
        ),
        (
            "attn/03-zh.html",
            "<main><h1>中文</h1><p>注意力机制是变换器的核心。</p></main>",
        ),
    ])
}

#[test]
fn prefix_matches_rank_title_before_body() {
    let files = site();
    let found = lookup(&files, "proj");
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    // "Projections" is a title; "projection" in the text of 02, "project" in the index page.
    assert_eq!(paths[0], "attn/01-proj.html");
    assert!(paths.contains(&"attn/02-body.html") && paths.contains(&"attn/index.html"));
    assert!(found[0].1 >= TITLE && found[1].1 < TITLE, "{found:?}");
}

#[test]
fn accents_and_case_fold_both_ways() {
    let files = site();
    let mut query = String::new();
    for_each_term("CAFÉ", |t| query = t.to_string());
    assert_eq!(query, "cafe");
    assert_eq!(lookup(&files, &query)[0].0, "attn/02-body.html");
    assert_eq!(lookup(&files, "resume")[0].0, "attn/02-body.html");
}

#[test]
fn cjk_text_is_found_by_bigrams_and_single_characters() {
    let files = site();
    assert_eq!(lookup(&files, "注意")[0].0, "attn/03-zh.html");
    assert_eq!(lookup(&files, "机制")[0].0, "attn/03-zh.html");
    assert_eq!(lookup(&files, "变")[0].0, "attn/03-zh.html");
    assert!(lookup(&files, "注机").is_empty());
}

#[test]
fn pages_carry_their_lesson_and_sections() {
    let files = site();
    let page = &files
        .iter()
        .find(|(p, _)| p.ends_with("/p/2.js"))
        .unwrap()
        .1;
    // Pages are numbered by path: 01-proj, 02-body, 03-zh, index.
    assert!(page.starts_with("lectern.search.page(2,{\"u\":\"attn/03-zh.html\",\"l\":\"Attention basics\",\"t\":\"中文\""), "{page}");
    let body = &files
        .iter()
        .find(|(p, _)| p.ends_with("/p/1.js"))
        .unwrap()
        .1;
    assert!(
        body.contains(
            "[\"Dot products\",\"dot\",\"A projection, then a dot product. The café résumé.\"]"
        ),
        "{body}"
    );
}

#[test]
fn the_index_is_the_same_bytes_whatever_the_order_of_pages() {
    let html = "<main><h1>Same words</h1><p>more words here</p></main>";
    let mut pages = vec![
        ("b/index.html", html),
        ("a/index.html", html),
        ("a/01-x.html", html),
    ];
    let one = build(pages.iter().copied());
    pages.reverse();
    assert_eq!(one, build(pages));
}

/// A build files pages into as many parts of the index as threads write at once: the parts
/// merged give the bytes of one part holding every page.
#[test]
fn pages_filed_from_several_threads_give_the_index_of_one() {
    let pages: Vec<(String, String)> = (0..40)
        .map(|i| {
            let words = ["query", "key", "value", "softmax", "token"];
            let html = format!(
                "<main><h1>Step {i} {}</h1><h2 id=\"s\">On {}</h2><p>{} and {} again {}</p></main>",
                words[i % 5],
                words[(i / 5) % 5],
                words[(i + 1) % 5],
                words[(i * 3) % 5],
                words[(i + 1) % 5],
            );
            (format!("l{}/{:02}.html", i % 4, i), html)
        })
        .collect();
    let one = build(pages.iter().map(|(p, h)| (p.as_str(), h.as_str())));
    let collector = Collector::default();
    let chunks: Vec<_> = pages.chunks(7).collect();
    // Each thread waits, holding its part, until every thread has one: one part per thread.
    let all_in = std::sync::Barrier::new(chunks.len());
    std::thread::scope(|s| {
        for chunk in &chunks {
            let (collector, all_in) = (&collector, &all_in);
            s.spawn(move || {
                collector.add(chunk.iter().enumerate().map(|(i, (p, h))| {
                    // The second page: `add` looks at the first before it takes a part.
                    if i == 1 {
                        all_in.wait();
                    }
                    (p.as_str(), h.as_str())
                }))
            });
        }
    });
    let parts = collector.parts.lock().unwrap().len();
    let merged: Vec<(String, String)> = collector
        .finish()
        .into_iter()
        .map(|f| match f {
            crate::render::Output::Page { path, contents, .. } => (path, contents),
            crate::render::Output::Copy { .. } => unreachable!("the index is pages"),
        })
        .collect();
    assert_eq!(parts, chunks.len());
    assert_eq!(one, merged);
    let with = pages.iter().filter(|(_, h)| h.contains("softmax")).count();
    assert_eq!(lookup(&one, "softmax").len(), with);
}

#[test]
fn common_words_keep_only_the_best_pages() {
    let paths: Vec<String> = (0..MAX_POSTINGS + 10)
        .map(|i| format!("l/{i:03}.html"))
        .collect();
    let files = build(
        paths
            .iter()
            .map(|p| (p.as_str(), "<main><h1>T</h1><p>common</p></main>")),
    );
    assert_eq!(lookup(&files, "common").len(), MAX_POSTINGS);
}

/// Text is cut as it is read: a word split by inline tags is one word, block tags end words,
/// and a long section keeps only its snippet's characters while all of its words are indexed.
#[test]
fn words_run_across_inline_tags_and_long_sections_are_indexed_whole() {
    let filler = "<p>lorem ipsum</p>".repeat(100);
    let html = format!(
        "<main><h1>Long</h1><p>trans<em>form</em>er</p><p>end</p>{filler}<p>zebra</p></main>"
    );
    let p = page("l/01-long.html", &html);
    let text = &p.sections[0].text;
    assert!(
        text.starts_with("transformer end lorem ipsum lorem"),
        "{text}"
    );
    assert!(
        text.chars().count() > 600 && !text.contains("zebra"),
        "{text}"
    );
    let mut seen = Vec::new();
    super::extract::read("l/01-long.html", &html, &mut |s, t| {
        seen.push((s, t.to_string()))
    });
    assert_eq!(
        seen[..3],
        [
            (0, "transformer".into()),
            (0, "end".into()),
            (0, "lorem".into())
        ]
    );
    assert_eq!(seen.last(), Some(&(0, "zebra".to_string())));
    assert_eq!(seen.len(), 2 + 200 + 1);
    let files = build([("l/01-long.html", html.as_str())]);
    assert_eq!(lookup(&files, "zebra").len(), 1);
    let file = &files
        .iter()
        .find(|(p, _)| p.ends_with("/p/0.js"))
        .unwrap()
        .1;
    let snippet = file.split("\"s\":[[\"\",\"\",\"").nth(1).unwrap();
    let snippet = &snippet[..snippet.find('"').unwrap()];
    assert_eq!(snippet.chars().count(), 600, "{snippet}");
    assert!(text.starts_with(snippet));
}
