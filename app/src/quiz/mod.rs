//! The quiz engine: the question bank and the formats questions come in and go
//! out in. Attempts, grading and item analysis build on these.

pub mod pages;
pub mod question;

#[cfg(feature = "ssr")]
pub mod bank;
#[cfg(feature = "ssr")]
pub mod gift;
#[cfg(feature = "ssr")]
pub mod grade;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod moodle_xml;
#[cfg(feature = "ssr")]
pub mod sheet;
#[cfg(feature = "ssr")]
pub mod transfer;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
#[cfg(feature = "ssr")]
use crate::common::required_id;
use crate::domain::QuestionKind;
use crate::error::AppError;
use question::Question;

/// Who keeps the question bank.
pub const BANK_EDITORS: &[Role] = &[Role::Admin, Role::Trainer];

#[cfg(feature = "ssr")]
pub struct BankEditors;
#[cfg(feature = "ssr")]
impl crate::common::web::RoleSet for BankEditors {
    const ROLES: &'static [Role] = BANK_EDITORS;
}

/// The formats a question file comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionFormat {
    Gift,
    MoodleXml,
    /// The 题型/题干/选项 spreadsheet, as CSV or a workbook.
    Sheet,
}

impl QuestionFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Gift => "GIFT",
            Self::MoodleXml => "Moodle XML",
            Self::Sheet => "spreadsheet",
        }
    }
}

/// What the bank list shows; every part may be empty (then it does not filter).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BankQuery {
    /// Words in the question's name or first words.
    pub q: String,
    /// A category path; its subcategories are included.
    pub category: String,
    pub competency: String,
    pub kind: String,
    /// A course id, or `shared` for questions no course owns.
    pub course: String,
    pub archived: bool,
    pub page: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankRow {
    pub id: Uuid,
    pub name: String,
    pub kind: QuestionKind,
    pub category: String,
    pub competency: Option<String>,
    /// Code of the course that owns it; `None` when shared.
    pub course: Option<String>,
    pub points: f64,
    pub version: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bank {
    pub rows: Vec<BankRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub categories: Vec<String>,
    pub competencies: Vec<String>,
    pub courses: Vec<(Uuid, String)>,
}

/// One question as a trainer sees it, answer key and all. Never sent to a
/// learner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionDetail {
    pub id: Uuid,
    pub course: Option<(Uuid, String)>,
    pub category: String,
    pub competency: Option<String>,
    pub kind: QuestionKind,
    pub points: f64,
    pub version: i32,
    pub archived: bool,
    /// The text as safe HTML.
    pub text_html: String,
    pub question: Question,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportQuestion {
    pub line: usize,
    pub kind: QuestionKind,
    pub name: String,
    pub category: String,
    pub competency: Option<String>,
    /// The code is in a framework (or there is none).
    pub known_competency: bool,
    pub points: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSkip {
    pub line: usize,
    pub what: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub id: Uuid,
    pub file_name: String,
    pub format: QuestionFormat,
    pub imported: bool,
    /// Why the whole file could not be read.
    pub refused: Option<String>,
    pub questions: Vec<ImportQuestion>,
    pub skipped: Vec<ImportSkip>,
    pub courses: Vec<(Uuid, String)>,
}

#[server(prefix = "/api", endpoint = "bank")]
pub async fn list_bank(query: BankQuery) -> Result<Bank, AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, _me| async move {
        bank::list(&ctx.state.db, &query).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "bank/question")]
pub async fn get_question(id: String) -> Result<QuestionDetail, AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, _me| async move {
        bank::detail(&ctx.state.db, required_id("id", &id)?).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "bank/archive")]
pub async fn archive_question(id: String, archived: bool) -> Result<(), AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        bank::set_archived(&ctx.state.db, &me, id, archived).await?;
        leptos_axum::redirect(&format!("/bank/questions/{id}"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "bank/import/preview")]
pub async fn preview_question_import(id: String) -> Result<ImportPreview, AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, _me| async move {
        import::preview(&ctx.state.db, required_id("id", &id)?).await
    })
    .await
}

/// Imports the previewed file; `course` empty files the questions as shared.
#[server(prefix = "/api", endpoint = "bank/import")]
pub async fn import_questions(id: String, course: Option<String>) -> Result<(), AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let course = crate::common::parse_id("course", course.as_deref())?;
        let n = import::import(&ctx.state.db, &me, required_id("id", &id)?, course).await?;
        leptos_axum::redirect(&format!("/bank?imported={n}"));
        Ok(())
    })
    .await
}

/// One question read from a file, with the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub line: usize,
    pub question: Question,
}

/// One question skipped: the line it starts on, what names it (its first words,
/// or its name) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped<P> {
    pub line: usize,
    pub what: String,
    pub problem: P,
}

/// What a file gave: the questions read and those skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<P> {
    pub questions: Vec<Read>,
    pub skipped: Vec<Skipped<P>>,
}

impl<P> Default for Parsed<P> {
    fn default() -> Self {
        Self {
            questions: Vec::new(),
            skipped: Vec::new(),
        }
    }
}

/// A finite number as a file or a learner writes it, spaces off both ends.
#[cfg(feature = "ssr")]
fn finite(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A category as a question file names it, as a path: `$course$/top/养老/政策` →
/// `养老/政策`. The `$context$` and Moodle's `top` level say where the category
/// lived in Moodle, not what it is. `None` for the top itself.
#[cfg(feature = "ssr")]
fn category_path(raw: &str) -> Option<String> {
    let mut path = raw.trim();
    if let Some(rest) = path.strip_prefix('$')
        && let Some(end) = rest.find('$')
    {
        path = rest[end + 1..].trim_start_matches('/');
    }
    path = path.strip_prefix("top/").unwrap_or(path);
    if path == "top" {
        path = "";
    }
    let path = path.trim_matches('/');
    (!path.is_empty()).then(|| path.to_owned())
}
