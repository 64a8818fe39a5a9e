//! Lesson attachments: files kept on disk under the data directory, described here
//! (name as uploaded, type as checked, size, who and when).

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    LessonId,
    CourseId,
    FileName,
    ContentType,
    Size,
    StoredName,
    UploadedBy,
    UploadedAt,
    RemovedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.create_table(
            Table::create()
                .table(Attachments::Table)
                .col(id(Attachments::Id))
                .col(uuid(Attachments::LessonId))
                .col(uuid(Attachments::CourseId))
                .col(text(Attachments::FileName, 255))
                .col(text(Attachments::ContentType, 100))
                .col(ColumnDef::new(Attachments::Size).big_integer().not_null())
                .col(text(Attachments::StoredName, 64))
                .col(ColumnDef::new(Attachments::UploadedBy).uuid().null())
                .col(at(Attachments::UploadedAt))
                .col(at_null(Attachments::RemovedAt))
                .foreign_key(&mut fk(
                    (Attachments::Table, Attachments::LessonId),
                    (Lessons::Table, Lessons::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Attachments::Table, Attachments::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Attachments::Table, Attachments::UploadedBy),
                    (People::Table, People::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_attachments_lesson",
            Attachments::Table,
            &["lesson_id"],
            false,
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Attachments::Table).to_owned())
            .await
    }
}
