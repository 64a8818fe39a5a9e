//! GIFT, the plain-text question format trainers write by hand or export from
//! Moodle, read and written as Moodle's own importer reads it
//! (`question/format/gift`, documented at docs.moodle.org/en/GIFT_format).
//!
//! A file is questions separated by blank lines; lines starting with `//` are
//! comments; `$CATEGORY: path` sets the category of what follows. A question is an
//! optional `::name::`, an optional `[format]`, its text and one answer block in
//! braces: `{}` an essay, `{T}` true/false, `{#…}` numeric, `{=a -> b …}` matching,
//! `~` options a choice question, `=` answers alone a short answer, and no braces a
//! description. `\~ \= \# \{ \} \:` are the characters themselves, `\n` a line break.
//!
//! A question that cannot be read is skipped with the line it starts on and why;
//! the rest of the file is still read.

use std::fmt::Write as _;

use super::question::{Choice, Kind, NumericAnswer, Pair, Question, ShortAnswer, TextFormat};
use crate::error::QuestionProblem;

/// Why a question was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `{` with no `}` after it.
    Unclosed,
    /// A second `{` before the first was closed, or a second answer block.
    Nested,
    /// `}` with no `{` before it.
    Unopened,
    /// `::name` with no closing `::`.
    UnclosedName,
    /// Nothing but a name.
    NoText,
    /// Text inside the braces before the first `~` or `=`.
    StrayText(String),
    /// A `%weight%` that is not a number from −100 to 100.
    BadWeight(String),
    /// A numeric answer that is not a number, `number:tolerance` or `min..max`.
    BadNumber(String),
    /// A choice question with fewer than two options.
    TooFewOptions,
    /// A choice question where no option earns anything.
    NoRightOption,
    /// A matching question with fewer than two pairs, or a pair with no answer.
    BadMatching,
    /// `->` in some answers but not all.
    MixedAnswers,
    /// `=` answers with nothing in them.
    EmptyAnswer,
}

impl From<Problem> for QuestionProblem {
    fn from(p: Problem) -> Self {
        match p {
            Problem::Unclosed => Self::Unclosed,
            Problem::Nested => Self::Nested,
            Problem::Unopened => Self::Unopened,
            Problem::UnclosedName => Self::UnclosedName,
            Problem::NoText => Self::NoText,
            Problem::StrayText(text) => Self::StrayText { text },
            Problem::BadWeight(weight) => Self::BadWeight { weight },
            Problem::BadNumber(value) => Self::GiftNumber { value },
            Problem::TooFewOptions => Self::TooFewOptions,
            Problem::NoRightOption => Self::NoRightOption,
            Problem::BadMatching => Self::GiftMatching,
            Problem::MixedAnswers => Self::MixedAnswers,
            Problem::EmptyAnswer => Self::EmptyAnswer,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        QuestionProblem::from(self.clone()).fmt(f)
    }
}

pub type Parsed = super::Parsed<Problem>;

const BLANK: &str = "_____";

/// Reads a GIFT file.
pub fn parse(source: &str) -> Parsed {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut parsed = Parsed::default();
    let mut category: Option<String> = None;
    for (line, block) in blocks(source) {
        if let Some(path) = block.trim_start().strip_prefix("$CATEGORY:") {
            category = super::category_path(path);
            continue;
        }
        match question(&block) {
            Ok(mut q) => {
                q.category.clone_from(&category);
                parsed.questions.push(super::Read { line, question: q });
            }
            Err(problem) => parsed.skipped.push(super::Skipped {
                line,
                what: block.trim().chars().take(60).collect(),
                problem,
            }),
        }
    }
    parsed
}

/// The file's questions: runs of lines between blank lines, comments left out,
/// each with the number of its first line.
fn blocks(source: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, raw) in source.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            out.extend(current.take());
            continue;
        }
        if line.trim_start().starts_with("//") {
            continue;
        }
        match current.as_mut() {
            Some((_, text)) => {
                text.push('\n');
                text.push_str(line);
            }
            None => current = Some((i + 1, line.to_owned())),
        }
    }
    out.extend(current);
    out
}

