//! Courses: ordered modules of ordered lessons (Markdown), their owners, and the
//! competencies each raises (by code, so a course outlives framework versions).
//! Lessons are never deleted, only marked removed, so learners' records keep them.

use sea_orm_migration::prelude::*;

use crate::columns::*;
use crate::m20261129_000001_vocabulary::{replace, restrict, run};
use crate::m20261129_000006_session_details;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const MODES: &[&str] = &["online", "classroom", "blended"];
pub const STATUSES: &[&str] = &["draft", "published", "archived"];

pub const ADDED_ACTIONS: &[&str] = &[
    "course.create",
    "course.update",
    "course.state",
    "course.outline",
    "course.competencies",
];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261129_000006_session_details::audit_actions()
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
    Code,
    Title,
    Summary,
    Hours,
    Mode,
    Status,
    SelfEnrol,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum CourseOwners {
    Table,
    CourseId,
    PersonId,
}

#[derive(DeriveIden)]
enum CourseModules {
    Table,
    Id,
    CourseId,
    Position,
    Title,
    RemovedAt,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
    CourseId,
    ModuleId,
    Position,
    Title,
    Body,
    UpdatedAt,
    RemovedAt,
}

#[derive(DeriveIden)]
enum CourseCompetencies {
    Table,
    Id,
    CourseId,
    Code,
    Level,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.create_table(
            Table::create()
                .table(Courses::Table)
                .col(id(Courses::Id))
                .col(text(Courses::Code, 40))
                .col(text(Courses::Title, 200))
                .col(ColumnDef::new(Courses::Summary).text().not_null())
                .col(real(Courses::Hours))
                .col(text(Courses::Mode, 16))
                .col(text(Courses::Status, 16))
                .col(flag(Courses::SelfEnrol, false))
                .col(ColumnDef::new(Courses::CreatedBy).uuid().null())
                .col(at(Courses::CreatedAt))
                .col(at(Courses::UpdatedAt))
                .col(at_null(Courses::PublishedAt))
                .foreign_key(&mut fk(
                    (Courses::Table, Courses::CreatedBy),
                    (People::Table, People::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        run(
            m,
            vec![
                "CREATE UNIQUE INDEX ux_courses_code_ci ON courses (lower(code))".to_owned(),
                "CREATE INDEX ix_courses_status ON courses (status)".to_owned(),
            ],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CourseOwners::Table)
                .col(uuid(CourseOwners::CourseId))
                .col(uuid(CourseOwners::PersonId))
                .primary_key(
                    Index::create()
                        .col(CourseOwners::CourseId)
                        .col(CourseOwners::PersonId),
                )
                .foreign_key(&mut fk(
                    (CourseOwners::Table, CourseOwners::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (CourseOwners::Table, CourseOwners::PersonId),
                    (People::Table, People::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_course_owners_person",
            CourseOwners::Table,
            &["person_id"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CourseModules::Table)
                .col(id(CourseModules::Id))
                .col(uuid(CourseModules::CourseId))
                .col(int(CourseModules::Position))
                .col(text(CourseModules::Title, 200))
                .col(at_null(CourseModules::RemovedAt))
                .foreign_key(&mut fk(
                    (CourseModules::Table, CourseModules::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_course_modules_course",
            CourseModules::Table,
            &["course_id", "position"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Lessons::Table)
                .col(id(Lessons::Id))
                .col(uuid(Lessons::CourseId))
                .col(uuid(Lessons::ModuleId))
                .col(int(Lessons::Position))
                .col(text(Lessons::Title, 200))
                .col(ColumnDef::new(Lessons::Body).text().not_null())
                .col(at(Lessons::UpdatedAt))
                .col(at_null(Lessons::RemovedAt))
                .foreign_key(&mut fk(
                    (Lessons::Table, Lessons::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Lessons::Table, Lessons::ModuleId),
                    (CourseModules::Table, CourseModules::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_lessons_module",
            Lessons::Table,
            &["module_id", "position"],
            false,
        )
        .await?;
        index(
            m,
            "ix_lessons_course",
            Lessons::Table,
            &["course_id"],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CourseCompetencies::Table)
                .col(id(CourseCompetencies::Id))
                .col(uuid(CourseCompetencies::CourseId))
                .col(text(CourseCompetencies::Code, 40))
                .col(int(CourseCompetencies::Level))
                .foreign_key(&mut fk(
                    (CourseCompetencies::Table, CourseCompetencies::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        let backend = m.get_database_backend();
        let mut rules = vec![
            "CREATE UNIQUE INDEX ux_course_competencies_code_ci \
             ON course_competencies (course_id, lower(code))"
                .to_owned(),
        ];
        rules.extend(restrict(backend, "courses", "mode", MODES));
        rules.extend(restrict(backend, "courses", "status", STATUSES));
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
                &m20261129_000006_session_details::audit_actions(),
            ),
        )
        .await?;
        for table in [
            Alias::new("course_competencies"),
            Alias::new("lessons"),
            Alias::new("course_modules"),
            Alias::new("course_owners"),
            Alias::new("courses"),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
