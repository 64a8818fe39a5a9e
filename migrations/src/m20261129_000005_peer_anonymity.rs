//! Peer anonymity that cannot be lowered: the threshold has a floor of 3 in the
//! database too, and automatic peer selection draws from a seed stored with the
//! campaign (random, set at opening) instead of a hash anyone could recompute.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::m20261129_000001_vocabulary::run;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The smallest number of peer ratings ever shown, as a figure or a count.
pub const ANONYMITY_FLOOR: i32 = 3;

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    PeerSeed,
}

fn floor(backend: DbBackend) -> Vec<String> {
    let raise = "campaigns.anonymity_threshold: below the anonymity floor";
    let mut out = vec![format!(
        "UPDATE campaigns SET anonymity_threshold = {ANONYMITY_FLOOR} WHERE anonymity_threshold < {ANONYMITY_FLOOR}"
    )];
    match backend {
        DbBackend::Postgres | DbBackend::MySql => out.push(format!(
            "ALTER TABLE campaigns ADD CONSTRAINT ck_campaigns_anonymity_floor \
             CHECK (anonymity_threshold >= {ANONYMITY_FLOOR})"
        )),
        _ => {
            // SQLite cannot add a CHECK to an existing table without rebuilding it.
            for (suffix, event) in [
                ("insert", "INSERT"),
                ("update", "UPDATE OF anonymity_threshold"),
            ] {
                out.push(format!(
                    "CREATE TRIGGER ck_campaigns_anonymity_floor_{suffix} BEFORE {event} ON campaigns \
                     WHEN NEW.anonymity_threshold < {ANONYMITY_FLOOR} \
                     BEGIN SELECT RAISE(ABORT, '{raise}'); END"
                ));
            }
        }
    }
    out
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Campaigns::Table)
                .add_column(ColumnDef::new(Campaigns::PeerSeed).uuid().null())
                .to_owned(),
        )
        .await?;
        run(m, floor(m.get_database_backend())).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let lift = match m.get_database_backend() {
            DbBackend::Postgres | DbBackend::MySql => vec![
                "ALTER TABLE campaigns DROP CONSTRAINT IF EXISTS ck_campaigns_anonymity_floor"
                    .to_owned(),
            ],
            _ => vec![
                "DROP TRIGGER IF EXISTS ck_campaigns_anonymity_floor_insert".to_owned(),
                "DROP TRIGGER IF EXISTS ck_campaigns_anonymity_floor_update".to_owned(),
            ],
        };
        run(m, lift).await?;
        m.alter_table(
            Table::alter()
                .table(Campaigns::Table)
                .drop_column(Campaigns::PeerSeed)
                .to_owned(),
        )
        .await
    }
}
