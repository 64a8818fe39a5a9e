//! The quiz engine: the question bank and the formats questions come in and go
//! out in. Attempts, grading and item analysis build on these.

// A server function takes one argument per form field; the quiz settings form
// has fourteen, and the lint cannot be allowed on the generated items alone.
#![allow(clippy::too_many_arguments)]

pub mod analysis_pages;
pub mod attempt_pages;
pub mod deliver;
pub mod draw;
pub mod gain;
pub mod marking_pages;
pub mod pages;
pub mod question;
pub mod quiz_pages;
pub mod results_pages;

#[cfg(feature = "ssr")]
pub mod analysis;
#[cfg(feature = "ssr")]
pub mod attempts;
#[cfg(feature = "ssr")]
pub mod bank;
#[cfg(feature = "ssr")]
pub mod edit;
#[cfg(feature = "ssr")]
pub mod evidence;
#[cfg(feature = "ssr")]
pub mod gift;
#[cfg(feature = "ssr")]
pub mod grade;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod items;
#[cfg(feature = "ssr")]
pub mod marking;
#[cfg(feature = "ssr")]
pub mod moodle_xml;
#[cfg(feature = "ssr")]
pub mod results;
#[cfg(feature = "ssr")]
pub mod setup;
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
use crate::domain::{Counting, QuestionKind, QuizPurpose, Review};
use crate::error::AppError;
use question::Question;

/// Points as people write them: 1, 2.5.
pub fn points(p: f64) -> String {
    format!("{p}")
}

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
    pub why: crate::error::QuestionProblem,
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

// ---------------------------------------------------------------- quizzes

/// A quiz's settings as its editor shows them; times in office time as a
/// `datetime-local` input writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizDetail {
    pub id: Uuid,
    pub course_id: Uuid,
    pub course: String,
    pub title: String,
    pub purpose: QuizPurpose,
    pub rules: Vec<draw::Rule>,
    /// For each rule, how many questions it finds in the bank now.
    pub found: Vec<u32>,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub time_limit_minutes: Option<i32>,
    pub attempts_allowed: i32,
    pub counting: Counting,
    pub pass_mark: f64,
    pub opens_at: String,
    pub closes_at: String,
    pub review: Review,
    pub published: bool,
    pub attempts: u64,
    /// Codes and categories the course's questions (and shared ones) carry.
    pub competencies: Vec<String>,
    pub categories: Vec<String>,
}

/// A quiz as a course page lists it for the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseQuiz {
    pub id: Uuid,
    pub title: String,
    pub purpose: QuizPurpose,
    pub published: bool,
    pub time_limit_minutes: Option<i32>,
    pub attempts_allowed: i32,
    pub attempts_used: i32,
    pub pass_mark: f64,
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    /// The caller may start an attempt now.
    pub can_start: bool,
    /// The caller's attempt in progress.
    pub open_attempt: Option<Uuid>,
    /// The caller's attempt that counts, once submitted.
    pub counted: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseQuizzes {
    pub course_id: Uuid,
    /// Code and title.
    pub course: String,
    pub can_edit: bool,
    pub quizzes: Vec<CourseQuiz>,
}

/// The save receipt shown with every answer: its number in the attempt and
/// when the server stored it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub seq: i32,
    pub saved_at: String,
}

/// A question during an attempt: nothing here tells its answer or its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownQuestion {
    pub position: i32,
    pub text_html: String,
    pub shown: deliver::Shown,
    /// The learner's own answer, as last saved.
    pub given: Option<deliver::Given>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreView {
    pub score: f64,
    pub max: f64,
    pub percent: f64,
    pub passed: Option<bool>,
    /// Essays wait for a trainer: the score may still rise.
    pub ungraded: bool,
}

/// One question after submission, as far as the quiz's review setting allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub position: i32,
    pub text_html: String,
    pub points: f64,
    pub score: Option<f64>,
    /// The right answer, in words.
    pub key: Vec<String>,
    pub feedback: String,
    /// The marker's comment on a hand-marked answer.
    pub comment: Option<String>,
}

