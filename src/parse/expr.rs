//! The expression language of `compute:` and inline values: lexer and recursive-descent parser.
//!
//! ```text
//! expr    := term (('+' | '-') term)*
//! term    := unary (('*' | '/' | '@') unary)*          left-associative, as in Python
//! unary   := '-' unary | power
//! power   := postfix ('**' unary)?                     so `-2 ** 2` is -4 and `2 ** -1` is 0.5
//! postfix := primary ('^T' | '[' sel ',' sel ']')*
//! primary := number | name | func '(' expr (',' expr)* ')' | '(' expr ')'
//! sel     := ':' | key | key ':' key                    all, one, or an inclusive range
//! key     := name | integer | "quoted text"
//! ```
//!
//! Every node keeps its byte span in the expression text so that errors can underline it. Nesting
//! is limited (see [`Parser::max_depth`]) so that no input can overflow the stack.

use std::ops::Range;

pub use crate::model::expr::*;

/// A matrix name: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A syntax error, located in the expression text.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub span: Range<usize>,
    pub help: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Str(String),
    Sym(char),
    /// `**`
    Pow,
    Eof,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(n) => format!("number `{n}`"),
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Sym(c) => format!("`{c}`"),
        Tok::Pow => "`**`".into(),
        Tok::Eof => "the end of the expression".into(),
    }
}

fn lex(src: &str) -> Result<Vec<(Tok, Range<usize>)>, ParseError> {
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

/// Parses one expression.
pub struct Parser {
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    depth: usize,
    ops: usize,
    /// Deepest nesting of parentheses, calls and unary minus accepted.
    pub max_depth: usize,
}

/// Default limit on nesting depth.
pub const MAX_DEPTH: usize = crate::config::DEFAULT_EXPRESSION_DEPTH;

/// Longest expression, in tokens.
pub const MAX_TOKENS: usize = 4096;

/// Most operations (operators, transposes, picks, calls) in one expression: with the nesting
/// limit, this bounds the height of the tree, and so the recursion of evaluation.
pub const MAX_OPS: usize = 256;

/// Parses `src` with the default nesting limit.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    parse_with_depth(src, MAX_DEPTH)
}

