use sea_orm::entity::prelude::*;

use crate::domain::ReactionKind;

/// One item of a course's reaction form. A built-in item (`builtin` names it)
/// is shown in the reader's language until a trainer rewords it (`prompt`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reaction_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub course_id: Uuid,
    pub position: i32,
    pub kind: ReactionKind,
    pub builtin: Option<String>,
    pub prompt: String,
    pub removed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
