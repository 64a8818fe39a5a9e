//! Moodle XML, the format Moodle exports a question bank in
//! (docs.moodle.org/en/Moodle_XML_format), read and written.
//!
//! A `<quiz>` holds `<question type="…">` elements; a `category` one sets the
//! category of the questions after it. Texts are `<text>` elements, often CDATA,
//! with a `format` on their parent; files the text shows (`@@PLUGINFILE@@/name`)
//! come as base64 `<file>` elements and are kept as they are. A file that is not
//! well-formed XML is refused with the line of the fault; a question that cannot
//! be read is skipped with its line and why, and the rest is read.

use quick_xml::events::Event;
use serde::Deserialize;

use super::question::{
    COMPETENCY_TAG, Choice, File, Kind, NumericAnswer, Pair, Question, ShortAnswer, TextFormat,
    Unit,
};

/// Why a question was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A type Gapwise does not have (cloze, calculated, drag and drop…).
    Unsupported(String),
    /// No question text.
    NoText,
    /// A `fraction` or number that is not one.
    BadNumber(String),
    TooFewOptions,
    NoRightOption,
    /// True/false without a `true` and a `false` answer.
    BadTrueFalse,
    /// Matching with fewer than two pairs, or a pair without an answer.
    BadMatching,
    /// No answers where some are needed.
    NoAnswers,
    /// The element's content did not have the shape of its type.
    Malformed(String),
}

impl From<Problem> for crate::error::QuestionProblem {
    fn from(p: Problem) -> Self {
        match p {
            Problem::Unsupported(kind) => Self::Unsupported { kind },
            Problem::NoText => Self::NoText,
            Problem::BadNumber(value) => Self::XmlNumber { value },
            Problem::TooFewOptions => Self::TooFewOptions,
            Problem::NoRightOption => Self::NoRightOption,
            Problem::BadTrueFalse => Self::BadTrueFalse,
            Problem::BadMatching => Self::XmlMatching,
            Problem::NoAnswers => Self::NoAnswers,
            Problem::Malformed(detail) => Self::Malformed { detail },
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::error::QuestionProblem::from(self.clone()).fmt(f)
    }
}

/// The whole file refused: not XML, or not a `<quiz>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub line: usize,
    pub reason: String,
}

pub type Parsed = super::Parsed<Problem>;

#[derive(Deserialize, Default)]
struct Text {
    #[serde(default)]
    text: String,
}

#[derive(Deserialize, Default)]
struct Formatted {
    #[serde(rename = "@format", default)]
    format: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(rename = "file", default)]
    files: Vec<RawFile>,
}

#[derive(Deserialize)]
struct RawFile {
    #[serde(rename = "@name")]
    name: String,
    #[serde(rename = "$text", default)]
    data: String,
}

#[derive(Deserialize, Default)]
struct RawAnswer {
    #[serde(rename = "@fraction", default)]
    fraction: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    feedback: Option<Formatted>,
    #[serde(default)]
    tolerance: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawSubquestion {
    #[serde(default)]
    text: String,
    #[serde(default)]
    answer: Option<Text>,
}

#[derive(Deserialize, Default)]
struct RawUnits {
    #[serde(rename = "unit", default)]
    units: Vec<RawUnit>,
}

#[derive(Deserialize)]
struct RawUnit {
    #[serde(default)]
    multiplier: String,
    #[serde(default)]
    unit_name: String,
}

#[derive(Deserialize, Default)]
struct RawQuestion {
    #[serde(rename = "@type", default)]
    kind: String,
    #[serde(default)]
    name: Option<Text>,
    #[serde(default)]
    questiontext: Option<Formatted>,
    #[serde(default)]
    generalfeedback: Option<Formatted>,
    #[serde(default)]
    category: Option<Text>,
    #[serde(default)]
    single: Option<String>,
    #[serde(default)]
    usecase: Option<String>,
    #[serde(rename = "answer", default)]
    answers: Vec<RawAnswer>,
    #[serde(rename = "subquestion", default)]
    subquestions: Vec<RawSubquestion>,
    #[serde(default)]
    units: Option<RawUnits>,
    #[serde(default)]
    graderinfo: Option<Formatted>,
    #[serde(default)]
    defaultgrade: Option<String>,
    #[serde(default)]
    tags: Option<RawTags>,
}

#[derive(Deserialize, Default)]
struct RawTags {
    #[serde(rename = "tag", default)]
    tags: Vec<Text>,
}

/// Line of each byte offset's position, counting from 1.
fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// Each `<question>` under the root, as its own piece of text with its line, or
/// the file refused at the first fault.
fn question_elements(source: &str) -> Result<Vec<(usize, &str)>, Refused> {
    let mut reader = quick_xml::Reader::from_str(source);
    let mut depth = 0usize;
    let mut root_seen = false;
    let mut start = None;
    let mut out = Vec::new();
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| Refused {
            line: line_of(
                source,
                usize::try_from(reader.error_position()).unwrap_or(0),
            ),
            reason: e.to_string(),
        })?;
        let after = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Event::Start(e) => {
                if depth == 0 {
                    if e.name().0 != "quiz" {
                        return Err(Refused {
                            line: line_of(source, before),
                            reason: "the file's root element is not <quiz>".into(),
                        });
                    }
                    root_seen = true;
                } else if depth == 1 && e.name().0 == "question" {
                    start = Some(before);
                }
                depth += 1;
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if depth == 1
                    && e.name().0 == "question"
                    && let Some(s) = start.take()
                {
                    out.push((line_of(source, s), &source[s..after]));
                }
            }
            Event::Empty(e) if depth == 1 && e.name().0 == "question" => {
                out.push((line_of(source, before), &source[before..after]));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        return Err(Refused {
            line: 1,
            reason: "no <quiz> element".into(),
        });
    }
    Ok(out)
}

