//! The audit log: who changed what, when, before and after.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use crate::entities::audit_log;
use crate::error::AppError;

/// Appends one entry; call it inside the transaction that makes the change.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<Uuid>,
    action: &str,
    entity: &str,
    entity_id: Option<Uuid>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    audit_log::ActiveModel {
        id: Set(Uuid::new_v4()),
        at: Set(Utc::now()),
        actor_id: Set(actor),
        action: Set(action.to_owned()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id.map(|id| id.to_string())),
        before: Set(before.map(|v| v.to_string())),
        after: Set(after.map(|v| v.to_string())),
    }
    .insert(db)
    .await?;
    Ok(())
}
