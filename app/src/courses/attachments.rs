//! Lesson attachments: PDF, Office files, images and MP4 video, uploaded by a
//! course's editors with size and type limits, kept on disk under the data
//! directory, and served (with range requests, so video can be scrubbed) only to
//! people who may see the course.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Multipart, Path as UrlPath, State};
use axum::http::{HeaderValue, Request, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;
use uuid::Uuid;

use super::AttachmentDto;
use crate::auth::guard::SessionUser;
use crate::common::web::{Caller, Everyone, error_response};
use crate::domain::AuditAction;
use crate::entities::{attachment, lesson};
use crate::error::AppError;
use crate::state::{AppState, Settings};

/// What may be attached: extension, content type, whether it is shown inline, and
/// how its first bytes must look (the file's claim is not trusted).
pub(super) struct Kind {
    pub(super) ext: &'static str,
    pub(super) content_type: &'static str,
    inline: bool,
    magic: fn(&[u8]) -> bool,
}

fn zip(b: &[u8]) -> bool {
    b.starts_with(b"PK\x03\x04")
}
fn ole(b: &[u8]) -> bool {
    b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

const KINDS: &[Kind] = &[
    Kind {
        ext: "pdf",
        content_type: "application/pdf",
        inline: true,
        magic: |b| b.starts_with(b"%PDF-"),
    },
    Kind {
        ext: "png",
        content_type: "image/png",
        inline: true,
        magic: |b| b.starts_with(b"\x89PNG\r\n\x1a\n"),
    },
    Kind {
        ext: "jpg",
        content_type: "image/jpeg",
        inline: true,
        magic: |b| b.starts_with(&[0xFF, 0xD8, 0xFF]),
    },
    Kind {
        ext: "jpeg",
        content_type: "image/jpeg",
        inline: true,
        magic: |b| b.starts_with(&[0xFF, 0xD8, 0xFF]),
    },
    Kind {
        ext: "mp4",
        content_type: "video/mp4",
        inline: true,
        magic: |b| b.get(4..8) == Some(b"ftyp"),
    },
    Kind {
        ext: "docx",
        content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        inline: false,
        magic: zip,
    },
    Kind {
        ext: "xlsx",
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        inline: false,
        magic: zip,
    },
    Kind {
        ext: "pptx",
        content_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        inline: false,
        magic: zip,
    },
    Kind {
        ext: "doc",
        content_type: "application/msword",
        inline: false,
        magic: ole,
    },
    Kind {
        ext: "xls",
        content_type: "application/vnd.ms-excel",
        inline: false,
        magic: ole,
    },
    Kind {
        ext: "ppt",
        content_type: "application/vnd.ms-powerpoint",
        inline: false,
        magic: ole,
    },
];

pub(super) fn kind_of_name(name: &str) -> Option<&'static Kind> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    KINDS.iter().find(|k| k.ext == ext)
}

fn kind_of_type(content_type: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.content_type == content_type)
}

/// Why an upload was refused, as the lesson editor shows it (`?file_error=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NoFile,
    TooLarge,
    WrongType,
    Unreadable,
}

impl Refusal {
    pub(super) fn code(self) -> &'static str {
        match self {
            Refusal::NoFile => "no_file",
            Refusal::TooLarge => "too_large",
            Refusal::WrongType => "wrong_type",
            Refusal::Unreadable => "unreadable",
        }
    }
}

pub fn folder(settings: &Settings) -> PathBuf {
    settings.data_dir.join("attachments")
}

/// The upload's limit for its kind.
fn limit(settings: &Settings, kind: &Kind) -> u64 {
    if kind.ext == "mp4" {
        settings.video_max_bytes
    } else {
        settings.attachment_max_bytes
    }
}

