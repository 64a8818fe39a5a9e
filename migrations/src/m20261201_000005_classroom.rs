//! Classroom sessions of a course: when, where, how many seats, who teaches; each
//! person's seat (enrolled or on the waiting list, and whether they attended). The
//! seats taken are counted on the session itself, so a conditional update claims a
//! seat atomically on both databases.

use sea_orm_migration::prelude::*;

use crate::columns::*;
use crate::m20261129_000001_vocabulary::{replace, restrict, run};
use crate::{m20261201_000002_learning_notices, m20261201_000003_assignment_changes};

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const SEAT_STATUSES: &[&str] = &["enrolled", "waiting", "withdrawn"];
pub const ADDED_ACTIONS: &[&str] = &["session.create", "session.enrol", "session.attendance"];

/// Every audit action after this migration.
pub fn audit_actions() -> Vec<&'static str> {
    m20261201_000003_assignment_changes::audit_actions()
        .into_iter()
        .chain(ADDED_ACTIONS.iter().copied())
        .collect()
}

/// Every notification kind after this migration.
pub fn notification_kinds() -> Vec<&'static str> {
    m20261201_000002_learning_notices::KINDS
        .iter()
        .copied()
        .chain(["seat_promoted"])
        .collect()
}

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
enum ClassSessions {
    Table,
    Id,
    CourseId,
    StartsAt,
    EndsAt,
    Place,
    Capacity,
    SeatsTaken,
    TrainerId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SessionSeats {
    Table,
    Id,
    SessionId,
    PersonId,
    Status,
    Attended,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        m.create_table(
            Table::create()
                .table(ClassSessions::Table)
                .col(id(ClassSessions::Id))
                .col(uuid(ClassSessions::CourseId))
                .col(at(ClassSessions::StartsAt))
                .col(at(ClassSessions::EndsAt))
                .col(text(ClassSessions::Place, 200))
                .col(int(ClassSessions::Capacity))
                .col(
                    ColumnDef::new(ClassSessions::SeatsTaken)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(ColumnDef::new(ClassSessions::TrainerId).uuid().null())
                .col(at(ClassSessions::CreatedAt))
                .foreign_key(&mut fk(
                    (ClassSessions::Table, ClassSessions::CourseId),
                    (Courses::Table, Courses::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (ClassSessions::Table, ClassSessions::TrainerId),
                    (People::Table, People::Id),
                    SetNull,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_class_sessions_course",
            ClassSessions::Table,
            &["course_id", "starts_at"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SessionSeats::Table)
                .col(id(SessionSeats::Id))
                .col(uuid(SessionSeats::SessionId))
                .col(uuid(SessionSeats::PersonId))
                .col(text(SessionSeats::Status, 16))
                .col(flag(SessionSeats::Attended, false))
                .col(at(SessionSeats::CreatedAt))
                .foreign_key(&mut fk(
                    (SessionSeats::Table, SessionSeats::SessionId),
                    (ClassSessions::Table, ClassSessions::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (SessionSeats::Table, SessionSeats::PersonId),
                    (People::Table, People::Id),
                    Cascade,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_session_seats_person",
            SessionSeats::Table,
            &["session_id", "person_id"],
            true,
        )
        .await?;
        let backend = m.get_database_backend();
        // A session never holds more than its capacity.
        let mut rules = match backend {
            sea_orm::DbBackend::Postgres => vec![
                "ALTER TABLE class_sessions ADD CONSTRAINT ck_class_sessions_seats \
                 CHECK (seats_taken >= 0 AND seats_taken <= capacity AND capacity > 0)"
                    .to_owned(),
            ],
            _ => vec![
                "CREATE TRIGGER tr_class_sessions_seats BEFORE UPDATE ON class_sessions \
                 WHEN NEW.seats_taken < 0 OR NEW.seats_taken > NEW.capacity \
                 BEGIN SELECT RAISE(ABORT, 'seats_taken out of range'); END"
                    .to_owned(),
            ],
        };
        rules.extend(restrict(backend, "session_seats", "status", SEAT_STATUSES));
        rules.extend(replace(backend, "audit_log", "action", &audit_actions()));
        rules.extend(replace(
            backend,
            "notifications",
            "kind",
            &notification_kinds(),
        ));
        run(m, rules).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        let mut rules = replace(
            backend,
            "audit_log",
            "action",
            &m20261201_000003_assignment_changes::audit_actions(),
        );
        rules.extend(replace(
            backend,
            "notifications",
            "kind",
            m20261201_000002_learning_notices::KINDS,
        ));
        run(m, rules).await?;
        for table in ["session_seats", "class_sessions"] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
