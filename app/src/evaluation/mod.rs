//! Four-level evaluation. So far: the statistics its reports use; level 1,
//! reaction, from each course's reaction form; level 2, learning, from a
//! course's pre-test and post-test; level 3, behaviour, from follow-ups
//! weeks after completion; and level 4, results, from the office's service
//! indicators.

pub mod behaviour;
pub mod course_pages;
pub mod figures;
pub mod indicators;
pub mod learning_pages;
pub mod reaction_pages;

#[cfg(feature = "ssr")]
pub mod learning;
#[cfg(feature = "ssr")]
pub mod reaction;
#[cfg(feature = "ssr")]
pub mod reaction_figures;
#[cfg(feature = "ssr")]
pub mod readers;
#[cfg(feature = "ssr")]
pub mod stats;
#[cfg(feature = "ssr")]
pub mod template;
#[cfg(feature = "ssr")]
pub mod transfer;

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::common::required_id;
use crate::domain::ReactionKind;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::quiz::BANK_EDITORS;
use crate::quiz::LearningGain;

/// Who reads a course's evaluation: its editors for every learner, managers
/// for their own people ([`readers`]).
pub const READERS: &[crate::auth::Role] = crate::gaps::ANALYSTS;
use figures::Paired;
use uuid::Uuid;

/// A group's paired pre/post statistics, in the order of the gain's groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupPaired {
    /// A competency code; empty for the whole test.
    pub code: String,
    pub paired: Paired,
}

/// How many of a test's counted, fully graded attempts passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassRate {
    pub graded: usize,
    pub passed: usize,
}

/// One run of a course: the classroom session a learner attended, or else the
/// calendar quarter in which they took the post-test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunOf {
    /// `starts` is shown in office time.
    Session {
        starts: String,
        place: String,
    },
    Quarter {
        year: i32,
        quarter: u32,
    },
}

/// The whole test's figures for one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub run: RunOf,
    pub paired: Paired,
    pub normalised: Option<f64>,
    pub post_pass: PassRate,
}

/// Level 2, learning: the pre/post gain with its paired statistics, the
/// tests' pass rates and the trend across the course's runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningReport {
    pub gain: LearningGain,
    /// Counting only the reader's own people (a manager), not every learner.
    pub scoped: bool,
    pub paired: Vec<GroupPaired>,
    pub pre_pass: Option<PassRate>,
    pub post_pass: Option<PassRate>,
    /// Oldest first.
    pub runs: Vec<Run>,
}

#[server(prefix = "/api", endpoint = "evaluation/learning")]
pub async fn get_learning_report(course_id: String) -> Result<LearningReport, AppError> {
    crate::auth::guard::any_role(READERS, |ctx, me| async move {
        learning::report(
            &ctx.state.db,
            ctx.state.settings.timezone,
            &me,
            required_id("course_id", &course_id)?,
        )
        .await
    })
    .await
}

// ---------------------------------------------------------------- level 1, reaction

/// The lowest and highest answer of a rating item and of the recommend item.
pub const SCALE: (i32, i32) = (1, 5);
pub const RECOMMEND: (i32, i32) = (0, 10);
/// The longest prompt and the longest written answer.
pub const MAX_PROMPT: usize = 300;
pub const MAX_COMMENT: usize = 2000;

/// One item of a course's reaction form or of the office template. `builtin`
/// is the item's key in the template: a default item's name (its `prompt` is
/// empty until someone rewords it, and pages show the default wording in the
/// reader's language) or `office-…` for an item the office added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionItem {
    pub id: Uuid,
    pub kind: ReactionKind,
    pub builtin: Option<String>,
    pub prompt: String,
    /// Whether it is a default item, whose default wording a blank prompt
    /// brings back.
    pub default_wording: bool,
    /// How many learners answered it (the form editor's figure); none for the
    /// office template's items, which nobody answers.
    pub answers: Option<usize>,
}

