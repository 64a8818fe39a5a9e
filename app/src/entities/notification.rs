use sea_orm::entity::prelude::*;

use crate::domain::*;

/// An in-app message, such as a reminder of pending survey tasks or a course due.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub kind: NotificationKind,
    pub campaign_id: Option<Uuid>,
    /// For notices about an assigned course; one per assignment and kind.
    pub assignment_id: Option<Uuid>,
    /// For notices about a classroom session (changed or cancelled).
    pub session_id: Option<Uuid>,
    /// What changed, as shown (office time and place), when the kind needs it.
    pub detail: Option<String>,
    /// The behaviour follow-up a notice is about.
    pub follow_up_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
