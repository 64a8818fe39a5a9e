//! The audit log learns `course.enrol`: a person enrolling themselves.

use sea_orm_migration::prelude::*;

use crate::m20261129_000001_vocabulary::{replace, run};
use crate::m20261130_000002_assignments;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const ADDED: &[&str] = &["course.enrol"];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261130_000002_assignments::audit_actions()
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
        let before = m20261130_000002_assignments::audit_actions();
        run(m, replace(backend, "audit_log", "action", &before)).await
    }
}
