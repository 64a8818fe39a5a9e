//! In-app notifications: what a person is told (a campaign opened, a reminder, a
//! nomination as peer), listed on their own page and counted in the menu's bell.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::domain::NotificationKind;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationDto {
    pub id: Uuid,
    pub kind: NotificationKind,
    pub campaign: Option<String>,
    pub campaign_id: Option<Uuid>,
    /// For notices about an assigned course.
    pub course: Option<String>,
    pub course_id: Option<Uuid>,
    pub due: Option<String>,
    /// A session's time and place, for session notices.
    pub detail: Option<String>,
    /// For behaviour follow-up notices.
    pub follow_up_id: Option<Uuid>,
    pub at: String,
    pub read: bool,
}

#[server(prefix = "/api", endpoint = "notifications")]
pub async fn list_notifications() -> Result<Vec<NotificationDto>, AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move { service::list(&ctx.state, &me).await })
        .await
}

#[server(prefix = "/api", endpoint = "notifications/read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    crate::auth::guard::signed_in(|ctx, me| async move {
        service::mark_read(&ctx.state.db, me.id).await?;
        leptos_axum::redirect("/notifications");
        Ok(())
    })
    .await
}
