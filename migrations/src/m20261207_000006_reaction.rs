//! Level 1 of the evaluation, reaction. Each course has its own reaction form,
//! copied from the default template when first needed and then its trainers'
//! to edit (an item removed keeps its answers); a learner answers once per
//! course. A course may make answering part of its completion rule, and the
//! office sets how many answers a group needs before its comments are shown.

use sea_orm_migration::prelude::*;

use crate::columns::*;
use crate::m20261129_000001_vocabulary::{lift, replace, restrict, run};
use crate::m20261207_000004_grading;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const ITEM_KINDS: &[&str] = &["scale", "recommend", "text"];
pub const ADDED_ACTIONS: &[&str] = &["reaction.form"];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261207_000004_grading::audit_actions()
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
    ReactionRequired,
}

#[derive(DeriveIden)]
enum ClassSessions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TrainingSettings {
    Table,
    AnonymityThreshold,
}

#[derive(DeriveIden)]
enum ReactionItems {
    Table,
    Id,
    CourseId,
    Position,
    Kind,
    Builtin,
    Prompt,
    RemovedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Reactions {
    Table,
    Id,
    CourseId,
    PersonId,
    SessionId,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum ReactionAnswers {
    Table,
    ReactionId,
    ItemId,
    Score,
    Comment,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.alter_table(
            Table::alter()
                .table(Courses::Table)
                .add_column(flag(Courses::ReactionRequired, false))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingSettings::Table)
                .add_column(
                    ColumnDef::new(TrainingSettings::AnonymityThreshold)
                        .integer()
                        .not_null()
                        .default(3),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReactionItems::Table)
                .col(id(ReactionItems::Id))
                .col(uuid(ReactionItems::CourseId))
                .col(int(ReactionItems::Position))
                .col(text(ReactionItems::Kind, 16))
                .col(ColumnDef::new(ReactionItems::Builtin).string_len(32).null())
                .col(text(ReactionItems::Prompt, 300))
                .col(at_null(ReactionItems::RemovedAt))
                .col(at(ReactionItems::CreatedAt))
                .foreign_key(&mut fk(
                    (ReactionItems::Table, ReactionItems::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_reaction_items_course",
            ReactionItems::Table,
            &["course_id", "position"],
            false,
        )
        .await?;
        // The default items are copied into a course once, however many first
        // visits race: the copy inserts and skips what is already there.
        index(
            m,
            "ux_reaction_items_builtin",
            ReactionItems::Table,
            &["course_id", "builtin"],
            true,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Reactions::Table)
                .col(id(Reactions::Id))
                .col(uuid(Reactions::CourseId))
                .col(uuid(Reactions::PersonId))
                .col(ColumnDef::new(Reactions::SessionId).uuid().null())
                .col(at(Reactions::SubmittedAt))
                .foreign_key(&mut fk(
                    (Reactions::Table, Reactions::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Reactions::Table, Reactions::PersonId),
                    (People::Table, People::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Reactions::Table, Reactions::SessionId),
                    (ClassSessions::Table, ClassSessions::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        // One reaction per person and course: a double submit is refused here.
        index(
            m,
            "ux_reactions_course_person",
            Reactions::Table,
            &["course_id", "person_id"],
            true,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReactionAnswers::Table)
                .col(uuid(ReactionAnswers::ReactionId))
                .col(uuid(ReactionAnswers::ItemId))
                .col(ColumnDef::new(ReactionAnswers::Score).integer().null())
                .col(ColumnDef::new(ReactionAnswers::Comment).text().null())
                .primary_key(
                    Index::create()
                        .col(ReactionAnswers::ReactionId)
                        .col(ReactionAnswers::ItemId),
                )
                .foreign_key(&mut fk(
                    (ReactionAnswers::Table, ReactionAnswers::ReactionId),
                    (Reactions::Table, Reactions::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (ReactionAnswers::Table, ReactionAnswers::ItemId),
                    (ReactionItems::Table, ReactionItems::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_reaction_answers_item",
            ReactionAnswers::Table,
            &["item_id"],
            false,
        )
        .await?;
        let backend = m.get_database_backend();
        let mut rules = restrict(backend, "reaction_items", "kind", ITEM_KINDS);
        rules.extend(replace(backend, "audit_log", "action", &audit_actions()));
        run(m, rules).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        let mut rules = lift(backend, "reaction_items", "kind");
        rules.extend(replace(
            backend,
            "audit_log",
            "action",
            &m20261207_000004_grading::audit_actions(),
        ));
        run(m, rules).await?;
        for table in ["reaction_answers", "reactions", "reaction_items"] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table(TrainingSettings::Table)
                .drop_column(TrainingSettings::AnonymityThreshold)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Courses::Table)
                .drop_column(Courses::ReactionRequired)
                .to_owned(),
        )
        .await
    }
}
