//! Level 3 of the evaluation, behaviour: some weeks after a learner completes a
//! course, a follow-up asks the learner and their line manager how the learner
//! now does on each competency the course raises, and how often they apply it.
//! A background task creates the follow-ups; the unique key (assignment, wave,
//! rater type) makes that safe with several server instances on one database,
//! and each notice is keyed by (follow-up, kind) for the same reason.

use sea_orm_migration::prelude::*;

use crate::columns::*;
use crate::m20261129_000001_vocabulary::{lift, replace, restrict, run};
use crate::m20261205_000001_training_plan;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const STATUSES: &[&str] = &["open", "submitted", "expired"];
pub const RATER_TYPES: &[&str] = &["self", "manager", "peer"];
pub const ADDED_KINDS: &[&str] = &["follow_up_opened", "follow_up_reminder"];

/// Every notification kind after this migration.
pub fn notification_kinds() -> Vec<&'static str> {
    m20261205_000001_training_plan::notification_kinds()
        .into_iter()
        .chain(ADDED_KINDS.iter().copied())
        .collect()
}

#[derive(DeriveIden)]
enum TrainingSettings {
    Table,
    FollowUpDays,
    FollowUpWindow,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    FollowUpId,
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
}

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum FollowUps {
    Table,
    Id,
    AssignmentId,
    CourseId,
    SubjectId,
    RaterId,
    RaterType,
    Wave,
    OpensAt,
    DueAt,
    Status,
    RemindedAt,
    SubmittedAt,
    ActionPlan,
}

#[derive(DeriveIden)]
enum FollowUpAnswers {
    Table,
    FollowUpId,
    Code,
    Level,
    Frequency,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;
        // SQLite adds one column per ALTER TABLE.
        for column in [
            ColumnDef::new(TrainingSettings::FollowUpDays)
                .string_len(64)
                .not_null()
                .default("30,90")
                .to_owned(),
            ColumnDef::new(TrainingSettings::FollowUpWindow)
                .integer()
                .not_null()
                .default(14)
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(TrainingSettings::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(FollowUps::Table)
                .col(id(FollowUps::Id))
                .col(uuid(FollowUps::AssignmentId))
                .col(uuid(FollowUps::CourseId))
                .col(uuid(FollowUps::SubjectId))
                .col(uuid(FollowUps::RaterId))
                .col(text(FollowUps::RaterType, 16))
                .col(int(FollowUps::Wave))
                .col(at(FollowUps::OpensAt))
                .col(at(FollowUps::DueAt))
                .col(text(FollowUps::Status, 16))
                .col(at_null(FollowUps::RemindedAt))
                .col(at_null(FollowUps::SubmittedAt))
                .col(
                    ColumnDef::new(FollowUps::ActionPlan)
                        .string_len(2000)
                        .null(),
                )
                .foreign_key(&mut fk(
                    (FollowUps::Table, FollowUps::AssignmentId),
                    (Assignments::Table, Assignments::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (FollowUps::Table, FollowUps::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (FollowUps::Table, FollowUps::SubjectId),
                    (People::Table, People::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (FollowUps::Table, FollowUps::RaterId),
                    (People::Table, People::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        // One follow-up per completion, wave and side, however many sweeps race.
        index(
            m,
            "ux_follow_ups_wave",
            FollowUps::Table,
            &["assignment_id", "wave", "rater_type"],
            true,
        )
        .await?;
        index(
            m,
            "ix_follow_ups_rater",
            FollowUps::Table,
            &["rater_id", "status"],
            false,
        )
        .await?;
        index(
            m,
            "ix_follow_ups_course",
            FollowUps::Table,
            &["course_id", "status"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(FollowUpAnswers::Table)
                .col(uuid(FollowUpAnswers::FollowUpId))
                .col(text(FollowUpAnswers::Code, 32))
                .col(int(FollowUpAnswers::Level))
                .col(int(FollowUpAnswers::Frequency))
                .primary_key(
                    Index::create()
                        .col(FollowUpAnswers::FollowUpId)
                        .col(FollowUpAnswers::Code),
                )
                .foreign_key(&mut fk(
                    (FollowUpAnswers::Table, FollowUpAnswers::FollowUpId),
                    (FollowUps::Table, FollowUps::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Notifications::Table)
                .add_column(ColumnDef::new(Notifications::FollowUpId).uuid().null())
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_notifications_follow_up_kind",
            Notifications::Table,
            &["follow_up_id", "kind"],
            true,
        )
        .await?;
        let backend = m.get_database_backend();
        let mut rules = restrict(backend, "follow_ups", "status", STATUSES);
        rules.extend(restrict(backend, "follow_ups", "rater_type", RATER_TYPES));
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
        // The follow-ups go, and so do the notices about them, which the older
        // vocabulary would refuse.
        let kinds = ADDED_KINDS
            .iter()
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut rules = vec![format!("DELETE FROM notifications WHERE kind IN ({kinds})")];
        rules.extend(lift(backend, "follow_ups", "status"));
        rules.extend(lift(backend, "follow_ups", "rater_type"));
        rules.extend(replace(
            backend,
            "notifications",
            "kind",
            &m20261205_000001_training_plan::notification_kinds(),
        ));
        run(m, rules).await?;
        m.drop_index(
            Index::drop()
                .name("ux_notifications_follow_up_kind")
                .table(Notifications::Table)
                .to_owned(),
        )
        .await?;
        for (table, column) in [
            ("notifications", "follow_up_id"),
            ("training_settings", "follow_up_window"),
            ("training_settings", "follow_up_days"),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .drop_column(Alias::new(column))
                    .to_owned(),
            )
            .await?;
        }
        for table in ["follow_up_answers", "follow_ups"] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
