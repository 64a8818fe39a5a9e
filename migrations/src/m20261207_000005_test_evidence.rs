//! Quiz results as the *test* source of the gap analysis: a campaign weighs
//! them beside the ratings, a result keeps which quiz (and which version of
//! its settings) the test level came from, and an attempt remembers the
//! version of the quiz it was taken on.

use sea_orm_migration::prelude::*;

use crate::columns::{at_null, real_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    WeightTest,
}

#[derive(DeriveIden)]
enum Quizzes {
    Table,
    Version,
}

#[derive(DeriveIden)]
enum Attempts {
    Table,
    QuizVersion,
}

#[derive(DeriveIden)]
enum CompetencyResults {
    Table,
    TestLevel,
    TestShare,
    TestQuestions,
    TestQuizId,
    TestQuizVersion,
    TestTakenAt,
}

fn int_default(col: impl IntoIden, value: i32) -> ColumnDef {
    ColumnDef::new(col)
        .integer()
        .not_null()
        .default(value)
        .to_owned()
}

fn additions() -> Vec<(TableRef, ColumnDef)> {
    let results = || CompetencyResults::Table.into_table_ref();
    vec![
        (
            Campaigns::Table.into_table_ref(),
            ColumnDef::new(Campaigns::WeightTest)
                .double()
                .not_null()
                .default(0.0)
                .to_owned(),
        ),
        (
            Quizzes::Table.into_table_ref(),
            int_default(Quizzes::Version, 1),
        ),
        (
            Attempts::Table.into_table_ref(),
            int_default(Attempts::QuizVersion, 1),
        ),
        (results(), real_null(CompetencyResults::TestLevel)),
        (results(), real_null(CompetencyResults::TestShare)),
        (
            results(),
            ColumnDef::new(CompetencyResults::TestQuestions)
                .integer()
                .null()
                .to_owned(),
        ),
        (
            results(),
            ColumnDef::new(CompetencyResults::TestQuizId)
                .uuid()
                .null()
                .to_owned(),
        ),
        (
            results(),
            ColumnDef::new(CompetencyResults::TestQuizVersion)
                .integer()
                .null()
                .to_owned(),
        ),
        (results(), at_null(CompetencyResults::TestTakenAt)),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for (table, column) in additions() {
            m.alter_table(Table::alter().table(table).add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in additions().into_iter().rev() {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .drop_column(Alias::new(column.get_column_name()))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