/// The form field of an item's answer (a letter first, so it is a valid name).
pub fn item_field(id: Uuid) -> String {
    format!("a{}", id.simple())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormState {
    /// The course is not complete yet (nor a session attended).
    NotYet,
    Open,
    /// Answered on this day (office time).
    Answered(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReactionForm {
    pub course_id: Uuid,
    pub course: String,
    /// Answering completes the course (its completion rule asks for it).
    pub completes: bool,
    pub state: FormState,
    pub items: Vec<ReactionItem>,
}

/// One item's answers in a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemFigures {
    pub item: ReactionItem,
    /// How many answered it; none while the group is under the threshold.
    pub n: Option<usize>,
    pub mean: Option<f64>,
    /// How many gave each answer, lowest first (rating items only).
    pub distribution: Vec<(i32, usize)>,
    /// The reaction index, −100…100 (the recommend item only).
    pub index: Option<f64>,
    /// Written answers, in no particular order and never with names; empty
    /// while the group is under the anonymity threshold.
    pub comments: Vec<String>,
}

/// A session's answers at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionReaction {
    pub session_id: Uuid,
    /// Start (office time) and place.
    pub label: String,
    pub answered: usize,
    /// Whether enough learners answered for its figures to be shown; when
    /// not, `overall` and `index` are empty.
    pub shown: bool,
    /// The mean of the overall-satisfaction item.
    pub overall: Option<f64>,
    pub index: Option<f64>,
    pub index_n: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReactionReport {
    pub course_id: Uuid,
    pub course: String,
    /// Counting only the reader's own people (a manager), not every learner.
    pub scoped: bool,
    /// The session the figures are limited to, with its label.
    pub session: Option<(Uuid, String)>,
    pub answered: usize,
    pub threshold: usize,
    /// Whether enough learners answered (at least `threshold`) for the
    /// group's figures and comments to be shown; when not, every item's
    /// mean, distribution, index and comments are empty.
    pub shown: bool,
    pub items: Vec<ItemFigures>,
    pub sessions: Vec<SessionReaction>,
}

/// The caller's reaction form for a course, and whether they may answer it.
#[server(prefix = "/api", endpoint = "evaluation/reaction/form")]
pub async fn get_reaction_form(course_id: String) -> Result<ReactionForm, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        reaction::form(
            &ctx.state.db,
            ctx.state.settings.timezone,
            &me,
            required_id("course_id", &course_id)?,
        )
        .await
    })
    .await
}

/// Saves the caller's answers once (every rating needed, comments optional);
/// where the course asks for the form, this may complete it.
#[server(prefix = "/api", endpoint = "evaluation/reaction/submit")]
pub async fn submit_reaction(
    course_id: String,
    answer: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let course = required_id("course_id", &course_id)?;
        let done = reaction::submit(&ctx.state.db, &me, course, answer.unwrap_or_default()).await?;
        let to = match done {
            Some(code) => format!("/certificates/{code}?completed=1"),
            None => format!("/courses/{course}/reaction?thanks=1"),
        };
        leptos_axum::redirect(&to);
        Ok(())
    })
    .await
}

/// The course's level 1 figures, for everyone who edits the course; `session`
/// limits them to one classroom session.
#[server(prefix = "/api", endpoint = "evaluation/reaction/report")]
pub async fn get_reaction_report(
    course_id: String,
    session: Option<String>,
) -> Result<ReactionReport, AppError> {
    crate::auth::guard::any_role(READERS, |ctx, me| async move {
        let session = crate::common::validate::parse_id("session", session.as_deref())?;
        reaction::report(
            &ctx.state.db,
            ctx.state.settings.timezone,
            &me,
            required_id("course_id", &course_id)?,
            session,
        )
        .await
    })
    .await
}

/// The form editor's view: the items with how many answered each, and whether
/// the completion rule asks for the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReactionFormSetup {
    pub course_id: Uuid,
    pub course: String,
    pub required: bool,
    pub items: Vec<ReactionItem>,
}

#[server(prefix = "/api", endpoint = "evaluation/reaction/setup")]
pub async fn get_reaction_setup(course_id: String) -> Result<ReactionFormSetup, AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        reaction::setup(&ctx.state.db, &me, required_id("course_id", &course_id)?).await
    })
    .await
}

/// Where the form editor goes back to: the course's form, or the template.
#[cfg(feature = "ssr")]
fn editor_path(course: Option<Uuid>) -> String {
    course.map_or_else(
        || "/reaction-template".to_owned(),
        |c| format!("/courses/{c}/reaction/setup"),
    )
}

/// Adds an item at the end of the course's form; without a course, of the
/// office template.
#[server(prefix = "/api", endpoint = "evaluation/reaction/add")]
pub async fn add_reaction_item(
    course_id: Option<String>,
    kind: String,
    prompt: String,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let db = &ctx.state.db;
        let course = crate::common::validate::parse_id("course_id", course_id.as_deref())?;
        match course {
            Some(c) => reaction::add_item(db, &me, c, &kind, &prompt).await?,
            None => template::add(db, &me, &kind, &prompt).await?,
        }
        leptos_axum::redirect(&format!("{}?saved=1", editor_path(course)));
        Ok(())
    })
    .await
}

/// Rewords an item nobody has answered yet (blank: a default item's own
/// wording again), of a course's form or of the office template.
#[server(prefix = "/api", endpoint = "evaluation/reaction/reword")]
pub async fn reword_reaction_item(id: String, prompt: String) -> Result<(), AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let db = &ctx.state.db;
        let id = required_id("id", &id)?;
        let course = if template::holds(db, id).await? {
            template::reword(db, &me, id, &prompt).await?;
            None
        } else {
            Some(reaction::reword(db, &me, id, &prompt).await?)
        };
        leptos_axum::redirect(&format!("{}?saved=1", editor_path(course)));
        Ok(())
    })
    .await
}