/// Byte index of the first unescaped occurrence of `pat` in `s`.
fn find(s: &str, pat: &str) -> Option<usize> {
    unescaped(s).find(|&i| s[i..].starts_with(pat))
}

/// Byte indexes of the characters of `s` not escaped by a backslash (nor the
/// backslashes themselves).
fn unescaped(s: &str) -> impl Iterator<Item = usize> + '_ {
    let mut escaped = false;
    s.char_indices().filter_map(move |(i, c)| {
        let plain = !escaped && c != '\\';
        escaped = !escaped && c == '\\';
        plain.then_some(i)
    })
}

/// Splits at each unescaped `sep`.
fn split(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = find(rest, sep.encode_utf8(&mut [0; 4])) {
        out.push(&rest[..i]);
        rest = &rest[i + sep.len_utf8()..];
    }
    out.push(rest);
    out
}

/// The text with GIFT's escapes resolved, trimmed.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.trim().chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn question(block: &str) -> Result<Question, Problem> {
    let mut rest = block.trim();
    let mut name = String::new();
    if let Some(after) = rest.strip_prefix("::") {
        let end = find(after, "::").ok_or(Problem::UnclosedName)?;
        name = unescape(&after[..end]);
        rest = after[end + 2..].trim_start();
    }
    let mut format = TextFormat::Moodle;
    if let Some(after) = rest.strip_prefix('[')
        && let Some(end) = after.find(']')
        && let Some(f) = TextFormat::parse(&after[..end])
    {
        format = f;
        rest = after[end + 1..].trim_start();
    }
    let Some(open) = find(rest, "{") else {
        if find(rest, "}").is_some() {
            return Err(Problem::Unopened);
        }
        let text = unescape(rest);
        if text.is_empty() {
            return Err(Problem::NoText);
        }
        return Ok(Question {
            name,
            text,
            format,
            category: None,
            kind: Kind::Description,
            general_feedback: String::new(),
            files: Vec::new(),
            points: 1.0,
            competency: None,
        });
    };
    let inside_and_after = &rest[open + 1..];
    let close = find(inside_and_after, "}").ok_or(Problem::Unclosed)?;
    let inside = &inside_and_after[..close];
    let after = &inside_and_after[close + 1..];
    if find(inside, "{").is_some() || find(after, "{").is_some() {
        return Err(Problem::Nested);
    }
    let before = unescape(&rest[..open]);
    let after = unescape(after);
    // Text on both sides of the braces: the answer goes in the gap ("missing word").
    let text = if after.is_empty() {
        before
    } else {
        format!("{before} {BLANK} {after}")
    };
    if text.is_empty() {
        return Err(Problem::NoText);
    }
    let (answers, general_feedback) = match find(inside, "####") {
        Some(i) => (&inside[..i], unescape(&inside[i + 4..])),
        None => (inside, String::new()),
    };
    Ok(Question {
        name,
        text,
        format,
        category: None,
        kind: kind(answers.trim())?,
        general_feedback,
        files: Vec::new(),
        points: 1.0,
        competency: None,
    })
}

