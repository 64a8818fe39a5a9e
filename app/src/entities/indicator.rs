use sea_orm::entity::prelude::*;

/// A service indicator the office reports on each month, such as the average
/// handling time per case.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "indicators")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    /// The unit of measure, e.g. "分钟" or "%".
    pub measure: String,
    pub higher_is_better: bool,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
