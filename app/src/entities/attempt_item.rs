use sea_orm::entity::prelude::*;

/// A question as one attempt was given it: the version, the order its parts
/// were shown in, the answer with its receipt, and the points it earned.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attempt_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub attempt_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub question_id: Uuid,
    pub version: i32,
    /// JSON of `crate::quiz::deliver::Arrangement`.
    pub arrangement: String,
    pub points: f64,
    /// JSON of `crate::quiz::deliver::Given`.
    pub answer: Option<String>,
    pub seq: Option<i32>,
    pub saved_at: Option<DateTimeUtc>,
    /// Points earned; `None` until graded (essays wait for a person).
    pub score: Option<f64>,
    /// A trainer's comment on the mark, shown in the review.
    pub comment: Option<String>,
    /// Who marked it by hand, and when; `None` for automatic marks.
    pub graded_by: Option<Uuid>,
    pub graded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
