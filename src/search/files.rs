//! The index files: one per page (by path), the terms sharded by key with their best postings,
//! and `engine.js` with the list of keys.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;

use super::gather::{Head, Part};
use super::json::json_string;
use super::terms::is_cjk;

/// Where the index goes in the site.
pub const DIR: &str = "assets/search";
/// Most pages kept per term (the best by score): a word on every page costs no more than this.
pub const MAX_POSTINGS: usize = 160;

const ENGINE: &str = include_str!("engine.js");

/// A term of a part: (term, part, its number there).
type Entry<'a> = (&'a str, usize, u32);

/// The index files of the pages filed in `parts`, as (path relative to the site's root,
/// contents).
pub(super) fn files(parts: Vec<Part>) -> Vec<(String, String)> {
    // Pages by path (the first of two with one path); `number[p][i]`: page i of part p's number
    // in the index.
    let mut order: Vec<(usize, usize)> = parts
        .iter()
        .enumerate()
        .flat_map(|(p, part)| (0..part.pages.len()).map(move |i| (p, i)))
        .collect();
    let head = |&(p, i): &(usize, usize)| &parts[p].pages[i];
    order.par_sort_unstable_by(|a, b| head(a).path.cmp(&head(b).path).then(a.cmp(b)));
    order.dedup_by(|a, b| head(a).path == head(b).path);
    let mut number: Vec<Vec<Option<u32>>> = parts
        .iter()
        .map(|part| vec![None; part.pages.len()])
        .collect();
    for (n, &(p, i)) in order.iter().enumerate() {
        number[p][i] = Some(n as u32);
    }
    // A step's lesson is the title of its folder's index.html.
    let lesson_titles: BTreeMap<&str, &str> = order
        .iter()
        .map(head)
        .filter_map(|h| {
            h.path
                .strip_suffix("/index.html")
                .map(|dir| (dir, h.title.as_str()))
        })
        .collect();
    let mut files: Vec<(String, String)> = order
        .par_iter()
        .enumerate()
        .map(|(id, at)| page_file(id, head(at), &lesson_titles))
        .collect();
    // Every part's terms, by text, a term's parts in order.
    let mut terms: Vec<Entry> = parts
        .iter()
        .enumerate()
        .flat_map(|(p, part)| part.terms.iter().map(move |(t, &n)| (&**t, p, n)))
        .collect();
    terms.par_sort_unstable();
    // Shards: runs of terms with one key.
    let mut shards: Vec<(&str, &[Entry])> = Vec::new();
    let mut rest = &terms[..];
    while let Some(&(first, _, _)) = rest.first() {
        let key = shard_key(first);
        let len = rest
            .iter()
            .position(|(t, _, _)| shard_key(t) != key)
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(len);
        shards.push((key, run));
        rest = tail;
    }
    let shard_files: Vec<(String, String)> = shards
        .par_iter()
        .map(|(key, run)| shard_file(key, run, &parts, &number))
        .collect();
    let keys: Vec<&str> = shards.iter().map(|(key, _)| *key).collect();
    files.extend(shard_files);
    let mut engine = String::with_capacity(ENGINE.len() + 4 * keys.len() + 64);
    engine.push_str(ENGINE);
    engine.push_str("if (lectern.search) lectern.search.keys(");
    json_string(&mut engine, &keys.join(" "));
    engine.push_str(");\n");
    files.push((format!("{DIR}/engine.js"), engine));
    files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The file of page `id`.
fn page_file(id: usize, page: &Head, lesson_titles: &BTreeMap<&str, &str>) -> (String, String) {
    let dir = page.path.rsplit_once('/').map_or("", |(d, _)| d);
    let lesson = if page.path.ends_with("/index.html") {
        page.title.as_str()
    } else {
        lesson_titles.get(dir).copied().unwrap_or("")
    };
    let mut text = String::with_capacity(page.rest.len() + page.path.len() + 64);
    let _ = write!(text, "lectern.search.page({id},{{\"u\":");
    json_string(&mut text, &page.path);
    text.push_str(",\"l\":");
    json_string(&mut text, lesson);
    text.push(',');
    text.push_str(&page.rest);
    (format!("{DIR}/p/{id}.js"), text)
}

/// The file of the shard `key`, which holds the terms of `run` (sorted, a term's parts in
/// order): each with the best of its postings, pages by their numbers in the index.
fn shard_file(
    key: &str,
    run: &[Entry],
    parts: &[Part],
    number: &[Vec<Option<u32>>],
) -> (String, String) {
    let mut text = String::from("lectern.search.add(");
    json_string(&mut text, key);
    text.push(',');
    let mut list: Vec<[u32; 3]> = Vec::new();
    let mut rest = run;
    let mut first = true;
    while let Some(&(term, _, _)) = rest.first() {
        let len = rest.iter().position(|e| e.0 != term).unwrap_or(rest.len());
        let (same, tail) = rest.split_at(len);
        rest = tail;
        list.clear();
        for &(_, p, n) in same {
            list.extend(
                parts[p].postings[n as usize]
                    .iter()
                    .filter_map(|q| number[p][q[0] as usize].map(|m| [m, q[1], q[2]])),
            );
        }
        // The best pages first; among equals, the first by path.
        list.sort_unstable_by(|a, b| b[1].cmp(&a[1]).then(a[0].cmp(&b[0])));
        list.truncate(MAX_POSTINGS);
        text.push(if first { '{' } else { ',' });
        first = false;
        json_string(&mut text, term);
        text.push_str(":[");
        for (i, q) in list.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            let _ = write!(text, "{},{},{}", q[0], q[1], q[2]);
        }
        text.push(']');
    }
    text.push_str("});\n");
    (format!("{DIR}/t/{}.js", file_name(key)), text)
}

/// The shard a term belongs to: its first two characters, or the first of a CJK term (so that
/// a one-character CJK query reads one shard).
pub fn shard_key(term: &str) -> &str {
    let mut chars = term.char_indices();
    let Some((_, first)) = chars.next() else {
        return term;
    };
    if is_cjk(first) {
        return &term[..first.len_utf8()];
    }
    match chars.nth(1) {
        Some((end, _)) => &term[..end],
        None => term,
    }
}

/// A key as a file name: ASCII letters and digits as they are, anything else as `_` and its
/// code point in hex (the script does the same).
pub(super) fn file_name(key: &str) -> String {
    let mut name = String::new();
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            name.push(c);
        } else {
            let _ = write!(name, "_{:x}", c as u32);
        }
    }
    name
}
