//! The annual training plan (年度培训计划) and what it costs: the office's trainer
//! and venue rates and its default class size, an optional learning-hours
//! requirement per position, the plan with one line per course, and sessions that
//! can be cancelled, with notices about a session's change or cancellation. A
//! course may also make attendance at a session part of its completion rule.

use sea_orm_migration::prelude::*;

use crate::columns::*;
use crate::m20261129_000001_vocabulary::{replace, restrict, run};
use crate::m20261201_000005_classroom;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const PLAN_STATUSES: &[&str] = &["draft", "submitted", "approved"];
pub const ADDED_ACTIONS: &[&str] = &[
    "settings.update",
    "session.update",
    "session.cancel",
    "plan.generate",
    "plan.update",
    "plan.state",
];
pub const ADDED_KINDS: &[&str] = &["session_changed", "session_cancelled"];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261201_000005_classroom::audit_actions()
        .into_iter()
        .chain(ADDED_ACTIONS.iter().copied())
        .collect()
}

/// Every notification kind after this migration.
pub fn notification_kinds() -> Vec<&'static str> {
    m20261201_000005_classroom::notification_kinds()
        .into_iter()
        .chain(ADDED_KINDS.iter().copied())
        .collect()
}

#[derive(DeriveIden)]
enum TrainingSettings {
    Table,
    TrainerRate,
    VenueRate,
    ClassSize,
}

#[derive(DeriveIden)]
enum Positions {
    Table,
    HoursRequired,
}

#[derive(DeriveIden)]
enum ClassSessions {
    Table,
    CancelledAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    SessionId,
    Detail,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    RequiresAttendance,
}

#[derive(DeriveIden)]
enum TrainingPlans {
    Table,
    Id,
    Year,
    Status,
    Note,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrainingPlanLines {
    Table,
    Id,
    PlanId,
    CourseId,
    Ordinal,
    People,
    Units,
    Positions,
    Competencies,
    Sessions,
    Months,
    Note,
    Edited,
    UpdatedAt,
}

async fn add(m: &SchemaManager<'_>, table: impl IntoIden, column: ColumnDef) -> Result<(), DbErr> {
    m.alter_table(Table::alter().table(table).add_column(column).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        // SQLite adds one column per ALTER TABLE.
        for column in [
            ColumnDef::new(TrainingSettings::TrainerRate)
                .double()
                .not_null()
                .default(300.0)
                .to_owned(),
            ColumnDef::new(TrainingSettings::VenueRate)
                .double()
                .not_null()
                .default(100.0)
                .to_owned(),
            ColumnDef::new(TrainingSettings::ClassSize)
                .integer()
                .not_null()
                .default(30)
                .to_owned(),
        ] {
            add(m, TrainingSettings::Table, column).await?;
        }
        add(m, Positions::Table, real_null(Positions::HoursRequired)).await?;
        add(m, Courses::Table, flag(Courses::RequiresAttendance, false)).await?;
        add(m, ClassSessions::Table, at_null(ClassSessions::CancelledAt)).await?;
        add(
            m,
            Notifications::Table,
            ColumnDef::new(Notifications::SessionId)
                .uuid()
                .null()
                .to_owned(),
        )
        .await?;
        add(
            m,
            Notifications::Table,
            ColumnDef::new(Notifications::Detail)
                .string_len(300)
                .null()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TrainingPlans::Table)
                .col(id(TrainingPlans::Id))
                .col(int(TrainingPlans::Year))
                .col(text(TrainingPlans::Status, 16))
                .col(ColumnDef::new(TrainingPlans::Note).text().null())
                .col(ColumnDef::new(TrainingPlans::CreatedBy).uuid().null())
                .col(at(TrainingPlans::CreatedAt))
                .col(at(TrainingPlans::UpdatedAt))
                .foreign_key(&mut fk(
                    (TrainingPlans::Table, TrainingPlans::CreatedBy),
                    (People::Table, People::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_training_plans_year",
            TrainingPlans::Table,
            &["year"],
            true,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingPlanLines::Table)
                .col(id(TrainingPlanLines::Id))
                .col(uuid(TrainingPlanLines::PlanId))
                .col(uuid(TrainingPlanLines::CourseId))
                .col(int(TrainingPlanLines::Ordinal))
                .col(int(TrainingPlanLines::People))
                .col(ColumnDef::new(TrainingPlanLines::Units).text().not_null())
                .col(
                    ColumnDef::new(TrainingPlanLines::Positions)
                        .text()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TrainingPlanLines::Competencies)
                        .text()
                        .not_null(),
                )
                .col(int(TrainingPlanLines::Sessions))
                .col(text(TrainingPlanLines::Months, 40))
                .col(ColumnDef::new(TrainingPlanLines::Note).text().null())
                .col(flag(TrainingPlanLines::Edited, false))
                .col(at(TrainingPlanLines::UpdatedAt))
                .foreign_key(&mut fk(
                    (TrainingPlanLines::Table, TrainingPlanLines::PlanId),
                    (TrainingPlans::Table, TrainingPlans::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (TrainingPlanLines::Table, TrainingPlanLines::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_training_plan_lines_course",
            TrainingPlanLines::Table,
            &["plan_id", "course_id"],
            true,
        )
        .await?;

        let backend = m.get_database_backend();
        let mut rules = restrict(backend, "training_plans", "status", PLAN_STATUSES);
        rules.extend(replace(backend, "audit_log", "action", &audit_actions()));
        rules.extend(replace(
            backend,
            "notifications",
            "kind",
            &notification_kinds(),
        ));
        run(m, rules).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        let mut rules = replace(
            backend,
            "audit_log",
            "action",
            &m20261201_000005_classroom::audit_actions(),
        );
        rules.extend(replace(
            backend,
            "notifications",
            "kind",
            &m20261201_000005_classroom::notification_kinds(),
        ));
        run(m, rules).await?;
        for table in ["training_plan_lines", "training_plans"] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        for (table, column) in [
            ("notifications", "detail"),
            ("notifications", "session_id"),
            ("class_sessions", "cancelled_at"),
            ("positions", "hours_required"),
            ("courses", "requires_attendance"),
            ("training_settings", "class_size"),
            ("training_settings", "venue_rate"),
            ("training_settings", "trainer_rate"),
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
