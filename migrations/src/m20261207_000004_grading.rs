//! Marking by hand and correcting keys: an answer a trainer marks (an essay, or
//! a mark changed) keeps the trainer's comment, who marked it and when; the
//! audit log learns marking, editing a question and regrading its attempts.

use sea_orm_migration::prelude::*;

use crate::columns::at_null;
use crate::m20261129_000001_vocabulary::{replace, run};
use crate::m20261207_000003_quizzes;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const ADDED_ACTIONS: &[&str] = &["attempt.grade", "question.edit", "question.regrade"];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261207_000003_quizzes::audit_actions()
        .into_iter()
        .chain(ADDED_ACTIONS.iter().copied())
        .collect()
}

#[derive(DeriveIden)]
enum AttemptItems {
    Table,
    Comment,
    GradedBy,
    GradedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [
            ColumnDef::new(AttemptItems::Comment)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(AttemptItems::GradedBy)
                .uuid()
                .null()
                .to_owned(),
            at_null(AttemptItems::GradedAt),
        ] {
            m.alter_table(
                Table::alter()
                    .table(AttemptItems::Table)
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
        let before = m20261207_000003_quizzes::audit_actions();
        run(m, replace(backend, "audit_log", "action", &before)).await?;
        for column in [
            AttemptItems::Comment,
            AttemptItems::GradedBy,
            AttemptItems::GradedAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(AttemptItems::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
