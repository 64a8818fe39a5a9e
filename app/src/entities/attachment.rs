use sea_orm::entity::prelude::*;

/// A file attached to a lesson. The bytes live on disk (`stored_name` under the data
/// directory's `attachments/`); a removed attachment keeps its row for the record.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lesson_id: Uuid,
    pub course_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub stored_name: String,
    pub uploaded_by: Option<Uuid>,
    pub uploaded_at: DateTimeUtc,
    pub removed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
