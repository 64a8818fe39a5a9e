use sea_orm::entity::prelude::*;

use crate::domain::ReactionKind;

/// One item of the office's reaction template, copied into each course's form
/// when the form is first needed. `item_key` is kept by the copies: a default
/// item's name (shown in the reader's language until reworded) or `office-…`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reaction_template_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub position: i32,
    pub kind: ReactionKind,
    pub item_key: String,
    pub prompt: String,
    pub removed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
