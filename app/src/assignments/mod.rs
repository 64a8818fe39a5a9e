//! Targeted assignment: the engine's proposals with their reasons, reviewed by
//! trainers (everyone) and managers (their own people), accepted into assignments.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
use crate::error::AppError;

pub use crate::domain::ProposalStatus;

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
        let due = match due.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(crate::common::clock::parse_local(
                ctx.state.settings.timezone,
                "due",
                &format!("{d}T23:59"),
            )?),
            None => None,
        };
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
