//! Courses: the catalogue, the course builder (modules of Markdown lessons, the
//! competencies a course raises), and the assignment engine that picks courses
//! for people's gaps.

#[cfg(feature = "ssr")]
pub mod attachments;
#[cfg(feature = "ssr")]
pub mod cover;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
#[cfg(feature = "ssr")]
use crate::common::{parse_id, required_id};
use crate::error::AppError;

pub use crate::domain::{CourseMode, CourseStatus};

/// Who builds courses: a trainer owns the courses they create; admins edit all.
pub const BUILDERS: &[Role] = &[Role::Admin, Role::Trainer];

/// Courses per catalogue page.
pub const PAGE_SIZE: u64 = 20;

/// The catalogue's filters, as they stand in the page address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueQuery {
    pub q: String,
    /// A competency code: courses raising it.
    pub competency: String,
    pub mode: String,
    pub status: String,
    pub page: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseRow {
    pub id: Uuid,
    pub code: String,
    pub title: String,
    pub hours: f64,
    pub mode: CourseMode,
    pub status: CourseStatus,
    /// (code, level) of what it raises.
    pub raises: Vec<(String, u8)>,
    pub lessons: u64,
    /// It has a cover image, at `/courses/{id}/cover`.
    pub cover: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    pub rows: Vec<CourseRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// (code, name) of the competencies courses may name, for the filter.
    pub competencies: Vec<(String, String)>,
    /// The caller may create courses.
    pub can_build: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonLink {
    pub id: Uuid,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleDto {
    pub id: Uuid,
    pub title: String,
    pub lessons: Vec<LessonLink>,
}

/// A competency a course raises, with its name where a framework knows the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Raised {
    pub code: String,
    pub name: Option<String>,
    pub level: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseDetail {
    pub id: Uuid,
    pub code: String,
    pub title: String,
    /// The summary as typed (for the edit form).
    pub summary: String,
    pub hours: f64,
    pub mode: CourseMode,
    pub status: CourseStatus,
    pub self_enrol: bool,
    pub requires_attendance: bool,
    /// It has a cover image, at `/courses/{id}/cover`.
    pub cover: bool,
    pub owners: Vec<String>,
    pub raises: Vec<Raised>,
    pub modules: Vec<ModuleDto>,
    pub can_edit: bool,
    /// The caller has this course (assigned or enrolled).
    pub enrolled: bool,
    /// The caller may enrol themselves now.
    pub can_enrol: bool,
    /// (code, name) of every competency a course may name, for the editor.
    pub competencies: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonDto {
    pub id: Uuid,
    pub course_id: Uuid,
    pub module_id: Uuid,
    pub course_title: String,
    pub module_title: String,
    pub title: String,
    /// The Markdown source, only for those who may edit it.
    pub body: Option<String>,
    /// Rendered and sanitised on the server.
    pub html: String,
    pub previous: Option<Uuid>,
    pub next: Option<Uuid>,
    pub removed: bool,
    pub can_edit: bool,
    /// The caller has this course and may mark the lesson done.
    pub can_mark: bool,
    /// The caller has done this lesson.
    pub done: bool,
    pub attachments: Vec<AttachmentDto>,
}

/// A file attached to a lesson, served at `/attachments/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentDto {
    pub id: Uuid,
    pub file_name: String,
    pub size: i64,
    pub video: bool,
    pub image: bool,
}

/// The form key of a competency in the "raises" editor. It starts with a letter:
/// serde_qs reads a bracketed key starting with a digit as a list index.
pub fn raise_key(code: &str) -> String {
    format!("c_{code}")
}

#[server(prefix = "/api", endpoint = "courses")]
pub async fn list_courses(
    q: Option<String>,
    competency: Option<String>,
    mode: Option<String>,
    status: Option<String>,
    page: Option<u64>,
) -> Result<Catalogue, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let query = CatalogueQuery {
            q: q.unwrap_or_default(),
            competency: competency.unwrap_or_default(),
            mode: mode.unwrap_or_default(),
            status: status.unwrap_or_default(),
            page: page.unwrap_or(1),
        };
        service::catalogue(&ctx.state.db, &me, &query).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "courses/get")]
pub async fn get_course(id: String) -> Result<CourseDetail, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        service::course(&ctx.state.db, &me, required_id("id", &id)?).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "courses/save")]
pub async fn save_course(
    id: Option<String>,
    code: String,
    title: String,
    summary: Option<String>,
    hours: String,
    mode: String,
    self_enrol: Option<String>,
    requires_attendance: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(BUILDERS, |ctx, me| async move {
        let form = service::CourseForm {
            id: parse_id("id", id.as_deref())?,
            code,
            title,
            summary: summary.unwrap_or_default(),
            hours,
            mode,
            self_enrol: self_enrol.is_some(),
            requires_attendance: requires_attendance.is_some(),
        };
        let id = service::save(&ctx.state.db, &me, form).await?;
        leptos_axum::redirect(&format!("/courses/{id}/edit?saved=1"));
        Ok(())
    })
    .await
}

