use sea_orm::entity::prelude::*;

/// A person's combined current level on one competency in one campaign, with its sources and gap.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "competency_results")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub campaign_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub competency_id: Uuid,
    pub unit_id: Option<Uuid>,
    pub position_id: Option<Uuid>,
    pub current: f64,
    pub self_level: Option<f64>,
    pub manager_level: Option<f64>,
    pub peer_level: Option<f64>,
    pub peer_count: i32,
    pub rater_count: i32,
    pub target_level: Option<i32>,
    pub importance: i32,
    pub gap: f64,
    pub weighted_gap: f64,
    pub discrepancy: bool,
    /// The level the person's quiz answers on this competency show, and where
    /// it came from: the share answered correctly (0–1), on how many
    /// questions, in which quiz and version, submitted when.
    pub test_level: Option<f64>,
    pub test_share: Option<f64>,
    pub test_questions: Option<i32>,
    pub test_quiz_id: Option<Uuid>,
    pub test_quiz_version: Option<i32>,
    pub test_taken_at: Option<DateTimeUtc>,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
