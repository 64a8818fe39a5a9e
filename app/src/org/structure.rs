//! Units (a tree) and positions: listing, saving, (de)activating; every write
//! audited in the transaction that makes it.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::tree;
use super::visibility::Scope;
use super::{PositionDto, UnitDto};
use crate::auth::guard::SessionUser;
use crate::common::conflict::Taken;
use crate::common::validate::{self, Fields, limits};
use crate::domain::AuditAction;
use crate::entities::{org_unit, person, position};
use crate::error::{AppError, Problem};

pub(super) async fn unit_pairs(
    db: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, Option<Uuid>)>, AppError> {
    Ok(org_unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.parent_id))
        .collect())
}

pub async fn list_units(
    db: &impl ConnectionTrait,
    me: &SessionUser,
) -> Result<Vec<UnitDto>, AppError> {
    let scope = Scope::load(db, me).await?;
    let counts = people_per(db, person::Column::UnitId).await?;
    let units: Vec<org_unit::Model> = org_unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|u| scope.sees_unit(Some(u.id)))
        .collect();
    Ok(
        tree::ordered(units, |u| u.id, |u| u.parent_id, |u| u.name.clone())
            .into_iter()
            .map(|(depth, u)| UnitDto {
                people: counts.get(&u.id).copied().unwrap_or(0),
                id: u.id,
                code: u.code,
                name: u.name,
                parent_id: u.parent_id,
                active: u.active,
                depth,
            })
            .collect(),
    )
}

/// Active people per unit or position.
async fn people_per(
    db: &impl ConnectionTrait,
    column: person::Column,
) -> Result<HashMap<Uuid, u64>, AppError> {
    let mut counts = HashMap::new();
    for p in person::Entity::find()
        .filter(person::Column::Active.eq(true))
        .all(db)
        .await?
    {
        let key = match column {
            person::Column::UnitId => p.unit_id,
            _ => p.position_id,
        };
        if let Some(k) = key {
            *counts.entry(k).or_insert(0) += 1;
        }
    }
    Ok(counts)
}

pub async fn save_unit(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Option<Uuid>,
    code: &str,
    name: &str,
    parent: Option<Uuid>,
) -> Result<Uuid, AppError> {
    let (code, name) = (code.trim(), name.trim());
    let mut errors = Fields::new();
    errors.take(validate::text("code", code, limits::CODE));
    errors.take(validate::text("name", name, limits::NAME));
    if let Some(p) = parent {
        if org_unit::Entity::find_by_id(p).one(db).await?.is_none() {
            errors.add(
                "parent_id",
                Problem::Unknown {
                    value: p.to_string(),
                },
            );
        } else if let Some(id) = id
            && tree::would_cycle(&unit_pairs(db).await?, id, p)
        {
            errors.add("parent_id", Problem::UnitCycle);
        }
    }
    errors.finish()?;

    let txn = db.begin().await?;
    let id = match id {
        Some(id) => {
            let before = org_unit::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let snapshot =
                json!({"code": before.code, "name": before.name, "parent_id": before.parent_id});
            let mut unit: org_unit::ActiveModel = before.into();
            unit.code = Set(code.to_owned());
            unit.name = Set(name.to_owned());
            unit.parent_id = Set(parent);
            unit.update(&txn).await.taken("code")?;
            let after = json!({"code": code, "name": name, "parent_id": parent});
            crate::audit::Entry::new(me.id, AuditAction::UnitUpdate)
                .on("org_unit", id)
                .before(snapshot)
                .after(after)
                .record(&txn)
                .await?;
            id
        }
        None => {
            let id = Uuid::new_v4();
            org_unit::ActiveModel {
                id: Set(id),
                code: Set(code.to_owned()),
                name: Set(name.to_owned()),
                parent_id: Set(parent),
                active: Set(true),
                created_at: Set(Utc::now()),
            }
            .insert(&txn)
            .await
            .taken("code")?;
            let after = json!({"code": code, "name": name, "parent_id": parent});
            crate::audit::Entry::new(me.id, AuditAction::UnitCreate)
                .on("org_unit", id)
                .after(after)
                .record(&txn)
                .await?;
            id
        }
    };
    txn.commit().await?;
    Ok(id)
}

