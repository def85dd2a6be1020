//! Quiz blocks: a ```` ```quiz ```` fence holding a question, optional choices, the answer and an
//! explanation. Question, choices and explanation are Markdown and may hold inline values; a
//! numeric answer may be an expression (`answer: "= S[cat, sat]"`), computed at build time.

use pulldown_cmark::{Event, Parser};
use serde::Deserialize;

use super::expr;
use super::yaml::YamlText;
use crate::config::Limits;
use crate::error::Diagnostic;
use crate::model::{InlineDef, QuizAnswer, QuizDef, RichText};
use crate::source::Span;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuizYaml {
    question: String,
    #[serde(default)]
    choices: Vec<String>,
    answer: AnswerYaml,
    #[serde(default)]
    explanation: Option<String>,
    #[serde(default)]
    tolerance: Option<f64>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum AnswerYaml {
    Number(f64),
    Text(String),
}

pub const QUIZ_KEYS: &[&str] = &["question", "choices", "answer", "explanation", "tolerance"];

/// Parses one quiz block; inline values found in its texts (and an expression answer) are added
/// to `inlines`.
pub fn parse(
    yaml: YamlText,
    fence_offset: usize,
    text: &str,
    limits: &Limits,
    inlines: &mut Vec<InlineDef>,
) -> Result<QuizDef, Vec<Diagnostic>> {
    let q: QuizYaml = yaml.parse("quiz block", QUIZ_KEYS).map_err(|d| vec![d])?;
    let file = yaml.whole_span().file;
    let key = |k: &str| yaml.key_span(k).unwrap_or_else(|| yaml.whole_span());
    let mut problems = Vec::new();
    let fence_end = yaml.whole.end;
    // Inline values inside the block's strings: find each code span within its own key's part
    // of the fence to locate it (choices are searched in order within `choices:`).
    let region = |k: &str| yaml.key_region(k).unwrap_or(fence_offset..fence_end);
    let mut rich = |s: &str, cursor: &mut usize, end: usize, problems: &mut Vec<Diagnostic>| {
        let mut offsets = Vec::new();
        for (event, _) in Parser::new_ext(s, super::markdown::options()).into_offset_iter() {
            let Event::Code(code) = event else { continue };
            let Some(expr_text) = code.strip_prefix('=') else {
                continue;
            };
            let found = text[*cursor..end.max(*cursor)]
                .find(code.as_ref())
                .map(|i| *cursor + i);
            let at = found.unwrap_or(*cursor);
            *cursor = found.map_or(*cursor, |f| f + code.len());
            let span = Span::new(file, at..at + code.len().min(fence_end - at));
            match expr::parse_with_depth(expr_text, limits.expression_depth) {
                Ok(e) => {
                    // A unique key even when the text was not found verbatim (escaped YAML).
                    let offset = if found.is_some() {
                        at
                    } else {
                        fence_end + inlines.len()
                    };
                    inlines.push(InlineDef {
                        expr: e,
                        text: expr_text.to_string(),
                        base: at + 1,
                        offset,
                        span,
                    });
                    offsets.push(offset);
                }
                Err(e) => problems.push(
                    Diagnostic::error(format!("cannot read the inline value: {}", e.message))
                        .at(span, "here")
                        .maybe_help(e.help),
                ),
            }
        }
        RichText {
            text: s.to_string(),
            inline_offsets: offsets,
        }
    };
    let r = region("question");
    let question = rich(&q.question, &mut r.start.clone(), r.end, &mut problems);
    let r = region("choices");
    let mut cursor = r.start;
    let choices: Vec<RichText> = q
        .choices
        .iter()
        .map(|c| rich(c, &mut cursor, r.end, &mut problems))
        .collect();
    let r = region("explanation");
    let explanation = q
        .explanation
        .as_deref()
        .map(|e| rich(e, &mut r.start.clone(), r.end, &mut problems));
    let answer = match (&q.answer, q.choices.is_empty()) {
        (AnswerYaml::Number(n), false) => {
            if n.fract() == 0.0 && *n >= 1.0 && (*n as usize) <= q.choices.len() {
                QuizAnswer::Choice(*n as usize - 1)
            } else {
                problems.push(
                    Diagnostic::error(format!(
                        "`answer: {n}` is not one of the {} choices",
                        q.choices.len()
                    ))
                    .at(key("answer"), "the choices are numbered from 1")
                    .help("give the number of the right choice, or its exact text"),
                );
                QuizAnswer::Choice(0)
            }
        }
        (AnswerYaml::Text(t), false) => match q.choices.iter().position(|c| c == t) {
            Some(i) => QuizAnswer::Choice(i),
            None => {
                problems.push(
                    Diagnostic::error("the answer is none of the choices")
                        .at(key("answer"), "not in `choices`")
                        .help("give the number of the right choice (from 1), or copy its text exactly"),
                );
                QuizAnswer::Choice(0)
            }
        },
        (AnswerYaml::Number(n), true) => QuizAnswer::Number(*n),
        (AnswerYaml::Text(t), true) => match t.strip_prefix('=') {
            Some(e) => {
                let at = yaml
                    .value_span("answer")
                    .map_or(fence_offset, |s| s.range.start);
                let base = if text[at..].starts_with(t.as_str()) {
                    at + 1
                } else {
                    at
                };
                match expr::parse_with_depth(e, limits.expression_depth) {
                    Ok(parsed) => {
                        inlines.push(InlineDef {
                            expr: parsed,
                            text: e.to_string(),
                            base,
                            offset: at,
                            span: Span::new(file, at..at + t.len().min(fence_end - at)),
                        });
                        QuizAnswer::Computed(at)
                    }
                    Err(err) => {
                        problems.push(
                            Diagnostic::error(format!("cannot read the answer: {}", err.message))
                                .at(
                                    Span::new(file, base + err.span.start..base + err.span.end),
                                    "here",
                                )
                                .maybe_help(err.help),
                        );
                        QuizAnswer::Number(0.0)
                    }
                }
            }
            None => {
                problems.push(
                    Diagnostic::error("a question without choices needs a numeric answer")
                        .at(key("answer"), "not a number")
                        .help("write a number, an expression such as `answer: \"= S[cat, sat]\"`, or add `choices:`"),
                );
                QuizAnswer::Number(0.0)
            }
        },
    };
    if q.choices.len() == 1 {
        problems.push(
            Diagnostic::error("a quiz with choices needs at least two")
                .at(key("choices"), "only one choice")
                .help("add choices, or remove `choices:` for a numeric question"),
        );
    }
    super::matrix_block::check_tolerance(&yaml, q.tolerance, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(QuizDef {
        fence_offset,
        question,
        choices,
        answer,
        explanation,
        tolerance: q.tolerance,
    })
}
