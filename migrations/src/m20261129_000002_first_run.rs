//! `first_run`: at most one row, written by the first-run setup in the transaction
//! that creates the first administrator, so two setup posts at once create one.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FirstRun {
    Table,
    Id,
    DoneAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(FirstRun::Table)
                .col(
                    ColumnDef::new(FirstRun::Id)
                        .integer()
                        .not_null()
                        .primary_key()
                        .check(Expr::col(FirstRun::Id).eq(1)),
                )
                .col(
                    ColumnDef::new(FirstRun::DoneAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(FirstRun::Table).to_owned())
            .await
    }
}
