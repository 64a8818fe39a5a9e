//! The audit log learns four actions: a failed sign-in, a lockout, an unlock by an
//! administrator, and a CSV export.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::m20261129_000001_vocabulary::{AUDIT_ACTIONS, replace};

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

/// Runs `statements` in one call, so they run in order on one connection: on
/// SQLite, separate calls may each take another pooled connection, and a `CREATE`
/// right after a `DROP` of the same name was then refused as "already exists".
async fn run(m: &SchemaManager<'_>, statements: Vec<String>) -> Result<(), DbErr> {
    if statements.is_empty() {
        return Ok(());
    }
    m.get_connection()
        .execute_unprepared(&statements.join(";\n"))
        .await
        .map(|_| ())
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
