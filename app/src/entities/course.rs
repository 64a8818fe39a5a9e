use sea_orm::entity::prelude::*;

use crate::domain::*;

/// A course: modules of lessons, the hours it credits, and how it is delivered.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub title: String,
    pub summary: String,
    /// Estimated learning hours (学时) credited on completion.
    pub hours: f64,
    pub mode: CourseMode,
    pub status: CourseStatus,
    /// Staff may enrol themselves from the catalogue.
    pub self_enrol: bool,
    /// Completion also needs attendance at one of its sessions (classroom, blended).
    pub requires_attendance: bool,
    /// Completion also needs the reaction form answered.
    pub reaction_required: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    /// The cover image's file in the data folder's `covers/`, if it has one.
    pub cover: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