/// Takes an item off a course's form (its answers stay in the records) or off
/// the office template.
#[server(prefix = "/api", endpoint = "evaluation/reaction/remove")]
pub async fn remove_reaction_item(id: String, confirm: Option<String>) -> Result<(), AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        crate::common::validate::require_confirmation(false, confirm.as_deref())?;
        let db = &ctx.state.db;
        let id = required_id("id", &id)?;
        let course = if template::holds(db, id).await? {
            template::remove(db, &me, id).await?;
            None
        } else {
            Some(reaction::remove(db, &me, id).await?)
        };
        leptos_axum::redirect(&format!("{}?removed=1", editor_path(course)));
        Ok(())
    })
    .await
}

/// The office template's items, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReactionTemplate {
    pub items: Vec<ReactionItem>,
}

#[server(prefix = "/api", endpoint = "evaluation/reaction/template")]
pub async fn get_reaction_template() -> Result<ReactionTemplate, AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, _me| async move {
        template::view(&ctx.state.db).await
    })
    .await
}

/// Whether completing the course needs the reaction form answered.
#[server(prefix = "/api", endpoint = "evaluation/reaction/require")]
pub async fn require_reaction(course_id: String, required: Option<String>) -> Result<(), AppError> {
    crate::auth::guard::any_role(BANK_EDITORS, |ctx, me| async move {
        let course = required_id("course_id", &course_id)?;
        reaction::set_required(&ctx.state.db, &me, course, required.is_some()).await?;
        leptos_axum::redirect(&format!("/courses/{course}/reaction/setup?saved=1"));
        Ok(())
    })
    .await
}

// ---------------------------------------------------------------- the course's evaluation

/// Level 1 at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReactionSummary {
    pub answered: usize,
    /// The anonymity threshold, when fewer learners answered than it asks.
    pub below_threshold: Option<usize>,
    /// The overall-satisfaction item's mean and n.
    pub overall: Option<(f64, usize)>,
    pub index: Option<(f64, usize)>,
}

/// Level 2 at a glance: the whole test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningSummary {
    pub paired: Option<Paired>,
    pub normalised: Option<f64>,
    pub pre_pass: Option<PassRate>,
    pub post_pass: Option<PassRate>,
    pub runs: usize,
}

/// Level 3 at a glance: the follow-ups and each shown row's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BehaviourSummary {
    pub sent: usize,
    pub answered: usize,
    /// (competency, wave, the baseline against the follow-up) per shown row.
    pub changes: Vec<(String, i32, Paired)>,
}

/// One course's evaluation, level by level, each linking to its detail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseEvaluation {
    pub course_id: Uuid,
    pub course: String,
    /// Counting only the reader's own people (a manager) at levels 1 to 3.
    pub scoped: bool,
    pub reaction: ReactionSummary,
    pub learning: LearningSummary,
    pub behaviour: BehaviourSummary,
    /// Level 4, the same for every reader: office figures, not anyone's answers.
    pub results: Vec<indicators::CourseResult>,
}

#[server(prefix = "/api", endpoint = "evaluation/course")]
pub async fn get_course_evaluation(course_id: String) -> Result<CourseEvaluation, AppError> {
    crate::auth::guard::any_role(READERS, |ctx, me| async move {
        let course = required_id("course_id", &course_id)?;
        let tz = ctx.state.settings.timezone;
        let l1 = reaction::report(&ctx.state.db, tz, &me, course, None).await?;
        let l2 = learning::report(&ctx.state.db, tz, &me, course).await?;
        let l3 = behaviour::report::report(&ctx.state.db, &me, course).await?;
        let l4 = indicators::service::course_results(&ctx.state, course).await?;
        Ok(summarise(l1, l2, l3, l4))
    })
    .await
}

/// The headline figures of each level's report.
#[cfg(feature = "ssr")]
fn summarise(
    l1: ReactionReport,
    l2: LearningReport,
    l3: behaviour::BehaviourReport,
    l4: Vec<indicators::CourseResult>,
) -> CourseEvaluation {
    use crate::domain::ReactionKind;
    let overall = l1
        .items
        .iter()
        .find(|f| f.item.builtin.as_deref() == Some(reaction_figures::OVERALL))
        .and_then(|f| f.mean.zip(f.n));
    let index = l1
        .items
        .iter()
        .find(|f| f.item.kind == ReactionKind::Recommend)
        .and_then(|f| f.index.zip(f.n));
    let whole = l2.gain.groups.iter().find(|g| g.code.is_empty());
    CourseEvaluation {
        scoped: l1.scoped,
        results: l4,
        course_id: l1.course_id,
        course: l1.course,
        reaction: ReactionSummary {
            answered: l1.answered,
            below_threshold: (!l1.shown && l1.answered > 0).then_some(l1.threshold),
            overall,
            index,
        },
        learning: LearningSummary {
            paired: l2
                .paired
                .iter()
                .find(|p| p.code.is_empty())
                .map(|p| p.paired),
            normalised: whole.and_then(|g| g.normalised),
            pre_pass: l2.pre_pass,
            post_pass: l2.post_pass,
            runs: l2.runs.len(),
        },
        behaviour: BehaviourSummary {
            sent: l3.sent,
            answered: l3.answered,
            changes: l3
                .rows
                .into_iter()
                .filter_map(|r| r.paired.map(|p| (r.competency, r.wave, p)))
                .collect(),
        },
    }
}