/// What a submitted attempt stored: the per-attempt storage proof, and the score
/// and review when the quiz lets the learner see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptResult {
    pub submitted_at: String,
    pub by_deadline: bool,
    /// From start to submission.
    pub seconds: i64,
    pub answered: usize,
    pub total: usize,
    pub last_receipt: Option<Receipt>,
    pub score: Option<ScoreView>,
    pub review: Vec<ReviewItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptPage {
    pub id: Uuid,
    pub quiz_title: String,
    pub course_id: Uuid,
    /// 1-based; the question shown.
    pub position: i32,
    pub total: i32,
    /// Seconds left as of this answer, by the server's clock.
    pub seconds_left: Option<i64>,
    pub deadline: Option<String>,
    pub question: Option<ShownQuestion>,
    pub answered: Vec<bool>,
    pub receipt: Option<Receipt>,
    pub result: Option<AttemptResult>,
}

#[server(prefix = "/api", endpoint = "quizzes/course")]
pub async fn list_course_quizzes(course_id: String) -> Result<CourseQuizzes, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        setup::course_quizzes(
            &ctx.state.db,
            &ctx.state.settings,
            &me,
            required_id("course_id", &course_id)?,
        )
        .await
    })
    .await
}

#[server(prefix = "/api", endpoint = "quizzes/get")]
pub async fn get_quiz(id: String) -> Result<QuizDetail, AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        setup::detail(
            &ctx.state.db,
            &ctx.state.settings,
            &me,
            required_id("id", &id)?,
        )
        .await
    })
    .await
}

/// Creates (no `id`) or changes a quiz's settings.
#[server(prefix = "/api", endpoint = "quizzes/save")]
pub async fn save_quiz(
    id: Option<String>,
    course_id: String,
    title: String,
    purpose: String,
    time_limit: Option<String>,
    attempts_allowed: Option<String>,
    counting: String,
    pass_mark: String,
    opens_at: Option<String>,
    closes_at: Option<String>,
    review: String,
    shuffle_questions: Option<String>,
    shuffle_options: Option<String>,
    published: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let form = setup::QuizForm {
            title,
            purpose,
            time_limit: time_limit.unwrap_or_default(),
            attempts_allowed: attempts_allowed.unwrap_or_default(),
            counting,
            pass_mark,
            opens_at: opens_at.unwrap_or_default(),
            closes_at: closes_at.unwrap_or_default(),
            review,
            shuffle_questions: shuffle_questions.is_some(),
            shuffle_options: shuffle_options.is_some(),
            published: published.is_some(),
        };
        let id = crate::common::parse_id("id", id.as_deref())?;
        let course = required_id("course_id", &course_id)?;
        let saved = setup::save(&ctx.state.db, &ctx.state.settings, &me, id, course, &form).await?;
        leptos_axum::redirect(&format!("/quizzes/{saved}?saved=1"));
        Ok(())
    })
    .await
}

/// Adds a rule: `by` is `competency` or `category`; a blank `count` takes every
/// question it names.
#[server(prefix = "/api", endpoint = "quizzes/rules/add")]
pub async fn add_quiz_rule(
    id: String,
    by: String,
    key: String,
    count: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        setup::add_rule(
            &ctx.state.db,
            &me,
            id,
            &by,
            &key,
            count.as_deref().unwrap_or(""),
        )
        .await?;
        leptos_axum::redirect(&format!("/quizzes/{id}?saved=1"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "quizzes/rules/remove")]
pub async fn remove_quiz_rule(id: String, index: String) -> Result<(), AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        let index = index
            .trim()
            .parse::<usize>()
            .map_err(|_| AppError::NotFound)?;
        setup::remove_rule(&ctx.state.db, &me, id, index).await?;
        leptos_axum::redirect(&format!("/quizzes/{id}?saved=1"));
        Ok(())
    })
    .await
}

/// Starts an attempt (or goes back to the one in progress).
#[server(prefix = "/api", endpoint = "attempts/start")]
pub async fn start_attempt(quiz_id: String) -> Result<(), AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let id = attempts::start(&ctx.state.db, &me, required_id("quiz_id", &quiz_id)?).await?;
        leptos_axum::redirect(&format!("/attempts/{id}"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "attempts/get")]
pub async fn get_attempt(id: String, position: Option<String>) -> Result<AttemptPage, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let position = position
            .as_deref()
            .and_then(|p| p.trim().parse::<i32>().ok())
            .unwrap_or(1);
        attempts::page(
            &ctx.state.db,
            &ctx.state.settings,
            &me,
            required_id("id", &id)?,
            position,
        )
        .await
    })
    .await
}

