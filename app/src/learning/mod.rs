//! A person's own learning: the courses assigned to them or that they enrolled in,
//! each with why, by when, and where it stands; and enrolling from the catalogue.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::assignments::ReasonText;
#[cfg(feature = "ssr")]
use crate::common::required_id;
use crate::error::AppError;

pub use crate::domain::{AssignmentSource, AssignmentStatus, CourseMode};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyCourse {
    pub assignment_id: Uuid,
    pub course_id: Uuid,
    pub title: String,
    pub code: String,
    pub hours: f64,
    pub mode: CourseMode,
    pub source: AssignmentSource,
    pub status: AssignmentStatus,
    /// Why: the proposal's reason lines (empty for self-enrolment).
    pub reason: Vec<ReasonText>,
    /// A manual assignment's note.
    pub note: Option<String>,
    pub assigned_by: Option<String>,
    pub assigned_on: String,
    pub due: Option<String>,
    pub overdue: bool,
    pub first_lesson: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningList {
    pub courses: Vec<MyCourse>,
    pub hours_assigned: f64,
}

#[server(prefix = "/api", endpoint = "learning")]
pub async fn my_learning() -> Result<LearningList, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        service::my_learning(&ctx.state.db, &ctx.state.settings, &me).await
    })
    .await
}

/// Enrols the caller in a published course open to self-enrolment.
#[server(prefix = "/api", endpoint = "courses/enrol")]
pub async fn enrol(id: String) -> Result<(), AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let id = required_id("id", &id)?;
        service::enrol(&ctx.state.db, &me, id).await?;
        leptos_axum::redirect("/learning?enrolled=1");
        Ok(())
    })
    .await
}
