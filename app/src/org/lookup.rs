//! Names by id, for lists that show people and their units beside records
//! that only hold ids.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::{org_unit, person};
use crate::error::AppError;

/// Every unit's name.
pub async fn unit_names(db: &impl ConnectionTrait) -> Result<HashMap<Uuid, String>, AppError> {
    Ok(org_unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// The people with these ids.
pub async fn people_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, person::Model>, AppError> {
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}
