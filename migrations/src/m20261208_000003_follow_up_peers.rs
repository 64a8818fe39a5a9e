//! Colleagues in behaviour follow-ups, if the office wants them: a training rule
//! says how many (none by default), and each peer's follow-up takes a numbered
//! slot, so the unique key (assignment, wave, rater type, slot) still lets several
//! server instances sweep one database and create each follow-up once.

use sea_orm_migration::prelude::*;

use crate::m20261129_000001_vocabulary::run;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TrainingSettings {
    Table,
    FollowUpPeers,
}

#[derive(DeriveIden)]
enum FollowUps {
    Table,
    Slot,
}

async fn unique(m: &SchemaManager<'_>, name: &str, columns: &[&str]) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(FollowUps::Table).unique();
    for c in columns {
        index.col(Alias::new(*c));
    }
    m.create_index(index.to_owned()).await
}

async fn drop(m: &SchemaManager<'_>, name: &str) -> Result<(), DbErr> {
    m.drop_index(Index::drop().name(name).table(FollowUps::Table).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(TrainingSettings::Table)
                .add_column(
                    ColumnDef::new(TrainingSettings::FollowUpPeers)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(FollowUps::Table)
                .add_column(
                    ColumnDef::new(FollowUps::Slot)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        )
        .await?;
        drop(m, "ux_follow_ups_wave").await?;
        unique(
            m,
            "ux_follow_ups_slot",
            &["assignment_id", "wave", "rater_type", "slot"],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The peers' follow-ups go, with their answers and notices.
        let peers = "SELECT id FROM follow_ups WHERE rater_type = 'peer'";
        run(
            m,
            vec![
                format!("DELETE FROM notifications WHERE follow_up_id IN ({peers})"),
                format!("DELETE FROM follow_up_answers WHERE follow_up_id IN ({peers})"),
                "DELETE FROM follow_ups WHERE rater_type = 'peer'".to_owned(),
            ],
        )
        .await?;
        drop(m, "ux_follow_ups_slot").await?;
        unique(
            m,
            "ux_follow_ups_wave",
            &["assignment_id", "wave", "rater_type"],
        )
        .await?;
        for (table, column) in [
            ("follow_ups", "slot"),
            ("training_settings", "follow_up_peers"),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .drop_column(Alias::new(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