/// Saves one answer. `choice` holds a single choice's place or `true`/`false`;
/// `text` a typed answer; `picks` the ticked places (multiple choice), each
/// prompt's answer place (matching) or each item's rank (ordering). `go` is the
/// question to show next.
#[server(prefix = "/api", endpoint = "attempts/save")]
pub async fn save_answer(
    id: String,
    position: String,
    choice: Option<String>,
    text: Option<String>,
    picks: Option<std::collections::HashMap<String, String>>,
    go: Option<String>,
) -> Result<Receipt, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let id = required_id("id", &id)?;
        let position = position
            .trim()
            .parse::<i32>()
            .map_err(|_| AppError::NotFound)?;
        let form = attempts::AnswerForm {
            choice,
            text,
            picks: picks.unwrap_or_default(),
        };
        let receipt =
            attempts::save(&ctx.state.db, &ctx.state.settings, &me, id, position, &form).await?;
        let next = go
            .as_deref()
            .and_then(|g| g.trim().parse::<i32>().ok())
            .unwrap_or(position);
        leptos_axum::redirect(&format!("/attempts/{id}?q={next}&saved={}", receipt.seq));
        Ok(receipt)
    })
    .await
}

/// Submits the attempt; a second submit returns the first one's result.
#[server(prefix = "/api", endpoint = "attempts/submit")]
pub async fn submit_attempt(id: String, confirm: Option<String>) -> Result<(), AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let id = required_id("id", &id)?;
        crate::common::require_confirmation(false, confirm.as_deref())?;
        attempts::submit_own(&ctx.state.db, &me, id).await?;
        leptos_axum::redirect(&format!("/attempts/{id}"));
        Ok(())
    })
    .await
}

// ---------------------------------------------------------------- item analysis

/// Why an item wants a trainer's look (see [`items`] for the thresholds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemFlag {
    /// Weaker learners did better on it than stronger ones: often a wrong key
    /// or a misleading wording.
    Negative,
    /// Almost everyone got it right.
    TooEasy,
    /// Almost everyone got it wrong.
    TooHard,
}

/// How often one option of a choice question was picked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionCount {
    pub text: String,
    /// It earns marks.
    pub right: bool,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRow {
    pub question_id: Uuid,
    pub name: String,
    pub competency: Option<String>,
    pub kind: QuestionKind,
    /// Learners given it.
    pub n: usize,
    pub facility: Option<f64>,
    pub discrimination: Option<f64>,
    pub rest_correlation: Option<f64>,
    pub flags: Vec<ItemFlag>,
    pub options: Vec<OptionCount>,
}

/// A quiz's item analysis over each learner's counted, fully graded attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemAnalysis {
    pub quiz_id: Uuid,
    pub title: String,
    pub course_id: Uuid,
    pub course: String,
    pub learners: usize,
    /// Counted attempts left out while an essay waits for its mark.
    pub waiting: usize,
    pub mean_percent: Option<f64>,
    /// Cronbach's alpha; `None` when learners got different questions or too
    /// few took the quiz.
    pub alpha: Option<f64>,
    pub items: Vec<ItemRow>,
}

#[server(prefix = "/api", endpoint = "quizzes/items")]
pub async fn get_item_analysis(id: String) -> Result<ItemAnalysis, AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        analysis::item_analysis(&ctx.state.db, &me, required_id("id", &id)?).await
    })
    .await
}

// ---------------------------------------------------------------- results

/// One learner's results in a quiz: their counted attempt, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnerResult {
    pub person_id: Uuid,
    pub employee_no: String,
    pub name: String,
    pub unit: String,
    /// Attempts started, submitted or not.
    pub attempts: usize,
    pub in_progress: bool,
    /// The number of the attempt that counts, once one is submitted.
    pub counted: Option<i32>,
    pub score: Option<f64>,
    pub max_score: Option<f64>,
    pub percent: Option<f64>,
    /// `None` while an essay waits for its mark.
    pub passed: Option<bool>,
    pub waiting: bool,
    /// From start to submission.
    pub seconds: Option<i64>,
    /// Local time of the submission.
    pub submitted: Option<String>,
    /// Submitted by the server at the deadline.
    pub by_deadline: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsSummary {
    /// People who started it.
    pub learners: usize,
    pub submitted: usize,
    pub in_progress: usize,
    /// Submitted, an essay still to mark.
    pub waiting: usize,
    pub passed: usize,
    /// Over the fully graded counted attempts.
    pub mean_percent: Option<f64>,
    pub median_seconds: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizResults {
    pub quiz_id: Uuid,
    pub title: String,
    pub course_id: Uuid,
    pub time_limit_minutes: Option<i32>,
    pub pass_mark: f64,
    pub summary: ResultsSummary,
    pub rows: Vec<LearnerResult>,
    pub page: u64,
    pub pages: u64,
}

#[server(prefix = "/api", endpoint = "quizzes/results")]
pub async fn get_quiz_results(id: String, page: Option<String>) -> Result<QuizResults, AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let page = page.and_then(|p| p.trim().parse::<u64>().ok()).unwrap_or(1);
        results::page(
            &ctx.state.db,
            &ctx.state.settings,
            &me,
            required_id("id", &id)?,
            page,
        )
        .await
    })
    .await
}

