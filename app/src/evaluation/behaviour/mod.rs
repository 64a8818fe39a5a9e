//! Level 3, behaviour on the job. Some weeks after a learner completes a course
//! (the office's waves, 30 and 90 days unless changed), a follow-up asks the
//! learner and their line manager, for each competency the course raises, the
//! learner's level now on that competency's own descriptors and how often they
//! apply it; the learner also writes what they will do next. The answers are a
//! newer measurement for the gap analysis and are compared with the person's
//! baseline in the course's level 3 report.

#[cfg(feature = "ssr")]
pub mod evidence;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sweep;
#[cfg(feature = "ssr")]
pub mod transfer;

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::common::required_id;
use crate::domain::{FollowUpStatus, RaterType};
use crate::error::AppError;
use crate::evaluation::figures::Paired;

/// The level scale (a competency's five descriptors) and the frequency scale
/// (1 never, 2 rarely, 3 sometimes, 4 often, 5 always).
pub const LEVELS: (i32, i32) = (1, 5);
pub const FREQUENCY: (i32, i32) = (1, 5);
/// The longest action plan.
pub const MAX_PLAN: usize = 2000;

/// The form fields of a competency's answers.
pub fn level_field(code: &str) -> String {
    format!("level[{code}]")
}
pub fn frequency_field(code: &str) -> String {
    format!("frequency[{code}]")
}

/// A newer measurement of a competency than a needs survey's: the latest
/// answered follow-up on it, both sides combined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BehaviourSource {
    /// The mean of the sides that answered.
    pub level: f64,
    pub own: Option<i32>,
    pub manager: Option<i32>,
    pub course: String,
    pub wave: i32,
    /// Local date of the latest answer.
    pub date: String,
    /// The learner's and the manager's levels differ by at least the
    /// survey's discrepancy threshold.
    pub discrepancy: bool,
}

/// A follow-up in the rater's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpSummary {
    pub id: Uuid,
    pub course: String,
    /// The learner it is about (the rater themselves for a self follow-up).
    pub subject: String,
    pub rater_type: RaterType,
    /// Days after completion.
    pub wave: i32,
    /// Local date of the deadline.
    pub due: String,
    pub status: FollowUpStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpLists {
    pub open: Vec<FollowUpSummary>,
    /// Answered or expired, newest first (the last 20).
    pub done: Vec<FollowUpSummary>,
}

/// One competency a follow-up asks about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskedCompetency {
    pub code: String,
    pub name: String,
    /// The five level descriptors, level 1 first.
    pub levels: Vec<String>,
    /// The level the course aims at.
    pub course_level: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FollowUpState {
    Open,
    /// Answered on this day (office time).
    Submitted(String),
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpForm {
    pub id: Uuid,
    pub course: String,
    pub subject: String,
    pub rater_type: RaterType,
    pub wave: i32,
    /// Local dates: the learner completed the course; the answers are due.
    pub completed_on: String,
    pub due: String,
    pub state: FollowUpState,
    pub competencies: Vec<AskedCompetency>,
}

/// The caller's follow-ups: about themselves and, for managers, their staff.
#[server(prefix = "/api", endpoint = "evaluation/follow-ups")]
pub async fn my_follow_ups() -> Result<FollowUpLists, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        service::mine(&ctx.state.db, ctx.state.settings.timezone, &me).await
    })
    .await
}

/// One of the caller's follow-ups (someone else's is not found).
#[server(prefix = "/api", endpoint = "evaluation/follow-up")]
pub async fn get_follow_up(id: String) -> Result<FollowUpForm, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        service::form(
            &ctx.state.db,
            ctx.state.settings.timezone,
            &me,
            required_id("id", &id)?,
        )
        .await
    })
    .await
}

/// Saves a follow-up's answers once: a level and a frequency for every
/// competency; the learner's action plan is optional.
#[server(prefix = "/api", endpoint = "evaluation/follow-up/submit")]
pub async fn submit_follow_up(
    id: String,
    level: Option<HashMap<String, String>>,
    frequency: Option<HashMap<String, String>>,
    action_plan: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let id = required_id("id", &id)?;
        service::submit(
            &ctx.state.db,
            &me,
            id,
            service::Answers {
                levels: level.unwrap_or_default(),
                frequencies: frequency.unwrap_or_default(),
                action_plan: action_plan.unwrap_or_default(),
            },
        )
        .await?;
        leptos_axum::redirect("/follow-ups?thanks=1");
        Ok(())
    })
    .await
}

// ---------------------------------------------------------------- the report

/// One rater side's answers on a competency in one wave.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SideFigures {
    pub n: usize,
    /// `None` while the group is under the anonymity threshold.
    pub level: Option<f64>,
    pub frequency: Option<f64>,
}

/// A competency in one wave: what learners and managers said, and the
/// learners' baseline against the follow-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BehaviourRow {
    pub code: String,
    pub competency: String,
    pub wave: i32,
    /// Learners with an answered follow-up on it (either side).
    pub n: usize,
    /// Whether `n` reaches the threshold; when not, only `n` is shown.
    pub shown: bool,
    pub learners: SideFigures,
    pub managers: SideFigures,
    /// Colleagues' answers, pooled; figures only once at least the threshold
    /// of them answered.
    pub peers: SideFigures,
    /// Baseline level (their last needs survey before the course) against the
    /// follow-up level (the mean of the sides that answered).
    pub paired: Option<Paired>,
    /// Learners whose own and manager's levels differ by at least the
    /// baseline survey's discrepancy threshold.
    pub discrepancies: Option<usize>,
}

/// Level 3 for one course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BehaviourReport {
    pub course_id: Uuid,
    pub course: String,
    /// Counting only the reader's own people (a manager), not every learner.
    pub scoped: bool,
    pub threshold: usize,
    /// The office's waves, in days.
    pub waves: Vec<i32>,
    /// Follow-ups sent, answered, still open and expired.
    pub sent: usize,
    pub answered: usize,
    pub open: usize,
    pub expired: usize,
    pub rows: Vec<BehaviourRow>,
    /// The learners' action plans, without names and in no order; empty
    /// while fewer learners than the threshold wrote one.
    pub plans: Vec<String>,
}

#[server(prefix = "/api", endpoint = "evaluation/behaviour")]
pub async fn get_behaviour_report(course_id: String) -> Result<BehaviourReport, AppError> {
    crate::auth::guard::any_role(crate::evaluation::READERS, |ctx, me| async move {
        report::report(&ctx.state.db, &me, required_id("course_id", &course_id)?).await
    })
    .await
}
