//! A course's optional cover image: the name of its file in the data folder's
//! `covers/`, shown in the catalogue and on the course page.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Courses {
    Table,
    Cover,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Courses::Table)
                .add_column(ColumnDef::new(Courses::Cover).string_len(64).null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Courses::Table)
                .drop_column(Courses::Cover)
                .to_owned(),
        )
        .await
    }
}
