//! The audit log learns four actions: a failed sign-in, a lockout, an unlock by an
//! administrator, and a CSV export.

use crate::m20261129_000001_vocabulary::{AUDIT_ACTIONS, replace, run};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const ADDED: &[&str] = &[
    "sign_in.failed",
    "sign_in.locked",
    "person.unlock",
    "export.csv",
];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    AUDIT_ACTIONS.iter().chain(ADDED).copied().collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        run(m, replace(backend, "audit_log", "action", &audit_actions())).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        run(m, replace(backend, "audit_log", "action", AUDIT_ACTIONS)).await
    }
}
