//! The database refuses a value outside each vocabulary (the enums of
//! `app::domain`), competency codes are unique regardless of case, and the upload
//! store is called what it is (`uploads`: rosters and frameworks).
//!
//! Postgres gets CHECK constraints. SQLite cannot add a constraint to an existing
//! table without rebuilding it, so there the same rule is a pair of triggers that
//! abort an insert or update carrying an unknown value. The lists are copied here
//! on purpose: a migration records the schema as it was on its day; a later
//! vocabulary change replaces them in a migration of its own ([`replace`]).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column, the values it may hold).
pub const VOCABULARIES: &[(&str, &str, &[&str])] = &[
    (
        "person_roles",
        "role",
        &["staff", "trainer", "manager", "admin"],
    ),
    ("campaigns", "state", &["draft", "open", "closed"]),
    ("campaigns", "peer_mode", &["none", "auto", "nominate"]),
    ("survey_tasks", "rater_type", &["self", "manager", "peer"]),
    ("survey_tasks", "status", &["pending", "draft", "submitted"]),
    ("campaign_audience", "kind", &["unit", "position", "person"]),
    ("campaign_items", "kind", &["likert", "choice", "text"]),
    (
        "notifications",
        "kind",
        &["campaign_opened", "reminder", "peer_nominated"],
    ),
    ("uploads", "kind", &["roster", "framework"]),
    ("audit_log", "action", AUDIT_ACTIONS),
];

pub const AUDIT_ACTIONS: &[&str] = &[
    "org.setup",
    "password.change",
    "person.create",
    "person.create_admin",
    "person.update",
    "person.set_active",
    "person.reset_password",
    "unit.create",
    "unit.update",
    "unit.set_active",
    "position.create",
    "position.update",
    "position.set_active",
    "roster.import",
    "framework.create",
    "framework.update",
    "framework.version",
    "framework.archive",
    "framework.restore",
    "framework.arrange",
    "framework.import",
    "domain.create",
    "domain.update",
    "competency.create",
    "competency.update",
    "target.update",
    "target.copy",
    "campaign.create",
    "campaign.update",
    "campaign.audience.add",
    "campaign.audience.remove",
    "campaign.item.add",
    "campaign.item.remove",
    "campaign.open",
    "campaign.close",
    "campaign.remind",
    "campaign.nominate",
    "rating.submit",
];

fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("'{}'", v.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The statements that make `table.column` refuse anything outside `values`.
pub fn restrict(backend: DbBackend, table: &str, column: &str, values: &[&str]) -> Vec<String> {
    let name = format!("vocab_{table}_{column}");
    let list = quoted(values);
    match backend {
        DbBackend::Postgres | DbBackend::MySql => vec![format!(
            "ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({column} IN ({list}))"
        )],
        _ => [
            ("insert", "INSERT".to_owned()),
            ("update", format!("UPDATE OF {column}")),
        ]
        .into_iter()
        .map(|(suffix, event)| {
            format!(
                "CREATE TRIGGER {name}_{suffix} BEFORE {event} ON {table} \
                 WHEN NEW.{column} NOT IN ({list}) \
                 BEGIN SELECT RAISE(ABORT, '{table}.{column}: value outside its vocabulary'); END"
            )
        })
        .collect(),
    }
}

/// The statements that lift the restriction [`restrict`] made.
pub fn lift(backend: DbBackend, table: &str, column: &str) -> Vec<String> {
    let name = format!("vocab_{table}_{column}");
    match backend {
        DbBackend::Postgres | DbBackend::MySql => {
            vec![format!(
                "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"
            )]
        }
        _ => vec![
            format!("DROP TRIGGER IF EXISTS {name}_insert"),
            format!("DROP TRIGGER IF EXISTS {name}_update"),
        ],
    }
}

/// For a later migration that grows a vocabulary: the old rule out, the new one in.
pub fn replace(backend: DbBackend, table: &str, column: &str, values: &[&str]) -> Vec<String> {
    let mut out = lift(backend, table, column);
    out.extend(restrict(backend, table, column, values));
    out
}

/// Runs `statements` in one call, so they run in order on one connection: on
/// SQLite, separate calls may each take another pooled connection, and a `CREATE`
/// right after a `DROP` of the same name was then refused as "already exists".
pub(crate) async fn run(m: &SchemaManager<'_>, statements: Vec<String>) -> Result<(), DbErr> {
    if statements.is_empty() {
        return Ok(());
    }
    m.get_connection()
        .execute_unprepared(&statements.join(";\n"))
        .await
        .map(|_| ())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        // The store holds roster and framework files alike.
        run(
            m,
            vec!["ALTER TABLE roster_uploads RENAME TO uploads".to_owned()],
        )
        .await?;
        for (table, column, values) in VOCABULARIES {
            run(m, restrict(backend, table, column, values)).await?;
        }
        // Codes are compared case-insensitively by the app; now by the database too.
        run(
            m,
            vec![
                "DROP INDEX IF EXISTS ux_competencies_framework_code".to_owned(),
                "CREATE UNIQUE INDEX ux_competencies_framework_code_ci \
                 ON competencies (framework_id, lower(code))"
                    .to_owned(),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        run(
            m,
            vec![
                "DROP INDEX IF EXISTS ux_competencies_framework_code_ci".to_owned(),
                "CREATE UNIQUE INDEX ux_competencies_framework_code \
                 ON competencies (framework_id, code)"
                    .to_owned(),
            ],
        )
        .await?;
        for (table, column, _) in VOCABULARIES {
            run(m, lift(backend, table, column)).await?;
        }
        run(
            m,
            vec!["ALTER TABLE uploads RENAME TO roster_uploads".to_owned()],
        )
        .await
    }
}
