//! The lexer: expression text into located tokens (numbers, names, quoted labels, symbols), and
//! the located [`ParseError`] that lexer and parser both give.

use std::ops::Range;

/// A syntax error, located in the expression text.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub span: Range<usize>,
    pub help: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Num(f64),
    Ident(String),
    Str(String),
    Sym(char),
    /// `**`
    Pow,
    Eof,
}

pub(super) fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(n) => format!("number `{n}`"),
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Sym(c) => format!("`{c}`"),
        Tok::Pow => "`**`".into(),
        Tok::Eof => "the end of the expression".into(),
    }
}

pub(super) fn lex(src: &str) -> Result<Vec<(Tok, Range<usize>)>, ParseError> {
    // A token every two bytes or so (`X[the, d5]` has seven, the end included): room from the
    // start, since inline values are many and short.
    let mut out = Vec::with_capacity(src.len() / 2 + 2);
    let mut chars = src.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c.is_ascii_digit()
            || (c == '.' && src[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            let end = number_end(src, i);
            let text = &src[i..end];
            let v: f64 = text.parse().map_err(|_| ParseError {
                message: format!("`{text}` is not a number"),
                span: i..end,
                help: None,
            })?;
            if !v.is_finite() {
                return Err(ParseError {
                    message: format!("the number `{text}` is too large for a 64-bit float"),
                    span: i..end,
                    help: None,
                });
            }
            out.push((Tok::Num(v), i..end));
            while chars.peek().is_some_and(|&(j, _)| j < end) {
                chars.next();
            }
        } else if c.is_alphabetic() || c == '_' {
            let mut end = i;
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push((Tok::Ident(src[i..end].to_string()), i..end));
        } else if c == '"' || c == '\'' {
            chars.next();
            let mut end = None;
            for (j, d) in chars.by_ref() {
                if d == c {
                    end = Some(j);
                    break;
                }
            }
            let Some(end) = end else {
                return Err(ParseError {
                    message: "unclosed quote".into(),
                    span: i..src.len(),
                    help: Some(format!("add a closing {c}")),
                });
            };
            out.push((Tok::Str(src[i + 1..end].to_string()), i..end + 1));
        } else if c == '*' && src[i + 1..].starts_with('*') {
            out.push((Tok::Pow, i..i + 2));
            chars.next();
            chars.next();
        } else if "@+-*/()[],^:".contains(c) {
            out.push((Tok::Sym(c), i..i + 1));
            chars.next();
        } else {
            return Err(ParseError {
                message: format!("unexpected character `{c}`"),
                span: i..i + c.len_utf8(),
                help: Some(
                    "expressions use names, numbers, `@ + - * / **`, `^T`, `( )`, `M[rows, cols]` and functions such as sqrt, softmax, hstack".into(),
                ),
            });
        }
    }
    out.push((Tok::Eof, src.len()..src.len()));
    Ok(out)
}

fn number_end(src: &str, start: usize) -> usize {
    let b = src.as_bytes();
    let mut i = start;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    i
}
