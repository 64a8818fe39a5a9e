//! The annual training plan (年度培训计划): drafted from the accepted proposals and
//! ordered by the office's priorities, edited by trainers, printed and exported in
//! the form an office submits for approval. Each line says which gaps justify it.

#[cfg(feature = "ssr")]
pub mod draft;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod transfer;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
use crate::error::AppError;

pub use crate::domain::{CourseMode, PlanStatus};

/// Who drafts, edits and reads the plan. Not managers: it counts people per unit
/// across the whole office, and a small unit's count for a course would tell a
/// manager another unit's people's gaps. Their own people's are in the proposals.
pub const PLANNERS: &[Role] = &[Role::Admin, Role::Trainer];

/// Most people a line may plan for, and most sessions.
pub const MAX_PEOPLE: i32 = 100_000;
pub const MAX_SESSIONS: i32 = 1_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanLine {
    pub id: Uuid,
    pub ordinal: i32,
    pub course_id: Uuid,
    pub course_code: String,
    pub course: String,
    pub mode: CourseMode,
    /// The course's hours per person.
    pub hours: f64,
    pub people: i32,
    pub units: Vec<String>,
    pub positions: Vec<String>,
    /// (code, name, the office's priority rank) of the competencies whose gaps
    /// justify the line, highest priority first.
    pub competencies: Vec<(String, String, Option<u32>)>,
    /// Seats per session used for the session count.
    pub capacity: i32,
    pub sessions: i32,
    pub months: Vec<u32>,
    /// People × hours.
    pub person_hours: f64,
    pub trainer_cost: f64,
    pub venue_cost: f64,
    pub note: Option<String>,
    pub edited: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub year: i32,
    /// Years with a plan, and this year and next, newest first.
    pub years: Vec<i32>,
    /// `None`: no plan for the year yet.
    pub status: Option<PlanStatus>,
    pub office: String,
    pub note: Option<String>,
    pub lines: Vec<PlanLine>,
    pub trainer_rate: f64,
    pub venue_rate: f64,
    pub class_size: i32,
    pub can_edit: bool,
    /// Accepted proposals due in the year: what a draft would start from.
    pub accepted: u64,
}

impl Plan {
    pub fn people(&self) -> i64 {
        self.lines.iter().map(|l| i64::from(l.people)).sum()
    }
    pub fn sessions(&self) -> i64 {
        self.lines.iter().map(|l| i64::from(l.sessions)).sum()
    }
    pub fn person_hours(&self) -> f64 {
        self.lines.iter().map(|l| l.person_hours).sum()
    }
    pub fn cost(&self) -> f64 {
        self.lines
            .iter()
            .map(|l| l.trainer_cost + l.venue_cost)
            .sum()
    }
}

/// The form key of a line's month box.
pub fn month_key(month: u32) -> String {
    format!("m{month}")
}

#[server(prefix = "/api", endpoint = "plan/get")]
pub async fn get_plan(year: Option<String>) -> Result<Plan, AppError> {
    crate::auth::guard::any_role(PLANNERS, |ctx, me| async move {
        let year = service::year_field(&ctx.state.settings, year.as_deref())?;
        service::load(&ctx.state.db, &ctx.state.settings, &me, year).await
    })
    .await
}

/// Drafts the year's plan from the accepted proposals (or refreshes the draft:
/// lines a trainer edited keep their figures).
#[server(prefix = "/api", endpoint = "plan/generate")]
pub async fn generate_plan(year: String) -> Result<(), AppError> {
    crate::auth::guard::any_role(PLANNERS, |ctx, me| async move {
        let year = service::year_field(&ctx.state.settings, Some(&year))?;
        let n = service::generate(&ctx.state.db, &ctx.state.settings, me.id, year).await?;
        leptos_axum::redirect(&format!("/plan?year={year}&drafted={n}"));
        Ok(())
    })
    .await
}

/// Changes one line: people, sessions (blank: as many as the people need at the
/// class size), the months it runs in (`month`, keyed by [`month_key`]) and a note.
#[server(prefix = "/api", endpoint = "plan/line")]
pub async fn change_plan_line(
    id: String,
    people: String,
    sessions: Option<String>,
    month: Option<std::collections::HashMap<String, String>>,
    note: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(PLANNERS, |ctx, me| async move {
        let id = crate::common::required_id("id", &id)?;
        let months: Vec<u32> = (1..=12)
            .filter(|m| {
                month
                    .as_ref()
                    .is_some_and(|f| f.contains_key(&month_key(*m)))
            })
            .collect();
        let form = service::LineForm {
            people,
            sessions: sessions.unwrap_or_default(),
            months,
            note: note.unwrap_or_default(),
        };
        let year = service::change_line(&ctx.state.db, &me, id, form).await?;
        leptos_axum::redirect(&format!("/plan?year={year}&saved=1#line-{id}"));
        Ok(())
    })
    .await
}

/// Takes a line out of the draft (`confirm` ticked).
#[server(prefix = "/api", endpoint = "plan/remove")]
pub async fn remove_plan_line(id: String, confirm: Option<String>) -> Result<(), AppError> {
    crate::auth::guard::any_role(PLANNERS, |ctx, me| async move {
        let id = crate::common::required_id("id", &id)?;
        crate::common::validate::require_confirmation(false, confirm.as_deref())?;
        let year = service::remove_line(&ctx.state.db, &me, id).await?;
        leptos_axum::redirect(&format!("/plan?year={year}&saved=1"));
        Ok(())
    })
    .await
}

/// Moves the plan on: `submit` (draft → submitted for approval), `approve`
/// (submitted → approved), `reopen` (submitted → draft). Needs `confirm`.
#[server(prefix = "/api", endpoint = "plan/state")]
pub async fn move_plan(
    year: String,
    step: String,
    note: Option<String>,
    confirm: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(PLANNERS, |ctx, me| async move {
        let year = service::year_field(&ctx.state.settings, Some(&year))?;
        crate::common::validate::require_confirmation(false, confirm.as_deref())?;
        service::step(
            &ctx.state.db,
            &me,
            year,
            &step,
            note.as_deref().unwrap_or(""),
        )
        .await?;
        leptos_axum::redirect(&format!("/plan?year={year}&saved=1"));
        Ok(())
    })
    .await
}
