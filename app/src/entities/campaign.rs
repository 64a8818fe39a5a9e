use sea_orm::entity::prelude::*;

use crate::domain::*;

/// A needs-survey campaign on one framework version.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub framework_id: Uuid,
    pub state: CampaignState,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub include_self: bool,
    pub include_manager: bool,
    pub peer_mode: PeerMode,
    pub peers_per_person: i32,
    pub anonymity_threshold: i32,
    pub instructions: Option<String>,
    pub weight_self: f64,
    pub weight_manager: f64,
    pub weight_peers: f64,
    /// How much quiz results count; 0 leaves them out.
    pub weight_test: f64,
    pub discrepancy_threshold: f64,
    pub follow_up_of: Option<Uuid>,
    pub owner_id: Uuid,
    pub created_at: DateTimeUtc,
    pub opened_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// Draws the automatic peers; random, set at opening, never shown.
    pub peer_seed: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
