//! What a person needs to recognise their own sessions (browser, address) and
//! whether the cookie outlives the browser; the audit log learns `session.end`.

use sea_orm_migration::prelude::*;

use crate::m20261129_000001_vocabulary::{replace, run};
use crate::m20261129_000003_sign_in_audit;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const ADDED: &[&str] = &["session.end"];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261129_000003_sign_in_audit::audit_actions()
        .into_iter()
        .chain(ADDED.iter().copied())
        .collect()
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    UserAgent,
    ClientAddress,
    Persistent,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            ColumnDef::new(Sessions::UserAgent)
                .string_len(300)
                .null()
                .to_owned(),
            ColumnDef::new(Sessions::ClientAddress)
                .string_len(64)
                .null()
                .to_owned(),
            ColumnDef::new(Sessions::Persistent)
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        let backend = m.get_database_backend();
        run(m, replace(backend, "audit_log", "action", &audit_actions())).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        run(
            m,
            replace(
                backend,
                "audit_log",
                "action",
                &m20261129_000003_sign_in_audit::audit_actions(),
            ),
        )
        .await?;
        for column in [
            Sessions::UserAgent,
            Sessions::ClientAddress,
            Sessions::Persistent,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