// ---------------------------------------------------------------- learning gain

/// Pre-test and post-test percents and the gain between them; any may be
/// missing (a test not taken, or `normalised` undefined at a full pre-test).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct GainFigures {
    pub pre: Option<f64>,
    pub post: Option<f64>,
    pub raw: Option<f64>,
    pub normalised: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonGain {
    pub person_id: Uuid,
    pub employee_no: String,
    pub name: String,
    pub total: GainFigures,
    /// Per competency code the tests' questions are tagged with.
    pub competencies: Vec<(String, GainFigures)>,
}

/// A group's gain from its means, over the people with both tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupGain {
    /// A competency code; empty for the whole test.
    pub code: String,
    pub pairs: usize,
    pub pre: f64,
    pub post: f64,
    pub raw: f64,
    pub normalised: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningGain {
    pub course_id: Uuid,
    pub course: String,
    pub pre_quiz: Option<(Uuid, String)>,
    pub post_quiz: Option<(Uuid, String)>,
    pub people: Vec<PersonGain>,
    /// The whole test first, then each competency.
    pub groups: Vec<GroupGain>,
}

// ---------------------------------------------------------------- marking and editing

/// An essay waiting for a trainer's mark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EssayToMark {
    pub attempt_id: Uuid,
    pub position: i32,
    pub quiz_id: Uuid,
    pub quiz_title: String,
    pub learner: String,
    pub submitted_at: String,
    pub text_html: String,
    pub rubric: String,
    /// What the learner wrote, as plain text.
    pub answer: String,
    pub points: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkingQueue {
    pub rows: Vec<EssayToMark>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// A question as its edit form shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionEdit {
    pub format: QuestionFormat,
    pub source: String,
    /// An attempt has the current version: saving makes the next one.
    pub given: bool,
    /// Submitted answers graded by an earlier version's key.
    pub earlier_answers: usize,
}

#[server(prefix = "/api", endpoint = "marking")]
pub async fn get_marking_queue(page: Option<String>) -> Result<MarkingQueue, AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let page = page
            .as_deref()
            .and_then(|p| p.trim().parse::<usize>().ok())
            .unwrap_or(1);
        marking::queue(&ctx.state.db, &ctx.state.settings, &me, page).await
    })
    .await
}

/// Marks an essay; `score` is from 0 to the question's points.
#[server(prefix = "/api", endpoint = "marking/mark")]
pub async fn mark_essay(
    attempt_id: String,
    position: String,
    score: String,
    comment: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let position = position
            .trim()
            .parse::<i32>()
            .map_err(|_| AppError::NotFound)?;
        marking::mark(
            &ctx.state.db,
            &me,
            required_id("attempt_id", &attempt_id)?,
            position,
            &score,
            comment.as_deref().unwrap_or(""),
        )
        .await?;
        leptos_axum::redirect("/marking?marked=1");
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "bank/question/edit-form")]
pub async fn get_question_edit(id: String) -> Result<QuestionEdit, AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, _me| async move {
        edit::form(&ctx.state.db, required_id("id", &id)?).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "bank/question/edit")]
pub async fn edit_question(
    id: String,
    source: String,
    points: String,
    competency: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        let done = edit::edit(
            &ctx.state.db,
            &me,
            id,
            &source,
            &points,
            competency.as_deref().unwrap_or(""),
        )
        .await?;
        leptos_axum::redirect(&format!("/bank/questions/{id}?edited={}", done.version));
        Ok(())
    })
    .await
}

/// Grades every submitted answer given under an earlier version again, by the
/// current key.
#[server(prefix = "/api", endpoint = "bank/question/regrade")]
pub async fn regrade_question(id: String, confirm: Option<String>) -> Result<(), AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        crate::common::require_confirmation(false, confirm.as_deref())?;
        let done = marking::regrade(&ctx.state.db, &me, id).await?;
        leptos_axum::redirect(&format!("/bank/questions/{id}?regraded={}", done.answers));
        Ok(())
    })
    .await
}
