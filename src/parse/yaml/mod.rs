//! YAML inside Markdown: deserialise into typed structs and map every location back to the file.
//!
//! serde_yaml is the only YAML crate lectern uses, and only this module touches it, so swapping it
//! is a one-file change. A YAML snippet (front matter or a fenced block) is a [`YamlText`]: its
//! text plus, for each piece, where that piece starts in the Markdown file. Inside a list or a
//! block quote a fence body arrives line by line with the prefixes removed, so the mapping is
//! per piece, not a single offset.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, did_you_mean};
use crate::source::{FileId, Span};

pub mod block;
pub mod fast;

pub use crate::source::YamlText;

impl YamlText {
    pub fn new(file: FileId, whole: Range<usize>) -> Self {
        YamlText {
            file: Some(file),
            whole,
            ..Default::default()
        }
    }

    /// Appends a piece of text that starts at `file_offset` in the file.
    pub fn push(&mut self, piece: &str, file_offset: usize) {
        self.pieces.push((self.text.len(), file_offset));
        self.text.push_str(piece);
    }

    /// File offset of a text offset.
    pub fn to_file(&self, off: usize) -> usize {
        let i = self.pieces.partition_point(|&(t, _)| t <= off);
        match i.checked_sub(1) {
            Some(i) => self.pieces[i].1 + (off - self.pieces[i].0),
            None => self.whole.start,
        }
    }

    pub fn span(&self, range: Range<usize>) -> Span {
        let file = self.file.expect("YamlText without a file");
        Span::new(
            file,
            self.to_file(range.start)..self.to_file(range.end.max(range.start)),
        )
    }