pub fn parse_with_depth(src: &str, max_depth: usize) -> Result<Expr, ParseError> {
    let toks = lex(src)?;
    if toks.len() > MAX_TOKENS {
        return Err(ParseError {
            message: format!("the expression has more than {MAX_TOKENS} parts"),
            span: 0..src.len(),
            help: Some("split it into several computed matrices".into()),
        });
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        ops: 0,
        max_depth,
    };
    if p.peek() == &Tok::Eof {
        return Err(ParseError {
            message: "the expression is empty".into(),
            span: 0..src.len(),
            help: Some("write an expression such as `X @ W_Q^T`".into()),
        });
    }
    let e = p.expr()?;
    match p.peek() {
        Tok::Eof => Ok(e),
        Tok::Sym(')') => Err(p.error_here(
            "unmatched `)`",
            Some("remove it, or add a `(` before it".into()),
        )),
        t => {
            let what = describe(t);
            Err(p.error_here(
                format!("expected an operator, found {what}"),
                Some("combine values with `@`, `+`, `-`, `*` or `/`".into()),
            ))
        }
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn span(&self) -> Range<usize> {
        self.toks[self.pos].1.clone()
    }

    fn bump(&mut self) -> (Tok, Range<usize>) {
        // The parser never steps back, so a token is moved out, not cloned (names are strings);
        // the last token, `Eof`, stays `Eof`.
        let (tok, span) = &mut self.toks[self.pos];
        let t = (std::mem::replace(tok, Tok::Eof), span.clone());
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn error_here(&self, message: impl Into<String>, help: Option<String>) -> ParseError {
        ParseError {
            message: message.into(),
            span: self.span(),
            help,
        }
    }

    /// Counts one more operation node.
    fn op(&mut self) -> Result<(), ParseError> {
        self.ops += 1;
        if self.ops > MAX_OPS {
            return Err(self.error_here(
                format!("the expression has more than {MAX_OPS} operations"),
                Some("split it into several computed matrices".into()),
            ));
        }
        Ok(())
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(self.error_here(
                format!("the expression nests deeper than {} levels", self.max_depth),
                Some("split it into several computed matrices, or raise `limits.expression_depth` in site.yaml".into()),
            ));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.term()?;
        loop {
            let op = match self.peek() {
                Tok::Sym('+') => BinOp::Add,
                Tok::Sym('-') => BinOp::Sub,
                _ => return Ok(lhs),
            };
            self.op()?;
            self.bump();
            let rhs = self.term()?;
            lhs = binary(op, lhs, rhs);
        }
    }

    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Sym('*') => BinOp::Mul,
                Tok::Sym('/') => BinOp::Div,
                Tok::Sym('@') => BinOp::MatMul,
                _ => return Ok(lhs),
            };
            self.op()?;
            self.bump();
            let rhs = self.unary()?;
            lhs = binary(op, lhs, rhs);
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.peek() == &Tok::Sym('-') {
            self.op()?;
            self.enter()?;
            let (_, s) = self.bump();
            let e = self.unary()?;
            self.depth -= 1;
            let span = s.start..e.span.end;
            return Ok(Expr {
                kind: ExprKind::Neg(Box::new(e)),
                span,
            });
        }
        self.power()
    }

    /// `base ** exponent`: tighter than unary minus on its left, as in Python (`-2 ** 2` is -4),
    /// and right-associative, with a signed exponent (`2 ** -1`).
    fn power(&mut self) -> Result<Expr, ParseError> {
        let base = self.postfix()?;
        if self.peek() != &Tok::Pow {
            return Ok(base);
        }
        self.op()?;
        self.enter()?;
        self.bump();
        let exponent = self.unary()?;
        self.depth -= 1;
        Ok(binary(BinOp::Pow, base, exponent))
    }

    fn postfix(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.primary()?;
        loop {
            match self.peek() {
                Tok::Sym('^') => {
                    self.op()?;
                    self.bump();
                    match self.bump() {
                        (Tok::Ident(t), s) if t == "T" => {
                            let span = e.span.start..s.end;
                            e = Expr {
                                kind: ExprKind::Transpose(Box::new(e)),
                                span,
                            };
                        }
                        (_, s) => {
                            return Err(ParseError {
                                message: "`^` must be followed by `T` (transpose)".into(),
                                span: s,
                                help: Some(
                                    "write `A^T` to transpose, and `A ** 2` for powers".into(),
                                ),
                            });
                        }
                    }
                }
                Tok::Sym('[') => {
                    self.op()?;
                    self.bump();
                    let row = self.sel("row")?;
                    self.expect(',', "a `,` between the rows and the columns")?;
                    let col = self.sel("column")?;
                    let (_, close) = self.expect(']', "a closing `]`")?;
                    let span = e.span.start..close.end;
                    let kind = match (row, col) {
                        (Sel::One(r), Sel::One(c)) => ExprKind::Index(Box::new(e), r, c),
                        (r, c) => ExprKind::Slice(Box::new(e), Box::new((r, c))),
                    };
                    e = Expr { kind, span };
                }
                _ => return Ok(e),
            }
        }
    }

    /// `:`, `key` or `key:key`.
    fn sel(&mut self, what: &str) -> Result<Sel, ParseError> {
        if self.peek() == &Tok::Sym(':') {
            self.bump();
            if !matches!(self.peek(), Tok::Sym(',' | ']')) {
                return Err(self.error_here(
                    "a range needs both ends",
                    Some("write `from:to` (both included), or `:` alone for all".into()),
                ));
            }
            return Ok(Sel::All);
        }
        let from = self.key(what)?;
        if self.peek() != &Tok::Sym(':') {
            return Ok(Sel::One(from));
        }
        self.bump();
        let to = self.key(what)?;
        Ok(Sel::Range(from, to))
    }

    fn key(&mut self, what: &str) -> Result<Key, ParseError> {
        match self.bump() {
            (Tok::Ident(s) | Tok::Str(s), span) => Ok((s, span)),
            (Tok::Num(n), span) if n.fract() == 0.0 && n >= 1.0 => Ok((format!("{n}"), span)),
            (t, span) => Err(ParseError {
                message: format!("expected a {what} label or number, found {}", describe(&t)),
                span,
                help: Some("pick with `M[rows, cols]`, each side a label, a number counted from 1, `:` for all, or a range `from:to`, e.g. `Q[cat, 2]`, `Q[\"The\", q1]`, `Q[:, q1:q4]`".into()),
            }),
        }
    }

    fn expect(&mut self, c: char, what: &str) -> Result<(Tok, Range<usize>), ParseError> {
        if self.peek() == &Tok::Sym(c) {
            Ok(self.bump())
        } else {
            let found = describe(self.peek());
            Err(self.error_here(format!("expected {what}, found {found}"), None))
        }
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let (tok, span) = self.bump();
        match tok {
            Tok::Num(n) => Ok(Expr {
                kind: ExprKind::Num(n),
                span,
            }),
            Tok::Ident(name) if self.peek() == &Tok::Sym('(') => self.call(name, span),
            Tok::Ident(name) => Ok(Expr {
                kind: ExprKind::Name(name),
                span,
            }),
            Tok::Sym('(') => {
                self.enter()?;
                let inner = self.expr()?;
                if self.peek() != &Tok::Sym(')') {
                    let found = describe(self.peek());
                    return Err(ParseError {
                        message: format!("unclosed `(`: expected `)`, found {found}"),
                        span: span.start..self.span().end,
                        help: Some("add the missing `)`".into()),
                    });
                }
                let (_, close) = self.bump();
                self.depth -= 1;
                Ok(Expr {
                    kind: inner.kind,
                    span: span.start..close.end,
                })
            }
            Tok::Eof => Err(ParseError {
                message: "the expression ends where a value was expected".into(),
                span,
                help: Some("an operator needs a value on both sides".into()),
            }),
            t => Err(ParseError {
                message: format!("expected a value, found {}", describe(&t)),
                span,
                help: Some("an operator needs a value on both sides".into()),
            }),
        }
    }

    fn call(&mut self, name: String, name_span: Range<usize>) -> Result<Expr, ParseError> {
        let Some(&(_, func)) = FUNCTIONS.iter().find(|(n, _)| *n == name) else {
            let known = FUNCTIONS.map(|(n, _)| n);
            return Err(ParseError {
                message: format!("unknown function `{name}`"),
                span: name_span,
                help: Some(match crate::error::did_you_mean(&name, known) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the functions are {}", known.join(", ")),
                }),
            });
        };
        self.op()?;
        self.enter()?;
        self.bump(); // '('
        let mut args = vec![self.expr()?];
        while self.peek() == &Tok::Sym(',') {
            self.bump();
            args.push(self.expr()?);
        }
        if self.peek() != &Tok::Sym(')') {
            let found = describe(self.peek());
            return Err(ParseError {
                message: format!("unclosed `{name}(`: expected `)`, found {found}"),
                span: name_span.start..self.span().end,
                help: Some("add the missing `)`".into()),
            });
        }
        let (_, close) = self.bump();
        self.depth -= 1;
        let (least, most) = func.arity();
        if args.len() < least || args.len() > most {
            let wanted = match (least, most) {
                (1, 1) => "one argument".to_string(),
                (l, m) if l == m => format!("{l} arguments"),
                (l, usize::MAX) => {
                    format!("at least {l} argument{}", if l == 1 { "" } else { "s" })
                }
                (l, m) => format!("{l} to {m} arguments"),
            };
            return Err(ParseError {
                message: format!("`{name}` takes {wanted}, found {}", args.len()),
                span: name_span.start..close.end,
                help: usage(func).map(|u| format!("write it as `{u}`")),
            });
        }
        Ok(Expr {
            kind: ExprKind::Call(func, args),
            span: name_span.start..close.end,
        })
    }
}