/// Publishes, archives or returns a course to draft. Publishing and archiving ask
/// for confirmation.
#[server(prefix = "/api", endpoint = "courses/state")]
pub async fn set_course_state(
    id: String,
    to: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(BUILDERS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        let to: CourseStatus = crate::common::validate::one_of("to", &to)?;
        crate::common::require_confirmation(to == CourseStatus::Draft, confirm.as_deref())?;
        service::set_state(&ctx.state.db, &me, id, to).await?;
        leptos_axum::redirect(&format!("/courses/{id}/edit?saved=1"));
        Ok(())
    })
    .await
}

/// Saves what the course raises: one level (or blank) per competency code, keyed by
/// [`raise_key`].
#[server(prefix = "/api", endpoint = "courses/raises")]
pub async fn save_raises(
    id: String,
    level: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(BUILDERS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        service::save_raises(&ctx.state.db, &me, id, &level.unwrap_or_default()).await?;
        leptos_axum::redirect(&format!("/courses/{id}/edit?saved=1"));
        Ok(())
    })
    .await
}

/// Adds or renames a module (`op` = `save`), moves it (`up`, `down`) or removes it
/// (`remove`, confirmed; its lessons stay in learners' records).
#[server(prefix = "/api", endpoint = "courses/module")]
pub async fn arrange_module(
    course_id: String,
    id: Option<String>,
    op: String,
    title: Option<String>,
    confirm: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(BUILDERS, |ctx, me| async move {
        let course = required_id("course_id", &course_id)?;
        let id = parse_id("id", id.as_deref())?;
        let op = service::Arrange::parse(&op, title.as_deref(), confirm.as_deref())?;
        service::arrange_module(&ctx.state.db, &me, course, id, op).await?;
        leptos_axum::redirect(&format!("/courses/{course}/edit?saved=1"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "courses/lesson")]
pub async fn get_lesson(id: String) -> Result<LessonDto, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        service::lesson(&ctx.state.db, &me, required_id("id", &id)?).await
    })
    .await
}

/// Creates a lesson in a module (no `id`) or saves its title and text.
#[server(prefix = "/api", endpoint = "courses/lesson/save")]
pub async fn save_lesson(
    module_id: String,
    id: Option<String>,
    title: String,
    body: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(BUILDERS, |ctx, me| async move {
        let module = required_id("module_id", &module_id)?;
        let id = parse_id("id", id.as_deref())?;
        let (course, lesson) = service::save_lesson(
            &ctx.state.db,
            &me,
            module,
            id,
            &title,
            body.as_deref().unwrap_or(""),
        )
        .await?;
        leptos_axum::redirect(&format!("/courses/{course}/lessons/{lesson}/edit?saved=1"));
        Ok(())
    })
    .await
}

/// Moves a lesson (`up`, `down`) or removes it (`remove`, confirmed).
#[server(prefix = "/api", endpoint = "courses/lesson/arrange")]
pub async fn arrange_lesson(
    id: String,
    op: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(BUILDERS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        let op = service::Arrange::parse(&op, None, confirm.as_deref())?;
        let course = service::arrange_lesson(&ctx.state.db, &me, id, op).await?;
        leptos_axum::redirect(&format!("/courses/{course}/edit?saved=1"));
        Ok(())
    })
    .await
}

/// Removes a lesson's attachment (confirmed).
#[server(prefix = "/api", endpoint = "courses/attachment/remove")]
pub async fn remove_attachment(id: String, confirm: Option<String>) -> Result<(), AppError> {
    crate::auth::guard::any_role(BUILDERS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        crate::common::require_confirmation(false, confirm.as_deref())?;
        let (course, lesson) =
            attachments::remove(&ctx.state.db, &ctx.state.settings, &me, id).await?;
        leptos_axum::redirect(&format!("/courses/{course}/lessons/{lesson}/edit?saved=1"));
        Ok(())
    })
    .await
}

/// Removes the course's cover image (confirmed).
#[server(prefix = "/api", endpoint = "courses/cover/remove")]
pub async fn remove_cover(id: String, confirm: Option<String>) -> Result<(), AppError> {
    crate::auth::guard::any_role(BUILDERS, |ctx, me| async move {
        let id = required_id("id", &id)?;
        crate::common::require_confirmation(false, confirm.as_deref())?;
        cover::remove(&ctx.state.db, &ctx.state.settings, &me, id).await?;
        leptos_axum::redirect(&format!("/courses/{id}/edit?saved=1"));
        Ok(())
    })
    .await
}
