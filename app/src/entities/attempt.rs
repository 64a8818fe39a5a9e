use sea_orm::entity::prelude::*;

/// One person's attempt at a quiz. The server's clock rules it: `deadline_at`
/// (the time limit or the quiz's close, whichever is first) ends it, and
/// `submitted_at` is set once, by the learner or at the deadline.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub quiz_id: Uuid,
    pub person_id: Uuid,
    /// 1 for the person's first attempt at the quiz.
    pub number: i32,
    /// The quiz's version when the attempt started.
    pub quiz_version: i32,
    pub started_at: DateTimeUtc,
    pub deadline_at: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
    /// `learner` or `deadline`.
    pub submitted_by: Option<String>,
    /// The receipt number of the last answer saved.
    pub last_seq: i32,
    pub last_saved_at: Option<DateTimeUtc>,
    pub score: Option<f64>,
    pub max_score: f64,
    pub passed: Option<bool>,
    /// Some answers (essays) wait for a trainer's mark.
    pub ungraded: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
