//! The recursive-descent parser: tokens into an [`Expr`] tree, one grammar rule per method, with
//! limits on tokens, operations and nesting.

use std::ops::Range;

use super::lex::{ParseError, Tok, describe, lex};
use crate::model::expr::{BinOp, Expr, ExprKind, FUNCTIONS, Func, Key, Sel};

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
