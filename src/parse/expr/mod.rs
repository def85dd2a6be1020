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
//!
//! Split by job: the tree itself is `crate::model::expr`; `lex` turns text into tokens, `parser`
//! builds the tree from them, and `unparse` writes a tree back as text.

mod lex;
mod parser;
mod unparse;

pub use crate::model::expr::*;
pub use lex::ParseError;
pub use parser::{MAX_DEPTH, MAX_OPS, MAX_TOKENS, Parser, parse, parse_with_depth};
pub use unparse::unparse;

/// A matrix name: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
