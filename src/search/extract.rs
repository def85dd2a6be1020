//! The words of a rendered page: what a reader sees in its `<main>`, by section.
//!
//! Read from the page's HTML, so that it holds whatever the templates put there. Left out:
//! matrix tables (numbers), cell derivations (`details.derivations`), NumPy snippets
//! (`details.reproduce`), code blocks, formulas, scripts, navigation (table of contents,
//! pager), quiz forms and the step counter.
//!
//! One pass over the HTML: the text of each section goes to the term cutter as it is read, and
//! only its first [`SNIPPET_SOURCE`] characters are kept, for the result's snippet.

use memchr::memmem;

use super::terms::Cutter;

/// Most characters of a section's text kept for snippets.
pub(super) const SNIPPET_SOURCE: usize = 600;
/// Bytes of a section's text past which no more is kept: more than [`SNIPPET_SOURCE`]
/// characters.
const KEPT: usize = 4 * (SNIPPET_SOURCE + 1);

/// One searched page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// Relative to the site's root (`qkv-projections/03-query.html`).
    pub path: String,
    /// The text of its `<h1>`.
    pub title: String,
    /// The text before the first heading with an id (heading and anchor empty), then one per
    /// heading with an id; sections with neither heading nor text are left out.
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub anchor: String,
    /// The section's text, white space as single spaces; past [`SNIPPET_SOURCE`] characters,
    /// only a beginning of it.
    pub text: String,
}

/// Elements whose text is never searched, by tag name.
const SKIPPED_TAGS: &[&str] = &[
    "pre", "script", "style", "math", "nav", "form", "svg", "template", "button", "data",
];

/// The words of the page at `path`, or `None` when it has no `<main>`.
pub fn extract(path: &str, html: &str) -> Option<Page> {
    read(path, html, &mut |_, _| {})
}

/// Where text goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Text,
    Title,
    Heading,
}

/// [`extract`], calling `term(section, term)` with each term of each section's text, in order
/// (`section` is its index in [`Page::sections`]). The title and headings are whole in the page.
pub(super) fn read(path: &str, html: &str, term: &mut impl FnMut(u32, &str)) -> Option<Page> {
    let start = memmem::find(html.as_bytes(), b"<main")?;
    let end = memmem::rfind(html.as_bytes(), b"</main>").unwrap_or(html.len());
    let body = html.get(start..end.max(start))?;
    let mut page = Page {
        path: path.to_string(),
        title: String::new(),
        sections: vec![Section::default()],
    };
    let mut cutter = Cutter::default();
    let mut into = Field::Text;
    // The section's text still takes more for the snippet.
    let mut open = true;
    let mut skip: Option<(&str, usize)> = None;
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let lt = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |k| i + k);
        if skip.is_none() && lt > i {
            let raw = &body[i..lt];
            let decoded;
            let text = if raw.contains('&') {
                decoded = decode(raw);
                decoded.as_str()
            } else {
                raw
            };
            let section = page.sections.len() as u32 - 1;
            let last = page.sections.last_mut().expect("a section");
            match into {
                Field::Title => push_text(&mut page.title, text),
                Field::Heading => push_text(&mut last.heading, text),
                Field::Text => {
                    if open && snippet_open(&last.text) {
                        push_text(&mut last.text, text);
                    } else {
                        open = false;
                    }
                    cutter.feed(text, &mut |t| term(section, t));
                }
            }
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
        let is_inline = inline(name);
        if !is_inline {
            // Tags separate words.
            let section = page.sections.len() as u32 - 1;
            cutter.flush(&mut |t| term(section, t));
        }
        let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if closing {
            if heading {
                into = Field::Text;
            }
        } else if name == "h1" && page.title.is_empty() {
            into = Field::Title;
        } else if heading && let Some(id) = attr(attrs, "id") {
            // A section with neither heading nor text is left out: this one takes its place.
            if page.sections.last().is_some_and(Section::is_empty) {
                page.sections.pop();
            }
            page.sections.push(Section {
                heading: String::new(),
                anchor: decode(id),
                text: String::new(),
            });
            open = true;
            into = Field::Heading;
        }
        let last = page.sections.last_mut().expect("a section");
        let target = match into {
            Field::Title => &mut page.title,
            Field::Heading => &mut last.heading,
            Field::Text => &mut last.text,
        };
        if !is_inline && !target.is_empty() && !target.ends_with(' ') {
            target.push(' ');
        }
    }
    let section = page.sections.len() as u32 - 1;
    cutter.flush(&mut |t| term(section, t));
    for s in &mut page.sections {
        trim(&mut s.text);
        trim(&mut s.heading);
    }
    trim(&mut page.title);
    if page.sections.last().is_some_and(Section::is_empty) {
        page.sections.pop();
    }
    Some(page)
}

