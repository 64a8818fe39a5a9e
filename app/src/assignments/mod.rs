//! Targeted assignment: the engine's proposals with their reasons, reviewed by
//! trainers (everyone) and managers (their own people), accepted into assignments.

#[cfg(feature = "ssr")]
pub mod manual;
pub mod manual_pages;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
use crate::error::AppError;

pub use crate::domain::{AssignmentSource, AssignmentStatus, AuditAction, ProposalStatus};

/// Who reviews proposals: trainers and admins see everyone's, managers their own
/// people's.
pub const REVIEWERS: &[Role] = &[Role::Admin, Role::Trainer, Role::Manager];
/// Who may regenerate every proposal at once.
pub const REGENERATORS: &[Role] = &[Role::Admin, Role::Trainer];

pub const PAGE_SIZE: u64 = 25;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalQuery {
    pub status: String,
    pub unit: String,
    pub course: String,
    pub competency: String,
    pub page: u64,
}

/// One competency a proposal addresses, with the evidence behind the current level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasonText {
    pub code: String,
    pub name: String,
    pub current: f64,
    pub target: u8,
    pub expected: u8,
    pub campaign: String,
    pub date: String,
    pub sources: Vec<String>,
    pub raters: u32,
    pub framework_version: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person: String,
    pub employee_no: String,
    pub unit: Option<String>,
    pub course_id: Uuid,
    pub course: String,
    pub course_code: String,
    pub hours: f64,
    pub rank: i32,
    /// Weighted gap the course closes.
    pub closes: f64,
    pub status: ProposalStatus,
    pub reason: Vec<ReasonText>,
    pub note: Option<String>,
    pub due: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalPage {
    pub rows: Vec<ProposalRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub courses: Vec<(Uuid, String)>,
    pub competencies: Vec<(String, String)>,
    pub can_regenerate: bool,
}

/// The form key of a proposal's tick box (a letter first: see `raise_key`).
pub fn pick_key(id: Uuid) -> String {
    format!("p{}", id.simple())
}

#[server(prefix = "/api", endpoint = "proposals")]
pub async fn list_proposals(
    status: Option<String>,
    unit: Option<String>,
    course: Option<String>,
    competency: Option<String>,
    page: Option<u64>,
) -> Result<ProposalPage, AppError> {
    crate::auth::guard::any_role(REVIEWERS, |ctx, me| async move {
        let q = ProposalQuery {
            status: status.unwrap_or_default(),
            unit: unit.unwrap_or_default(),
            course: course.unwrap_or_default(),
            competency: competency.unwrap_or_default(),
            page: page.unwrap_or(1),
        };
        service::list(&ctx.state.db, &ctx.state.settings, &me, &q).await
    })
    .await
}

/// Accepts or rejects the ticked proposals (`pick`, keyed by [`pick_key`]), with an
/// optional note (why rejected) and due date (`YYYY-MM-DD`, office time).
#[server(prefix = "/api", endpoint = "proposals/decide")]
pub async fn decide_proposals(
    decision: String,
    pick: Option<HashMap<String, String>>,
    note: Option<String>,
    due: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(REVIEWERS, |ctx, me| async move {
        use crate::common::validate;
        use crate::error::Problem;
        let accept = match decision.as_str() {
            "accept" => true,
            "reject" => false,
            _ => return Err(AppError::field("decision", Problem::Required)),
        };
        let ids: Vec<Uuid> = pick
            .unwrap_or_default()
            .keys()
            .filter_map(|k| k.strip_prefix('p').and_then(|id| Uuid::parse_str(id).ok()))
            .collect();
        if ids.is_empty() {
            return Err(AppError::field("pick", Problem::Required));
        }
        let note = validate::optional_text("note", note.as_deref().unwrap_or(""), 1000)?;
        let due = end_of_day(ctx.state.settings.timezone, due.as_deref())?;
        let n = service::decide(&ctx.state.db, &me, &ids, accept, note, due).await?;
        leptos_axum::redirect(&format!("/proposals?decided={n}"));
        Ok(())
    })
    .await
}

/// Recomputes every undecided proposal from the latest gaps (decisions stay).
#[server(prefix = "/api", endpoint = "proposals/regenerate")]
pub async fn regenerate_proposals() -> Result<(), AppError> {
    crate::auth::guard::any_role(REGENERATORS, |ctx, me| async move {
        use sea_orm::TransactionTrait;
        let txn = ctx.state.db.begin().await?;
        let n = service::regenerate(&txn, &ctx.state.settings, Some(me.id)).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/proposals?generated={n}"));
        Ok(())
    })
    .await
}

/// What the manual assignment form offers the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignOptions {
    /// Published courses: (id, "code · title").
    pub courses: Vec<(Uuid, String)>,
    pub units: Vec<(Uuid, String)>,
    pub positions: Vec<(Uuid, String)>,
}