pub async fn set_unit_active(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    active: bool,
) -> Result<(), AppError> {
    let switch = Switch::<org_unit::Entity> {
        id_column: org_unit::Column::Id,
        active_column: org_unit::Column::Active,
        action: AuditAction::UnitSetActive,
        table: "org_unit",
    };
    switch.set(db, me, id, active).await
}

/// How to (de)activate one kind of record: units and positions alike.
struct Switch<E: EntityTrait> {
    id_column: E::Column,
    active_column: E::Column,
    action: AuditAction,
    table: &'static str,
}

impl<E: EntityTrait> Switch<E> {
    /// Sets the record's `active` flag and audits the change, in one transaction.
    async fn set(
        &self,
        db: &DatabaseConnection,
        me: &SessionUser,
        id: Uuid,
        active: bool,
    ) -> Result<(), AppError> {
        let txn = db.begin().await?;
        let was: bool = E::find()
            .select_only()
            .column(self.active_column)
            .filter(self.id_column.eq(id))
            .into_tuple()
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        E::update_many()
            .col_expr(self.active_column, Expr::value(active))
            .filter(self.id_column.eq(id))
            .exec(&txn)
            .await?;
        crate::audit::Entry::new(me.id, self.action)
            .on(self.table, id)
            .before(json!({ "active": was }))
            .after(json!({ "active": active }))
            .record(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }
}

// ---------------------------------------------------------------- positions

pub async fn list_positions(db: &impl ConnectionTrait) -> Result<Vec<PositionDto>, AppError> {
    let counts = people_per(db, person::Column::PositionId).await?;
    Ok(position::Entity::find()
        .order_by_asc(position::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PositionDto {
            people: counts.get(&p.id).copied().unwrap_or(0),
            id: p.id,
            code: p.code,
            name: p.name,
            active: p.active,
        })
        .collect())
}

pub async fn save_position(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Option<Uuid>,
    code: &str,
    name: &str,
) -> Result<Uuid, AppError> {
    let (code, name) = (code.trim(), name.trim());
    let mut errors = Fields::new();
    errors.take(validate::text("code", code, limits::CODE));
    errors.take(validate::text("name", name, limits::NAME));
    errors.finish()?;
    let txn = db.begin().await?;
    let after = json!({"code": code, "name": name});
    let id = match id {
        Some(id) => {
            let before = position::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let snapshot = json!({"code": before.code, "name": before.name});
            let mut p: position::ActiveModel = before.into();
            p.code = Set(code.to_owned());
            p.name = Set(name.to_owned());
            p.update(&txn).await.taken("code")?;
            crate::audit::Entry::new(me.id, AuditAction::PositionUpdate)
                .on("position", id)
                .before(snapshot)
                .after(after)
                .record(&txn)
                .await?;
            id
        }
        None => {
            let id = Uuid::new_v4();
            position::ActiveModel {
                id: Set(id),
                code: Set(code.to_owned()),
                name: Set(name.to_owned()),
                active: Set(true),
                hours_required: Set(None),
                created_at: Set(Utc::now()),
            }
            .insert(&txn)
            .await
            .taken("code")?;
            crate::audit::Entry::new(me.id, AuditAction::PositionCreate)
                .on("position", id)
                .after(after)
                .record(&txn)
                .await?;
            id
        }
    };
    txn.commit().await?;
    Ok(id)
}

pub async fn set_position_active(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    active: bool,
) -> Result<(), AppError> {
    let switch = Switch::<position::Entity> {
        id_column: position::Column::Id,
        active_column: position::Column::Active,
        action: AuditAction::PositionSetActive,
        table: "position",
    };
    switch.set(db, me, id, active).await
}
