//! The audit log learns manual assignments and changes to an assignment (due
//! date, withdrawal).

use sea_orm_migration::prelude::*;

use crate::m20261129_000001_vocabulary::{replace, run};
use crate::m20261201_000001_progress;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const ADDED: &[&str] = &["assignment.create", "assignment.update"];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261201_000001_progress::audit_actions()
        .into_iter()
        .chain(ADDED.iter().copied())
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        run(m, replace(backend, "audit_log", "action", &audit_actions())).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        let before = m20261201_000001_progress::audit_actions();
        run(m, replace(backend, "audit_log", "action", &before)).await
    }
}
