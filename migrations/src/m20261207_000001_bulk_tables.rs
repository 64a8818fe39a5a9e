//! The two tables that closing a survey rewrites in bulk lose the foreign-key
//! checks that cost more than the writes themselves.
//!
//! Closing a 10,000-person survey writes 300,000 gap results and about 120,000
//! proposals. On Postgres each row's foreign key is a trigger that looks up and
//! share-locks the referenced row: inserting 300,000 results took 4.8 s with the
//! keys to campaign and person, 2.2 s without; 120,000 proposals 3.8 s with the
//! keys to person and course, 1.5 s without (psql, this machine, 2026-12-06).
//!
//! Nothing is lost by it: Gapwise never deletes a person, a campaign or a course
//! (people are deactivated, campaigns closed, courses archived), so the cascades
//! never fired, and every row is written by the service from ids it just read.
//!
//! - `competency_results` (derived from the ratings, rebuilt on every close) is
//!   recreated without them; on SQLite it becomes a `WITHOUT ROWID` table, stored
//!   in its own key order, so one B-tree is written instead of two.
//! - `proposals` drops the keys to person and course on Postgres. SQLite cannot
//!   drop a constraint, and rebuilding the table would make its own `DROP TABLE`
//!   null every assignment's link to its proposal, so there they stay.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::m20261206_000001_results_storage::{COLUMNS, replace_results, results_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Postgres's own names for the two proposal keys (`<table>_<column>_fkey`).
const PROPOSAL_KEYS: [(&str, &str, &str); 2] = [
    ("proposals_person_id_fkey", "person_id", "people"),
    ("proposals_course_id_fkey", "course_id", "courses"),
];

fn copy_results() -> String {
    format!(
        "INSERT INTO competency_results_next ({COLUMNS}) SELECT {COLUMNS} FROM competency_results"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        let mut next = results_table("competency_results_next", false, false);
        if backend == DatabaseBackend::Sqlite {
            next.extra("WITHOUT ROWID");
        }
        replace_results(m, next, &copy_results()).await?;
        if backend == DatabaseBackend::Postgres {
            for (name, _, _) in PROPOSAL_KEYS {
                m.get_connection()
                    .execute_unprepared(&format!("ALTER TABLE proposals DROP CONSTRAINT {name}"))
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DatabaseBackend::Postgres {
            for (name, column, table) in PROPOSAL_KEYS {
                m.get_connection()
                    .execute_unprepared(&format!(
                        "ALTER TABLE proposals ADD CONSTRAINT {name} FOREIGN KEY ({column}) \
                         REFERENCES {table} (id) ON DELETE CASCADE"
                    ))
                    .await?;
            }
        }
        replace_results(
            m,
            results_table("competency_results_next", false, true),
            &copy_results(),
        )
        .await
    }
}
