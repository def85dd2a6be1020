//! Writing an expression tree back as text, with only the parentheses its precedence needs.

use crate::model::expr::{BinOp, Expr, ExprKind, Sel};

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
