//! Database connection (SQLite by default, Postgres by URL) and migrations.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        ensure_parent_dir(url);
        // WAL lets readers proceed while one writer writes; several connections
        // are needed for that, the driver's default is one.
        // Pinging an in-process database before each query only adds a round trip
        // to the connection's worker thread.
        options
            .max_connections(8)
            .min_connections(1)
            .test_before_acquire(false)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    // Closing a survey rewrites hundreds of thousands of result rows
                    // in one transaction; with SQLite's default 2 MiB page cache it
                    // spills to the WAL and rereads index pages all the way. Pages
                    // are allocated as used, so small offices pay nothing for this.
                    .pragma("cache_size", "-65536")
                    .pragma("temp_store", "memory")
            });
    } else {
        options.max_connections(16).min_connections(1);
    }
    Database::connect(options).await
}

/// `sqlite://data/gapwise.db` needs `data/` to exist before SQLite can create the file.
fn ensure_parent_dir(url: &str) {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or("");
    if path.is_empty() || path.starts_with(':') {
        return;
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        let _ = std::fs::create_dir_all(parent);
    }
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}
