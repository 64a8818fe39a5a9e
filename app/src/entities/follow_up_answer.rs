use sea_orm::entity::prelude::*;

/// A follow-up's answer on one competency: the level now (1–5, on the
/// competency's own descriptors) and how often the behaviour is applied (1 never
/// … 5 always).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_up_answers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub follow_up_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub level: i32,
    pub frequency: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
