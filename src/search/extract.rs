//! The words of a rendered page: what a reader sees in its `<main>`, by section.
//!
//! Read from the page's HTML, so that it holds whatever the templates put there. Left out:
//! matrix tables (numbers), cell derivations (`details.derivations`), NumPy snippets
//! (`details.reproduce`), code blocks, formulas, scripts, navigation (table of contents,
//! pager), quiz forms and the step counter.

use memchr::memmem;

/// One searched page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// Relative to the site's root (`qkv-projections/03-query.html`).
    pub path: String,
    /// The text of its `<h1>`.
    pub title: String,
    /// The text before the first heading with an id (heading and anchor empty), then one per
    /// heading with an id.
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub anchor: String,
    pub text: String,
}

/// Elements whose text is never searched, by tag name.
const SKIPPED_TAGS: &[&str] = &[
    "pre", "script", "style", "math", "nav", "form", "svg", "template", "button", "data",
];

/// The words of the page at `path`, or `None` when it has no `<main>`.
pub fn extract(path: &str, html: &str) -> Option<Page> {
    let start = memmem::find(html.as_bytes(), b"<main")?;
    let end = memmem::rfind(html.as_bytes(), b"</main>").unwrap_or(html.len());
    let body = html.get(start..end.max(start))?;
    let mut page = Page {
        path: path.to_string(),
        title: String::new(),
        sections: vec![Section::default()],
    };
    // Where text goes: 0 the section's text, 1 the title, 2 the section's heading.
    let mut into = 0u8;
    let mut skip: Option<(&str, usize)> = None;
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let lt = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |k| i + k);
        if skip.is_none() && lt > i {
            let target = match into {
                1 => &mut page.title,
                2 => &mut page.sections.last_mut().expect("a section").heading,
                _ => &mut page.sections.last_mut().expect("a section").text,
            };
            push_text(target, &body[i..lt]);
        }
        if lt >= bytes.len() {
            break;
        }
        if body[lt..].starts_with("<!--") {
            i = memmem::find(&bytes[lt..], b"-->").map_or(bytes.len(), |k| lt + k + 3);
            continue;
        }
        let gt = tag_end(bytes, lt + 1);
        let tag = &body[lt + 1..gt.min(bytes.len())];
        i = (gt + 1).min(bytes.len());
        let closing = tag.starts_with('/');
        let name_src = tag.trim_start_matches('/');
        let name_len = name_src
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(name_src.len());
        let name = &name_src[..name_len];
        if let Some((skipped, depth)) = skip.as_mut() {
            if name.eq_ignore_ascii_case(skipped) {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else if !tag.ends_with('/') {
                    *depth += 1;
                }
            }
            continue;
        }
        let attrs = &name_src[name_len..];
        if !closing && skipped(name, attrs) {
            if name == "details" || tag.ends_with('/') {
                // May hold its like: count opening and closing tags.
                skip = Some((name, 1));
            } else {
                // Never nested (a table, a formula, code): straight to its end.
                let close = format!("</{name}");
                i = memmem::find(&bytes[i..], close.as_bytes())
                    .map_or(bytes.len(), |k| tag_end(bytes, i + k) + 1)
                    .min(bytes.len());
            }
            continue;
        }
        let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if closing {
            if heading && into != 0 {
                into = 0;
            }
        } else if name == "h1" && page.title.is_empty() {
            into = 1;
        } else if heading && let Some(id) = attr(attrs, "id") {
            page.sections.push(Section {
                heading: String::new(),
                anchor: decode(id),
                text: String::new(),
            });
            into = 2;
        }
        // Tags separate words.
        let target = match into {
            1 => &mut page.title,
            2 => &mut page.sections.last_mut().expect("a section").heading,
            _ => &mut page.sections.last_mut().expect("a section").text,
        };
        if !target.is_empty() && !target.ends_with(' ') && !inline(name) {
            target.push(' ');
        }
    }
    for s in &mut page.sections {
        trim(&mut s.text);
        trim(&mut s.heading);
    }
    trim(&mut page.title);
    page.sections
        .retain(|s| !s.text.is_empty() || !s.heading.is_empty());
    Some(page)
}

/// Whether the element opened by `<name attrs>` is left out with everything in it.
fn skipped(name: &str, attrs: &str) -> bool {
    let has = |c: &str| {
        attr(attrs, "class")
            .unwrap_or("")
            .split_ascii_whitespace()
            .any(|k| k == c)
    };
    match name {
        "table" => has("matrix"),
        "details" => has("derivations") || has("reproduce"),
        "p" => !attrs.is_empty() && has("step-count"),
        _ => SKIPPED_TAGS.iter().any(|t| name.eq_ignore_ascii_case(t)),
    }
}

/// Tags inside a word's run of text (`<em>`, `<a>`…), which do not separate words.
fn inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "em"
            | "strong"
            | "b"
            | "i"
            | "code"
            | "span"
            | "mark"
            | "sub"
            | "sup"
            | "abbr"
            | "kbd"
            | "s"
            | "del"
            | "ins"
            | "small"
            | "u"
    )
}

/// The index of the `>` that ends a tag starting at `from`, past quoted attribute values.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = 0u8;
    for (k, &b) in bytes[from..].iter().enumerate() {
        match b {
            b'"' | b'\'' if quote == 0 => quote = b,
            q if q == quote && quote != 0 => quote = 0,
            b'>' if quote == 0 => return from + k,
            _ => {}
        }
    }
    bytes.len()
}

/// The (raw) value of attribute `name` in `attrs`.
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    loop {
        let at = rest.find(name)?;
        let before_ok = at == 0 || rest.as_bytes()[at - 1].is_ascii_whitespace();
        let after = &rest[at + name.len()..];
        if before_ok && let Some(value) = after.strip_prefix('=') {
            return Some(match value.as_bytes().first() {
                Some(&q @ (b'"' | b'\'')) => {
                    let v = &value[1..];
                    &v[..v.find(q as char).unwrap_or(v.len())]
                }
                _ => {
                    let end = value
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(value.len());
                    &value[..end]
                }
            });
        }
        rest = &rest[at + name.len()..];
    }
}

/// Appends text, entities decoded, with runs of white space as one space.
fn push_text(o: &mut String, text: &str) {
    let decoded;
    let text = if text.contains('&') {
        decoded = decode(text);
        decoded.as_str()
    } else {
        text
    };
    for (k, part) in text.split(|c: char| c.is_whitespace()).enumerate() {
        if k > 0 && !o.is_empty() && !o.ends_with(' ') {
            o.push(' ');
        }
        o.push_str(part);
    }
}

fn trim(s: &mut String) {
    let t = s.trim();
    if t.len() != s.len() {
        *s = t.to_string();
    }
}

/// HTML character references: the five that lectern writes, `&nbsp;` and numeric ones.
fn decode(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        o.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let named = end.and_then(|e| {
            let name = &tail[1..e];
            Some(match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            })
        });
        match (named, end) {
            (Some(c), Some(e)) => {
                o.push(c);
                rest = &tail[e + 1..];
            }
            _ => {
                o.push('&');
                rest = &tail[1..];
            }
        }
    }
    o.push_str(rest);
    o
}