fn kind(answers: &str) -> Result<Kind, Problem> {
    if answers.is_empty() {
        return Ok(Kind::Essay {
            rubric: String::new(),
        });
    }
    if let Some(numeric) = answers.strip_prefix('#') {
        return numeric_answers(numeric.trim());
    }
    let parts = split(answers, '#');
    if let Some(answer) = true_false(parts[0].trim()) {
        return Ok(Kind::TrueFalse {
            answer,
            feedback_wrong: parts.get(1).map(|s| unescape(s)).unwrap_or_default(),
            feedback_right: parts.get(2).map(|s| unescape(s)).unwrap_or_default(),
        });
    }
    let marked = marked_answers(answers)?;
    if marked.iter().any(|a| a.marker == '~') {
        return choice(answers, &marked);
    }
    let pairs = marked
        .iter()
        .filter(|a| find(a.body, "->").is_some())
        .count();
    if pairs == marked.len() {
        return matching(&marked);
    }
    if pairs > 0 {
        return Err(Problem::MixedAnswers);
    }
    let answers = marked
        .iter()
        .map(|a| {
            let text = unescape(a.text());
            if text.is_empty() {
                return Err(Problem::EmptyAnswer);
            }
            Ok(ShortAnswer {
                text,
                weight: a.weight()?.unwrap_or(100.0),
                feedback: a.feedback(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Kind::Short {
        answers,
        case_sensitive: false,
    })
}

fn true_false(s: &str) -> Option<bool> {
    match s.to_ascii_uppercase().as_str() {
        "T" | "TRUE" => Some(true),
        "F" | "FALSE" => Some(false),
        _ => None,
    }
}

/// One answer inside the braces: its marker (`~` or `=`) and what follows it.
struct Marked<'a> {
    marker: char,
    body: &'a str,
}

impl Marked<'_> {
    /// The part before any `#feedback`, without its `%weight%`.
    fn text(&self) -> &str {
        let body = self.unweighted();
        find(body, "#").map_or(body, |i| &body[..i])
    }

    fn feedback(&self) -> String {
        let body = self.unweighted();
        find(body, "#").map_or_else(String::new, |i| unescape(&body[i + 1..]))
    }

    fn unweighted(&self) -> &str {
        let body = self.body.trim_start();
        match body
            .strip_prefix('%')
            .and_then(|r| r.find('%').map(|i| &r[i + 1..]))
        {
            Some(rest) => rest,
            None => body,
        }
    }

    fn weight(&self) -> Result<Option<f64>, Problem> {
        let body = self.body.trim_start();
        let Some(rest) = body.strip_prefix('%') else {
            return Ok(None);
        };
        let raw = rest.find('%').map_or(rest, |i| &rest[..i]);
        match super::finite(raw) {
            Some(w) if (-100.0..=100.0).contains(&w) && rest.contains('%') => Ok(Some(w)),
            _ => Err(Problem::BadWeight(raw.to_owned())),
        }
    }
}

/// Splits `~a =b ~c` into its answers. Anything before the first marker is an error.
fn marked_answers(answers: &str) -> Result<Vec<Marked<'_>>, Problem> {
    let bytes = answers.as_bytes();
    let starts: Vec<usize> = unescaped(answers)
        .filter(|&i| matches!(bytes[i], b'~' | b'='))
        .collect();
    let first = starts.first().copied().unwrap_or(answers.len());
    if !answers[..first].trim().is_empty() {
        return Err(Problem::StrayText(answers[..first].trim().to_owned()));
    }
    Ok(starts
        .iter()
        .enumerate()
        .map(|(n, &s)| Marked {
            marker: char::from(bytes[s]),
            body: &answers[s + 1..starts.get(n + 1).copied().unwrap_or(answers.len())],
        })
        .collect())
}

fn choice(answers: &str, marked: &[Marked<'_>]) -> Result<Kind, Problem> {
    let options = marked
        .iter()
        .map(|a| {
            let default = if a.marker == '=' { 100.0 } else { 0.0 };
            Ok(Choice {
                text: unescape(a.text()),
                weight: a.weight()?.unwrap_or(default),
                feedback: a.feedback(),
            })
        })
        .collect::<Result<Vec<_>, Problem>>()?;
    if options.len() < 2 {
        return Err(Problem::TooFewOptions);
    }
    if options.iter().any(|o| o.text.is_empty()) {
        return Err(Problem::EmptyAnswer);
    }
    if !options.iter().any(|o| o.weight > 0.0) {
        return Err(Problem::NoRightOption);
    }
    // As Moodle reads it: an `=` makes it a one-answer question; weights alone,
    // several to tick.
    Ok(if find(answers, "=").is_some() {
        Kind::Single { options }
    } else {
        Kind::Multiple { options }
    })
}

fn matching(marked: &[Marked<'_>]) -> Result<Kind, Problem> {
    let pairs: Vec<Pair> = marked
        .iter()
        .filter_map(|a| {
            let body = a.text();
            let i = find(body, "->")?;
            Some(Pair {
                prompt: unescape(&body[..i]),
                answer: unescape(&body[i + 2..]),
            })
        })
        .collect();
    let real = pairs.iter().filter(|p| !p.prompt.is_empty()).count();
    if real < 2 || pairs.iter().any(|p| p.answer.is_empty()) {
        return Err(Problem::BadMatching);
    }
    Ok(Kind::Matching { pairs })
}

fn numeric_answers(body: &str) -> Result<Kind, Problem> {
    let marked = marked_answers(body);
    let answers = match marked {
        Ok(marked) if !marked.is_empty() => marked
            .iter()
            .map(|a| {
                if a.marker == '~' {
                    return Err(Problem::BadNumber(format!("~{}", a.body.trim())));
                }
                numeric(a.text(), a.weight()?.unwrap_or(100.0), a.feedback())
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => {
            let text = find(body, "#").map_or(body, |i| &body[..i]);
            let feedback = find(body, "#").map_or_else(String::new, |i| unescape(&body[i + 1..]));
            vec![numeric(text, 100.0, feedback)?]
        }
    };
    Ok(Kind::Numeric {
        answers,
        units: Vec::new(),
    })
}

/// `3.14`, `3.14:0.01` or `3.1..3.2`.
fn numeric(raw: &str, weight: f64, feedback: String) -> Result<NumericAnswer, Problem> {
    let raw = unescape(raw);
    let bad = || Problem::BadNumber(raw.clone());
    let number = super::finite;
    let (value, tolerance) = if let Some((min, max)) = raw.split_once("..") {
        let (min, max) = (number(min).ok_or_else(bad)?, number(max).ok_or_else(bad)?);
        if max < min {
            return Err(bad());
        }
        ((min + max) / 2.0, (max - min) / 2.0)
    } else if let Some((value, tolerance)) = raw.split_once(':') {
        (
            number(value).ok_or_else(bad)?,
            number(tolerance).filter(|t| *t >= 0.0).ok_or_else(bad)?,
        )
    } else {
        (number(&raw).ok_or_else(bad)?, 0.0)
    };
    Ok(NumericAnswer {
        value,
        tolerance,
        weight,
        feedback,
    })
}

/// Why a question cannot be written as GIFT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotWritten {
    /// GIFT has no ordering questions.
    Ordering,
}

/// Writes questions as GIFT. Ordering questions, which GIFT cannot hold, are left
/// out and listed with their index; an essay's rubric, numeric units and embedded
/// files have no place in GIFT and are not written (Moodle XML keeps them).
pub fn write(questions: &[Question]) -> (String, Vec<(usize, NotWritten)>) {
    let mut out = String::new();
    let mut left_out = Vec::new();
    let mut category: Option<&str> = None;
    for (i, q) in questions.iter().enumerate() {
        if matches!(q.kind, Kind::Ordering { .. }) {
            left_out.push((i, NotWritten::Ordering));
            continue;
        }
        if q.category.as_deref() != category {
            category = q.category.as_deref();
            let path = category.unwrap_or("");
            let _ = writeln!(out, "$CATEGORY: $course$/top/{path}\n");
        }
        write_question(&mut out, q);
        out.push_str("\n\n");
    }
    (out, left_out)
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// `%50%` for a weight that is not the marker's default.
fn weight(w: f64, default: f64) -> String {
    if (w - default).abs() < f64::EPSILON {
        String::new()
    } else {
        format!("%{w}%")
    }
}

fn feedback(f: &str) -> String {
    if f.is_empty() {
        String::new()
    } else {
        format!("#{}", escape(f))
    }
}

fn write_question(out: &mut String, q: &Question) {
    if !q.name.is_empty() {
        let _ = write!(out, "::{}::", escape(&q.name));
    }
    if q.format != TextFormat::Moodle {
        let _ = write!(out, "[{}]", q.format.name());
    }
    out.push_str(&escape(&q.text));
    let answers = match &q.kind {
        Kind::Description => return,
        Kind::Essay { .. } => String::new(),
        Kind::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        } => {
            let mut s = String::from(if *answer { "TRUE" } else { "FALSE" });
            if !feedback_wrong.is_empty() || !feedback_right.is_empty() {
                let _ = write!(s, "#{}", escape(feedback_wrong));
            }
            if !feedback_right.is_empty() {
                let _ = write!(s, "#{}", escape(feedback_right));
            }
            s
        }
        Kind::Single { options } => {
            // The first full-credit option carries the `=` that makes it single.
            let right = options
                .iter()
                .position(|o| (o.weight - 100.0).abs() < f64::EPSILON)
                .or_else(|| {
                    options
                        .iter()
                        .enumerate()
                        .max_by(|a, b| a.1.weight.total_cmp(&b.1.weight))
                        .map(|(i, _)| i)
                });
            options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let (marker, default) = if Some(i) == right {
                        ('=', 100.0)
                    } else {
                        ('~', 0.0)
                    };
                    format!(
                        "\n\t{marker}{}{}{}",
                        weight(o.weight, default),
                        escape(&o.text),
                        feedback(&o.feedback)
                    )
                })
                .collect::<String>()
                + "\n"
        }
        Kind::Multiple { options } => {
            options
                .iter()
                .map(|o| {
                    format!(
                        "\n\t~%{}%{}{}",
                        o.weight,
                        escape(&o.text),
                        feedback(&o.feedback)
                    )
                })
                .collect::<String>()
                + "\n"
        }
        Kind::Short { answers, .. } => answers
            .iter()
            .map(|a| {
                format!(
                    "={}{}{} ",
                    weight(a.weight, 100.0),
                    escape(&a.text),
                    feedback(&a.feedback)
                )
            })
            .collect(),
        Kind::Numeric { answers, .. } => {
            let mut s = String::from("#");
            for a in answers {
                let _ = write!(
                    s,
                    "={}{}:{}{} ",
                    weight(a.weight, 100.0),
                    a.value,
                    a.tolerance,
                    feedback(&a.feedback)
                );
            }
            s
        }
        Kind::Matching { pairs } => {
            pairs
                .iter()
                .map(|p| format!("\n\t={} -> {}", escape(&p.prompt), escape(&p.answer)))
                .collect::<String>()
                + "\n"
        }
        Kind::Ordering { .. } => return,
    };
    let general = if q.general_feedback.is_empty() {
        String::new()
    } else {
        format!("####{}", escape(&q.general_feedback))
    };
    let _ = write!(out, "{{{answers}{general}}}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(source: &str) -> Question {
        let parsed = parse(source);
        assert_eq!(parsed.skipped, vec![], "{source}");
        assert_eq!(parsed.questions.len(), 1, "{source}");
        parsed.questions[0].question.clone()
    }

    fn skipped(source: &str) -> Problem {
        let parsed = parse(source);
        assert!(
            parsed.questions.is_empty(),
            "{source}: {:?}",
            parsed.questions
        );
        assert_eq!(parsed.skipped.len(), 1, "{source}");
        parsed.skipped[0].problem.clone()
    }

    fn option(text: &str, weight: f64, feedback: &str) -> Choice {
        Choice {
            text: text.into(),
            weight,
            feedback: feedback.into(),
        }
    }

    #[test]
    fn single_choice_with_name_feedback_and_general_feedback() {
        let q = one("::养老金::城乡居民养老保险的最低缴费档次是每年多少元？{\n\
             \t~100元#这是2014年以前的档次\n\t=200元#正确\n\t~500元\n\
             ####见《2026年缴费档次通知》}");
        assert_eq!(q.name, "养老金");
        assert_eq!(q.text, "城乡居民养老保险的最低缴费档次是每年多少元？");
        assert_eq!(q.general_feedback, "见《2026年缴费档次通知》");
        assert_eq!(
            q.kind,
            Kind::Single {
                options: vec![
                    option("100元", 0.0, "这是2014年以前的档次"),
                    option("200元", 100.0, "正确"),
                    option("500元", 0.0, ""),
                ]
            }
        );
    }

    #[test]
    fn weights_without_an_equals_sign_make_a_multiple_choice() {
        let q = one("Which are documents? {~%50%ID card ~%50%Hukou ~%-100%Bus ticket}");
        assert_eq!(
            q.kind,
            Kind::Multiple {
                options: vec![
                    option("ID card", 50.0, ""),
                    option("Hukou", 50.0, ""),
                    option("Bus ticket", -100.0, ""),
                ]
            }
        );
    }

    #[test]
    fn missing_word_puts_a_blank_where_the_answers_were() {
        let q = one("Grant is {~buried =entombed ~living} in Grant's tomb.");
        assert_eq!(q.text, "Grant is _____ in Grant's tomb.");
        assert!(matches!(q.kind, Kind::Single { .. }));
    }

    #[test]
    fn true_false_in_every_spelling_with_both_feedbacks() {
        for (src, want) in [
            ("{T}", true),
            ("{TRUE}", true),
            ("{f}", false),
            ("{FALSE}", false),
        ] {
            let q = one(&format!("The sun rises in the east.{src}"));
            assert_eq!(
                q.kind,
                Kind::TrueFalse {
                    answer: want,
                    feedback_wrong: String::new(),
                    feedback_right: String::new()
                }
            );
        }
        let q = one("退休年龄可以延迟。{TRUE#请复习第3章#回答正确}");
        assert_eq!(
            q.kind,
            Kind::TrueFalse {
                answer: true,
                feedback_wrong: "请复习第3章".into(),
                feedback_right: "回答正确".into()
            }
        );
    }

    #[test]
    fn short_answer_alternatives_with_weights() {
        let q = one("Two plus two equals {=four =%50%4#digits count half}.");
        assert_eq!(q.text, "Two plus two equals _____ .");
        assert_eq!(
            q.kind,
            Kind::Short {
                answers: vec![
                    ShortAnswer {
                        text: "four".into(),
                        weight: 100.0,
                        feedback: String::new()
                    },
                    ShortAnswer {
                        text: "4".into(),
                        weight: 50.0,
                        feedback: "digits count half".into()
                    },
                ],
                case_sensitive: false
            }
        );
    }

    #[test]
    fn numeric_tolerance_range_and_several_answers() {
        let num = |value, tolerance, weight| NumericAnswer {
            value,
            tolerance,
            weight,
            feedback: String::new(),
        };
        assert_eq!(
            one("Two and a half, near enough?{#2.5:0.005}").kind,
            Kind::Numeric {
                answers: vec![num(2.5, 0.005, 100.0)],
                units: vec![]
            }
        );
        assert_eq!(
            one("A number from 1 to 5?{#1..5}").kind,
            Kind::Numeric {
                answers: vec![num(3.0, 2.0, 100.0)],
                units: vec![]
            }
        );
        assert_eq!(
            one("When was Grant born?{#\n=1822:0\n=%50%1822:2}").kind,
            Kind::Numeric {
                answers: vec![num(1822.0, 0.0, 100.0), num(1822.0, 2.0, 50.0)],
                units: vec![]
            }
        );
        assert_eq!(
            skipped("How many?{#twelve}"),
            Problem::BadNumber("twelve".into())
        );
        assert_eq!(
            skipped("How many?{#5..1}"),
            Problem::BadNumber("5..1".into())
        );
    }

    #[test]
    fn matching_pairs_and_a_distractor() {
        let q = one("配对：{=社保卡 -> 人社部门 =医保卡 -> 医保部门 = -> 税务部门}");
        assert_eq!(
            q.kind,
            Kind::Matching {
                pairs: vec![
                    Pair {
                        prompt: "社保卡".into(),
                        answer: "人社部门".into()
                    },
                    Pair {
                        prompt: "医保卡".into(),
                        answer: "医保部门".into()
                    },
                    Pair {
                        prompt: String::new(),
                        answer: "税务部门".into()
                    },
                ]
            }
        );
        assert_eq!(skipped("Match: {=a -> b}"), Problem::BadMatching);
        assert_eq!(
            skipped("Match: {=a -> b =c -> d =e}"),
            Problem::MixedAnswers
        );
    }

    #[test]
    fn essay_and_description() {
        assert_eq!(
            one("Describe a difficult case you handled.{}").kind,
            Kind::Essay {
                rubric: String::new()
            }
        );
        let d = one("The next questions are about pensions.");
        assert_eq!(d.kind, Kind::Description);
        assert_eq!(d.text, "The next questions are about pensions.");
    }

    #[test]
    fn every_escape_is_the_character_itself() {
        let q = one(r"::a\:b::Is 1\=1 \{really\} \~ \#1?\nYes.{=yes\#1 ~no\~}");
        assert_eq!(q.name, "a:b");
        assert_eq!(q.text, "Is 1=1 {really} ~ #1?\nYes.");
        assert_eq!(
            q.kind,
            Kind::Single {
                options: vec![option("yes#1", 100.0, ""), option("no~", 0.0, "")]
            }
        );
    }

    #[test]
    fn categories_comments_and_formats() {
        let parsed = parse(
            "// 题库：养老保险\n$CATEGORY: $course$/top/养老/政策\n\n\
             [markdown]**缴费**年限至少几年？{#15}\n\n\
             // a comment between questions\n\
             $CATEGORY: 医保\n\n\
             [html]<b>Hi</b>{}\n",
        );
        assert_eq!(parsed.skipped, vec![]);
        let qs: Vec<&Question> = parsed.questions.iter().map(|r| &r.question).collect();
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].category.as_deref(), Some("养老/政策"));
        assert_eq!(qs[0].format, TextFormat::Markdown);
        assert_eq!(qs[0].text, "**缴费**年限至少几年？");
        assert_eq!(qs[1].category.as_deref(), Some("医保"));
        assert_eq!(qs[1].format, TextFormat::Html);
        assert_eq!(parsed.questions[0].line, 4);
        assert_eq!(parsed.questions[1].line, 9);
    }

    #[test]
    fn a_bad_question_is_skipped_with_its_line_and_the_rest_is_read() {
        let parsed = parse(
            "Good one?{T}\n\nBroken {~a =b\n\n::Name only::\n\nAnother?{~x}\n\n\
             Weighted?{~%abc%x =y}\n\nNobody right?{~a ~b}\n\nStray {words ~a =b}\n\n\
             ::unclosed name {T}\n\nLast?{F}",
        );
        let problems: Vec<(usize, Problem)> = parsed
            .skipped
            .iter()
            .map(|s| (s.line, s.problem.clone()))
            .collect();
        assert_eq!(
            problems,
            vec![
                (3, Problem::Unclosed),
                (5, Problem::NoText),
                (7, Problem::TooFewOptions),
                (9, Problem::BadWeight("abc".into())),
                (11, Problem::NoRightOption),
                (13, Problem::StrayText("words".into())),
                (15, Problem::UnclosedName),
            ]
        );
        let lines: Vec<usize> = parsed.questions.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 17]);
        assert_eq!(parsed.skipped[0].what, "Broken {~a =b");
    }

    #[test]
    fn a_second_answer_block_is_refused() {
        assert_eq!(skipped("One {=a} two {=b}"), Problem::Nested);
        assert_eq!(skipped("One {=a {=b}}"), Problem::Nested);
        assert_eq!(skipped("Closed } never opened"), Problem::Unopened);
    }

    #[test]
    fn windows_line_endings_and_a_byte_order_mark_are_read() {
        let q = one("\u{feff}::Q::Line one\r\nline two{T}\r\n");
        assert_eq!(q.name, "Q");
        assert_eq!(q.text, "Line one\nline two");
    }

    /// Every kind GIFT holds, with awkward text, comes back the same.
    #[test]
    fn written_and_read_again_every_question_is_the_same() {
        let base = |name: &str, text: &str, kind: Kind| Question {
            name: name.into(),
            text: text.into(),
            format: TextFormat::Moodle,
            category: Some("养老/政策".into()),
            kind,
            general_feedback: String::new(),
            files: vec![],
            points: 1.0,
            competency: None,
        };
        let mut questions = vec![
            base(
                "单选::一",
                "::最低缴费档次: {每年} ~ = # \\ 多少?\n第二行",
                Kind::Single {
                    options: vec![
                        option("100元", 0.0, "旧档次: 2014"),
                        option("200元", 100.0, "正确"),
                        option("300元", 25.0, ""),
                    ],
                },
            ),
            base(
                "",
                "多选",
                Kind::Multiple {
                    options: vec![
                        option("a", 33.33333, ""),
                        option("b", 66.66667, "half#"),
                        option("c", -100.0, ""),
                    ],
                },
            ),
            base(
                "判断",
                "可以延迟退休。",
                Kind::TrueFalse {
                    answer: false,
                    feedback_wrong: String::new(),
                    feedback_right: "对".into(),
                },
            ),
            base(
                "数值",
                "缴费年限?",
                Kind::Numeric {
                    answers: vec![
                        NumericAnswer {
                            value: 15.0,
                            tolerance: 0.0,
                            weight: 100.0,
                            feedback: "十五年".into(),
                        },
                        NumericAnswer {
                            value: -2.5,
                            tolerance: 0.25,
                            weight: 50.0,
                            feedback: String::new(),
                        },
                    ],
                    units: vec![],
                },
            ),
            base(
                "填空",
                "社会保障卡的简称",
                Kind::Short {
                    answers: vec![
                        ShortAnswer {
                            text: "社保卡".into(),
                            weight: 100.0,
                            feedback: String::new(),
                        },
                        ShortAnswer {
                            text: "社会保障卡 {全称}".into(),
                            weight: 80.0,
                            feedback: "也对".into(),
                        },
                    ],
                    case_sensitive: false,
                },
            ),
            base(
                "配对",
                "配对",
                Kind::Matching {
                    pairs: vec![
                        Pair {
                            prompt: "a -> x".replace("->", "to"),
                            answer: "1".into(),
                        },
                        Pair {
                            prompt: "b".into(),
                            answer: "2".into(),
                        },
                        Pair {
                            prompt: String::new(),
                            answer: "3".into(),
                        },
                    ],
                },
            ),
            base(
                "论述",
                "谈谈你处理投诉的经验。",
                Kind::Essay {
                    rubric: String::new(),
                },
            ),
            base("", "以下是关于医保的题目。", Kind::Description),
        ];
        questions[0].general_feedback = "见通知 #3".into();
        questions[1].format = TextFormat::Markdown;
        questions[2].category = None;
        let (gift, left_out) = write(&questions);
        assert_eq!(left_out, vec![]);
        let parsed = parse(&gift);
        assert_eq!(parsed.skipped, vec![], "{gift}");
        let back: Vec<Question> = parsed.questions.into_iter().map(|r| r.question).collect();
        assert_eq!(back, questions, "{gift}");
    }

    #[test]
    fn ordering_questions_are_left_out_of_gift_and_said_so() {
        let q = Question {
            name: String::new(),
            text: "Order".into(),
            format: TextFormat::Moodle,
            category: None,
            kind: Kind::Ordering {
                items: vec!["a".into(), "b".into()],
            },
            general_feedback: String::new(),
            files: vec![],
            points: 1.0,
            competency: None,
        };
        let (gift, left_out) = write(&[q]);
        assert_eq!(gift, "");
        assert_eq!(left_out, vec![(0, NotWritten::Ordering)]);
    }
}
