use sea_orm::entity::prelude::*;

use crate::domain::{Counting, QuizPurpose, Review};

/// A quiz of a course: which questions it asks (`rules`, JSON of
/// `crate::quiz::draw::Rule`s) and how it is taken and scored.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quizzes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub course_id: Uuid,
    pub purpose: QuizPurpose,
    pub title: String,
    pub rules: Option<String>,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub time_limit_minutes: Option<i32>,
    /// 0: as many as the learner likes.
    pub attempts_allowed: i32,
    pub counting: Counting,
    /// Percent of the marks needed to pass.
    pub pass_mark: f64,
    pub opens_at: Option<DateTimeUtc>,
    pub closes_at: Option<DateTimeUtc>,
    pub review: Review,
    pub published: bool,
    /// Goes up by one each time its settings or question rules are saved, so
    /// a result can say which form of the quiz it came from.
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