/// Streams the form's `file` to a temporary file in `dir`, checking its name, its
/// first bytes and its size as it goes. `accept` says whether a kind may be
/// uploaded here, and up to what size. Nothing is left behind when refused.
pub(super) async fn receive(
    multipart: &mut Multipart,
    dir: &Path,
    accept: impl Fn(&Kind) -> Option<u64>,
) -> Result<(String, &'static Kind, PathBuf, u64), Refusal> {
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| Refusal::Unreadable)?
    {
        if field.name() != Some("file") {
            continue;
        }
        let name: String = field
            .file_name()
            .unwrap_or("")
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        if name.is_empty() {
            return Err(Refusal::NoFile);
        }
        let kind = kind_of_name(&name).ok_or(Refusal::WrongType)?;
        let max = accept(kind).ok_or(Refusal::WrongType)?;
        let temp = dir.join(format!("{}.part", Uuid::new_v4().simple()));
        let mut out = tokio::fs::File::create(&temp)
            .await
            .map_err(|_| Refusal::Unreadable)?;
        let mut size: u64 = 0;
        let mut head: Vec<u8> = Vec::new();
        let result = loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    size += chunk.len() as u64;
                    if size > max {
                        break Err(Refusal::TooLarge);
                    }
                    if head.len() < 16 {
                        head.extend(chunk.iter().take(16 - head.len()));
                    }
                    if out.write_all(&chunk).await.is_err() {
                        break Err(Refusal::Unreadable);
                    }
                }
                Ok(None) => break Ok(()),
                Err(_) => break Err(Refusal::Unreadable),
            }
        };
        let result = result.and_then(|()| {
            if size == 0 {
                Err(Refusal::NoFile)
            } else if !(kind.magic)(&head) {
                Err(Refusal::WrongType)
            } else {
                Ok(())
            }
        });
        let flushed = out.flush().await;
        drop(out);
        return match (result, flushed) {
            (Ok(()), Ok(())) => Ok((name, kind, temp, size)),
            (Ok(()), Err(_)) => {
                let _ = tokio::fs::remove_file(&temp).await;
                Err(Refusal::Unreadable)
            }
            (Err(r), _) => {
                let _ = tokio::fs::remove_file(&temp).await;
                Err(r)
            }
        };
    }
    Err(Refusal::NoFile)
}

