//! Deserialising a YAML text with serde_yaml, and its errors turned into located diagnostics
//! with a likely fix (an unknown or missing key, a quoting trap, indentation).

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, did_you_mean};
use crate::source::YamlText;

impl YamlText {
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
        } else if msg.contains("invalid type") && msg.contains("expected a boolean") {
            Some("write `true` or `false`".to_string())
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
