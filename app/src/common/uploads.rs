//! The upload store: a roster or framework file kept for preview, written nowhere
//! else until an import claims it. Uploads are plain multipart form posts, so they
//! work without JavaScript.

use axum::extract::Multipart;
use chrono::Utc;
use sea_orm::prelude::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::auth::guard::SessionUser;
use crate::domain::UploadKind;
use crate::entities::upload;
use crate::error::{AppError, Problem};

/// Reads the form's `file` field as text: its name and decoded content, or why not
/// (`too_large`, `unreadable`, `no_file`, shown by the upload page).
pub async fn read_file(
    multipart: &mut Multipart,
    max_bytes: usize,
    default_name: &str,
) -> Result<(String, String), &'static str> {
    let (name, bytes) = read_bytes(multipart, max_bytes, default_name).await?;
    Ok((name, decode(&bytes)))
}

/// Reads the form's `file` field as it came: its name and bytes, or why not.
pub async fn read_bytes(
    multipart: &mut Multipart,
    max_bytes: usize,
    default_name: &str,
) -> Result<(String, Vec<u8>), &'static str> {
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or(default_name).to_owned();
                match field.bytes().await {
                    Ok(bytes) if bytes.len() <= max_bytes => file = Some((name, bytes.to_vec())),
                    _ => return Err("too_large"),
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return Err("unreadable"),
        }
    }
    file.filter(|(_, b)| !b.is_empty()).ok_or("no_file")
}

/// UTF-8 (with or without BOM) as is; anything else is read as GB18030, which is how
/// spreadsheet programs on Chinese Windows save CSV.
pub fn decode(bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    };
    // NUL is never part of a roster or framework, and Postgres refuses it in text.
    text.replace('\0', "")
}

/// Keeps a file for preview; returns its id.
pub async fn store(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    kind: UploadKind,
    file_name: &str,
    content: String,
) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    upload::ActiveModel {
        id: Set(id),
        uploaded_by: Set(me.id),
        kind: Set(kind),
        file_name: Set(file_name.chars().take(255).collect()),
        content: Set(content),
        created_at: Set(Utc::now()),
        imported_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// An upload of `kind`, for its preview.
pub async fn find(
    db: &impl ConnectionTrait,
    kind: UploadKind,
    id: Uuid,
) -> Result<upload::Model, AppError> {
    upload::Entity::find_by_id(id)
        .filter(upload::Column::Kind.eq(kind))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Claims an upload for import: marks it imported if nobody has, in one conditional
/// update that also deletes its stored content (personal data is kept no longer
/// than needed), and hands back the file as it was. Call it first in the import's
/// transaction: of two concurrent imports (a double click), one claims and the
/// other gets a conflict, and a failed import rolls the claim back with everything
/// else.
pub async fn claim(
    db: &impl ConnectionTrait,
    kind: UploadKind,
    id: Uuid,
) -> Result<upload::Model, AppError> {
    // The write comes first: on SQLite a transaction that reads before it writes
    // cannot wait for a concurrent writer and fails instead.
    let claimed = upload::Entity::update_many()
        .col_expr(upload::Column::ImportedAt, Expr::value(Some(Utc::now())))
        .filter(upload::Column::Id.eq(id))
        .filter(upload::Column::Kind.eq(kind))
        .filter(upload::Column::ImportedAt.is_null())
        .exec(db)
        .await?;
    let file = find(db, kind, id).await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Conflict(Problem::Duplicate {
            value: file.file_name,
        }));
    }
    upload::Entity::update_many()
        .col_expr(upload::Column::Content, Expr::value(""))
        .filter(upload::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(file)
}

/// How long an upload may wait for its import before it is deleted.
pub const KEPT_UNIMPORTED: chrono::Duration = chrono::Duration::hours(24);

/// Deletes uploads nobody imported within [`KEPT_UNIMPORTED`]; returns how many.
/// One conditional `DELETE`: with several server instances on one database, each
/// stale upload is deleted by exactly one of them.
pub async fn purge_stale(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    let cutoff = Utc::now() - KEPT_UNIMPORTED;
    let deleted = upload::Entity::delete_many()
        .filter(upload::Column::ImportedAt.is_null())
        .filter(upload::Column::CreatedAt.lt(cutoff))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_and_gbk() {
        assert_eq!(decode("工号,姓名".as_bytes()), "工号,姓名");
        let (gbk, _, _) = encoding_rs::GBK.encode("工号,姓名");
        assert_eq!(decode(&gbk), "工号,姓名");
    }
}
