use sea_orm::entity::prelude::*;

use crate::domain::*;

/// An uploaded file (a roster or a framework) held for preview; nothing is written
/// from it until it is confirmed, and it is claimed once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "uploads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub uploaded_by: Uuid,
    pub kind: UploadKind,
    pub file_name: String,
    pub content: String,
    pub created_at: DateTimeUtc,
    pub imported_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
