use sea_orm::entity::prelude::*;

/// What a position requires of one competency of a framework family.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "position_targets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub position_id: Uuid,
    pub family_id: Uuid,
    pub competency_code: String,
    pub target_level: i32,
    pub importance: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
