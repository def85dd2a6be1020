//! Where things are in a YAML text: top-level and nested keys, values on a key's line, list
//! items, the key above an offset.

use std::ops::Range;

use crate::source::{Span, YamlText};

impl YamlText {
    /// Span of the top-level `key:` (the key itself), if present.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        let start = self.key_line(key)?;
        Some(self.span(start..start + key.len()))
    }

    /// Span of the value written after `key:` on the same line, with quotes removed.
    pub fn value_span(&self, key: &str) -> Option<Span> {
        let start = self.key_line(key)?;
        let line = &self.text[start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let after = &line[key.len() + 1..];
        let trimmed = after.trim_start();
        let from = start + key.len() + 1 + (after.len() - trimmed.len());
        let (from, len) = match trimmed.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let end = trimmed[1..].find(q).unwrap_or(trimmed.len() - 1);
                (from + 1, end)
            }
            // A plain value ends where a ` #` comment begins.
            _ => (
                from,
                trimmed
                    .find(" #")
                    .unwrap_or(trimmed.len())
                    .min(trimmed.trim_end().len()),
            ),
        };
        let len = self.text[from..from + len].trim_end().len();
        (len > 0).then(|| self.span(from..from + len))
    }

    /// Text offset where the value after `key:` begins, if it is written on the same line without
    /// quotes or escapes, so that offsets inside the value map one-to-one onto the file.
    pub fn plain_value_offset(&self, key: &str, value: &str) -> Option<usize> {
        let start = self.key_line(key)?;
        let rest = &self.text[start + key.len() + 1..];
        let lead = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let at = start + key.len() + 1 + lead;
        for skip in [0, 1] {
            if self.text.get(at + skip..at + skip + value.len()) == Some(value) {
                return Some(at + skip);
            }
        }
        None
    }

    /// Span of `item`, the text of an item of the list under a top-level key, written in flow
    /// style (`key: [a, b]`) or as a block list: the first place it appears after the key.
    pub fn item_text_span(&self, key: &str, item: &str) -> Option<Span> {
        let start = self.key_line(key)?;
        let at = start + self.text[start..].find(item)?;
        Some(self.span(at..at + item.len()))
    }

    /// Span of the `i`-th item (0-based) of the block list under a top-level key.
    pub fn item_span(&self, key: &str, i: usize) -> Option<Span> {
        self.item_range(key, i).map(|r| self.span(r))
    }

    /// Span of `text` written as it is within the `i`-th item of the block list under `key`
    /// (a scalar without quotes or escapes in between), if it is.
    pub fn text_in_item(&self, key: &str, i: usize, text: &str) -> Option<Span> {
        let item = self.item_range(key, i)?;
        // The item runs on over its indented lines (a map item's other keys).
        let end = self.key_region_text_end(item.start);
        let at = item.start + self.text[item.start..end].find(text)?;
        Some(self.span(at..at + text.len()))
    }

    /// Where the top-level entry holding text offset `from` ends.
    fn key_region_text_end(&self, from: usize) -> usize {
        let mut off = from
            + self.text[from..]
                .find('\n')
                .map_or(self.text.len() - from, |n| n + 1);
        while off < self.text.len() {
            let line = &self.text[off..];
            if !line.starts_with([' ', '\t', '-', '\n', '#']) {
                return off;
            }
            off += line.find('\n').map_or(line.len(), |n| n + 1);
        }
        self.text.len()
    }

    /// Text range of the `i`-th item (0-based) of the block list under a top-level key.
    fn item_range(&self, key: &str, i: usize) -> Option<Range<usize>> {
        let start = self.key_line(key)?;
        let mut off = start + self.text[start..].find('\n')? + 1;
        let mut seen = 0;
        // Items are the `-` lines at the indentation of the first one; deeper `-` lines belong
        // to a nested list (`- - 1` style rows).
        let mut indent = None;
        while off < self.text.len() {
            let line_end = self.text[off..]
                .find('\n')
                .map_or(self.text.len(), |e| off + e);
            let line = &self.text[off..line_end];
            let body = line.trim_start();
            if !line.is_empty() && !line.starts_with([' ', '\t', '-']) {
                break; // next top-level key
            }
            let depth = line.len() - body.len();
            if body.starts_with('-') && *indent.get_or_insert(depth) == depth {
                if seen == i {
                    let from = off + depth;
                    let item = body.split(" #").next().unwrap_or(body).trim_end();
                    return Some(from..from + item.len());
                }
                seen += 1;
            }
            off = line_end + 1;
        }
        None
    }

    /// File range of a top-level key and its value: from the key to the next top-level key.
    pub fn key_region(&self, key: &str) -> Option<std::ops::Range<usize>> {
        let start = self.key_line(key)?;
        let mut end = self.text.len();
        let mut off = start
            + self.text[start..]
                .find('\n')
                .map_or(self.text.len() - start, |n| n + 1);
        while off < self.text.len() {
            let line = &self.text[off..];
            if !line.starts_with([' ', '\t', '-', '\n', '#']) {
                end = off;
                break;
            }
            off += line.find('\n').map_or(line.len(), |n| n + 1);
        }
        Some(self.to_file(start)..self.to_file(end))
    }

    /// Every line offset where a top-level `key:` starts.
    pub(super) fn key_lines<'a>(&'a self, key: &'a str) -> impl Iterator<Item = usize> + 'a {
        let mut off = 0;
        self.text.split_inclusive('\n').filter_map(move |line| {
            let at = off;
            off += line.len();
            line.strip_prefix(key)
                .filter(|rest| rest.starts_with(':'))
                .map(|_| at)
        })
    }

    /// Span of an indented `key:` (inside a nested map), if present.
    pub(super) fn nested_key_span(&self, key: &str) -> Option<Span> {
        let mut off = 0;
        for line in self.text.split_inclusive('\n') {
            let body = line.trim_start();
            if body.strip_prefix(key).is_some_and(|r| r.starts_with(':')) {
                let at = off + line.len() - body.len();
                return Some(self.span(at..at + key.len()));
            }
            off += line.len();
        }
        None
    }

    fn key_line(&self, key: &str) -> Option<usize> {
        let mut off = 0;
        for line in self.text.split_inclusive('\n') {
            if let Some(rest) = line.strip_prefix(key)
                && rest.starts_with(':')
            {
                return Some(off);
            }
            off += line.len();
        }
        None
    }

    /// The value of a top-level `name:` written plainly on its line, if any.
    pub(super) fn plain_name(&self) -> Option<String> {
        let start = self.key_line("name")?;
        let line = self.text[start + 5..].lines().next()?;
        let name = line.split(" #").next()?.trim().trim_matches(['"', '\'']);
        (!name.is_empty()).then(|| name.to_string())
    }

    /// The top-level key whose value holds text offset `at` (the last `key:` line at or above
    /// it), if any.
    pub(super) fn key_above(&self, at: usize) -> Option<&str> {
        let mut off = 0;
        let mut key = None;
        for line in self.text.split_inclusive('\n') {
            if off > at {
                break;
            }
            if !line.starts_with([' ', '\t', '-', '#'])
                && let Some((k, _)) = line.split_once(':')
                && !k.is_empty()
                && !k.contains([' ', '"', '\'', '[', '{'])
            {
                key = Some(k);
            }
            off += line.len();
        }
        key
    }
}
