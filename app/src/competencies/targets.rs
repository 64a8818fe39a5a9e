//! Target profiles: what each position requires of each competency of a framework
//! family, edited as a grid or copied from another position.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::frameworks::get_framework;
use super::{TargetCell, TargetGrid, cell_key};
use crate::auth::guard::SessionUser;
use crate::common::validate::Fields;
use crate::domain::AuditAction;
use crate::entities::{framework, position, position_target};
use crate::error::{AppError, FieldError, Problem};
/// The newest version of a framework family.
pub async fn latest_version(
    db: &impl ConnectionTrait,
    family_id: Uuid,
) -> Result<framework::Model, AppError> {
    framework::Entity::find()
        .filter(framework::Column::FamilyId.eq(family_id))
        .order_by_desc(framework::Column::Version)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn target_grid(
    db: &impl ConnectionTrait,
    family_id: Uuid,
) -> Result<TargetGrid, AppError> {
    let f = latest_version(db, family_id).await?;
    let detail = get_framework(db, f.id).await?;
    let positions = position::Entity::find()
        .filter(position::Column::Active.eq(true))
        .order_by_asc(position::Column::Code)
        .all(db)
        .await?;
    let cells = position_target::Entity::find()
        .filter(position_target::Column::FamilyId.eq(family_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| TargetCell {
            position_id: t.position_id,
            code: t.competency_code,
            level: u8::try_from(t.target_level).unwrap_or(0),
            importance: u8::try_from(t.importance).unwrap_or(1),
        })
        .collect();
    Ok(TargetGrid {
        family_id,
        framework: detail.name.clone(),
        version: detail.version,
        competencies: detail
            .active_competencies()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        positions: positions.into_iter().map(|p| (p.id, p.name)).collect(),
        cells,
    })
}

/// Parses a level (1..5, blank for none) and an importance (1..3, blank for 1).
pub fn parse_cell(
    key: &str,
    level: Option<&str>,
    weight: Option<&str>,
) -> Result<Option<(u8, u8)>, Vec<FieldError>> {
    let mut errors = Fields::new();
    let level = match level.map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => match l.parse::<u8>() {
            Ok(n @ 1..=5) => Some(n),
            _ => {
                errors.add(
                    format!("level[{key}]"),
                    Problem::Invalid { value: l.into() },
                );
                None
            }
        },
    };
    let weight = match weight.map(str::trim).filter(|w| !w.is_empty()) {
        None => 1,
        Some(w) => match w.parse::<u8>() {
            Ok(n @ 1..=3) => n,
            _ => {
                errors.add(
                    format!("weight[{key}]"),
                    Problem::Invalid { value: w.into() },
                );
                1
            }
        },
    };
    if errors.is_empty() {
        Ok(level.map(|l| (l, weight)))
    } else {
        Err(errors.into_errors())
    }
}

pub async fn save_targets(
    db: &DatabaseConnection,
    me: &SessionUser,
    family_id: Uuid,
    levels: &HashMap<String, String>,
    weights: &HashMap<String, String>,
) -> Result<(), AppError> {
    let grid = target_grid(db, family_id).await?;
    let mut errors = Fields::new();
    // (position, competency code, wanted level and importance or none)
    type Wanted = (Uuid, String, Option<(u8, u8)>);
    let mut wanted: Vec<Wanted> = Vec::new();
    for (pos, _) in &grid.positions {
        for (code, _) in &grid.competencies {
            let key = cell_key(*pos, code);
            // Cells not in the form (another page of the grid) are left alone.
            if !levels.contains_key(&key) {
                continue;
            }
            match parse_cell(
                &key,
                levels.get(&key).map(String::as_str),
                weights.get(&key).map(String::as_str),
            ) {
                Ok(cell) => wanted.push((*pos, code.clone(), cell)),
                Err(e) => errors.extend(e),
            }
        }
    }
    errors.finish()?;
    let txn = db.begin().await?;
    let mut changed_positions = HashSet::new();
    for (pos, code, cell) in wanted {
        let old = grid.cell(pos, &code).map(|c| (c.level, c.importance));
        if old == cell {
            continue;
        }
        changed_positions.insert(pos);
        position_target::Entity::delete_many()
            .filter(position_target::Column::PositionId.eq(pos))
            .filter(position_target::Column::FamilyId.eq(family_id))
            .filter(position_target::Column::CompetencyCode.eq(code.clone()))
            .exec(&txn)
            .await?;
        if let Some((level, importance)) = cell {
            position_target::ActiveModel {
                id: Set(Uuid::new_v4()),
                position_id: Set(pos),
                family_id: Set(family_id),
                competency_code: Set(code.clone()),
                target_level: Set(i32::from(level)),
                importance: Set(i32::from(importance)),
            }
            .insert(&txn)
            .await?;
        }
        crate::audit::Entry::new(me.id, AuditAction::TargetUpdate)
            .on("position", pos)
            .before(old.map(|(l, w)| json!({ "code": code, "level": l, "importance": w })))
            .after(cell.map(|(l, w)| json!({ "code": code, "level": l, "importance": w })))
            .record(&txn)
            .await?;
    }
    let positions: Vec<Uuid> = changed_positions.into_iter().collect();
    crate::gaps::service::apply_targets(&txn, family_id, &positions).await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces one position's profile with a copy of another's.
pub async fn copy_targets(
    db: &DatabaseConnection,
    me: &SessionUser,
    family_id: Uuid,
    from: Uuid,
    to: Uuid,
) -> Result<(), AppError> {
    if from == to {
        return Err(AppError::field(
            "to_position",
            Problem::Duplicate {
                value: to.to_string(),
            },
        ));
    }
    for (field, id) in [("from_position", from), ("to_position", to)] {
        position::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| {
                AppError::field(
                    field,
                    Problem::Unknown {
                        value: id.to_string(),
                    },
                )
            })?;
    }
    let txn = db.begin().await?;
    let source = position_target::Entity::find()
        .filter(position_target::Column::FamilyId.eq(family_id))
        .filter(position_target::Column::PositionId.eq(from))
        .all(&txn)
        .await?;
    position_target::Entity::delete_many()
        .filter(position_target::Column::FamilyId.eq(family_id))
        .filter(position_target::Column::PositionId.eq(to))
        .exec(&txn)
        .await?;
    for t in &source {
        position_target::ActiveModel {
            id: Set(Uuid::new_v4()),
            position_id: Set(to),
            family_id: Set(family_id),
            competency_code: Set(t.competency_code.clone()),
            target_level: Set(t.target_level),
            importance: Set(t.importance),
        }
        .insert(&txn)
        .await?;
    }
    crate::audit::Entry::new(me.id, AuditAction::TargetCopy)
        .on("position", to)
        .after(json!({ "from": from, "cells": source.len() }))
        .record(&txn)
        .await?;
    crate::gaps::service::apply_targets(&txn, family_id, &[to]).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_parse_or_explain() {
        assert_eq!(parse_cell("k", Some("4"), Some("3")), Ok(Some((4, 3))));
        assert_eq!(parse_cell("k", Some(""), Some("2")), Ok(None));
        assert_eq!(parse_cell("k", Some("3"), None), Ok(Some((3, 1))));
        let err = parse_cell("k", Some("6"), Some("0")).unwrap_err();
        let fields: Vec<&str> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["level[k]", "weight[k]"]);
    }
}