    pub fn whole_span(&self) -> Span {
        Span::new(
            self.file.expect("YamlText without a file"),
            self.whole.clone(),
        )
    }

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
    fn key_lines<'a>(&'a self, key: &'a str) -> impl Iterator<Item = usize> + 'a {
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
    fn nested_key_span(&self, key: &str) -> Option<Span> {
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

    /// Deserialises the text; `what` names the thing for messages ("matrix block", "front matter")
    /// and `keys` lists the accepted keys, for suggestions.
    pub fn parse<T: DeserializeOwned>(&self, what: &str, keys: &[&str]) -> Result<T, Diagnostic> {
        serde_yaml::from_str(&self.text).map_err(|e| self.error(e, what, keys))
    }

    /// The YAML as `T` if it reads as one, problems left for a full read to report.
    pub fn peek<T: DeserializeOwned>(&self) -> Option<T> {
        serde_yaml::from_str(&self.text).ok()
    }

    fn error(&self, e: serde_yaml::Error, what: &str, keys: &[&str]) -> Diagnostic {
        let raw = e.to_string();
        // serde_yaml appends " at line L column C"; the location is shown by the snippet instead.
        let msg = raw.split(" at line ").next().unwrap_or(&raw).to_string();
        // "…, while parsing a flow sequence at line 2 column 9": point at where that began.
        let context = raw.split_once(", while parsing ").and_then(|(_, rest)| {
            let (what, at) = rest.split_once(" at line ")?;
            let (line, col) = at.split_once(" column ")?;
            let (line, col): (usize, usize) = (line.trim().parse().ok()?, col.trim().parse().ok()?);
            let start: usize = self
                .text
                .split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum();
            let at = (start + col.saturating_sub(1)).min(self.text.len());
            Some((
                self.span(at..(at + 1).min(self.text.len())),
                format!("{what} starts here"),
            ))
        });
        let span = match e.location() {
            Some(loc) => {
                let at = loc.index().min(self.text.len());
                let end = self.text[at..]
                    .find(['\n', ':', ','])
                    .map_or(self.text.len(), |n| at + n.max(1));
                self.span(at..end)
            }
            None => self.whole_span(),
        };
        if let Some(key) = between(&msg, "unknown field `", "`") {
            // serde lists the keys of the map the key is in (which may be a nested one).
            let listed: Vec<&str> = msg
                .split_once("expected ")
                .map(|(_, l)| l.split('`').skip(1).step_by(2).collect())
                .filter(|l: &Vec<&str>| !l.is_empty())
                .unwrap_or_else(|| keys.to_vec());
            let d = Diagnostic::error(format!("unknown key `{key}` in {what}"))
                .at(
                    self.key_span(key)
                        .or_else(|| self.nested_key_span(key))
                        .unwrap_or(span),
                    "not a key lectern knows",
                )
                .note(format!("the keys here are: {}", listed.join(", ")));
            return match did_you_mean(key, listed.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d,
            };
        }
        if let Some(key) = between(&msg, "missing field `", "`") {
            return Diagnostic::error(format!("missing key `{key}` in {what}"))
                .at(self.whole_span(), format!("this {what} needs `{key}:`"))
                .note(format!("the keys are: {}", keys.join(", ")));
        }
        if let Some(text) = between(&msg, "invalid type: string \"", "\", expected f64")
            && text.parse::<f64>().is_ok_and(f64::is_infinite)
        {
            return Diagnostic::error(format!(
                "the number `{text}` is too large for a 64-bit float"
            ))
            .at(span, "out of range")
            .help("matrix entries must lie within ±1.8e308");
        }
        if let Some(key) = between(&msg, "duplicate entry with key \"", "\"") {
            let second = self.key_lines(key).nth(1);
            let mut d = Diagnostic::error(format!("the key `{key}` appears twice in {what}"));
            if let Some(at) = second {
                d = d.at(self.span(at..at + key.len()), "again here");
            }
            if let Some(first) = self.key_span(key) {
                d = d.also(first, "first here");
            }
            return d.help("keep one of them");
        }
        let quote = "put the value in quotes, e.g. `title: \"Q: what is attention?\"`";
        let at = e.location().map(|l| l.index().min(self.text.len()));
        let trap = at.and_then(|at| self.trap_help(&raw, at));
        let help = if trap.is_some() {
            trap
        } else if msg.contains("invalid type") && msg.contains("expected f64") {
            Some("matrix entries must be numbers, e.g. `- [0.5, -1, 2e-3]`".to_string())
        } else if msg.contains("invalid type") && msg.contains("expected a sequence") {
            Some("write a list, e.g. `[a, b, c]` or one `- item` per line".to_string())
        } else if msg.contains("mapping values are not allowed") {
            Some(format!("a `: ` inside a value starts a new key; {quote}"))
        } else if msg.contains("invalid type") && msg.contains("expected a string") {
            Some(format!("YAML read this as a list or map; {quote}"))
        } else {
            None
        };
        let msg = if msg.contains("did not match any variant of untagged enum Label") {
            "row and column labels must be text or numbers".to_string()
        } else if msg.contains("did not match any variant of untagged enum ConceptYaml") {
            "each key concept is a term, or a map with `term:` and an optional `definition:`"
                .to_string()
        } else {
            msg
        };
        // Say which block (a matrix block's `name`) and which top-level key the error is under.
        let mut whose = what.to_string();
        if let Some(name) = self.value_span("name").and_then(|_| self.plain_name()) {
            whose = format!("{what} `{name}`");
        }
        let label = match at.and_then(|at| self.key_above(at)) {
            Some(key) => format!("here, in `{key}:`"),
            None => "here".to_string(),
        };
        let indentation = [
            "did not find expected key",
            "did not find expected '-' indicator",
            "mapping values are not allowed",
            "block mapping",
        ]
        .iter()
        .any(|m| raw.contains(m));
        let help = match (help, at.and_then(|at| self.key_above(at))) {
            (None, Some(key)) if indentation => Some(format!(
                "check the indentation under `{key}:`: top-level keys start at the line's start, and the items of one list all start at the same column"
            )),
            (help, _) => help,
        };
        let d = Diagnostic::error(format!("invalid YAML in {whose}: {msg}"))
            .at(span, label)
            .maybe_help(help);
        match context {
            Some((span, label)) => d.also(span, label),
            None => d,
        }
    }
}

impl YamlText {
    /// The value of a top-level `name:` written plainly on its line, if any.
    fn plain_name(&self) -> Option<String> {
        let start = self.key_line("name")?;
        let line = self.text[start + 5..].lines().next()?;
        let name = line.split(" #").next()?.trim().trim_matches(['"', '\'']);
        (!name.is_empty()).then(|| name.to_string())
    }

    /// The top-level key whose value holds text offset `at` (the last `key:` line at or above
    /// it), if any.
    fn key_above(&self, at: usize) -> Option<&str> {
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

    /// A help line that shows the fix for two traps of YAML: a backslash inside double quotes
    /// (`"Why $\sqrt{d_k}$?"`: an unknown escape) and a plain value starting with `*` or `&`
    /// (read as an alias or an anchor). `raw` is serde_yaml's message, `at` the text offset.
    fn trap_help(&self, raw: &str, at: usize) -> Option<String> {
        let line_start = self.text[..at].rfind('\n').map_or(0, |n| n + 1);
        let line_end = self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |n| at + n);
        let line = &self.text[line_start..line_end];
        if raw.contains("unknown escape character") {
            // The double-quoted value around `at`: from the last `"` before it that opens one.
            let open = self.text[line_start..at].find('"')? + line_start;
            let bytes = self.text.as_bytes();
            let mut close = open + 1;
            while close < line_end && bytes[close] != b'"' {
                close += if bytes[close] == b'\\' { 2 } else { 1 };
            }
            let inside = &self.text[open + 1..close.min(line_end)];
            let fixed = format!(
                "{}'{}'{}",
                &self.text[line_start..open],
                inside.replace('\'', "''"),
                self.text.get(close + 1..line_end).unwrap_or("")
            );
            return Some(format!(
                "inside double quotes a backslash starts an escape (`\\n`, `\\\"`); in single quotes it is an ordinary character: `{}` (a `'` inside single quotes is written `''`)",
                fixed.trim()
            ));
        }
        let alias = raw.contains("while scanning an alias") || raw.contains("unknown anchor");
        let anchor = raw.contains("while scanning an anchor");
        if alias || anchor {
            let mark = if alias { '*' } else { '&' };
            // The value starts after the line's `key: ` or `- `.
            let head = line
                .find(": ")
                .map(|i| i + 2)
                .or_else(|| {
                    line.trim_start()
                        .starts_with("- ")
                        .then(|| line.find("- ").map(|i| i + 2))
                        .flatten()
                })
                .unwrap_or(0);
            let from = line_start + head + line[head..].find(mark)?;
            let value = self.text[from..line_end].trim_end();
            let fixed = format!(
                "{}'{}'",
                &self.text[line_start..from],
                value.replace('\'', "''")
            );
            let what = if alias { "an alias" } else { "an anchor" };
            return Some(format!(
                "YAML reads a value that starts with `{mark}` as {what}; put the value in quotes: `{}`",
                fixed.trim()
            ));
        }
        None
    }
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let len = s[from..].find(end)?;
    Some(&s[from..from + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(pieces: &[(&str, usize)]) -> YamlText {
        let mut y = YamlText::new(FileId(0), 0..100);
        for (p, o) in pieces {
            y.push(p, *o);
        }
        y
    }

    #[test]
    fn maps_offsets_piece_by_piece() {
        // Two lines of a fence inside a block quote: each line's text starts 2 bytes later.
        let y = yaml(&[("name: A\n", 12), ("values: [[1]]\n", 22)]);
        assert_eq!(y.to_file(0), 12);
        assert_eq!(y.to_file(6), 18);
        assert_eq!(y.to_file(8), 22);
        assert_eq!(y.key_span("values").unwrap().range, 22..28);
        assert_eq!(y.value_span("name").unwrap().range, 18..19);
    }

    #[test]
    fn finds_list_items_under_a_key() {
        let y = yaml(&[("name: A\nvalues:\n  - [1, 2]\n  - [3, 4]\nrows: [a]\n", 0)]);
        let s = y.item_span("values", 1).unwrap().range;
        assert_eq!(&y.text[s], "- [3, 4]");
        assert!(y.item_span("values", 2).is_none());
    }

    #[test]
    fn plain_value_offset_skips_quotes() {
        let y = yaml(&[("compute: \"X @ W\"\n", 0)]);
        assert_eq!(y.plain_value_offset("compute", "X @ W"), Some(10));
    }
}
