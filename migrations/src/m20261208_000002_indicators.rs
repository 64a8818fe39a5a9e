//! Level 4 of the evaluation, results: the office's service indicators, each
//! with its unit of measure and whether higher or lower is better, and one value
//! per org unit, indicator and month, entered on a grid or imported from CSV.

use sea_orm_migration::prelude::*;

use crate::columns::*;
use crate::m20261129_000001_vocabulary::{replace, run};
use crate::{m20261207_000002_question_bank, m20261207_000006_reaction};

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const ADDED_ACTIONS: &[&str] = &["indicators.save", "indicators.import"];
pub const ADDED_UPLOADS: &[&str] = &["indicators"];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261207_000006_reaction::audit_actions()
        .into_iter()
        .chain(ADDED_ACTIONS.iter().copied())
        .collect()
}

/// Every upload kind after this migration.
pub fn upload_kinds() -> Vec<&'static str> {
    m20261207_000002_question_bank::UPLOAD_KINDS
        .iter()
        .chain(ADDED_UPLOADS)
        .copied()
        .collect()
}

/// The indicators a county social-insurance office reports on: code, name,
/// unit of measure, higher is better.
const DEFAULTS: [(&str, &str, &str, bool); 5] = [
    ("handling_time", "平均办件时长", "分钟", false),
    ("rework_rate", "差错返工率", "%", false),
    ("complaints", "每千件投诉数", "件/千件", false),
    ("satisfaction", "好差评满意率", "%", true),
    ("waiting_time", "平均等候时长", "分钟", false),
];

#[derive(DeriveIden)]
enum OrgUnits {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Indicators {
    Table,
    Code,
    Name,
    Measure,
    HigherIsBetter,
    Position,
}

#[derive(DeriveIden)]
enum IndicatorValues {
    Table,
    UnitId,
    Indicator,
    Month,
    Value,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;
        m.create_table(
            Table::create()
                .table(Indicators::Table)
                .col(
                    ColumnDef::new(Indicators::Code)
                        .string_len(32)
                        .not_null()
                        .primary_key(),
                )
                .col(text(Indicators::Name, 100))
                .col(text(Indicators::Measure, 32))
                .col(flag(Indicators::HigherIsBetter, false))
                .col(int(Indicators::Position))
                .to_owned(),
        )
        .await?;
        let mut insert = Query::insert()
            .into_table(Indicators::Table)
            .columns([
                Indicators::Code,
                Indicators::Name,
                Indicators::Measure,
                Indicators::HigherIsBetter,
                Indicators::Position,
            ])
            .to_owned();
        for (i, (code, name, measure, higher)) in DEFAULTS.iter().enumerate() {
            insert
                .values([
                    (*code).into(),
                    (*name).into(),
                    (*measure).into(),
                    (*higher).into(),
                    <i32 as TryFrom<usize>>::try_from(i).unwrap_or(0).into(),
                ])
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        m.exec_stmt(insert).await?;
        m.create_table(
            Table::create()
                .table(IndicatorValues::Table)
                .col(uuid(IndicatorValues::UnitId))
                .col(text(IndicatorValues::Indicator, 32))
                .col(text(IndicatorValues::Month, 7))
                .col(real(IndicatorValues::Value))
                .col(at(IndicatorValues::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(IndicatorValues::UnitId)
                        .col(IndicatorValues::Indicator)
                        .col(IndicatorValues::Month),
                )
                .foreign_key(&mut fk(
                    (IndicatorValues::Table, IndicatorValues::UnitId),
                    (OrgUnits::Table, OrgUnits::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (IndicatorValues::Table, IndicatorValues::Indicator),
                    (Indicators::Table, Indicators::Code),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        let backend = m.get_database_backend();
        let mut rules = replace(backend, "uploads", "kind", &upload_kinds());
        rules.extend(replace(backend, "audit_log", "action", &audit_actions()));
        run(m, rules).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        let added = |values: &[&str]| {
            values
                .iter()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut rules = vec![
            format!(
                "DELETE FROM uploads WHERE kind IN ({})",
                added(ADDED_UPLOADS)
            ),
            format!(
                "DELETE FROM audit_log WHERE action IN ({})",
                added(ADDED_ACTIONS)
            ),
        ];
        rules.extend(replace(
            backend,
            "uploads",
            "kind",
            m20261207_000002_question_bank::UPLOAD_KINDS,
        ));
        rules.extend(replace(
            backend,
            "audit_log",
            "action",
            &m20261207_000006_reaction::audit_actions(),
        ));
        run(m, rules).await?;
        for table in ["indicator_values", "indicators"] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