/// `POST /lessons/{id}/attachments`: a course editor attaches a file to a lesson.
/// Answers with the lesson editor, saying what happened.
pub async fn upload(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<Everyone>,
    UrlPath(lesson_id): UrlPath<Uuid>,
    mut multipart: Multipart,
) -> Response {
    let l = match editable_lesson(&state.db, &me, lesson_id).await {
        Ok(l) => l,
        Err(e) => return error_response(&e),
    };
    let back = format!("/courses/{}/lessons/{}/edit", l.course_id, l.id);
    let dir = folder(&state.settings);
    if tokio::fs::create_dir_all(&dir).await.is_err() {
        return error_response(&AppError::internal("the attachments folder cannot be made"));
    }
    let settings = &state.settings;
    let accept = |kind: &Kind| Some(limit(settings, kind));
    let (name, kind, temp, size) = match receive(&mut multipart, &dir, accept).await {
        Ok(file) => file,
        Err(r) => return Redirect::to(&format!("{back}?file_error={}", r.code())).into_response(),
    };
    let id = Uuid::new_v4();
    let stored = format!("{}.{}", id.simple(), kind.ext);
    let saved = async {
        tokio::fs::rename(&temp, dir.join(&stored))
            .await
            .map_err(|_| AppError::internal("the attachment could not be kept"))?;
        record(&state.db, &me, &l, id, &name, kind, size, &stored).await
    }
    .await;
    match saved {
        Ok(()) => Redirect::to(&format!("{back}?attached=1")).into_response(),
        Err(e) => {
            // Nothing half-written: no row, no file.
            let _ = tokio::fs::remove_file(&temp).await;
            let _ = tokio::fs::remove_file(dir.join(&stored)).await;
            error_response(&e)
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn record(
    db: &sea_orm::DatabaseConnection,
    me: &SessionUser,
    l: &lesson::Model,
    id: Uuid,
    name: &str,
    kind: &Kind,
    size: u64,
    stored: &str,
) -> Result<(), AppError> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    attachment::ActiveModel {
        id: Set(id),
        lesson_id: Set(l.id),
        course_id: Set(l.course_id),
        file_name: Set(name.to_owned()),
        content_type: Set(kind.content_type.to_owned()),
        size: Set(size as i64),
        stored_name: Set(stored.to_owned()),
        uploaded_by: Set(Some(me.id)),
        uploaded_at: Set(Utc::now()),
        removed_at: Set(None),
    }
    .insert(&txn)
    .await?;
    crate::audit::Entry::new(me.id, AuditAction::CourseOutline)
        .on("course", l.course_id)
        .after(json!({ "attached": name, "lesson": l.title, "size": size }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

async fn editable_lesson(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<lesson::Model, AppError> {
    let l = lesson::Entity::find_by_id(id)
        .filter(lesson::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    super::service::editable(db, me, l.course_id).await?;
    Ok(l)
}

/// `GET /attachments/{id}`: the file, for people who may see its course. Range
/// requests are answered (206) so video can be scrubbed.
pub async fn download(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<Everyone>,
    UrlPath(id): UrlPath<Uuid>,
    request: Request<Body>,
) -> Response {
    let found = async {
        let a = attachment::Entity::find_by_id(id)
            .filter(attachment::Column::RemovedAt.is_null())
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        super::service::visible_course(&state.db, &me, a.course_id).await?;
        Ok::<_, AppError>(a)
    }
    .await;
    let a = match found {
        Ok(a) => a,
        Err(e) => return error_response(&e),
    };
    let Some(kind) = kind_of_type(&a.content_type) else {
        return error_response(&AppError::NotFound);
    };
    let path = folder(&state.settings).join(&a.stored_name);
    serve(&path, kind, &a.file_name, request).await
}

/// A kept file as the browser should take it: our checked type whatever its name
/// suggests, shown or downloaded by kind, never sniffed, never cached by others.
/// Range requests are answered (206).
pub(super) async fn serve(
    path: &Path,
    kind: &Kind,
    file_name: &str,
    request: Request<Body>,
) -> Response {
    let served = tower_http::services::ServeFile::new(path)
        .oneshot(request)
        .await;
    let mut res = match served {
        Ok(res) if res.status().as_u16() == 404 => return error_response(&AppError::NotFound),
        Ok(res) => res.into_response(),
        Err(_) => return error_response(&AppError::NotFound),
    };
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if kind.inline { "inline" } else { "attachment" },
        crate::components::urlencode(file_name)
    );
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(kind.content_type),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// A lesson's live attachments, in upload order.
pub async fn of_lesson(
    db: &impl ConnectionTrait,
    lesson_id: Uuid,
) -> Result<Vec<AttachmentDto>, AppError> {
    use sea_orm::QueryOrder;
    Ok(attachment::Entity::find()
        .filter(attachment::Column::LessonId.eq(lesson_id))
        .filter(attachment::Column::RemovedAt.is_null())
        .order_by_asc(attachment::Column::UploadedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|a| AttachmentDto {
            id: a.id,
            video: a.content_type == "video/mp4",
            image: a.content_type.starts_with("image/"),
            file_name: a.file_name,
            size: a.size,
        })
        .collect())
}

/// Removes an attachment (its file goes; its row stays, marked removed).
pub async fn remove(
    db: &sea_orm::DatabaseConnection,
    settings: &Settings,
    me: &SessionUser,
    id: Uuid,
) -> Result<(Uuid, Uuid), AppError> {
    use sea_orm::TransactionTrait;
    let a = attachment::Entity::find_by_id(id)
        .filter(attachment::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    super::service::editable(db, me, a.course_id).await?;
    let txn = db.begin().await?;
    let mut gone: attachment::ActiveModel = a.clone().into();
    gone.removed_at = Set(Some(Utc::now()));
    gone.update(&txn).await?;
    crate::audit::Entry::new(me.id, AuditAction::CourseOutline)
        .on("course", a.course_id)
        .after(json!({ "removed_attachment": a.file_name }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    let _ = tokio::fs::remove_file(folder(settings).join(&a.stored_name)).await;
    Ok((a.course_id, a.lesson_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_known_by_name_and_checked_by_content() {
        let pdf = kind_of_name("政策解读.PDF").unwrap();
        assert_eq!(pdf.content_type, "application/pdf");
        assert!((pdf.magic)(b"%PDF-1.7\n"));
        assert!(!(pdf.magic)(b"MZ\x90\x00"));
        let mp4 = kind_of_name("操作演示.mp4").unwrap();
        assert!((mp4.magic)(b"\x00\x00\x00\x20ftypisom"));
        assert!(kind_of_name("setup.exe").is_none());
        assert!(kind_of_name("no-extension").is_none());
        assert!(kind_of_name("page.html").is_none());
        assert!(
            kind_of_name("drawing.svg").is_none(),
            "SVG can carry script"
        );
    }
}