/// Whether a section's text so far is short enough to take more: the snippet needs no more
/// than its first [`SNIPPET_SOURCE`] characters, and one more tells that it goes on.
fn snippet_open(text: &str) -> bool {
    text.len() <= SNIPPET_SOURCE || (text.len() < KEPT && text.chars().count() <= SNIPPET_SOURCE)
}

impl Section {
    fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.heading.trim().is_empty()
    }
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
    let mut i = from;
    while let Some(k) = memchr::memchr3(b'>', b'"', b'\'', &bytes[i..]) {
        let at = i + k;
        if bytes[at] == b'>' {
            return at;
        }
        match memchr::memchr(bytes[at], &bytes[at + 1..]) {
            Some(q) => i = at + 1 + q + 1,
            None => return bytes.len(),
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

static DOUBLE_SPACE: std::sync::LazyLock<memmem::Finder> =
    std::sync::LazyLock::new(|| memmem::Finder::new(b"  "));

/// Appends text (entities decoded), with runs of white space as one space.
fn push_text(o: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // Most text is ASCII with single spaces between words: at once.
    let odd = bytes.iter().fold(0, |odd, &b| {
        odd | (b & 0x80) | u8::from(b.wrapping_sub(b'\t') < 5)
    });
    if odd == 0
        && DOUBLE_SPACE.find(bytes).is_none()
        && !(bytes.first() == Some(&b' ') && (o.is_empty() || o.ends_with(' ')))
    {
        o.push_str(text);
        return;
    }
    push_text_folding(o, text);
}

/// [`push_text`] without its shortcut: every run of white space looked at.
fn push_text_folding(o: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let space = if b.is_ascii() {
            usize::from(matches!(
                b,
                b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'
            ))
        } else {
            let c = text[i..].chars().next().expect("a character at a boundary");
            if !c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            c.len_utf8()
        };
        if space == 0 {
            i += 1;
            continue;
        }
        o.push_str(&text[run..i]);
        if !o.is_empty() && !o.ends_with(' ') {
            o.push(' ');
        }
        i += space;
        run = i;
    }
    o.push_str(&text[run..]);
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

#[cfg(test)]
mod tests {
    use proptest::strategy::{Strategy, ValueTree};

    use super::{push_text, push_text_folding};

    #[test]
    fn the_shortcut_of_push_text_appends_what_folding_would() {
        // Mostly plain words and single spaces (the shortcut), with what it must leave to the
        // folding loop: tabs, newlines, double and leading spaces, no-break and other spaces.
        let text = proptest::prop_oneof![
            4 => "[a-z.,]{1,6}( [a-z.,]{1,6}){0,5}",
            1 => "[ a-z\t\n\r\u{a0}\u{2003}é]{0,16}",
        ];
        let before = proptest::sample::select(vec!["", "word", "word ", " "]);
        let strategy = (before, text);
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut tried, mut short) = (0, 0);
        for _ in 0..4000 {
            let (before, text) = strategy.new_tree(&mut runner).expect("a case").current();
            let (mut fast, mut folded) = (before.to_string(), before.to_string());
            push_text(&mut fast, &text);
            push_text_folding(&mut folded, &text);
            assert_eq!(fast, folded, "{before:?} + {text:?}");
            tried += 1;
            let shortcut = text.is_ascii()
                && !text.contains(|c: char| c.is_ascii_whitespace() && c != ' ')
                && !text.contains("  ")
                && !(text.starts_with(' ') && (before.is_empty() || before.ends_with(' ')));
            short += usize::from(shortcut);
        }
        assert!(
            short * 2 > tried,
            "the shortcut took only {short} of {tried}"
        );
    }
}