/// Reads a Moodle XML file.
pub fn parse(source: &str) -> Result<Parsed, Refused> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut parsed = Parsed::default();
    let mut category: Option<String> = None;
    for (line, element) in question_elements(source)? {
        let raw: RawQuestion = match quick_xml::de::from_str(element) {
            Ok(raw) => raw,
            Err(e) => {
                parsed.skipped.push(super::Skipped {
                    line,
                    what: "question".into(),
                    problem: Problem::Malformed(e.to_string()),
                });
                continue;
            }
        };
        if raw.kind == "category" {
            category = raw.category.and_then(|c| super::category_path(&c.text));
            continue;
        }
        let element = raw
            .name
            .as_ref()
            .map(|n| n.text.trim().to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| raw.kind.clone());
        match question(raw) {
            Ok(mut q) => {
                q.category.clone_from(&category);
                parsed.questions.push(super::Read { line, question: q });
            }
            Err(problem) => parsed.skipped.push(super::Skipped {
                line,
                what: element,
                problem,
            }),
        }
    }
    Ok(parsed)
}

fn format_of(name: Option<&str>) -> TextFormat {
    match name.unwrap_or("html") {
        "moodle_auto_format" => TextFormat::Moodle,
        "plain_text" => TextFormat::Plain,
        "markdown" => TextFormat::Markdown,
        _ => TextFormat::Html,
    }
}

fn format_name(format: TextFormat) -> &'static str {
    match format {
        TextFormat::Moodle => "moodle_auto_format",
        TextFormat::Plain => "plain_text",
        TextFormat::Markdown => "markdown",
        TextFormat::Html => "html",
    }
}

fn number(raw: &str) -> Result<f64, Problem> {
    super::finite(raw).ok_or_else(|| Problem::BadNumber(raw.trim().to_owned()))
}

fn fraction(a: &RawAnswer) -> Result<f64, Problem> {
    a.fraction.as_deref().map_or(Ok(0.0), number)
}

fn feedback(a: &RawAnswer) -> String {
    a.feedback
        .as_ref()
        .map(|f| f.text.clone())
        .unwrap_or_default()
}

