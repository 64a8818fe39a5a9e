use sea_orm::entity::prelude::*;

use crate::domain::*;

/// A course a person is to take: who assigned it, when, why, and by when.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assignments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub course_id: Uuid,
    pub source: AssignmentSource,
    pub proposal_id: Option<Uuid>,
    /// The proposal's reason (JSON), or the note of a manual assignment.
    pub reason: String,
    pub assigned_by: Option<Uuid>,
    pub assigned_at: DateTimeUtc,
    pub due_at: Option<DateTimeUtc>,
    pub status: AssignmentStatus,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
