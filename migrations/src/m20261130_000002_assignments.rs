//! Targeted assignment: the engine's proposals (each with its reason), the
//! assignments people accept from them, and the office's training-hours budget.

use sea_orm_migration::prelude::*;

use crate::columns::*;
use crate::m20261129_000001_vocabulary::{replace, restrict, run};
use crate::m20261130_000001_courses;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const PROPOSAL_STATUSES: &[&str] = &["proposed", "accepted", "rejected"];
pub const SOURCES: &[&str] = &["proposal", "manual", "self"];
pub const ASSIGNMENT_STATUSES: &[&str] = &["assigned", "completed", "withdrawn"];

pub const ADDED_ACTIONS: &[&str] = &["proposal.regenerate", "proposal.decide"];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261130_000001_courses::audit_actions()
        .into_iter()
        .chain(ADDED_ACTIONS.iter().copied())
        .collect()
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
enum TrainingSettings {
    Table,
    Id,
    HoursBudget,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Proposals {
    Table,
    Id,
    PersonId,
    CourseId,
    Rank,
    Closes,
    PerHour,
    Reason,
    Status,
    DueAt,
    DecidedBy,
    DecidedAt,
    Note,
    GeneratedAt,
}

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
    PersonId,
    CourseId,
    Source,
    ProposalId,
    Reason,
    AssignedBy,
    AssignedAt,
    DueAt,
    Status,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.create_table(
            Table::create()
                .table(TrainingSettings::Table)
                .col(
                    ColumnDef::new(TrainingSettings::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(real(TrainingSettings::HoursBudget))
                .col(at(TrainingSettings::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Proposals::Table)
                .col(id(Proposals::Id))
                .col(uuid(Proposals::PersonId))
                .col(uuid(Proposals::CourseId))
                .col(int(Proposals::Rank))
                .col(real(Proposals::Closes))
                .col(real(Proposals::PerHour))
                .col(ColumnDef::new(Proposals::Reason).text().not_null())
                .col(text(Proposals::Status, 16))
                .col(at_null(Proposals::DueAt))
                .col(ColumnDef::new(Proposals::DecidedBy).uuid().null())
                .col(at_null(Proposals::DecidedAt))
                .col(ColumnDef::new(Proposals::Note).text().null())
                .col(at(Proposals::GeneratedAt))
                .foreign_key(&mut fk(
                    (Proposals::Table, Proposals::PersonId),
                    (People::Table, People::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Proposals::Table, Proposals::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Proposals::Table, Proposals::DecidedBy),
                    (People::Table, People::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_proposals_person_course",
            Proposals::Table,
            &["person_id", "course_id"],
            true,
        )
        .await?;
        index(
            m,
            "ix_proposals_status",
            Proposals::Table,
            &["status", "person_id"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Assignments::Table)
                .col(id(Assignments::Id))
                .col(uuid(Assignments::PersonId))
                .col(uuid(Assignments::CourseId))
                .col(text(Assignments::Source, 16))
                .col(ColumnDef::new(Assignments::ProposalId).uuid().null())
                .col(ColumnDef::new(Assignments::Reason).text().not_null())
                .col(ColumnDef::new(Assignments::AssignedBy).uuid().null())
                .col(at(Assignments::AssignedAt))
                .col(at_null(Assignments::DueAt))
                .col(text(Assignments::Status, 16))
                .foreign_key(&mut fk(
                    (Assignments::Table, Assignments::PersonId),
                    (People::Table, People::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Assignments::Table, Assignments::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Assignments::Table, Assignments::ProposalId),
                    (Proposals::Table, Proposals::Id),
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    (Assignments::Table, Assignments::AssignedBy),
                    (People::Table, People::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        // One assignment per person and course, and per proposal: a double accept
        // (two tabs, two managers) lands once.
        index(
            m,
            "ux_assignments_person_course",
            Assignments::Table,
            &["person_id", "course_id"],
            true,
        )
        .await?;
        index(
            m,
            "ux_assignments_proposal",
            Assignments::Table,
            &["proposal_id"],
            true,
        )
        .await?;
        let backend = m.get_database_backend();
        let mut rules = vec![
            "INSERT INTO training_settings (id, hours_budget, updated_at) VALUES (1, 40, CURRENT_TIMESTAMP)".to_owned(),
        ];
        rules.extend(restrict(backend, "proposals", "status", PROPOSAL_STATUSES));
        rules.extend(restrict(backend, "assignments", "source", SOURCES));
        rules.extend(restrict(
            backend,
            "assignments",
            "status",
            ASSIGNMENT_STATUSES,
        ));
        rules.extend(replace(backend, "audit_log", "action", &audit_actions()));
        run(m, rules).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        run(
            m,
            replace(
                backend,
                "audit_log",
                "action",
                &m20261130_000001_courses::audit_actions(),
            ),
        )
        .await?;
        for table in ["assignments", "proposals", "training_settings"] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
