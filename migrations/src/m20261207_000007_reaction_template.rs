//! The office's reaction template: the items a course's reaction form starts
//! with, which trainers and administrators can edit. Each item has a key, unique
//! in the template and kept by the courses it is copied into, so that racing
//! first visits copy it once: a default item's key is its name, an item the
//! office added gets `office-` and a random part.

use sea_orm_migration::prelude::*;

use crate::columns::*;
use crate::m20261129_000001_vocabulary::{lift, restrict, run};
use crate::m20261207_000006_reaction::ITEM_KINDS;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReactionTemplateItems {
    Table,
    Id,
    Position,
    Kind,
    ItemKey,
    Prompt,
    RemovedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ReactionTemplateItems::Table)
                .col(id(ReactionTemplateItems::Id))
                .col(int(ReactionTemplateItems::Position))
                .col(text(ReactionTemplateItems::Kind, 16))
                .col(text(ReactionTemplateItems::ItemKey, 32))
                .col(text(ReactionTemplateItems::Prompt, 300))
                .col(at_null(ReactionTemplateItems::RemovedAt))
                .col(at(ReactionTemplateItems::CreatedAt))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_reaction_template_item_key",
            ReactionTemplateItems::Table,
            &["item_key"],
            true,
        )
        .await?;
        let backend = m.get_database_backend();
        run(
            m,
            restrict(backend, "reaction_template_items", "kind", ITEM_KINDS),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        run(m, lift(backend, "reaction_template_items", "kind")).await?;
        m.drop_table(Table::drop().table(ReactionTemplateItems::Table).to_owned())
            .await
    }
}
