use sea_orm::entity::prelude::*;

use crate::domain::{FollowUpStatus, RaterType};

/// One behaviour follow-up: a rater's questions about a learner some weeks
/// (`wave` days) after they completed a course.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_ups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub course_id: Uuid,
    /// The learner the follow-up is about.
    pub subject_id: Uuid,
    pub rater_id: Uuid,
    pub rater_type: RaterType,
    /// Days after completion.
    pub wave: i32,
    pub opens_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub status: FollowUpStatus,
    pub reminded_at: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
    /// The learner's "what I will do next" (their own follow-up only).
    pub action_plan: Option<String>,
    /// 0 for the learner's and the manager's; 1, 2, … for each colleague's.
    pub slot: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