fn question(raw: RawQuestion) -> Result<Question, Problem> {
    let text = raw.questiontext.unwrap_or_default();
    let name = raw
        .name
        .map(|n| n.text.trim().to_owned())
        .unwrap_or_default();
    if text.text.trim().is_empty() {
        return Err(Problem::NoText);
    }
    let points = match raw.defaultgrade.as_deref().map(str::trim) {
        None | Some("") => 1.0,
        Some(p) => super::finite(p)
            .filter(|x| *x >= 0.0)
            .ok_or_else(|| Problem::BadNumber(p.to_owned()))?,
    };
    let competency = raw.tags.unwrap_or_default().tags.into_iter().find_map(|t| {
        t.text
            .trim()
            .strip_prefix(COMPETENCY_TAG)
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
    });
    let kind = match raw.kind.as_str() {
        "multichoice" => {
            let options = raw
                .answers
                .iter()
                .map(|a| {
                    Ok(Choice {
                        text: a.text.clone(),
                        weight: fraction(a)?,
                        feedback: feedback(a),
                    })
                })
                .collect::<Result<Vec<_>, Problem>>()?;
            if options.len() < 2 {
                return Err(Problem::TooFewOptions);
            }
            if !options.iter().any(|o| o.weight > 0.0) {
                return Err(Problem::NoRightOption);
            }
            match raw.single.as_deref().map(str::trim) {
                Some("false" | "0") => Kind::Multiple { options },
                _ => Kind::Single { options },
            }
        }
        "truefalse" => {
            let find = |value: &str| {
                raw.answers
                    .iter()
                    .find(|a| a.text.trim().eq_ignore_ascii_case(value))
            };
            let (Some(t), Some(f)) = (find("true"), find("false")) else {
                return Err(Problem::BadTrueFalse);
            };
            let answer = fraction(t)? > fraction(f)?;
            let (right, wrong) = if answer { (t, f) } else { (f, t) };
            Kind::TrueFalse {
                answer,
                feedback_wrong: feedback(wrong),
                feedback_right: feedback(right),
            }
        }
        "shortanswer" => {
            if raw.answers.is_empty() {
                return Err(Problem::NoAnswers);
            }
            Kind::Short {
                answers: raw
                    .answers
                    .iter()
                    .map(|a| {
                        Ok(ShortAnswer {
                            text: a.text.clone(),
                            weight: fraction(a)?,
                            feedback: feedback(a),
                        })
                    })
                    .collect::<Result<_, Problem>>()?,
                case_sensitive: raw.usecase.as_deref().map(str::trim) == Some("1"),
            }
        }
        "numerical" => {
            // `*` is Moodle's "any other answer", there only to carry feedback.
            let answers = raw
                .answers
                .iter()
                .filter(|a| a.text.trim() != "*")
                .map(|a| {
                    Ok(NumericAnswer {
                        value: number(&a.text)?,
                        tolerance: a.tolerance.as_deref().map_or(Ok(0.0), number)?.abs(),
                        weight: fraction(a)?,
                        feedback: feedback(a),
                    })
                })
                .collect::<Result<Vec<_>, Problem>>()?;
            if answers.is_empty() {
                return Err(Problem::NoAnswers);
            }
            let units = raw
                .units
                .map(|u| u.units)
                .unwrap_or_default()
                .into_iter()
                .map(|u| {
                    Ok(Unit {
                        name: u.unit_name.trim().to_owned(),
                        multiplier: number(&u.multiplier)?,
                    })
                })
                .collect::<Result<_, Problem>>()?;
            Kind::Numeric { answers, units }
        }
        "matching" => {
            let pairs: Vec<Pair> = raw
                .subquestions
                .into_iter()
                .map(|s| Pair {
                    prompt: s.text,
                    answer: s.answer.map(|a| a.text).unwrap_or_default(),
                })
                .collect();
            let real = pairs.iter().filter(|p| !p.prompt.trim().is_empty()).count();
            if real < 2 || pairs.iter().any(|p| p.answer.trim().is_empty()) {
                return Err(Problem::BadMatching);
            }
            Kind::Matching { pairs }
        }
        "ordering" => {
            // qtype_ordering writes the items in their right order; `fraction`
            // numbers them, when present.
            let mut items = raw
                .answers
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let at = a.fraction.as_deref().map_or(Ok(i as f64), number)?;
                    Ok((at, a.text.clone()))
                })
                .collect::<Result<Vec<_>, Problem>>()?;
            items.sort_by(|a, b| a.0.total_cmp(&b.0));
            if items.len() < 2 {
                return Err(Problem::TooFewOptions);
            }
            Kind::Ordering {
                items: items.into_iter().map(|(_, t)| t).collect(),
            }
        }
        "essay" => Kind::Essay {
            rubric: raw.graderinfo.map(|g| g.text).unwrap_or_default(),
        },
        "description" => Kind::Description,
        other => return Err(Problem::Unsupported(other.to_owned())),
    };
    Ok(Question {
        name,
        format: format_of(text.format.as_deref()),
        text: text.text,
        category: None,
        kind,
        general_feedback: raw.generalfeedback.map(|g| g.text).unwrap_or_default(),
        files: text
            .files
            .into_iter()
            .map(|f| File {
                name: f.name,
                base64: f.data.split_whitespace().collect(),
            })
            .collect(),
        points,
        competency,
    })
}

