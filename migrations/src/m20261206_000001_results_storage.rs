//! Gap results stored for fast writes: closing a 10,000-person survey rewrites
//! 300,000 of them, and each index and foreign key on that table multiplied the cost.
//!
//! - `competency_results` is keyed by (campaign, person, competency) itself: no
//!   surrogate id and no second unique index. It keeps the foreign keys to the
//!   campaign and the person (both cascade); competencies of a framework version are
//!   never deleted, so that key only cost time.
//! - The two wide covering indexes that served the heatmap and priorities give way to
//!   `gap_tallies`: each campaign's results summed per unit, position and competency,
//!   kept up to date when results are written.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use crate::columns::{at, fk, flag, id, index, int, real, real_null, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CompetencyResults {
    Table,
    Id,
    CampaignId,
    PersonId,
    CompetencyId,
    UnitId,
    PositionId,
    Current,
    SelfLevel,
    ManagerLevel,
    PeerLevel,
    PeerCount,
    RaterCount,
    TargetLevel,
    Importance,
    Gap,
    WeightedGap,
    Discrepancy,
    ComputedAt,
}

#[derive(DeriveIden)]
enum GapTallies {
    Table,
    CampaignId,
    UnitId,
    PositionId,
    CompetencyId,
    People,
    WithGap,
    GapSum,
    WeightedSum,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Competencies {
    Table,
    Id,
}

/// Every column but the old surrogate id, in table order.
pub(crate) const COLUMNS: &str = "campaign_id, person_id, competency_id, unit_id, position_id, current, \
     self_level, manager_level, peer_level, peer_count, rater_count, target_level, importance, \
     gap, weighted_gap, discrepancy, computed_at";

/// The result table's columns; `with_id` gives the old shape, `checked` the foreign
/// keys to the campaign and the person.
pub(crate) fn results_table(name: &str, with_id: bool, checked: bool) -> TableCreateStatement {
    use CompetencyResults as R;
    let mut t = Table::create();
    t.table(Alias::new(name));
    if with_id {
        t.col(id(R::Id));
    }
    t.col(uuid(R::CampaignId))
        .col(uuid(R::PersonId))
        .col(uuid(R::CompetencyId))
        .col(ColumnDef::new(R::UnitId).uuid().null())
        .col(ColumnDef::new(R::PositionId).uuid().null())
        .col(real(R::Current))
        .col(real_null(R::SelfLevel))
        .col(real_null(R::ManagerLevel))
        .col(real_null(R::PeerLevel))
        .col(int(R::PeerCount))
        .col(int(R::RaterCount))
        .col(ColumnDef::new(R::TargetLevel).integer().null())
        .col(int(R::Importance))
        .col(real(R::Gap))
        .col(real(R::WeightedGap))
        .col(flag(R::Discrepancy, false))
        .col(at(R::ComputedAt));
    if checked {
        t.foreign_key(&mut fk(
            (Alias::new(name), R::CampaignId),
            (Campaigns::Table, Campaigns::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            (Alias::new(name), R::PersonId),
            (People::Table, People::Id),
            ForeignKeyAction::Cascade,
        ));
    }
    if with_id {
        t.foreign_key(&mut fk(
            (Alias::new(name), R::CompetencyId),
            (Competencies::Table, Competencies::Id),
            ForeignKeyAction::Restrict,
        ));
    } else {
        t.primary_key(
            Index::create()
                .col(R::CampaignId)
                .col(R::PersonId)
                .col(R::CompetencyId),
        );
    }
    t.to_owned()
}

pub(crate) async fn replace_results(
    m: &SchemaManager<'_>,
    next: TableCreateStatement,
    copy: &str,
) -> Result<(), DbErr> {
    m.create_table(next).await?;
    m.get_connection().execute_unprepared(copy).await?;
    m.drop_table(Table::drop().table(CompetencyResults::Table).to_owned())
        .await?;
    m.rename_table(
        Table::rename()
            .table(
                Alias::new("competency_results_next"),
                CompetencyResults::Table,
            )
            .to_owned(),
    )
    .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on every backend: the table is copied, dropped and renamed
    /// on one connection, and a failure leaves the old table as it was.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        replace_results(
            m,
            results_table("competency_results_next", false, true),
            &format!(
                "INSERT INTO competency_results_next ({COLUMNS}) SELECT {COLUMNS} FROM competency_results"
            ),
        )
        .await?;

        use GapTallies as T;
        m.create_table(
            Table::create()
                .table(T::Table)
                .col(uuid(T::CampaignId))
                .col(uuid(T::UnitId))
                .col(uuid(T::PositionId))
                .col(uuid(T::CompetencyId))
                .col(int(T::People))
                .col(int(T::WithGap))
                .col(real(T::GapSum))
                .col(real(T::WeightedSum))
                .primary_key(
                    Index::create()
                        .col(T::CampaignId)
                        .col(T::UnitId)
                        .col(T::PositionId)
                        .col(T::CompetencyId),
                )
                .foreign_key(&mut fk(
                    (T::Table, T::CampaignId),
                    (Campaigns::Table, Campaigns::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        // The tallies of the results already stored; "no unit" and "no position"
        // are the nil id, bound as a value so each backend stores it its own way.
        let backend = m.get_database_backend();
        let nil = if backend == DatabaseBackend::Postgres {
            "$1"
        } else {
            "?"
        };
        let sql = format!(
            "INSERT INTO gap_tallies (campaign_id, unit_id, position_id, competency_id, people, \
             with_gap, gap_sum, weighted_sum) \
             SELECT campaign_id, COALESCE(unit_id, {nil}), COALESCE(position_id, {nil}), \
             competency_id, COUNT(*), SUM(CASE WHEN gap >= 1 THEN 1 ELSE 0 END), SUM(gap), \
             SUM(weighted_gap) FROM competency_results WHERE target_level IS NOT NULL \
             GROUP BY campaign_id, COALESCE(unit_id, {nil}), COALESCE(position_id, {nil}), \
             competency_id"
        );
        let nil_value = sea_orm_migration::sea_orm::Value::from(Uuid::nil());
        let values = if backend == DatabaseBackend::Postgres {
            vec![nil_value]
        } else {
            vec![nil_value; 4]
        };
        m.get_connection()
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(GapTallies::Table).to_owned())
            .await?;
        let new_id = if m.get_database_backend() == DatabaseBackend::Postgres {
            "gen_random_uuid()"
        } else {
            "randomblob(16)"
        };
        replace_results(
            m,
            results_table("competency_results_next", true, true),
            &format!(
                "INSERT INTO competency_results_next (id, {COLUMNS}) \
                 SELECT {new_id}, {COLUMNS} FROM competency_results"
            ),
        )
        .await?;
        index(
            m,
            "ux_competency_results",
            CompetencyResults::Table,
            &["campaign_id", "person_id", "competency_id"],
            true,
        )
        .await?;
        for (name, cols) in [
            (
                "idx_competency_results_unit",
                [
                    "campaign_id",
                    "unit_id",
                    "competency_id",
                    "target_level",
                    "gap",
                    "weighted_gap",
                    "position_id",
                ],
            ),
            (
                "idx_competency_results_competency",
                [
                    "campaign_id",
                    "competency_id",
                    "target_level",
                    "gap",
                    "weighted_gap",
                    "unit_id",
                    "position_id",
                ],
            ),
        ] {
            index(m, name, CompetencyResults::Table, &cols, false).await?;
        }
        Ok(())
    }
}
