//! A person's own learning: the courses assigned to them or that they enrolled in,
//! each with why, by when, and where it stands; and enrolling from the catalogue.

#[cfg(feature = "ssr")]
pub mod notices;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod progress;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod transfer;

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
    /// The first lesson not yet done (none once all are).
    pub next_lesson: Option<Uuid>,
    pub lessons_total: u32,
    pub lessons_done: u32,
    /// The completion rule asks for attendance at a session (classroom, blended).
    pub needs_attendance: bool,
    pub attended: bool,
    pub completed_on: Option<String>,
    pub certificate: Option<String>,
    /// The completion rule asks for the reaction form answered.
    pub reaction_required: bool,
    /// Where the course's reaction form stands for this learner.
    pub reaction: ReactionStep,
}

/// The reaction form on a learner's course: not open yet, open (and needed to
/// complete the course when the course says so), or answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReactionStep {
    NotYet,
    Open { required: bool },
    Answered,
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

/// Marks a lesson done for the caller and goes on: to the certificate when that
/// completed the course, else to the next lesson not yet done.
#[server(prefix = "/api", endpoint = "lessons/done")]
pub async fn mark_lesson_done(lesson: String) -> Result<(), AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let lesson = required_id("lesson", &lesson)?;
        let marked = progress::mark_done(&ctx.state.db, &me, lesson).await?;
        let to = match (&marked.certificate, marked.next) {
            (Some(code), _) => format!("/certificates/{code}?completed=1"),
            (None, Some(next)) => format!("/courses/{}/lessons/{next}?done=1", marked.course_id),
            (None, None) => format!("/courses/{}/lessons/{lesson}?done=1", marked.course_id),
        };
        leptos_axum::redirect(&to);
        Ok(())
    })
    .await
}

/// One completed course on a transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptLine {
    pub course_id: Uuid,
    pub code: String,
    pub title: String,
    pub completed_on: String,
    pub hours: f64,
    pub certificate: Option<String>,
}

/// A person's learning-hours record (学时档案) for a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub person_id: Uuid,
    pub person: String,
    pub employee_no: String,
    pub unit: Option<String>,
    pub year: i32,
    /// Years with completed courses, and this year, newest first.
    pub years: Vec<i32>,
    pub lines: Vec<TranscriptLine>,
    pub total: f64,
    pub required: f64,
    pub own: bool,
}

/// The caller's transcript, or (for those who may see them) someone else's.
#[server(prefix = "/api", endpoint = "learning/hours")]
pub async fn learning_hours(
    person: Option<String>,
    year: Option<i32>,
) -> Result<Transcript, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let person = crate::common::parse_id("person", person.as_deref())?;
        service::transcript(&ctx.state.db, &ctx.state.settings, &me, person, year).await
    })
    .await
}
