//! Accounts, sessions, the org tree, positions, roles, roster uploads and the audit log.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrgUnits {
    Table,
    Id,
    Code,
    Name,
    ParentId,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Positions {
    Table,
    Id,
    Code,
    Name,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
    EmployeeNo,
    Name,
    Email,
    PasswordHash,
    UnitId,
    PositionId,
    ManagerId,
    Locale,
    Active,
    FailedLogins,
    LockedUntil,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PersonRoles {
    Table,
    PersonId,
    Role,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    PersonId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    Action,
    Entity,
    EntityId,
    Before,
    After,
}

#[derive(DeriveIden)]
enum RosterUploads {
    Table,
    Id,
    UploadedBy,
    FileName,
    Content,
    CreatedAt,
    ImportedAt,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .uuid()
        .not_null()
        .primary_key()
        .to_owned()
}

fn at(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OrgUnits::Table)
                .col(id(OrgUnits::Id))
                .col(
                    ColumnDef::new(OrgUnits::Code)
                        .string_len(32)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(OrgUnits::Name).string_len(200).not_null())
                .col(ColumnDef::new(OrgUnits::ParentId).uuid().null())
                .col(
                    ColumnDef::new(OrgUnits::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(at(OrgUnits::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(OrgUnits::Table, OrgUnits::ParentId)
                        .to(OrgUnits::Table, OrgUnits::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Positions::Table)
                .col(id(Positions::Id))
                .col(
                    ColumnDef::new(Positions::Code)
                        .string_len(32)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Positions::Name).string_len(200).not_null())
                .col(
                    ColumnDef::new(Positions::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(at(Positions::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(People::Table)
                .col(id(People::Id))
                .col(
                    ColumnDef::new(People::EmployeeNo)
                        .string_len(32)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(People::Name).string_len(200).not_null())
                .col(ColumnDef::new(People::Email).string_len(254).null())
                .col(ColumnDef::new(People::PasswordHash).string_len(255).null())
                .col(ColumnDef::new(People::UnitId).uuid().null())
                .col(ColumnDef::new(People::PositionId).uuid().null())
                .col(ColumnDef::new(People::ManagerId).uuid().null())
                .col(ColumnDef::new(People::Locale).string_len(8).null())
                .col(
                    ColumnDef::new(People::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(
                    ColumnDef::new(People::FailedLogins)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(
                    ColumnDef::new(People::LockedUntil)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(at(People::CreatedAt))
                .col(at(People::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(People::Table, People::UnitId)
                        .to(OrgUnits::Table, OrgUnits::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(People::Table, People::PositionId)
                        .to(Positions::Table, Positions::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(People::Table, People::ManagerId)
                        .to(People::Table, People::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_people_unit")
                .table(People::Table)
                .col(People::UnitId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_people_manager")
                .table(People::Table)
                .col(People::ManagerId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PersonRoles::Table)
                .col(ColumnDef::new(PersonRoles::PersonId).uuid().not_null())
                .col(ColumnDef::new(PersonRoles::Role).string_len(16).not_null())
                .primary_key(
                    Index::create()
                        .col(PersonRoles::PersonId)
                        .col(PersonRoles::Role),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(PersonRoles::Table, PersonRoles::PersonId)
                        .to(People::Table, People::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(id(Sessions::Id))
                .col(
                    ColumnDef::new(Sessions::TokenHash)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Sessions::PersonId).uuid().not_null())
                .col(at(Sessions::CreatedAt))
                .col(at(Sessions::LastSeenAt))
                .col(at(Sessions::ExpiresAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::PersonId)
                        .to(People::Table, People::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_person")
                .table(Sessions::Table)
                .col(Sessions::PersonId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(id(AuditLog::Id))
                .col(at(AuditLog::At))
                .col(ColumnDef::new(AuditLog::ActorId).uuid().null())
                .col(ColumnDef::new(AuditLog::Action).string_len(64).not_null())
                .col(ColumnDef::new(AuditLog::Entity).string_len(64).not_null())
                .col(ColumnDef::new(AuditLog::EntityId).string_len(64).null())
                .col(ColumnDef::new(AuditLog::Before).text().null())
                .col(ColumnDef::new(AuditLog::After).text().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_audit_log_at")
                .table(AuditLog::Table)
                .col(AuditLog::At)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RosterUploads::Table)
                .col(id(RosterUploads::Id))
                .col(ColumnDef::new(RosterUploads::UploadedBy).uuid().not_null())
                .col(
                    ColumnDef::new(RosterUploads::FileName)
                        .string_len(255)
                        .not_null(),
                )
                .col(ColumnDef::new(RosterUploads::Content).text().not_null())
                .col(at(RosterUploads::CreatedAt))
                .col(
                    ColumnDef::new(RosterUploads::ImportedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RosterUploads::Table, RosterUploads::UploadedBy)
                        .to(People::Table, People::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RosterUploads::Table.into_iden(),
            AuditLog::Table.into_iden(),
            Sessions::Table.into_iden(),
            PersonRoles::Table.into_iden(),
            People::Table.into_iden(),
            Positions::Table.into_iden(),
            OrgUnits::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
