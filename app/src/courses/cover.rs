//! A course's cover image: a PNG or JPEG uploaded by the course's editors, kept
//! under the data folder's `covers/`, shown in the catalogue and on the course
//! page, and served only to people who may see the course.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::{Multipart, Path as UrlPath, State};
use axum::http::Request;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use super::attachments::{Kind, kind_of_name, receive, serve};
use crate::auth::guard::SessionUser;
use crate::common::web::{Caller, Everyone, error_response};
use crate::domain::AuditAction;
use crate::error::AppError;
use crate::state::{AppState, Settings};

/// Largest cover accepted: a picture for a card, not a poster.
pub const MAX_BYTES: u64 = 2 * 1024 * 1024;

pub fn folder(settings: &Settings) -> PathBuf {
    settings.data_dir.join("covers")
}

/// Only images, up to [`MAX_BYTES`].
fn accept(kind: &Kind) -> Option<u64> {
    kind.content_type.starts_with("image/").then_some(MAX_BYTES)
}

/// `POST /courses/{id}/cover`: a course editor sets (or replaces) the cover.
/// Answers with the course builder, saying what happened.
pub async fn upload(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<Everyone>,
    UrlPath(course_id): UrlPath<Uuid>,
    mut multipart: Multipart,
) -> Response {
    if let Err(e) = super::service::editable(&state.db, &me, course_id).await {
        return error_response(&e);
    }
    let back = format!("/courses/{course_id}/edit");
    let dir = folder(&state.settings);
    if tokio::fs::create_dir_all(&dir).await.is_err() {
        return error_response(&AppError::internal("the covers folder cannot be made"));
    }
    let (name, kind, temp, _) = match receive(&mut multipart, &dir, accept).await {
        Ok(file) => file,
        Err(r) => return Redirect::to(&format!("{back}?cover_error={}", r.code())).into_response(),
    };
    let stored = format!("{}.{}", Uuid::new_v4().simple(), kind.ext);
    let saved = async {
        tokio::fs::rename(&temp, dir.join(&stored))
            .await
            .map_err(|_| AppError::internal("the cover could not be kept"))?;
        set(&state.db, &me, course_id, Some((&stored, &name))).await
    }
    .await;
    match saved {
        Ok(previous) => {
            if let Some(old) = previous {
                let _ = tokio::fs::remove_file(dir.join(old)).await;
            }
            Redirect::to(&format!("{back}?cover=1")).into_response()
        }
        Err(e) => {
            // Nothing half-written: the course keeps its old cover, no new file stays.
            let _ = tokio::fs::remove_file(&temp).await;
            let _ = tokio::fs::remove_file(dir.join(&stored)).await;
            error_response(&e)
        }
    }
}

/// Records the course's new cover (`None` removes it) and returns the file name of
/// the one it replaced, for the caller to delete once the change is committed.
async fn set(
    db: &DatabaseConnection,
    me: &SessionUser,
    course_id: Uuid,
    cover: Option<(&str, &str)>,
) -> Result<Option<String>, AppError> {
    let txn = db.begin().await?;
    let c = super::service::editable(&txn, me, course_id).await?;
    let previous = c.cover.clone();
    let mut changed: crate::entities::course::ActiveModel = c.into();
    changed.cover = Set(cover.map(|(stored, _)| stored.to_owned()));
    changed.updated_at = Set(Utc::now());
    changed.update(&txn).await?;
    crate::audit::Entry::new(me.id, AuditAction::CourseUpdate)
        .on("course", course_id)
        .after(json!({ "cover": cover.map(|(_, name)| name) }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(previous)
}

/// Removes the course's cover: the course shows none, and its file goes.
pub async fn remove(
    db: &DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    course_id: Uuid,
) -> Result<(), AppError> {
    if let Some(old) = set(db, me, course_id, None).await? {
        let _ = tokio::fs::remove_file(folder(settings).join(old)).await;
    }
    Ok(())
}

/// `GET /courses/{id}/cover`: the image, for people who may see the course.
pub async fn download(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<Everyone>,
    UrlPath(course_id): UrlPath<Uuid>,
    request: Request<Body>,
) -> Response {
    let c = match super::service::visible_course(&state.db, &me, course_id).await {
        Ok(c) => c,
        Err(e) => return error_response(&e),
    };
    let Some((stored, kind)) = c.cover.and_then(|s| {
        kind_of_name(&s)
            .filter(|k| accept(k).is_some())
            .map(|k| (s, k))
    }) else {
        return error_response(&AppError::NotFound);
    };
    let name = format!("{}.{}", c.code, kind.ext);
    serve(&folder(&state.settings).join(stored), kind, &name, request).await
}
