//! Learning progress: lessons each person has done, when an assignment was
//! completed, the certificate it earned (with a public verification code), and the
//! office's yearly learning-hours requirement.

use sea_orm_migration::prelude::*;

use crate::columns::*;
use crate::m20261129_000001_vocabulary::{replace, run};
use crate::m20261130_000003_enrolment;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const ADDED: &[&str] = &["course.complete"];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261130_000003_enrolment::audit_actions()
        .into_iter()
        .chain(ADDED.iter().copied())
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
enum Lessons {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
    CompletedAt,
}

#[derive(DeriveIden)]
enum TrainingSettings {
    Table,
    HoursRequired,
}

#[derive(DeriveIden)]
enum LessonProgress {
    Table,
    Id,
    PersonId,
    LessonId,
    CourseId,
    DoneAt,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
    Code,
    AssignmentId,
    PersonId,
    CourseId,
    PersonName,
    CourseTitle,
    Hours,
    IssuedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;
        m.alter_table(
            Table::alter()
                .table(Assignments::Table)
                .add_column(at_null(Assignments::CompletedAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingSettings::Table)
                .add_column(
                    ColumnDef::new(TrainingSettings::HoursRequired)
                        .double()
                        .not_null()
                        .default(40.0),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LessonProgress::Table)
                .col(id(LessonProgress::Id))
                .col(uuid(LessonProgress::PersonId))
                .col(uuid(LessonProgress::LessonId))
                .col(uuid(LessonProgress::CourseId))
                .col(at(LessonProgress::DoneAt))
                .foreign_key(&mut fk(
                    (LessonProgress::Table, LessonProgress::PersonId),
                    (People::Table, People::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (LessonProgress::Table, LessonProgress::LessonId),
                    (Lessons::Table, Lessons::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (LessonProgress::Table, LessonProgress::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        // A lesson is done once per person: marking it twice changes nothing.
        index(
            m,
            "ux_lesson_progress_person_lesson",
            LessonProgress::Table,
            &["person_id", "lesson_id"],
            true,
        )
        .await?;
        index(
            m,
            "ix_lesson_progress_course",
            LessonProgress::Table,
            &["course_id", "person_id"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Certificates::Table)
                .col(id(Certificates::Id))
                .col(text(Certificates::Code, 16))
                .col(uuid(Certificates::AssignmentId))
                .col(uuid(Certificates::PersonId))
                .col(uuid(Certificates::CourseId))
                // As printed: a certificate keeps the name and title it was issued with.
                .col(text(Certificates::PersonName, 200))
                .col(text(Certificates::CourseTitle, 200))
                .col(real(Certificates::Hours))
                .col(at(Certificates::IssuedAt))
                .foreign_key(&mut fk(
                    (Certificates::Table, Certificates::AssignmentId),
                    (Assignments::Table, Assignments::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Certificates::Table, Certificates::PersonId),
                    (People::Table, People::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Certificates::Table, Certificates::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_certificates_code",
            Certificates::Table,
            &["code"],
            true,
        )
        .await?;
        // One certificate per completed assignment, however often completion is hit.
        index(
            m,
            "ux_certificates_assignment",
            Certificates::Table,
            &["assignment_id"],
            true,
        )
        .await?;
        index(
            m,
            "ix_assignments_completed",
            Alias::new("assignments"),
            &["person_id", "completed_at"],
            false,
        )
        .await?;
        let backend = m.get_database_backend();
        run(m, replace(backend, "audit_log", "action", &audit_actions())).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        let before = m20261130_000003_enrolment::audit_actions();
        run(m, replace(backend, "audit_log", "action", &before)).await?;
        for table in ["certificates", "lesson_progress"] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        m.drop_index(
            Index::drop()
                .name("ix_assignments_completed")
                .table(Alias::new("assignments"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Assignments::Table)
                .drop_column(Assignments::CompletedAt)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingSettings::Table)
                .drop_column(TrainingSettings::HoursRequired)
                .to_owned(),
        )
        .await
    }
}
