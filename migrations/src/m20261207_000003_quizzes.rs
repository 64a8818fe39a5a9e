//! Quizzes and attempts. A quiz belongs to a course as its pre-test, post-test or
//! practice, with rules that say which questions it asks (every question of a
//! category, or N drawn per competency or category: JSON in `rules`); an attempt holds the
//! questions one person was given (question, version, the order of its parts),
//! each answer with its save receipt, and the server's deadline. An attempt is
//! submitted once: `submitted_at` is set by a conditional update, by the learner
//! or by the background task at the deadline, whichever comes first.

use sea_orm_migration::prelude::*;

use crate::columns::*;
use crate::m20261129_000001_vocabulary::{lift, replace, restrict, run};
use crate::m20261207_000002_question_bank;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const PURPOSES: &[&str] = &["pre", "post", "practice"];
pub const COUNTING: &[&str] = &["best", "last", "first"];
pub const REVIEWS: &[&str] = &["immediately", "after_close", "never"];
pub const ADDED_ACTIONS: &[&str] = &["quiz.create", "quiz.update"];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261207_000002_question_bank::audit_actions()
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
enum Quizzes {
    Table,
    Id,
    CourseId,
    Purpose,
    Title,
    Rules,
    ShuffleQuestions,
    ShuffleOptions,
    TimeLimitMinutes,
    AttemptsAllowed,
    Counting,
    PassMark,
    OpensAt,
    ClosesAt,
    Review,
    Published,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Attempts {
    Table,
    Id,
    QuizId,
    PersonId,
    Number,
    StartedAt,
    DeadlineAt,
    SubmittedAt,
    SubmittedBy,
    LastSeq,
    LastSavedAt,
    Score,
    MaxScore,
    Passed,
    Ungraded,
}

#[derive(DeriveIden)]
enum AttemptItems {
    Table,
    AttemptId,
    Position,
    QuestionId,
    Version,
    Arrangement,
    Points,
    Answer,
    Seq,
    SavedAt,
    Score,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.create_table(
            Table::create()
                .table(Quizzes::Table)
                .col(id(Quizzes::Id))
                .col(uuid(Quizzes::CourseId))
                .col(text(Quizzes::Purpose, 16))
                .col(text(Quizzes::Title, 200))
                .col(ColumnDef::new(Quizzes::Rules).text().null())
                .col(flag(Quizzes::ShuffleQuestions, false))
                .col(flag(Quizzes::ShuffleOptions, true))
                .col(ColumnDef::new(Quizzes::TimeLimitMinutes).integer().null())
                .col(int(Quizzes::AttemptsAllowed))
                .col(text(Quizzes::Counting, 8))
                .col(real(Quizzes::PassMark))
                .col(at_null(Quizzes::OpensAt))
                .col(at_null(Quizzes::ClosesAt))
                .col(text(Quizzes::Review, 16))
                .col(flag(Quizzes::Published, false))
                .col(ColumnDef::new(Quizzes::CreatedBy).uuid().null())
                .col(at(Quizzes::CreatedAt))
                .col(at(Quizzes::UpdatedAt))
                .foreign_key(&mut fk(
                    (Quizzes::Table, Quizzes::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Quizzes::Table, Quizzes::CreatedBy),
                    (People::Table, People::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_quizzes_course",
            Quizzes::Table,
            &["course_id"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Attempts::Table)
                .col(id(Attempts::Id))
                .col(uuid(Attempts::QuizId))
                .col(uuid(Attempts::PersonId))
                .col(int(Attempts::Number))
                .col(at(Attempts::StartedAt))
                .col(at_null(Attempts::DeadlineAt))
                .col(at_null(Attempts::SubmittedAt))
                .col(ColumnDef::new(Attempts::SubmittedBy).string_len(16).null())
                .col(
                    ColumnDef::new(Attempts::LastSeq)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(at_null(Attempts::LastSavedAt))
                .col(real_null(Attempts::Score))
                .col(real(Attempts::MaxScore))
                .col(ColumnDef::new(Attempts::Passed).boolean().null())
                .col(flag(Attempts::Ungraded, false))
                .foreign_key(&mut fk(
                    (Attempts::Table, Attempts::QuizId),
                    (Quizzes::Table, Quizzes::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Attempts::Table, Attempts::PersonId),
                    (People::Table, People::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_attempts_number",
            Attempts::Table,
            &["quiz_id", "person_id", "number"],
            true,
        )
        .await?;
        // The background task looks for open attempts past their deadline.
        index(
            m,
            "ix_attempts_open",
            Attempts::Table,
            &["submitted_at", "deadline_at"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AttemptItems::Table)
                .col(uuid(AttemptItems::AttemptId))
                .col(int(AttemptItems::Position))
                .col(uuid(AttemptItems::QuestionId))
                .col(int(AttemptItems::Version))
                .col(ColumnDef::new(AttemptItems::Arrangement).text().not_null())
                .col(real(AttemptItems::Points))
                .col(ColumnDef::new(AttemptItems::Answer).text().null())
                .col(ColumnDef::new(AttemptItems::Seq).integer().null())
                .col(at_null(AttemptItems::SavedAt))
                .col(real_null(AttemptItems::Score))
                .primary_key(
                    Index::create()
                        .col(AttemptItems::AttemptId)
                        .col(AttemptItems::Position),
                )
                .foreign_key(&mut fk(
                    (AttemptItems::Table, AttemptItems::AttemptId),
                    (Attempts::Table, Attempts::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_attempt_items_question",
            AttemptItems::Table,
            &["question_id", "version"],
            false,
        )
        .await?;

        let backend = m.get_database_backend();
        let mut rules = restrict(backend, "quizzes", "purpose", PURPOSES);
        rules.extend(restrict(backend, "quizzes", "counting", COUNTING));
        rules.extend(restrict(backend, "quizzes", "review", REVIEWS));
        rules.extend(replace(backend, "audit_log", "action", &audit_actions()));
        run(m, rules).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        let mut rules = Vec::new();
        for column in ["purpose", "counting", "review"] {
            rules.extend(lift(backend, "quizzes", column));
        }
        rules.extend(replace(
            backend,
            "audit_log",
            "action",
            &m20261207_000002_question_bank::audit_actions(),
        ));
        run(m, rules).await?;
        for table in ["attempt_items", "attempts", "quizzes"] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
