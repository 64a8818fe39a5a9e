use sea_orm::entity::prelude::*;

use crate::domain::QuestionKind;

/// A question in the bank, with what lists and draws filter on; its text and
/// answers are in its versions.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The course that owns it; `None` when it is shared by every course.
    pub course_id: Option<Uuid>,
    /// Category path, levels separated by `/`; empty for the top.
    pub category: String,
    pub competency_code: Option<String>,
    pub level: Option<i32>,
    pub kind: QuestionKind,
    /// Its name, or the first words of its text when it has none.
    pub name: String,
    pub points: f64,
    pub current_version: i32,
    pub archived: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
