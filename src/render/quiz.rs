//! The view of a quiz block: question, choices, the right answer and the explanation as HTML.

use serde::Serialize;

use super::markdown::{self, Context, strip_paragraph};
use crate::error::Diagnostic;
use crate::format;
use crate::model::{QuizAnswer, QuizDef, RichText};

#[derive(Serialize)]
pub struct QuizView {
    /// Unique on the page: `quiz-1`, `quiz-2`, ...
    pub id: String,
    pub question_html: String,
    pub choices: Vec<ChoiceView>,
    /// For numeric questions: the exact answer and the accepted difference.
    pub numeric: Option<NumericView>,
    /// The right answer as HTML (the choice, or the number as shown).
    pub answer_html: String,
    pub explanation_html: Option<String>,
}

#[derive(Serialize)]
pub struct ChoiceView {
    /// 1-based.
    pub number: usize,
    pub html: String,
    pub correct: bool,
}

#[derive(Serialize)]
pub struct NumericView {
    pub value: String,
    pub tolerance: String,
}

pub fn view(q: &QuizDef, n: usize, cx: &Context, problems: &mut Vec<Diagnostic>) -> QuizView {
    let mut rich = |t: &RichText| {
        let (html, _, mut found) = markdown::to_html(
            &t.text,
            0..t.text.len(),
            cx,
            Some(t.inline_offsets.iter()),
            None,
        );
        problems.append(&mut found);
        html
    };
    let question_html = rich(&q.question);
    let choices: Vec<ChoiceView> = q
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| ChoiceView {
            number: i + 1,
            html: strip_paragraph(&rich(c)).to_string(),
            correct: q.answer == QuizAnswer::Choice(i),
        })
        .collect();
    let explanation_html = q.explanation.as_ref().map(&mut rich);
    let (numeric, answer_html) = match &q.answer {
        QuizAnswer::Choice(i) => (
            None,
            choices.get(*i).map(|c| c.html.clone()).unwrap_or_default(),
        ),
        QuizAnswer::Number(v) => (
            Some(NumericView {
                value: format::exact(*v),
                tolerance: format::exact(q.tolerance.unwrap_or(0.0005)),
            }),
            format::escape(&format::inline(*v, None)),
        ),
        QuizAnswer::Computed(key) => {
            let v = cx.values.inlines.get(&(cx.file, *key));
            let value = v.map_or(0.0, |v| v.value);
            let precision = v.and_then(|v| v.precision).unwrap_or(3);
            let default_tolerance = 0.5 * 10f64.powi(-(precision as i32));
            (
                Some(NumericView {
                    value: format::exact(value),
                    tolerance: format::exact(q.tolerance.unwrap_or(default_tolerance)),
                }),
                v.map(|v| format::inline(v.value, v.precision))
                    .unwrap_or_default(),
            )
        }
    };
    QuizView {
        id: format!("quiz-{}", n + 1),
        question_html,
        choices,
        numeric,
        answer_html,
        explanation_html,
    }
}
