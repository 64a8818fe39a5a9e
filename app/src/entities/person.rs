use sea_orm::entity::prelude::*;

/// A member of staff. `password_hash` never leaves the server: DTOs are built by hand.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// 工号: unique, the key for roster imports and exports.
    #[sea_orm(unique)]
    pub employee_no: String,
    pub name: String,
    /// Pinyin sort key of `name` (see `common::name_key`); lists order by it.
    pub name_key: String,
    pub email: Option<String>,
    pub password_hash: Option<crate::auth::password::PasswordHash>,
    pub unit_id: Option<Uuid>,
    pub position_id: Option<Uuid>,
    pub manager_id: Option<Uuid>,
    pub locale: Option<String>,
    pub active: bool,
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    /// Set when an administrator set the password: the person chooses their own
    /// before anything else opens.
    pub must_change_password: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
