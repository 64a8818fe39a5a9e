//! The one error type every server function returns.
//!
//! Variants are safe to show to a user; detail about internal failures stays in the
//! server log, and the user gets a request id to quote.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Why a question in a file (GIFT, Moodle XML or the question sheet) could not be
/// read; rendered through the i18n catalogue, with an English `Display` for logs
/// and tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum QuestionProblem {
    Unclosed,
    Nested,
    Unopened,
    UnclosedName,
    NoText,
    StrayText { text: String },
    BadWeight { weight: String },
    GiftNumber { value: String },
    TooFewOptions,
    NoRightOption,
    GiftMatching,
    MixedAnswers,
    EmptyAnswer,
    Unsupported { kind: String },
    XmlNumber { value: String },
    BadTrueFalse,
    XmlMatching,
    NoAnswers,
    Malformed { detail: String },
    UnknownType { kind: String },
    NoStem,
    NoAnswer,
    BadLetters { answer: String },
    SeveralForSingle { answer: String },
    SheetTrueFalse { answer: String },
    SheetNumber { answer: String },
    BadPoints { points: String },
}

impl std::fmt::Display for QuestionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unclosed => write!(f, "the answer block opened with {{ is never closed"),
            Self::Nested => write!(f, "a second {{ before the first was closed"),
            Self::Unopened => write!(f, "a }} with no {{ before it"),
            Self::UnclosedName => write!(f, "the name opened with :: is never closed"),
            Self::NoText => write!(f, "the question has no text"),
            Self::StrayText { text } => {
                write!(f, "text before the first ~ or = in the answers: {text}")
            }
            Self::BadWeight { weight } => {
                write!(f, "weight %{weight}% is not a number from -100 to 100")
            }
            Self::GiftNumber { value } => {
                write!(f, "{value} is not a number, number:tolerance or min..max")
            }
            Self::TooFewOptions => write!(f, "a choice question needs at least two options"),
            Self::NoRightOption => write!(f, "no option earns any credit"),
            Self::GiftMatching => write!(f, "a matching question needs at least two pairs a -> b"),
            Self::MixedAnswers => write!(f, "some answers are pairs (->) and some are not"),
            Self::EmptyAnswer => write!(f, "an answer is empty"),
            Self::Unsupported { kind } => write!(f, "question type \"{kind}\" is not supported"),
            Self::XmlNumber { value } => write!(f, "\"{value}\" is not a number"),
            Self::BadTrueFalse => {
                write!(f, "a true/false question needs a true and a false answer")
            }
            Self::XmlMatching => write!(f, "a matching question needs at least two pairs"),
            Self::NoAnswers => write!(f, "the question has no answers"),
            Self::Malformed { detail } => write!(f, "the element could not be read: {detail}"),
            Self::UnknownType { kind } => write!(
                f,
                "题型 \"{kind}\" is not one of 单选, 多选, 判断, 填空, 数值, 简答"
            ),
            Self::NoStem => write!(f, "题干 is empty"),
            Self::NoAnswer => write!(f, "答案 is empty"),
            Self::BadLetters { answer } => {
                write!(
                    f,
                    "答案 \"{answer}\" names an option that is empty or not A–F"
                )
            }
            Self::SeveralForSingle { answer } => {
                write!(
                    f,
                    "答案 \"{answer}\" gives several options for a single choice"
                )
            }
            Self::SheetTrueFalse { answer } => write!(f, "答案 \"{answer}\" is not 对 or 错"),
            Self::SheetNumber { answer } => write!(
                f,
                "答案 \"{answer}\" is not a number, number±tolerance or number:tolerance"
            ),
            Self::BadPoints { points } => write!(f, "分值 \"{points}\" is not a positive number"),
        }
    }
}

