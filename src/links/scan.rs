//! The attribute scanner: the internal links and the ids of a page of HTML.

use super::href::is_external;

/// The internal links (`href`, `src`) and the `id`s of a page, in order. A large site holds one
/// of these per page until every page is made, so they share one string.
#[derive(Debug, Default)]
pub(super) struct Scanned {
    text: String,
    links: Vec<(u32, u32)>,
    ids: Vec<(u32, u32)>,
}

impl Scanned {
    fn push(&mut self, link: bool, raw: &str) {
        let start = self.text.len();
        if raw.contains('&') {
            self.text.push_str(&unescape(raw));
        } else {
            self.text.push_str(raw);
        }
        let range = (start as u32, self.text.len() as u32);
        if !link {
            self.ids.push(range);
        } else if is_external(&self.text[start..]) {
            // External links are not checked: forget them.
            self.text.truncate(start);
        } else {
            self.links.push(range);
        }
    }

    pub(super) fn links(&self) -> impl Iterator<Item = &str> {
        self.links
            .iter()
            .map(|&(a, b)| &self.text[a as usize..b as usize])
    }

    pub(super) fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids
            .iter()
            .map(|&(a, b)| &self.text[a as usize..b as usize])
    }

    fn shrink(mut self) -> Self {
        self.text.shrink_to_fit();
        self.links.shrink_to_fit();
        self.ids.shrink_to_fit();
        self
    }
}

/// A small tokenizer: it walks tags (`<x ...>`), skipping comments and text, and reads
/// `a="v"`, `a='v'` and `a=v` attributes.
pub(super) fn scan(html: &str) -> Scanned {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    // Built once: a finder takes longer to make than to run over a short stretch.
    static COMMENT_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("-->"));
    let b = html.as_bytes();
    let mut out = Scanned::default();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|p| i + p) {
        if b[lt..].starts_with(b"<!--") {
            i = COMMENT_END
                .find(&b[lt..])
                .map_or(html.len(), |e| lt + e + 3);
            continue;
        }
        i = lt + 1;
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
            i += 1;
        }
        while i < b.len() && b[i] != b'>' {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let attr = &html[start..i];
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if b.get(i) != Some(&b'=') {
                if i == start && i < b.len() && b[i] != b'>' {
                    i += 1; // a stray character: move on
                }
                continue;
            }
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = memchr::memchr(q, &b[i + 1..]).map_or(html.len(), |e| i + 1 + e);
                    let v = &html[i + 1..end];
                    i = (end + 1).min(html.len());
                    v
                }
                _ => {
                    let s = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    &html[s..i]
                }
            };
            if attr.eq_ignore_ascii_case("href") || attr.eq_ignore_ascii_case("src") {
                out.push(true, value);
            } else if attr.eq_ignore_ascii_case("id") {
                out.push(false, value);
            }
        }
    }
    out.shrink()
}

/// An attribute value as the browser reads it: every character reference decoded, named
/// (`&ouml;`, all of HTML's table) or numeric (`&#246;`, `&#xF6;`).
fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    html_escape::decode_html_entities(s)
}

#[cfg(test)]
mod tests {
    use super::super::href::percent_decode;
    use super::*;

    #[test]
    fn finds_attributes_in_tags_only() {
        let html = r##"<a href="a.html">href="no"</a><img src='b.png' alt=x><p id=top class=c><!-- <a href="c"> --><meta content="see href=x.html"><figure class="matrix-block" id="matrix-Q"><td data-value="1" aria-describedby="why-Q-0-0"><a href="in-a-table.html">1</a></td><li id="why-Q-0-0">…</li></figure><a href="#why-Q-0-0">"##;
        let s = scan(html);
        assert_eq!(
            s.links().collect::<Vec<_>>(),
            ["a.html", "b.png", "in-a-table.html", "#why-Q-0-0"]
        );
        assert_eq!(
            s.ids().collect::<Vec<_>>(),
            ["top", "matrix-Q", "why-Q-0-0"]
        );
        assert!(is_external("https://example.com/x"));
        assert!(is_external("mailto:a@b.c"));
        assert!(!is_external("02-b.html#top"));
        assert!(is_external("//cdn.example.com/x.js"));
        assert!(!is_external("notes/a:b.html"));
        assert!(!is_external("?q=a:b"));
        assert!(!is_external(":nothing"));
        assert_eq!(percent_decode("x%aé%41"), "x%aéA");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("a%FFb"), "a\u{FFFD}b");
        let s = scan(r#"<a href="&ouml;&ouml;.html"><a href='a&amp;b&#x2F;&#39;.html'>"#);
        assert_eq!(s.links().collect::<Vec<_>>(), ["öö.html", "a&b/'.html"]);
    }
}
