//! The question-bank spreadsheet Chinese trainers keep: one question per row
//! under the headings 题型, 题干, 选项A–选项F, 答案, 解析, 分值, 能力代码 (and
//! optionally 分类). The same rows come from a CSV file or an `.xlsx` sheet; this
//! module reads rows of cells, whichever they came from.
//!
//! - 题型: 单选(题), 多选(题), 判断(题), 填空(题), 数值(题), 简答/问答/论述(题).
//! - 答案: the option letters for choice questions (`B`, `ABD`, `A、B、D`); 对/错
//!   (正确/错误, √/×, T/F) for true/false; the accepted answers for 填空,
//!   separated by `|` or `；`; a number, `15±0.5` or `15:0.5` for 数值; for an
//!   essay, the reference answer the grader sees.
//! - 多选: each right option earns an equal share and each wrong one costs the
//!   same share (the floor is 0), the rule the quiz states on screen.

use super::grade::normalise;
use super::question::{Choice, Kind, NumericAnswer, Question, ShortAnswer, TextFormat};

/// The headings, in the template's order.
pub const HEADINGS: [&str; 13] = [
    "题型",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "选项E",
    "选项F",
    "答案",
    "解析",
    "分值",
    "能力代码",
    "分类",
];

const OPTION_LETTERS: [char; 6] = ['A', 'B', 'C', 'D', 'E', 'F'];

/// Why a row was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// 题型 not one of the known types.
    UnknownType(String),
    NoStem,
    /// 答案 empty.
    NoAnswer,
    /// 答案 names a letter with no option under it, or is not letters.
    BadLetters(String),
    /// A single-choice answer with more than one letter.
    SeveralForSingle(String),
    /// Fewer than two options filled in.
    TooFewOptions,
    /// 答案 of a true/false question not 对 or 错.
    BadTrueFalse(String),
    BadNumber(String),
    /// 分值 not a positive number.
    BadPoints(String),
}