/// Why a value was rejected; rendered through the i18n catalogue on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    InvalidEmail,
    Taken,
    Unknown {
        value: String,
    },
    Inactive {
        value: String,
    },
    Duplicate {
        value: String,
    },
    InvalidRole {
        value: String,
    },
    ManagerCycle,
    UnitCycle,
    PasswordMismatch,
    WrongPassword,
    BadCsv {
        detail: String,
    },
    MissingColumn {
        column: String,
    },
    Empty,
    Malformed {
        detail: String,
    },
    /// A value that is not acceptable here (a bad code, a level outside the scale).
    Invalid {
        value: String,
    },
    /// Only a draft campaign can be changed.
    NotDraft,
    /// The campaign is not taking answers (not yet open, closed or past its deadline).
    NotOpen,
    AlreadySubmitted,
    OutOfRange {
        min: String,
        max: String,
    },
    /// The closing time is not after the opening time.
    DateOrder,
    /// A password a guesser would find, and why.
    WeakPassword {
        reason: WeakReason,
    },
    /// No more than `max` may be chosen.
    Limit {
        max: usize,
    },
    /// Nobody rates themselves or their own line manager as a peer.
    NotAPeer,
    /// A date that has already passed where a future one is needed.
    PastDate,
    /// A completed or withdrawn assignment, which no longer changes.
    Finished,
    /// The choice matches nobody (or only people who already have the course).
    NobodyNew,
    /// A plan submitted or approved, which changes only once reopened.
    PlanLocked,
    /// A plan with no lines, which cannot go for approval.
    PlanEmpty,
    /// A cancelled or past session, which no longer changes.
    SessionOver,
    /// A quiz not taking attempts now (unpublished, not yet open or closed).
    QuizClosed,
    /// Every attempt the quiz allows has been used.
    NoAttemptsLeft,
    /// The attempt's time is up or it was submitted: nothing more is saved.
    AttemptOver,
    /// The quiz's rules find no questions in the bank.
    NoQuestions,
    /// A question's text could not be read: where and why.
    BadQuestion {
        line: usize,
        problem: QuestionProblem,
    },
    /// One question was wanted and the text holds another number.
    OneQuestion {
        found: usize,
    },
    /// Learners answered this item as worded: it cannot be reworded.
    AnsweredAsWorded,
    /// A form keeps at least one item.
    LastItem,
}

/// Why a new password was refused as guessable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeakReason {
    /// It holds the person's own name or employee number.
    Personal,
    /// A common password, or close to one.
    Common,
    /// Keyboard rows, repeats or sequences.
    Pattern,
    /// Dates or recent years.
    Dates,
    /// A single word or name.
    Word,
    /// Otherwise too easy to guess.
    Guessable,
}

/// A problem attached to one form field (or CSV column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("conflict")]
    Conflict(Problem),
    #[error("employee number or password is incorrect")]
    InvalidCredentials,
    /// Too many attempts from one client address: try again after the wait.
    #[error("too many attempts, retry after {retry_after_secs}s")]
    RateLimited { retry_after_secs: u64 },
    #[error("busy, retry after {retry_after_secs}s")]
    Busy { retry_after_secs: u64 },
    #[error("internal error (request {request_id})")]
    Internal { request_id: String },
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    pub fn field(field: impl Into<String>, problem: Problem) -> Self {
        Self::Validation(vec![FieldError::new(field, problem)])
    }

    /// The problems reported against `field`, for showing next to that input.
    pub fn problems_for(&self, field: &str) -> Vec<Problem> {
        match self {
            Self::Validation(errors) => errors
                .iter()
                .filter(|e| e.field == field)
                .map(|e| e.problem.clone())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// HTTP status this error is sent with.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::Validation(_) => 422,
            Self::Conflict(_) => 409,
            Self::InvalidCredentials => 401,
            Self::RateLimited { .. } => 429,
            Self::Busy { .. } => 503,
            Self::Internal { .. } | Self::Transport(_) => 500,
        }
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        Self::Validation(vec![error])
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that fail to decode come from a tampered or stale form, or a
            // body that is not a form at all.
            ServerFnErrorErr::Args(detail)
            | ServerFnErrorErr::MissingArg(detail)
            | ServerFnErrorErr::Deserialization(detail) => Self::field(
                "form",
                Problem::Malformed {
                    detail: detail.chars().take(200).collect(),
                },
            ),
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{AppError, Problem};

    tokio::task_local! {
        /// The id of the request being served, set by the server around each one, so
        /// an internal error names the same id as the request's log lines.
        pub static REQUEST_ID: String;
    }

    /// The current request's id: from the task (plain routes, server functions), or
    /// from the request Leptos is rendering (work it spawned runs on other tasks).
    fn current_request_id() -> Option<String> {
        REQUEST_ID.try_with(Clone::clone).ok().or_else(|| {
            leptos::prelude::use_context::<http::request::Parts>().and_then(|parts| {
                parts
                    .headers
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            })
        })
    }

    impl AppError {
        /// Logs the real cause with where it was raised and hands the user only the
        /// request's id to quote.
        #[track_caller]
        pub fn internal(cause: impl std::fmt::Display) -> Self {
            let at = std::panic::Location::caller();
            let request_id =
                current_request_id().unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
            tracing::error!(%request_id, %cause, %at, "internal error");
            Self::Internal { request_id }
        }
    }

    /// True when `err` is a unique-index violation (on SQLite or Postgres).
    pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
        matches!(
            err.sql_err(),
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
        )
    }

    /// A unique index refusing a write is a conflict the user can act on (a double
    /// submit, a code already taken); see `common::conflict` for one that names its
    /// field. Anything else is internal.
    impl From<sea_orm::DbErr> for AppError {
        #[track_caller]
        fn from(err: sea_orm::DbErr) -> Self {
            if is_unique_violation(&err) {
                tracing::info!(%err, "refused by a unique index");
                Self::Conflict(Problem::Taken)
            } else {
                Self::internal(err)
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use ssr::{REQUEST_ID, is_unique_violation};
