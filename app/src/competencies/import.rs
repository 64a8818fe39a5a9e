//! A framework from a CSV file: the preview, then one import that claims the
//! upload, all in one transaction.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, Set, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use super::frameworks::insert_framework;
use super::{FrameworkImportPreview, FrameworkImportRow};
use crate::auth::guard::SessionUser;
use crate::common::uploads;
use crate::common::validate::{self, Fields, limits};
use crate::domain::{AuditAction, UploadKind};
use crate::entities::{competency, framework_domain};
use crate::error::AppError;

pub async fn import_preview(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<FrameworkImportPreview, AppError> {
    let up = uploads::find(db, UploadKind::Framework, id).await?;
    // An imported file's content is gone; its preview only says it was imported.
    let (rows, file_problems) = match up.imported_at {
        Some(_) => (Vec::new(), Vec::new()),
        None => match super::csv::parse(&up.content) {
            Ok(rows) => (rows, Vec::new()),
            Err(p) => (Vec::new(), p),
        },
    };
    Ok(FrameworkImportPreview {
        id,
        file_name: up.file_name,
        file_problems,
        imported: up.imported_at.is_some(),
        rows: rows
            .into_iter()
            .map(|r| FrameworkImportRow {
                line: r.line,
                domain: r.domain,
                code: r.code,
                name: r.name,
                errors: r.errors,
            })
            .collect(),
    })
}

/// Creates a new framework from a valid upload, all in one transaction.
pub async fn import_framework(
    db: &DatabaseConnection,
    me: &SessionUser,
    upload_id: Uuid,
    name: &str,
) -> Result<Uuid, AppError> {
    let mut errors = Fields::new();
    errors.take(validate::text("name", name, limits::NAME));
    errors.finish()?;
    let txn = db.begin().await?;
    let up = uploads::claim(&txn, UploadKind::Framework, upload_id).await?;
    let rows = super::csv::parse(&up.content).map_err(validate::file_problems)?;
    validate::row_errors(rows.iter().map(|r| (r.line, &r.errors[..]))).finish()?;
    let fid = insert_framework(&txn, me, Uuid::new_v4(), 1, name.trim(), "").await?;
    let mut domains: Vec<(String, Uuid)> = Vec::new();
    let mut per_domain: HashMap<Uuid, i32> = HashMap::new();
    for row in &rows {
        let domain_id = match domains.iter().find(|(n, _)| *n == row.domain) {
            Some((_, id)) => *id,
            None => {
                let id = Uuid::new_v4();
                framework_domain::ActiveModel {
                    id: Set(id),
                    framework_id: Set(fid),
                    position: Set(i32::try_from(domains.len()).unwrap_or(i32::MAX)),
                    name: Set(row.domain.clone()),
                    archived: Set(false),
                }
                .insert(&txn)
                .await?;
                domains.push((row.domain.clone(), id));
                id
            }
        };
        let position = per_domain.entry(domain_id).or_default();
        let [l1, l2, l3, l4, l5] = row.levels.clone();
        competency::ActiveModel {
            id: Set(Uuid::new_v4()),
            framework_id: Set(fid),
            domain_id: Set(domain_id),
            position: Set(*position),
            code: Set(row.code.clone()),
            name: Set(row.name.clone()),
            description: Set(Some(row.description.clone()).filter(|d| !d.is_empty())),
            level_1: Set(l1),
            level_2: Set(l2),
            level_3: Set(l3),
            level_4: Set(l4),
            level_5: Set(l5),
            archived: Set(false),
        }
        .insert(&txn)
        .await?;
        *position += 1;
    }
    crate::audit::Entry::new(me.id, AuditAction::FrameworkImport)
        .on("framework", fid)
        .after(json!({ "name": name.trim(), "competencies": rows.len() }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(fid)
}
