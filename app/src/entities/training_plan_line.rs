use sea_orm::entity::prelude::*;

/// One course in an annual plan: its audience (from the accepted proposals, or
/// as a trainer set it), the sessions it needs and the months it runs in.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_plan_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub course_id: Uuid,
    /// Position in the plan (1 = first): by the office's priorities.
    pub ordinal: i32,
    pub people: i32,
    /// JSON arrays of the audience's unit and position names, and the codes of
    /// the competencies whose gaps justify the line.
    pub units: String,
    pub positions: String,
    pub competencies: String,
    pub sessions: i32,
    /// Months it runs in, `1`–`12` separated by commas.
    pub months: String,
    pub note: Option<String>,
    /// A trainer changed the figures: regenerating the draft keeps them.
    pub edited: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
