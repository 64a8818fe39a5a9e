use sea_orm::entity::prelude::*;

/// A competency of one framework version; `code` is stable across versions and keys target profiles.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "competencies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub framework_id: Uuid,
    pub domain_id: Uuid,
    pub position: i32,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub level_1: String,
    pub level_2: String,
    pub level_3: String,
    pub level_4: String,
    pub level_5: String,
    pub archived: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