/// Text as CDATA: `]]>` inside it is split across two sections.
fn cdata(s: &str) -> String {
    format!("<![CDATA[{}]]>", s.replace("]]>", "]]]]><![CDATA[>"))
}

fn attr(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

fn text_element(tag: &str, format: Option<TextFormat>, text: &str) -> String {
    let format = format.map_or(String::new(), |f| format!(" format=\"{}\"", format_name(f)));
    format!("<{tag}{format}><text>{}</text></{tag}>", cdata(text))
}

fn answer(fraction: f64, text: &str, feedback: &str, extra: &str) -> String {
    format!(
        "    <answer fraction=\"{fraction}\" format=\"html\"><text>{}</text>{extra}{}</answer>\n",
        cdata(text),
        text_element("feedback", Some(TextFormat::Html), feedback)
    )
}

/// Writes questions as Moodle XML.
pub fn write(questions: &[Question]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    let mut category: Option<&str> = None;
    for q in questions {
        if q.category.as_deref() != category {
            category = q.category.as_deref();
            out.push_str(&format!(
                "  <question type=\"category\">{}</question>\n",
                text_element(
                    "category",
                    None,
                    &format!("$course$/top/{}", category.unwrap_or(""))
                )
            ));
        }
        write_question(&mut out, q);
    }
    out.push_str("</quiz>\n");
    out
}

fn write_question(out: &mut String, q: &Question) {
    let kind = match q.kind {
        Kind::Single { .. } | Kind::Multiple { .. } => "multichoice",
        Kind::TrueFalse { .. } => "truefalse",
        Kind::Numeric { .. } => "numerical",
        Kind::Short { .. } => "shortanswer",
        Kind::Matching { .. } => "matching",
        Kind::Ordering { .. } => "ordering",
        Kind::Essay { .. } => "essay",
        Kind::Description => "description",
    };
    out.push_str(&format!("  <question type=\"{kind}\">\n    "));
    out.push_str(&text_element("name", None, &q.name));
    let files: String = q
        .files
        .iter()
        .map(|f| {
            format!(
                "<file name=\"{}\" path=\"/\" encoding=\"base64\">{}</file>",
                attr(&f.name),
                f.base64
            )
        })
        .collect();
    out.push_str(&format!(
        "\n    <questiontext format=\"{}\"><text>{}</text>{files}</questiontext>\n    ",
        format_name(q.format),
        cdata(&q.text)
    ));
    out.push_str(&text_element(
        "generalfeedback",
        Some(TextFormat::Html),
        &q.general_feedback,
    ));
    out.push_str(&format!(
        "\n    <defaultgrade>{}</defaultgrade>\n",
        q.points
    ));
    if let Some(code) = &q.competency {
        out.push_str(&format!(
            "    <tags><tag><text>{}</text></tag></tags>\n",
            cdata(&format!("{COMPETENCY_TAG}{code}"))
        ));
    }
    match &q.kind {
        Kind::Single { options } | Kind::Multiple { options } => {
            let single = matches!(q.kind, Kind::Single { .. });
            out.push_str(&format!("    <single>{single}</single>\n"));
            for o in options {
                out.push_str(&answer(o.weight, &o.text, &o.feedback, ""));
            }
        }
        Kind::TrueFalse {
            answer: right,
            feedback_wrong,
            feedback_right,
        } => {
            for value in [true, false] {
                let (fraction, feedback) = if value == *right {
                    (100.0, feedback_right)
                } else {
                    (0.0, feedback_wrong)
                };
                out.push_str(&answer(fraction, &value.to_string(), feedback, ""));
            }
        }
        Kind::Short {
            answers,
            case_sensitive,
        } => {
            out.push_str(&format!(
                "    <usecase>{}</usecase>\n",
                u8::from(*case_sensitive)
            ));
            for a in answers {
                out.push_str(&answer(a.weight, &a.text, &a.feedback, ""));
            }
        }
        Kind::Numeric { answers, units } => {
            for a in answers {
                let tolerance = format!("<tolerance>{}</tolerance>", a.tolerance);
                out.push_str(&answer(
                    a.weight,
                    &a.value.to_string(),
                    &a.feedback,
                    &tolerance,
                ));
            }
            if !units.is_empty() {
                out.push_str("    <units>");
                for u in units {
                    out.push_str(&format!(
                        "<unit><multiplier>{}</multiplier><unit_name>{}</unit_name></unit>",
                        u.multiplier,
                        attr(&u.name)
                    ));
                }
                out.push_str("</units>\n");
            }
        }
        Kind::Matching { pairs } => {
            for p in pairs {
                out.push_str(&format!(
                    "    <subquestion format=\"html\"><text>{}</text><answer><text>{}</text></answer></subquestion>\n",
                    cdata(&p.prompt),
                    cdata(&p.answer)
                ));
            }
        }
        Kind::Ordering { items } => {
            for (i, item) in items.iter().enumerate() {
                out.push_str(&answer((i + 1) as f64, item, "", ""));
            }
        }
        Kind::Essay { rubric } => {
            out.push_str("    ");
            out.push_str(&text_element("graderinfo", Some(TextFormat::Html), rubric));
            out.push('\n');
        }
        Kind::Description => {}
    }
    out.push_str("  </question>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category><text>$course$/top/默认/养老保险</text></category>
  </question>
  <question type="multichoice">
    <name><text>缴费档次</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>最低缴费档次是多少？<img src="@@PLUGINFILE@@/chart.png"></p>]]></text>
      <file name="chart.png" path="/" encoding="base64">iVBORw0KGgo=
AAAA</file>
    </questiontext>
    <generalfeedback format="html"><text>见通知</text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answer fraction="0" format="html"><text>100元</text><feedback format="html"><text>旧档次</text></feedback></answer>
    <answer fraction="100" format="html"><text>200元</text><feedback format="html"><text></text></feedback></answer>
  </question>
  <question type="multichoice">
    <name><text>Documents</text></name>
    <questiontext format="moodle_auto_format"><text>Which are documents?</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>ID card</text></answer>
    <answer fraction="50"><text>Hukou</text></answer>
    <answer fraction="-100"><text>Bus ticket</text></answer>
  </question>
  <question type="truefalse">
    <name><text>TF</text></name>
    <questiontext format="html"><text>可以延迟退休。</text></questiontext>
    <answer fraction="0"><text>true</text><feedback><text>请复习</text></feedback></answer>
    <answer fraction="100"><text>false</text><feedback><text>对</text></feedback></answer>
  </question>
  <question type="shortanswer">
    <name><text>SA</text></name>
    <questiontext format="html"><text>简称？</text></questiontext>
    <usecase>0</usecase>
    <answer fraction="100"><text>社保卡</text></answer>
  </question>
  <question type="numerical">
    <name><text>Num</text></name>
    <questiontext format="html"><text>长度？</text></questiontext>
    <answer fraction="100"><text>1.5</text><tolerance>0.1</tolerance></answer>
    <answer fraction="0"><text>*</text><feedback><text>No</text></feedback></answer>
    <units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit><unit><multiplier>100</multiplier><unit_name>cm</unit_name></unit></units>
  </question>
  <question type="matching">
    <name><text>Match</text></name>
    <questiontext format="html"><text>配对</text></questiontext>
    <subquestion format="html"><text>社保卡</text><answer><text>人社</text></answer></subquestion>
    <subquestion format="html"><text>医保卡</text><answer><text>医保</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>税务</text></answer></subquestion>
  </question>
  <question type="essay">
    <name><text>Essay</text></name>
    <questiontext format="html"><text>谈谈经验。</text></questiontext>
    <graderinfo format="html"><text>结构 2 分，例子 3 分</text></graderinfo>
  </question>
  <question type="calculated">
    <name><text>Calc</text></name>
    <questiontext format="html"><text>{a} + {b}?</text></questiontext>
  </question>
  <question type="multichoice">
    <name><text>Nobody right</text></name>
    <questiontext format="html"><text>?</text></questiontext>
    <answer fraction="0"><text>a</text></answer>
    <answer fraction="0"><text>b</text></answer>
  </question>
</quiz>
"#;

    #[test]
    fn every_supported_type_is_read_and_the_rest_skipped_with_their_line() {
        let parsed = parse(SAMPLE).unwrap();
        let kinds: Vec<&str> = parsed
            .questions
            .iter()
            .map(|r| r.question.kind.name())
            .collect();
        assert_eq!(
            kinds,
            vec![
                "single",
                "multiple",
                "truefalse",
                "short",
                "numeric",
                "matching",
                "essay"
            ]
        );
        let first = &parsed.questions[0].question;
        assert_eq!(first.name, "缴费档次");
        assert_eq!(first.category.as_deref(), Some("默认/养老保险"));
        assert_eq!(first.format, TextFormat::Html);
        assert!(
            first.text.contains("@@PLUGINFILE@@/chart.png"),
            "{}",
            first.text
        );
        assert_eq!(
            first.files,
            vec![File {
                name: "chart.png".into(),
                base64: "iVBORw0KGgo=AAAA".into()
            }]
        );
        assert_eq!(first.general_feedback, "见通知");
        assert_eq!(parsed.questions[0].line, 7);
        assert_eq!(parsed.questions[1].question.format, TextFormat::Moodle);
        assert_eq!(
            parsed.questions[2].question.kind,
            Kind::TrueFalse {
                answer: false,
                feedback_wrong: "请复习".into(),
                feedback_right: "对".into()
            }
        );
        assert_eq!(
            parsed.questions[4].question.kind,
            Kind::Numeric {
                answers: vec![NumericAnswer {
                    value: 1.5,
                    tolerance: 0.1,
                    weight: 100.0,
                    feedback: String::new()
                }],
                units: vec![
                    Unit {
                        name: "m".into(),
                        multiplier: 1.0
                    },
                    Unit {
                        name: "cm".into(),
                        multiplier: 100.0
                    }
                ]
            }
        );
        assert_eq!(
            parsed.questions[6].question.kind,
            Kind::Essay {
                rubric: "结构 2 分，例子 3 分".into()
            }
        );
        let skipped: Vec<(&str, &Problem)> = parsed
            .skipped
            .iter()
            .map(|s| (s.what.as_str(), &s.problem))
            .collect();
        assert_eq!(
            skipped,
            vec![
                ("Calc", &Problem::Unsupported("calculated".into())),
                ("Nobody right", &Problem::NoRightOption),
            ]
        );
        assert_eq!(
            parsed.skipped[0].line,
            SAMPLE
                .lines()
                .position(|l| l.contains("\"calculated\""))
                .unwrap()
                + 1
        );
    }

    #[test]
    fn a_file_that_is_not_xml_is_refused_with_its_line() {
        let refused =
            parse("<quiz>\n<question type=\"essay\">\n<name><text>x</name>\n</quiz>").unwrap_err();
        assert_eq!(refused.line, 3, "{refused:?}");
        let refused = parse("<questions></questions>").unwrap_err();
        assert!(refused.reason.contains("<quiz>"), "{refused:?}");
    }

    #[test]
    fn a_bad_fraction_is_named() {
        let parsed = parse(
            "<quiz><question type=\"multichoice\"><name><text>F</text></name>\
             <questiontext><text>?</text></questiontext>\
             <answer fraction=\"lots\"><text>a</text></answer>\
             <answer fraction=\"100\"><text>b</text></answer></question></quiz>",
        )
        .unwrap();
        assert_eq!(parsed.skipped[0].problem, Problem::BadNumber("lots".into()));
    }

    /// Every kind, with awkward text (CDATA's own end marker, markup, CJK),
    /// written and read again, comes back the same.
    #[test]
    fn written_and_read_again_every_question_is_the_same() {
        let parsed = parse(SAMPLE).unwrap();
        let mut questions: Vec<Question> =
            parsed.questions.into_iter().map(|r| r.question).collect();
        questions.push(Question {
            name: "顺序 & <order>".into(),
            text: "Put ]]> in order <b>now</b>".into(),
            format: TextFormat::Markdown,
            category: None,
            kind: Kind::Ordering {
                items: vec!["受理".into(), "审核".into(), "办结".into()],
            },
            general_feedback: String::new(),
            files: vec![],
            points: 2.5,
            competency: Some("SVC-01".into()),
        });
        questions.push(Question {
            name: String::new(),
            text: "以下是关于医保的题目。".into(),
            format: TextFormat::Plain,
            category: Some("医保".into()),
            kind: Kind::Description,
            general_feedback: String::new(),
            files: vec![],
            points: 1.0,
            competency: None,
        });
        let xml = write(&questions);
        let again = parse(&xml).unwrap();
        assert_eq!(again.skipped, vec![], "{xml}");
        let back: Vec<Question> = again.questions.into_iter().map(|r| r.question).collect();
        assert_eq!(back, questions, "{xml}");
    }
}
