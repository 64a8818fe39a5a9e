use sea_orm::entity::prelude::*;

use crate::domain::*;

/// A custom survey item beyond the competency ratings.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub position: i32,
    pub kind: ItemKind,
    pub prompt: String,
    pub options: Option<String>,
    pub competency_id: Option<Uuid>,
    pub required: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
