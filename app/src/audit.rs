//! The audit log: who changed what, when, before and after.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::Value;
use uuid::Uuid;

use crate::domain::AuditAction;
use crate::entities::audit_log;
use crate::error::AppError;

/// One audit entry: who (none for the system), did what, to which record, with the
/// state before and after. Build it, then [`Entry::record`] it inside the
/// transaction that makes the change, so the change and its entry land together.
#[derive(Debug, Clone)]
#[must_use = "an audit entry does nothing until it is recorded"]
pub struct Entry {
    actor: Option<Uuid>,
    action: AuditAction,
    entity: &'static str,
    entity_id: Option<Uuid>,
    before: Option<Value>,
    after: Option<Value>,
}

impl Entry {
    pub fn new(actor: impl Into<Option<Uuid>>, action: AuditAction) -> Self {
        Self {
            actor: actor.into(),
            action,
            entity: "",
            entity_id: None,
            before: None,
            after: None,
        }
    }

    /// The record changed: its table's name and id.
    pub fn on(mut self, entity: &'static str, id: impl Into<Option<Uuid>>) -> Self {
        self.entity = entity;
        self.entity_id = id.into();
        self
    }

    pub fn before(mut self, state: impl Into<Option<Value>>) -> Self {
        self.before = state.into();
        self
    }

    pub fn after(mut self, state: impl Into<Option<Value>>) -> Self {
        self.after = state.into();
        self
    }

    pub async fn record(self, db: &impl ConnectionTrait) -> Result<(), AppError> {
        audit_log::ActiveModel {
            id: Set(Uuid::new_v4()),
            at: Set(Utc::now()),
            actor_id: Set(self.actor),
            action: Set(self.action),
            entity: Set(self.entity.to_owned()),
            entity_id: Set(self.entity_id.map(|id| id.to_string())),
            before: Set(self.before.map(|v| v.to_string())),
            after: Set(self.after.map(|v| v.to_string())),
        }
        .insert(db)
        .await?;
        Ok(())
    }
}
