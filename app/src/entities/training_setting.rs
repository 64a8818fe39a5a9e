use sea_orm::entity::prelude::*;

/// The office's training rules: one row (id 1).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "training_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    /// Training hours per person per year the engine may propose, including what
    /// is already assigned.
    pub hours_budget: f64,
    /// Learning hours each person should complete in a year (学时要求).
    pub hours_required: f64,
    /// What an hour of a trainer costs, for the plan's estimate (yuan).
    pub trainer_rate: f64,
    /// What an hour of a training room costs (yuan).
    pub venue_rate: f64,
    /// Seats per classroom session when a course has none scheduled yet.
    pub class_size: i32,
    /// Fewer answers than this and a group's reaction comments stay hidden.
    pub anonymity_threshold: i32,
    /// Days after completion at which behaviour follow-ups open, e.g. "30,90".
    pub follow_up_days: String,
    /// Days a follow-up stays open.
    pub follow_up_window: i32,
    /// Colleagues asked in each follow-up besides the learner and manager.
    pub follow_up_peers: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
