//! The index files: one per page (by path), the terms sharded by key with their best postings,
//! and `engine.js` with the list of keys.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::gather::Gathered;
use super::json::json_string;
use super::terms::is_cjk;

/// Where the index goes in the site.
pub const DIR: &str = "assets/search";
/// Most pages kept per term (the best by score): a word on every page costs no more than this.
pub const MAX_POSTINGS: usize = 160;

const ENGINE: &str = include_str!("engine.js");

/// The index files of what was gathered, as (path relative to the site's root, contents).
pub(super) fn files(g: Gathered) -> Vec<(String, String)> {
    let Gathered {
        terms,
        mut postings,
        pages,
    } = g;
    // Pages by path (the first of two with one path); `number[i]`: page i's number in the index.
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by(|&a, &b| pages[a].path.cmp(&pages[b].path).then(a.cmp(&b)));
    order.dedup_by(|a, b| pages[*a].path == pages[*b].path);
    let mut number: Vec<Option<u32>> = vec![None; pages.len()];
    for (n, &i) in order.iter().enumerate() {
        number[i] = Some(n as u32);
    }
    // A step's lesson is the title of its folder's index.html.
    let lesson_titles: BTreeMap<&str, &str> = order
        .iter()
        .map(|&i| &pages[i])
        .filter_map(|p| {
            p.path
                .strip_suffix("/index.html")
                .map(|dir| (dir, p.title.as_str()))
        })
        .collect();
    let mut files = Vec::with_capacity(order.len() + 256);
    for (id, page) in order.iter().map(|&i| &pages[i]).enumerate() {
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
        files.push((format!("{DIR}/p/{id}.js"), text));
    }
    let mut terms: Vec<(Box<str>, u32)> = terms.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut shards: BTreeMap<String, String> = BTreeMap::new();
    for (term, id) in terms {
        let mut list = std::mem::take(&mut postings[id as usize]);
        list.retain_mut(|p| match number[p[0] as usize] {
            Some(n) => {
                p[0] = n;
                true
            }
            None => false,
        });
        // The best pages first; among equals, the first by path.
        list.sort_unstable_by(|a, b| b[1].cmp(&a[1]).then(a[0].cmp(&b[0])));
        list.truncate(MAX_POSTINGS);
        let key = shard_key(&term);
        let shard = shards.entry(key).or_default();
        shard.push(if shard.is_empty() { '{' } else { ',' });
        json_string(shard, &term);
        shard.push_str(":[");
        for (i, p) in list.iter().enumerate() {
            if i > 0 {
                shard.push(',');
            }
            let _ = write!(shard, "{},{},{}", p[0], p[1], p[2]);
        }
        shard.push(']');
    }
    let mut keys = String::new();
    for (key, body) in &shards {
        let name = file_name(key);
        let mut text = String::with_capacity(body.len() + 40);
        text.push_str("lectern.search.add(");
        json_string(&mut text, key);
        text.push(',');
        text.push_str(body);
        text.push_str("});\n");
        files.push((format!("{DIR}/t/{name}.js"), text));
        if !keys.is_empty() {
            keys.push(' ');
        }
        keys.push_str(key);
    }
    let mut engine = String::with_capacity(ENGINE.len() + keys.len() + 64);
    engine.push_str(ENGINE);
    engine.push_str("if (lectern.search) lectern.search.keys(");
    json_string(&mut engine, &keys);
    engine.push_str(");\n");
    files.push((format!("{DIR}/engine.js"), engine));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The shard a term belongs to: its first two characters, or the first of a CJK term (so that
/// a one-character CJK query reads one shard).
pub fn shard_key(term: &str) -> String {
    let mut chars = term.chars();
    let first = chars.next().unwrap_or(' ');
    if is_cjk(first) {
        return first.to_string();
    }
    term.chars().take(2).collect()
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
