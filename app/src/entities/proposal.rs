use sea_orm::entity::prelude::*;

use crate::domain::*;

/// A course the engine proposes for a person, with its reason (JSON: the
/// competencies it addresses and the evidence behind each current level).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "proposals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub course_id: Uuid,
    pub rank: i32,
    pub closes: f64,
    pub per_hour: f64,
    pub reason: String,
    pub status: ProposalStatus,
    pub due_at: Option<DateTimeUtc>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    /// Why it was rejected, when someone said.
    pub note: Option<String>,
    pub generated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