impl From<Problem> for crate::error::QuestionProblem {
    fn from(p: Problem) -> Self {
        match p {
            Problem::UnknownType(kind) => Self::UnknownType { kind },
            Problem::NoStem => Self::NoStem,
            Problem::NoAnswer => Self::NoAnswer,
            Problem::BadLetters(answer) => Self::BadLetters { answer },
            Problem::SeveralForSingle(answer) => Self::SeveralForSingle { answer },
            Problem::TooFewOptions => Self::TooFewOptions,
            Problem::BadTrueFalse(answer) => Self::SheetTrueFalse { answer },
            Problem::BadNumber(answer) => Self::SheetNumber { answer },
            Problem::BadPoints(points) => Self::BadPoints { points },
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::error::QuestionProblem::from(self.clone()).fmt(f)
    }
}

/// What a sheet gave; a question's line is its row as the spreadsheet shows it
/// (the headings are row 1).
pub type Parsed = super::Parsed<Problem>;

/// The file refused: the headings the template needs are not there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingHeadings(pub Vec<&'static str>);

/// Reads the rows of a sheet, the first being the headings.
pub fn parse(rows: &[Vec<String>]) -> Result<Parsed, MissingHeadings> {
    let Some(headings) = rows.first() else {
        return Err(MissingHeadings(vec!["题型", "题干", "答案"]));
    };
    let column = |name: &str| headings.iter().position(|h| h.trim() == name);
    let missing: Vec<&'static str> = ["题型", "题干", "答案"]
        .into_iter()
        .filter(|h| column(h).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(MissingHeadings(missing));
    }
    let columns: Vec<Option<usize>> = HEADINGS.iter().map(|h| column(h)).collect();
    let mut parsed = Parsed::default();
    for (i, cells) in rows.iter().enumerate().skip(1) {
        let cell = |heading: usize| {
            columns[heading]
                .and_then(|c| cells.get(c))
                .map_or("", |s| s.trim())
        };
        if (0..HEADINGS.len()).all(|h| cell(h).is_empty()) {
            continue;
        }
        let line = i + 1;
        match read_row(&cell) {
            Ok(question) => parsed.questions.push(super::Read { line, question }),
            Err(problem) => parsed.skipped.push(super::Skipped {
                line,
                what: cell(1).chars().take(30).collect(),
                problem,
            }),
        }
    }
    Ok(parsed)
}

fn read_row<'a>(cell: &dyn Fn(usize) -> &'a str) -> Result<Question, Problem> {
    let kind_name = normalise(cell(0));
    let stem = cell(1);
    if stem.is_empty() {
        return Err(Problem::NoStem);
    }
    let answer = cell(8);
    let options: Vec<(char, &str)> = OPTION_LETTERS
        .iter()
        .enumerate()
        .map(|(i, l)| (*l, cell(2 + i)))
        .filter(|(_, text)| !text.is_empty())
        .collect();
    let base = kind_name.trim_end_matches('题');
    let kind = match base {
        "单选" => {
            let letters = letters(answer, &options)?;
            if letters.len() != 1 {
                return Err(Problem::SeveralForSingle(answer.to_owned()));
            }
            Kind::Single {
                options: choices(&options, &letters, 100.0, 0.0)?,
            }
        }
        "多选" | "不定项" => {
            let letters = letters(answer, &options)?;
            let share = 100.0 / letters.len() as f64;
            Kind::Multiple {
                options: choices(&options, &letters, share, -share)?,
            }
        }
        "判断" => Kind::TrueFalse {
            answer: true_false(answer)?,
            feedback_wrong: String::new(),
            feedback_right: String::new(),
        },
        "填空" => {
            let answers: Vec<ShortAnswer> = answer
                .split(['|', '；', ';'])
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| ShortAnswer {
                    text: a.to_owned(),
                    weight: 100.0,
                    feedback: String::new(),
                })
                .collect();
            if answers.is_empty() {
                return Err(Problem::NoAnswer);
            }
            Kind::Short {
                answers,
                case_sensitive: false,
            }
        }
        "数值" | "计算" => Kind::Numeric {
            answers: vec![numeric(answer)?],
            units: Vec::new(),
        },
        "简答" | "问答" | "论述" | "主观" => Kind::Essay {
            rubric: answer.to_owned(),
        },
        _ => return Err(Problem::UnknownType(cell(0).to_owned())),
    };
    let points = match normalise(cell(10)).as_str() {
        "" => None,
        p => Some(
            super::finite(p)
                .filter(|x| *x > 0.0)
                .ok_or_else(|| Problem::BadPoints(p.to_owned()))?,
        ),
    };
    let competency = Some(normalise(cell(11))).filter(|c| !c.is_empty());
    let category = Some(cell(12).trim().trim_matches('/').to_owned()).filter(|c| !c.is_empty());
    Ok(Question {
        name: String::new(),
        text: stem.to_owned(),
        format: TextFormat::Plain,
        category,
        kind,
        general_feedback: cell(9).to_owned(),
        files: Vec::new(),
        points: points.unwrap_or(1.0),
        competency,
    })
}

/// The option letters an answer names (`ABD`, `A,B,D`, `a、b`, full width too),
/// each of which must have an option.
fn letters(answer: &str, options: &[(char, &str)]) -> Result<Vec<char>, Problem> {
    if options.len() < 2 {
        return Err(Problem::TooFewOptions);
    }
    let plain = normalise(answer).to_ascii_uppercase();
    if plain.is_empty() {
        return Err(Problem::NoAnswer);
    }
    let mut out = Vec::new();
    for c in plain.chars() {
        if matches!(c, ',' | '、' | ' ' | ';' | '；' | '，') {
            continue;
        }
        if !options.iter().any(|(l, _)| *l == c) {
            return Err(Problem::BadLetters(answer.to_owned()));
        }
        if !out.contains(&c) {
            out.push(c);
        }
    }
    if out.is_empty() {
        return Err(Problem::BadLetters(answer.to_owned()));
    }
    Ok(out)
}

