//! Notices about assigned courses: a new assignment, its due date near, and overdue.
//! Each is tied to its assignment and sent once per kind (a unique index that makes
//! a second sender, such as another server instance, a no-op).

use sea_orm_migration::prelude::*;

use crate::columns::*;
use crate::m20261129_000001_vocabulary::{replace, run};

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const BEFORE: &[&str] = &["campaign_opened", "reminder", "peer_nominated"];
pub const KINDS: &[&str] = &[
    "campaign_opened",
    "reminder",
    "peer_nominated",
    "course_assigned",
    "course_due_soon",
    "course_overdue",
];

#[derive(DeriveIden)]
enum Notifications {
    Table,
    AssignmentId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Notifications::Table)
                .add_column(ColumnDef::new(Notifications::AssignmentId).uuid().null())
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_notifications_assignment_kind",
            Notifications::Table,
            &["assignment_id", "kind"],
            true,
        )
        .await?;
        let backend = m.get_database_backend();
        run(m, replace(backend, "notifications", "kind", KINDS)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        run(m, replace(backend, "notifications", "kind", BEFORE)).await?;
        m.drop_index(
            Index::drop()
                .name("ux_notifications_assignment_kind")
                .table(Notifications::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Notifications::Table)
                .drop_column(Notifications::AssignmentId)
                .to_owned(),
        )
        .await
    }
}
