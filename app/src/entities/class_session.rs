use sea_orm::entity::prelude::*;

/// A classroom session of a course. `seats_taken` counts enrolled seats; it is
/// changed only by conditional updates, so it never passes `capacity`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "class_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub course_id: Uuid,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub place: String,
    pub capacity: i32,
    pub seats_taken: i32,
    pub trainer_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    /// Set when the session was called off; its seats are kept for the record.
    pub cancelled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