/// One audited change of an assignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: String,
    pub by: Option<String>,
    pub action: AuditAction,
    pub due: Option<String>,
    pub withdrawn: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentDetail {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person: String,
    pub employee_no: String,
    pub course_id: Uuid,
    pub course: String,
    pub course_code: String,
    pub source: AssignmentSource,
    pub status: AssignmentStatus,
    pub reason: Vec<ReasonText>,
    pub note: Option<String>,
    pub assigned_by: Option<String>,
    pub assigned_on: String,
    /// `YYYY-MM-DD`, office time.
    pub due: Option<String>,
    pub completed_on: Option<String>,
    pub lessons_done: u32,
    pub lessons_total: u32,
    pub history: Vec<HistoryLine>,
}

/// The `due` date field (`YYYY-MM-DD`, office time) as the end of that day; empty
/// for none.
#[cfg(feature = "ssr")]
fn end_of_day(
    tz: chrono_tz::Tz,
    value: Option<&str>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, crate::error::FieldError> {
    value
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| crate::common::clock::parse_local(tz, "due", &format!("{d}T23:59")))
        .transpose()
}

/// A due date being set: as [`end_of_day`], and not already past.
#[cfg(feature = "ssr")]
fn due_date(
    tz: chrono_tz::Tz,
    value: Option<&str>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, crate::error::FieldError> {
    use crate::error::{FieldError, Problem};
    match end_of_day(tz, value)? {
        Some(at) if at < chrono::Utc::now() => Err(FieldError::new("due", Problem::PastDate)),
        due => Ok(due),
    }
}

/// A required id field.
#[cfg(feature = "ssr")]
fn id_field(field: &str, value: Option<&str>) -> Result<Uuid, crate::error::FieldError> {
    use crate::error::{FieldError, Problem};
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Err(FieldError::new(field, Problem::Required)),
        Some(v) => Uuid::parse_str(v).map_err(|_| {
            FieldError::new(
                field,
                Problem::Unknown {
                    value: v.chars().take(40).collect(),
                },
            )
        }),
    }
}

#[server(prefix = "/api", endpoint = "assignments/options")]
pub async fn assignment_options() -> Result<AssignOptions, AppError> {
    crate::auth::guard::any_role(REVIEWERS, |ctx, me| async move {
        manual::options(&ctx.state.db, &me).await
    })
    .await
}

/// Assigns a course by hand to one person (`person`: employee number), a unit with
/// the units under it, or a position (`target`: person, unit or position), with a
/// note saying why and an optional due date.
#[server(prefix = "/api", endpoint = "assignments/create")]
pub async fn create_assignments(
    course: String,
    target: String,
    person: Option<String>,
    unit: Option<String>,
    position: Option<String>,
    due: Option<String>,
    note: String,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(REVIEWERS, |ctx, me| async move {
        use crate::common::validate;
        use crate::error::{FieldError, Problem};
        let (course, target, due, note) = validate::all((
            id_field("course", Some(&course)),
            match target.as_str() {
                "person" => match person.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                    Some(no) => Ok(manual::Target::Person(no.to_owned())),
                    None => Err(FieldError::new("person", Problem::Required)),
                },
                "unit" => id_field("unit", unit.as_deref()).map(manual::Target::Unit),
                "position" => {
                    id_field("position", position.as_deref()).map(manual::Target::Position)
                }
                _ => Err(FieldError::new("target", Problem::Required)),
            },
            due_date(ctx.state.settings.timezone, due.as_deref()),
            validate::text("note", &note, 1000),
        ))?;
        let (assigned, skipped) =
            manual::create(&ctx.state.db, &me, course, target, due, note).await?;
        leptos_axum::redirect(&format!(
            "/team/progress?course={course}&assigned={assigned}&skipped={skipped}"
        ));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "assignments/get")]
pub async fn get_assignment(id: String) -> Result<AssignmentDetail, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let id = crate::common::required_id("id", &id)?;
        manual::detail(&ctx.state.db, &ctx.state.settings, &me, id).await
    })
    .await
}

/// Sets an open assignment's due date (empty: none), or withdraws it (`withdraw`
/// with `confirm` ticked); `note` says why.
#[server(prefix = "/api", endpoint = "assignments/change")]
pub async fn change_assignment(
    id: String,
    due: Option<String>,
    withdraw: Option<String>,
    confirm: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(REVIEWERS, |ctx, me| async move {
        use crate::common::validate;
        let id = crate::common::required_id("id", &id)?;
        let withdraw = withdraw.is_some();
        let (due, note) = validate::all((
            due_date(ctx.state.settings.timezone, due.as_deref()),
            validate::optional_text("note", note.as_deref().unwrap_or(""), 1000),
        ))?;
        validate::require_confirmation(!withdraw, confirm.as_deref())?;
        manual::change(&ctx.state.db, &me, id, due, withdraw, note).await?;
        leptos_axum::redirect(&format!("/assignments/{id}?saved=1"));
        Ok(())
    })
    .await
}