/// How a function with more than one argument is called.
fn usage(f: Func) -> Option<&'static str> {
    match f {
        Func::Ones => Some("ones(rows, cols)"),
        Func::Zeros => Some("zeros(rows, cols)"),
        Func::Hstack => Some("hstack(A, B, …)"),
        Func::Vstack => Some("vstack(A, B, …)"),
        Func::Layernorm => Some("layernorm(X, gamma, beta)` or `layernorm(X, gamma, beta, eps)"),
        _ => None,
    }
}

fn binary(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.start..rhs.span.end;
    Expr {
        kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
        span,
    }
}

/// Writes the expression back as text, with only the parentheses its precedence needs:
/// `unparse(parse(s))` reads back as the same tree. Used to suggest a corrected expression.
pub fn unparse(e: &Expr) -> String {
    write(e).0
}

/// The text and its binding level: 1 `+ -`, 2 `* / @`, 3 unary minus, 4 `**`, 5 postfix and atoms.
fn write(e: &Expr) -> (String, u8) {
    let at_least = |x: &Expr, level: u8| {
        let (s, l) = write(x);
        if l >= level { s } else { format!("({s})") }
    };
    match &e.kind {
        ExprKind::Num(n) => (crate::format::exact(*n), 5),
        ExprKind::Name(n) => (n.clone(), 5),
        ExprKind::Neg(x) => (format!("-{}", at_least(x, 3)), 3),
        ExprKind::Transpose(x) => (format!("{}^T", at_least(x, 5)), 5),
        ExprKind::Index(x, (r, _), (c, _)) => (
            format!("{}[{}, {}]", at_least(x, 5), key_text(r), key_text(c)),
            5,
        ),
        ExprKind::Slice(x, sels) => {
            let sel = |s: &Sel| match s {
                Sel::All => ":".to_string(),
                Sel::One((k, _)) => key_text(k),
                Sel::Range((a, _), (b, _)) => format!("{}:{}", key_text(a), key_text(b)),
            };
            (
                format!("{}[{}, {}]", at_least(x, 5), sel(&sels.0), sel(&sels.1)),
                5,
            )
        }
        ExprKind::Binary(BinOp::Pow, a, b) => {
            (format!("{} ** {}", at_least(a, 5), at_least(b, 3)), 4)
        }
        ExprKind::Binary(op, a, b) => {
            let level = if matches!(op, BinOp::Add | BinOp::Sub) {
                1
            } else {
                2
            };
            (
                format!(
                    "{} {} {}",
                    at_least(a, level),
                    op.symbol(),
                    at_least(b, level + 1)
                ),
                level,
            )
        }
        ExprKind::Call(f, args) => {
            let args: Vec<String> = args.iter().map(unparse).collect();
            (format!("{}({})", f.name(), args.join(", ")), 5)
        }
    }
}

/// A row or column key as it must be written: bare when the lexer reads it as one word or
/// number, else quoted.
fn key_text(k: &str) -> String {
    let word = k
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_alphanumeric() || c == '_');
    let number = !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit());
    if word || number {
        k.to_string()
    } else if k.contains('"') {
        format!("'{k}'")
    } else {
        format!("\"{k}\"")
    }
}
