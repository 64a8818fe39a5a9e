use sea_orm::entity::prelude::*;

/// One campaign's gap results summed per unit, position and competency (people with a
/// target only), so the heatmap, priorities and plan read a few thousand rows instead
/// of every person's results. `Uuid::nil()` stands for "no unit" or "no position":
/// key columns cannot be null.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "gap_tallies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub campaign_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub competency_id: Uuid,
    /// People with a target on the competency.
    pub people: i32,
    /// Of those, people at least one level below their target.
    pub with_gap: i32,
    pub gap_sum: f64,
    pub weighted_sum: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