fn choices(
    options: &[(char, &str)],
    right: &[char],
    right_weight: f64,
    wrong_weight: f64,
) -> Result<Vec<Choice>, Problem> {
    Ok(options
        .iter()
        .map(|(letter, text)| Choice {
            text: (*text).to_owned(),
            weight: if right.contains(letter) {
                right_weight
            } else {
                wrong_weight
            },
            feedback: String::new(),
        })
        .collect())
}

fn true_false(answer: &str) -> Result<bool, Problem> {
    match normalise(answer).to_uppercase().as_str() {
        "对" | "正确" | "√" | "T" | "TRUE" | "是" | "Y" | "✓" => Ok(true),
        "错" | "错误" | "×" | "F" | "FALSE" | "否" | "N" | "✗" | "X" => Ok(false),
        "" => Err(Problem::NoAnswer),
        _ => Err(Problem::BadTrueFalse(answer.to_owned())),
    }
}

/// `15`, `15±0.5` or `15:0.5`.
fn numeric(answer: &str) -> Result<NumericAnswer, Problem> {
    let plain = normalise(answer);
    if plain.is_empty() {
        return Err(Problem::NoAnswer);
    }
    let bad = || Problem::BadNumber(answer.to_owned());
    let number = super::finite;
    let (value, tolerance) = match plain.split_once(['±', ':']) {
        Some((v, t)) => (
            number(v).ok_or_else(bad)?,
            number(t).filter(|t| *t >= 0.0).ok_or_else(bad)?,
        ),
        None => (number(&plain).ok_or_else(bad)?, 0.0),
    };
    Ok(NumericAnswer {
        value,
        tolerance,
        weight: 100.0,
        feedback: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows as a trainer would paste them: cells separated by tabs, in the
    /// template's column order.
    fn sheet(rows: &[&str]) -> Vec<Vec<String>> {
        let mut out = vec![HEADINGS.iter().map(|h| (*h).to_owned()).collect()];
        out.extend(
            rows.iter()
                .map(|r| r.split('\t').map(str::to_owned).collect()),
        );
        out
    }

    #[test]
    fn every_type_is_read_with_points_competency_and_category() {
        let parsed = parse(&sheet(&[
            "单选题\t最低缴费档次？\t100元\t200元\t300元\t\t\t\tＢ\t见通知\t2\tＰＯＬ-01\t养老/政策",
            "多选\t哪些是证件？\t身份证\t户口簿\t公交卡\t\t\t\tA、B\t\t\t\t",
            "判断题\t可以延迟退休。\t\t\t\t\t\t\t×\t\t1\t\t",
            "填空题\t社会保障卡简称\t\t\t\t\t\t\t社保卡|社会保障卡\t\t\t\t",
            "数值题\t最低缴费年限\t\t\t\t\t\t\t15±0\t\t\t\t",
            "简答题\t谈谈投诉处理\t\t\t\t\t\t\t倾听、共情、解决\t\t5\tSVC-02\t",
        ]))
        .unwrap();
        assert_eq!(parsed.skipped, vec![]);
        let q = &parsed.questions;
        assert_eq!(q.len(), 6);
        assert_eq!(q[0].line, 2);
        assert_eq!(q[0].question.points, 2.0);
        assert_eq!(q[0].question.competency.as_deref(), Some("POL-01"));
        assert_eq!(q[0].question.category.as_deref(), Some("养老/政策"));
        assert_eq!(q[0].question.general_feedback, "见通知");
        let weights = |k: &Kind| match k {
            Kind::Single { options } | Kind::Multiple { options } => {
                options.iter().map(|o| o.weight).collect::<Vec<_>>()
            }
            _ => vec![],
        };
        assert_eq!(weights(&q[0].question.kind), vec![0.0, 100.0, 0.0]);
        assert!(matches!(q[1].question.kind, Kind::Multiple { .. }));
        assert_eq!(weights(&q[1].question.kind), vec![50.0, 50.0, -50.0]);
        assert!(matches!(
            q[2].question.kind,
            Kind::TrueFalse { answer: false, .. }
        ));
        match &q[3].question.kind {
            Kind::Short { answers, .. } => assert_eq!(
                answers.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(),
                vec!["社保卡", "社会保障卡"]
            ),
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&q[4].question.kind, Kind::Numeric { answers, .. } if answers[0].value == 15.0)
        );
        assert_eq!(
            q[5].question.kind,
            Kind::Essay {
                rubric: "倾听、共情、解决".into()
            }
        );
    }

    #[test]
    fn bad_rows_are_skipped_with_their_row_number_and_reason() {
        let parsed = parse(&sheet(&[
            "单选\t\ta\tb\t\t\t\t\tA\t\t\t\t",
            "单选\tQ\ta\tb\t\t\t\t\tC\t\t\t\t",
            "单选\tQ\ta\tb\t\t\t\t\tAB\t\t\t\t",
            "单选\tQ\ta\t\t\t\t\t\tA\t\t\t\t",
            "判断\tQ\t\t\t\t\t\t\t也许\t\t\t\t",
            "数值\tQ\t\t\t\t\t\t\t十五\t\t\t\t",
            "单选\tQ\ta\tb\t\t\t\t\tA\t\t-1\t\t",
            "连线\tQ\t\t\t\t\t\t\tA\t\t\t\t",
            "\t\t\t\t\t\t\t\t\t\t\t\t",
            "填空\tQ\t\t\t\t\t\t\t\t\t\t\t",
        ]))
        .unwrap();
        assert!(parsed.questions.is_empty());
        let got: Vec<(usize, Problem)> = parsed
            .skipped
            .into_iter()
            .map(|s| (s.line, s.problem))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, Problem::NoStem),
                (3, Problem::BadLetters("C".into())),
                (4, Problem::SeveralForSingle("AB".into())),
                (5, Problem::TooFewOptions),
                (6, Problem::BadTrueFalse("也许".into())),
                (7, Problem::BadNumber("十五".into())),
                (8, Problem::BadPoints("-1".into())),
                (9, Problem::UnknownType("连线".into())),
                (11, Problem::NoAnswer),
            ]
        );
    }

    #[test]
    fn headings_may_come_in_any_order_and_missing_ones_are_named() {
        let rows = vec![
            vec!["答案".to_owned(), "题干".to_owned(), "题型".to_owned()],
            vec!["对".to_owned(), "Q".to_owned(), "判断".to_owned()],
        ];
        let parsed = parse(&rows).unwrap();
        assert!(matches!(
            parsed.questions[0].question.kind,
            Kind::TrueFalse { answer: true, .. }
        ));
        let err = parse(&[vec!["题干".to_owned()]]).unwrap_err();
        assert_eq!(err, MissingHeadings(vec!["题型", "答案"]));
    }

    #[test]
    fn full_width_input_is_read_as_half_width() {
        let row = |kind: &str| {
            let cells = format!("{kind}\tQ\ta\tb\tc\t\t\t\t\u{3000}ａ，Ｃ \t\t１．５\tＰＯＬ-01\t");
            sheet(&[cells.as_str()])
        };
        let single = parse(&row("单选")).unwrap();
        assert_eq!(
            single.skipped[0].problem,
            Problem::SeveralForSingle("ａ，Ｃ".into()),
            "AC is two answers for a single choice"
        );
        let parsed = parse(&row("多选")).unwrap();
        let row = &parsed.questions[0];
        assert_eq!(row.question.points, 1.5);
        assert_eq!(row.question.competency.as_deref(), Some("POL-01"));
        let weights = match &row.question.kind {
            Kind::Multiple { options } => options.iter().map(|o| o.weight).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(weights, vec![50.0, -50.0, 50.0]);
    }
}
