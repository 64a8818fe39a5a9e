//! Team progress for managers (their people) and trainers and admins (everyone):
//! each person's assigned courses and where they stand, a summary per unit, and the
//! learning hours each person has this year against the office's requirement.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod transfer;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

pub use crate::assignments::REVIEWERS as TEAM_READERS;

pub const PAGE_SIZE: u64 = 50;

/// Where a person stands in an assigned course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    NotStarted,
    InProgress,
    Completed,
    Overdue,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::NotStarted,
        Stage::InProgress,
        Stage::Overdue,
        Stage::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::NotStarted => "not_started",
            Stage::InProgress => "in_progress",
            Stage::Completed => "completed",
            Stage::Overdue => "overdue",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The rule: completed wins; past its due date is overdue; a lesson done is
    /// in progress.
    pub fn of(completed: bool, overdue: bool, started: bool) -> Stage {
        match (completed, overdue, started) {
            (true, _, _) => Stage::Completed,
            (false, true, _) => Stage::Overdue,
            (false, false, true) => Stage::InProgress,
            (false, false, false) => Stage::NotStarted,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamQuery {
    pub unit: String,
    pub course: String,
    pub stage: String,
    pub page: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressRow {
    pub assignment_id: Uuid,
    pub person_id: Uuid,
    pub person: String,
    pub employee_no: String,
    pub unit: Option<String>,
    pub course_id: Uuid,
    pub course: String,
    pub course_code: String,
    pub stage: Stage,
    pub lessons_done: u32,
    pub lessons_total: u32,
    pub percent: u32,
    pub due: Option<String>,
    pub completed_on: Option<String>,
}

/// One unit's line in the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitSummary {
    pub unit_id: Uuid,
    pub unit: String,
    pub people: u32,
    pub assigned: u32,
    pub not_started: u32,
    pub in_progress: u32,
    pub completed: u32,
    pub overdue: u32,
    /// Hours completed this year by the unit's people.
    pub hours: f64,
    /// The requirement times the unit's people.
    pub hours_required: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamProgress {
    pub rows: Vec<ProgressRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub summary: Vec<UnitSummary>,
    /// Units the caller may filter by, in tree order.
    pub units: Vec<(Uuid, String)>,
    pub courses: Vec<(Uuid, String)>,
    pub year: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoursRow {
    pub person_id: Uuid,
    pub person: String,
    pub employee_no: String,
    pub unit: Option<String>,
    pub hours: f64,
    pub courses: u32,
    /// This person's requirement (their position's, or the office's).
    pub required: f64,
    pub behind: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamHours {
    pub rows: Vec<HoursRow>,
    pub total: u64,
    pub behind: u64,
    pub page: u64,
    pub pages: u64,
    pub year: i32,
    pub required: f64,
    pub units: Vec<(Uuid, String)>,
}

#[server(prefix = "/api", endpoint = "team/progress")]
pub async fn list_team_progress(
    unit: Option<String>,
    course: Option<String>,
    stage: Option<String>,
    page: Option<u64>,
) -> Result<TeamProgress, AppError> {
    crate::auth::guard::any_role(TEAM_READERS, |ctx, me| async move {
        let q = TeamQuery {
            unit: unit.unwrap_or_default(),
            course: course.unwrap_or_default(),
            stage: stage.unwrap_or_default(),
            page: page.unwrap_or(1),
        };
        service::progress(&ctx.state.db, &ctx.state.settings, &me, &q).await
    })
    .await
}

/// People's learning hours in a year, those behind the requirement first.
#[server(prefix = "/api", endpoint = "team/hours")]
pub async fn list_team_hours(
    unit: Option<String>,
    year: Option<i32>,
    page: Option<u64>,
) -> Result<TeamHours, AppError> {
    crate::auth::guard::any_role(TEAM_READERS, |ctx, me| async move {
        service::hours(
            &ctx.state.db,
            &ctx.state.settings,
            &me,
            unit.as_deref().unwrap_or(""),
            year,
            page.unwrap_or(1),
        )
        .await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_follow_the_rule() {
        assert_eq!(Stage::of(true, true, true), Stage::Completed);
        assert_eq!(Stage::of(false, true, false), Stage::Overdue);
        assert_eq!(Stage::of(false, true, true), Stage::Overdue);
        assert_eq!(Stage::of(false, false, true), Stage::InProgress);
        assert_eq!(Stage::of(false, false, false), Stage::NotStarted);
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        assert_eq!(Stage::parse("done"), None);
    }
}
