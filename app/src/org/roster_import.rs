//! Roster import: the preview of an uploaded file and the all-or-nothing import
//! that claims it once.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::roster::{self, Existing, Lookup};
use super::{RosterPreview, RosterPreviewRow, RowAction};
use crate::auth::guard::SessionUser;
use crate::common::name_key::name_key;
use crate::common::uploads;
use crate::common::validate;
use crate::domain::Vocabulary;
use crate::domain::{AuditAction, UploadKind};
use crate::entities::{org_unit, person, position};
use crate::error::AppError;

use super::people::{new_person, replace_roles, roles_by_person};

/// What the roster is checked against: active units and positions by code or name,
/// and everyone by employee number.
async fn roster_lookup(db: &impl ConnectionTrait) -> Result<Lookup, AppError> {
    let mut lookup = Lookup::default();
    for u in org_unit::Entity::find()
        .filter(org_unit::Column::Active.eq(true))
        .all(db)
        .await?
    {
        lookup.units.insert(u.code.to_lowercase(), u.id);
        lookup.units.insert(u.name.to_lowercase(), u.id);
    }
    for p in position::Entity::find()
        .filter(position::Column::Active.eq(true))
        .all(db)
        .await?
    {
        lookup.positions.insert(p.code.to_lowercase(), p.id);
        lookup.positions.insert(p.name.to_lowercase(), p.id);
    }
    let people = person::Entity::find().all(db).await?;
    let numbers: HashMap<Uuid, String> = people
        .iter()
        .map(|p| (p.id, p.employee_no.clone()))
        .collect();
    let mut roles = roles_by_person(db, None).await?;
    for p in people {
        let person_roles = roles.remove(&p.id).unwrap_or_default();
        lookup.people.insert(
            p.employee_no.clone(),
            Existing {
                id: p.id,
                name: p.name,
                unit_id: p.unit_id,
                position_id: p.position_id,
                manager_no: p.manager_id.and_then(|m| numbers.get(&m).cloned()),
                roles: person_roles,
                email: p.email,
            },
        );
    }
    Ok(lookup)
}

pub async fn roster_preview(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<RosterPreview, AppError> {
    let upload = uploads::find(db, UploadKind::Roster, id).await?;
    let lookup = roster_lookup(db).await?;
    // An imported file's content is gone; its preview only says it was imported.
    let (rows, file_problems) = match upload.imported_at {
        Some(_) => (Vec::new(), Vec::new()),
        None => match roster::plan(&upload.content, &lookup) {
            Ok(rows) => (rows, Vec::new()),
            Err(problems) => (Vec::new(), problems),
        },
    };
    Ok(RosterPreview {
        id,
        file_name: upload.file_name,
        file_problems,
        imported: upload.imported_at.is_some(),
        rows: rows
            .into_iter()
            .map(|r| RosterPreviewRow {
                line: r.line,
                employee_no: r.employee_no,
                name: r.name,
                unit: r.unit,
                position: r.position,
                manager: r.manager,
                roles: r
                    .roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                action: r.action,
                errors: r.errors,
            })
            .collect(),
    })
}

/// Writes the whole roster in one transaction, or nothing if any row is invalid.
/// Re-importing updates people by employee number instead of duplicating them.
pub async fn import_roster(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
) -> Result<usize, AppError> {
    let txn = db.begin().await?;
    let upload = uploads::claim(&txn, UploadKind::Roster, id).await?;
    let lookup = roster_lookup(&txn).await?;
    let rows = roster::plan(&upload.content, &lookup).map_err(validate::file_problems)?;
    validate::row_errors(rows.iter().map(|r| (r.line, &r.errors[..]))).finish()?;

    // Pass 1: everyone exists; pass 2: managers, who may be new in this file.
    let mut ids: HashMap<String, Uuid> = lookup
        .people
        .iter()
        .map(|(no, p)| (no.clone(), p.id))
        .collect();
    let mut written = 0;
    for row in rows.iter().filter(|r| r.action != RowAction::Unchanged) {
        let id = match lookup.people.get(&row.employee_no) {
            Some(existing) => {
                person::Entity::update_many()
                    .col_expr(person::Column::Name, Expr::value(row.name.clone()))
                    .col_expr(person::Column::NameKey, Expr::value(name_key(&row.name)))
                    .col_expr(person::Column::Email, Expr::value(row.email.clone()))
                    .col_expr(person::Column::UnitId, Expr::value(row.unit_id))
                    .col_expr(person::Column::PositionId, Expr::value(row.position_id))
                    .col_expr(person::Column::UpdatedAt, Expr::value(Utc::now()))
                    .filter(person::Column::Id.eq(existing.id))
                    .exec(&txn)
                    .await?;
                existing.id
            }
            None => {
                let id = Uuid::new_v4();
                new_person(
                    id,
                    &row.employee_no,
                    &row.name,
                    row.email.clone(),
                    row.unit_id,
                    row.position_id,
                    None,
                )
                .insert(&txn)
                .await?;
                ids.insert(row.employee_no.clone(), id);
                id
            }
        };
        replace_roles(&txn, id, &row.roles).await?;
        // Each person the roster creates or changes, with the roles granted or
        // removed, has an entry of its own.
        let after = json!({
            "employee_no": row.employee_no, "name": row.name, "email": row.email,
            "unit_id": row.unit_id, "position_id": row.position_id,
            "roles": row.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        });
        let entry = match lookup.people.get(&row.employee_no) {
            Some(existing) => {
                crate::audit::Entry::new(me.id, AuditAction::PersonUpdate).before(json!({
                    "employee_no": row.employee_no, "name": existing.name,
                    "email": existing.email, "unit_id": existing.unit_id,
                    "position_id": existing.position_id,
                    "roles": existing.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                }))
            }
            None => crate::audit::Entry::new(me.id, AuditAction::PersonCreate),
        };
        entry.on("person", id).after(after).record(&txn).await?;
        written += 1;
    }
    for row in rows.iter().filter(|r| r.action != RowAction::Unchanged) {
        let manager = row.manager_no.as_ref().and_then(|m| ids.get(m).copied());
        if let Some(id) = ids.get(&row.employee_no) {
            person::Entity::update_many()
                .col_expr(person::Column::ManagerId, Expr::value(manager))
                .filter(person::Column::Id.eq(*id))
                .exec(&txn)
                .await?;
        }
    }
    let summary = json!({"file": upload.file_name, "rows": rows.len(), "written": written});
    crate::audit::Entry::new(me.id, AuditAction::RosterImport)
        .on("upload", id)
        .after(summary)
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(written)
}
