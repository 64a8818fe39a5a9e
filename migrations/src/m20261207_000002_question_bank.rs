//! The question bank: each question with what it is filed under (course or
//! shared, category path, competency code and level), and its versions. A
//! version's body is the whole question as JSON (`app::quiz::question`), so every
//! type keeps its own shape; what lists and draws filter on is in columns.
//! Editing a question that attempts have used makes a new version, and attempts
//! keep the version they were given.

use sea_orm_migration::prelude::*;

use crate::columns::*;
use crate::m20261129_000001_vocabulary::{lift, replace, restrict, run};
use crate::m20261205_000001_training_plan;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const KINDS: &[&str] = &[
    "single",
    "multiple",
    "truefalse",
    "numeric",
    "short",
    "matching",
    "ordering",
    "essay",
    "description",
];
pub const UPLOAD_KINDS: &[&str] = &["roster", "framework", "questions"];
pub const ADDED_ACTIONS: &[&str] = &["question.import", "question.archive", "question.restore"];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261205_000001_training_plan::audit_actions()
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
enum Questions {
    Table,
    Id,
    CourseId,
    Category,
    CompetencyCode,
    Level,
    Kind,
    Name,
    Points,
    CurrentVersion,
    Archived,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum QuestionVersions {
    Table,
    Id,
    QuestionId,
    Version,
    Body,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.create_table(
            Table::create()
                .table(Questions::Table)
                .col(id(Questions::Id))
                .col(ColumnDef::new(Questions::CourseId).uuid().null())
                .col(text(Questions::Category, 255))
                .col(
                    ColumnDef::new(Questions::CompetencyCode)
                        .string_len(40)
                        .null(),
                )
                .col(ColumnDef::new(Questions::Level).integer().null())
                .col(text(Questions::Kind, 16))
                .col(text(Questions::Name, 255))
                .col(real(Questions::Points))
                .col(int(Questions::CurrentVersion))
                .col(flag(Questions::Archived, false))
                .col(ColumnDef::new(Questions::CreatedBy).uuid().null())
                .col(at(Questions::CreatedAt))
                .col(at(Questions::UpdatedAt))
                .foreign_key(&mut fk(
                    (Questions::Table, Questions::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Questions::Table, Questions::CreatedBy),
                    (People::Table, People::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_questions_category",
            Questions::Table,
            &["category"],
            false,
        )
        .await?;
        index(
            m,
            "ix_questions_competency",
            Questions::Table,
            &["competency_code"],
            false,
        )
        .await?;
        index(
            m,
            "ix_questions_course",
            Questions::Table,
            &["course_id"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QuestionVersions::Table)
                .col(id(QuestionVersions::Id))
                .col(uuid(QuestionVersions::QuestionId))
                .col(int(QuestionVersions::Version))
                .col(ColumnDef::new(QuestionVersions::Body).text().not_null())
                .col(ColumnDef::new(QuestionVersions::CreatedBy).uuid().null())
                .col(at(QuestionVersions::CreatedAt))
                .foreign_key(&mut fk(
                    (QuestionVersions::Table, QuestionVersions::QuestionId),
                    (Questions::Table, Questions::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (QuestionVersions::Table, QuestionVersions::CreatedBy),
                    (People::Table, People::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_question_versions",
            QuestionVersions::Table,
            &["question_id", "version"],
            true,
        )
        .await?;

        let backend = m.get_database_backend();
        let mut rules = restrict(backend, "questions", "kind", KINDS);
        rules.extend(replace(backend, "uploads", "kind", UPLOAD_KINDS));
        rules.extend(replace(backend, "audit_log", "action", &audit_actions()));
        run(m, rules).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        let mut rules = vec!["DELETE FROM uploads WHERE kind = 'questions'".to_owned()];
        rules.extend(lift(backend, "questions", "kind"));
        rules.extend(replace(
            backend,
            "audit_log",
            "action",
            &m20261205_000001_training_plan::audit_actions(),
        ));
        rules.extend(replace(
            backend,
            "uploads",
            "kind",
            &["roster", "framework"],
        ));
        run(m, rules).await?;
        for table in ["question_versions", "questions"] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
