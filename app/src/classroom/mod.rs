//! Classroom sessions: a classroom or blended course's dated sessions with a place
//! and a number of seats; people who have the course take a seat or join the
//! waiting list, which moves up when someone withdraws; the trainer marks
//! attendance on the sign-in sheet (签到表); each session is a calendar file.

#[cfg(feature = "ssr")]
pub mod changes;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use std::collections::HashMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::domain::SeatStatus;
use crate::error::AppError;

/// The most seats a session may have.
pub const MAX_CAPACITY: i32 = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionDto {
    pub id: Uuid,
    /// Office time: `YYYY-MM-DD`, `HH:MM`, `HH:MM`.
    pub date: String,
    pub start: String,
    pub end: String,
    pub place: String,
    pub capacity: i32,
    pub taken: i32,
    pub waiting: u32,
    pub trainer: Option<String>,
    /// The trainer's employee number, for the change form.
    pub trainer_no: Option<String>,
    /// The caller's seat, if any (withdrawn counts as none).
    pub mine: Option<SeatStatus>,
    /// Where the caller stands on the waiting list (1 = next).
    pub my_place: Option<u32>,
    pub past: bool,
    /// Called off; kept for the record.
    pub cancelled: bool,
    /// The caller teaches this session (and so keeps its sign-in sheet).
    pub teaching: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sessions {
    pub sessions: Vec<SessionDto>,
    /// Editors add sessions and open sign-in sheets.
    pub can_manage: bool,
    /// The caller has the course, so may take a seat.
    pub can_enrol: bool,
    /// Classroom or blended: sessions make sense.
    pub classroom: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetRow {
    pub person_id: Uuid,
    pub name: String,
    pub employee_no: String,
    pub unit: Option<String>,
    pub attended: bool,
}

/// The sign-in sheet (签到表).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub session: SessionDto,
    pub course_id: Uuid,
    pub course: String,
    pub course_code: String,
    pub rows: Vec<SheetRow>,
    pub waiting: Vec<SheetRow>,
}

/// The form key of a person's attendance box (a letter first, see `raise_key`).
pub fn present_key(id: Uuid) -> String {
    format!("p{}", id.simple())
}

#[server(prefix = "/api", endpoint = "classroom/sessions")]
pub async fn list_sessions(course: String) -> Result<Sessions, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let course = crate::common::required_id("course", &course)?;
        service::list(&ctx.state.db, &ctx.state.settings, &me, course).await
    })
    .await
}

/// Adds a session to a classroom or blended course (its editors): date
/// (`YYYY-MM-DD`), start and end (`HH:MM`, office time), place, seats, and the
/// trainer's employee number (optional).
#[server(prefix = "/api", endpoint = "classroom/create")]
pub async fn create_session(
    course: String,
    date: String,
    start: String,
    end: String,
    place: String,
    capacity: String,
    trainer: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(crate::courses::BUILDERS, |ctx, me| async move {
        let course = crate::common::required_id("course", &course)?;
        let form = service::NewSession {
            date,
            start,
            end,
            place,
            capacity,
            trainer: trainer.unwrap_or_default(),
        };
        service::create(&ctx.state.db, &ctx.state.settings, &me, course, form).await?;
        leptos_axum::redirect(&format!("/courses/{course}?saved=1#sessions"));
        Ok(())
    })
    .await
}

/// Changes a session that has not begun (the course's editors): the same fields
/// as [`create_session`]. People seated or waiting are told of a new time or place.
#[server(prefix = "/api", endpoint = "classroom/change")]
pub async fn change_session(
    session: String,
    date: String,
    start: String,
    end: String,
    place: String,
    capacity: String,
    trainer: Option<String>,
) -> Result<(), AppError> {
    crate::auth::guard::any_role(crate::courses::BUILDERS, |ctx, me| async move {
        let id = crate::common::required_id("session", &session)?;
        let form = service::NewSession {
            date,
            start,
            end,
            place,
            capacity,
            trainer: trainer.unwrap_or_default(),
        };
        let course = changes::update(&ctx.state.db, &ctx.state.settings, &me, id, form).await?;
        leptos_axum::redirect(&format!("/courses/{course}?saved=1#sessions"));
        Ok(())
    })
    .await
}

/// Cancels a session that has not begun (`confirm` ticked); everyone seated or
/// waiting is told.
#[server(prefix = "/api", endpoint = "classroom/cancel")]
pub async fn cancel_session(session: String, confirm: Option<String>) -> Result<(), AppError> {
    crate::auth::guard::any_role(crate::courses::BUILDERS, |ctx, me| async move {
        let id = crate::common::required_id("session", &session)?;
        crate::common::validate::require_confirmation(false, confirm.as_deref())?;
        let course = changes::cancel(&ctx.state.db, &ctx.state.settings, &me, id).await?;
        leptos_axum::redirect(&format!("/courses/{course}?saved=1#sessions"));
        Ok(())
    })
    .await
}

/// Takes a seat for the caller (or a place on the waiting list when full).
#[server(prefix = "/api", endpoint = "classroom/enrol")]
pub async fn take_seat(session: String) -> Result<(), AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let session = crate::common::required_id("session", &session)?;
        let (course, _) = service::enrol(&ctx.state.db, &me, session).await?;
        leptos_axum::redirect(&format!("/courses/{course}?seat=1#sessions"));
        Ok(())
    })
    .await
}

/// Gives up the caller's seat or waiting-list place; the next in line moves up.
#[server(prefix = "/api", endpoint = "classroom/withdraw")]
pub async fn leave_seat(session: String) -> Result<(), AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let session = crate::common::required_id("session", &session)?;
        let course = service::withdraw(&ctx.state.db, &me, session).await?;
        leptos_axum::redirect(&format!("/courses/{course}?left=1#sessions"));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "classroom/sheet")]
pub async fn sign_in_sheet(session: String) -> Result<Sheet, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let session = crate::common::required_id("session", &session)?;
        service::sheet(&ctx.state.db, &ctx.state.settings, &me, session).await
    })
    .await
}

/// Records who attended (`present`, keyed by [`present_key`]); the rest did not.
#[server(prefix = "/api", endpoint = "classroom/attendance")]
pub async fn mark_attendance(
    session: String,
    present: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        let session = crate::common::required_id("session", &session)?;
        let present: Vec<Uuid> = present
            .unwrap_or_default()
            .keys()
            .filter_map(|k| k.strip_prefix('p').and_then(|id| Uuid::parse_str(id).ok()))
            .collect();
        service::attendance(&ctx.state.db, &me, session, &present).await?;
        leptos_axum::redirect(&format!("/sessions/{session}?saved=1"));
        Ok(())
    })
    .await
}
