//! A question as the bank keeps it, whichever format it came from or goes to.
//!
//! Weights are percentages as GIFT and Moodle XML write them (100 for a right
//! answer, 50 for half credit, −100 for a penalty), kept as written so that a
//! question exported and imported again comes back the same.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// The title a trainer gave it; empty when the file gave none.
    pub name: String,
    pub text: String,
    pub format: TextFormat,
    /// Category path, levels separated by `/`.
    pub category: Option<String>,
    pub kind: Kind,
    /// Shown after the attempt, whatever was answered.
    pub general_feedback: String,
    /// Images and other files the text refers to (`@@PLUGINFILE@@/name` in
    /// Moodle XML), kept as they came.
    #[serde(default)]
    pub files: Vec<File>,
    /// What a fully right answer scores (Moodle's default mark, the sheet's 分值).
    #[serde(default = "one_point")]
    pub points: f64,
    /// The competency the question measures, by code (a Moodle XML tag
    /// `competency:CODE`, the sheet's 能力代码).
    #[serde(default)]
    pub competency: Option<String>,
}

fn one_point() -> f64 {
    1.0
}

/// The tag that carries a question's competency in Moodle XML.
pub const COMPETENCY_TAG: &str = "competency:";

/// A file embedded in a question, base64 as Moodle XML carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct File {
    pub name: String,
    pub base64: String,
}

/// How the question text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextFormat {
    /// Moodle's auto-format: plain text with line breaks kept.
    Moodle,
    Html,
    Plain,
    Markdown,
}

impl TextFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Moodle => "moodle",
            Self::Html => "html",
            Self::Plain => "plain",
            Self::Markdown => "markdown",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [Self::Moodle, Self::Html, Self::Plain, Self::Markdown]
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Kind {
    /// One option to pick.
    Single {
        options: Vec<Choice>,
    },
    /// Any number of options to tick.
    Multiple {
        options: Vec<Choice>,
    },
    TrueFalse {
        answer: bool,
        /// Shown to someone who picked the wrong value.
        feedback_wrong: String,
        /// Shown to someone who picked the right one.
        feedback_right: String,
    },
    Numeric {
        answers: Vec<NumericAnswer>,
        /// Units accepted after the number, each with what it multiplies by
        /// (`m` 1, `cm` 100); none when the answer is a bare number.
        units: Vec<Unit>,
    },
    Short {
        answers: Vec<ShortAnswer>,
        case_sensitive: bool,
    },
    Matching {
        pairs: Vec<Pair>,
    },
    /// Items in their right order; shown shuffled.
    Ordering {
        items: Vec<String>,
    },
    /// Graded by a trainer, against the rubric.
    Essay {
        rubric: String,
    },
    /// Text between questions, nothing to answer.
    Description,
}

impl Kind {
    /// A short stable name, for reports and the spreadsheet's 题型 column.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Single { .. } => "single",
            Self::Multiple { .. } => "multiple",
            Self::TrueFalse { .. } => "truefalse",
            Self::Numeric { .. } => "numeric",
            Self::Short { .. } => "short",
            Self::Matching { .. } => "matching",
            Self::Ordering { .. } => "ordering",
            Self::Essay { .. } => "essay",
            Self::Description => "description",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    /// Percent of the mark this option earns (negative: it costs).
    pub weight: f64,
    pub feedback: String,
}

/// Right when within `tolerance` of `value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericAnswer {
    pub value: f64,
    pub tolerance: f64,
    pub weight: f64,
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShortAnswer {
    pub text: String,
    pub weight: f64,
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub name: String,
    pub multiplier: f64,
}

/// A prompt and the answer it goes with. An empty prompt is a distractor: an
/// answer offered that matches nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    pub prompt: String,
    pub answer: String,
}
