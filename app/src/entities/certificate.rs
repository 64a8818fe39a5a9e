use sea_orm::entity::prelude::*;

/// What a completed assignment earns: a certificate anyone can verify by its code.
/// Name, title and hours are kept as issued.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub assignment_id: Uuid,
    pub person_id: Uuid,
    pub course_id: Uuid,
    pub person_name: String,
    pub course_title: String,
    pub hours: f64,
    pub issued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
