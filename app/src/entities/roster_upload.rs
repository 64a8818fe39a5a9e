use sea_orm::entity::prelude::*;

/// A roster CSV held for preview; people are only written when it is confirmed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "roster_uploads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub uploaded_by: Uuid,
    /// `roster` or `framework`.
    pub kind: String,
    pub file_name: String,
    pub content: String,
    pub created_at: DateTimeUtc,
    pub imported_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
