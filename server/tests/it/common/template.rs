//! The demo agency, seeded once per test process and copied for each test that
//! wants it: seeding takes one to three seconds, a copy (a file on SQLite,
//! `CREATE DATABASE … TEMPLATE` on Postgres) a fraction of one. Tests run one at
//! a time, so the template is never copied while it is being written.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use gapwise_server::seed;
use sea_orm::{ConnectionTrait, Database};
use tokio::sync::Mutex;

use super::{Store, TestApp, postgres_base};

pub struct Template {
    pub store: Store,
    /// The seeded files (attachments, covers), copied into each test's folder.
    pub data_dir: PathBuf,
    /// The office day it was seeded on: the demo's dates count from it, so a
    /// template from yesterday is seeded again rather than copied.
    day: NaiveDate,
}

/// Templates are named with their process id, so that a later run can tell
/// the templates of finished runs (to remove) from a running one's.
const PREFIX: &str = "gapwise_t_tmpl_";

static DEMO: Mutex<Option<Arc<Template>>> = Mutex::const_new(None);

fn office_day() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
}

pub async fn demo() -> Arc<Template> {
    let mut slot = DEMO.lock().await;
    let today = office_day();
    if let Some(t) = slot.as_ref().filter(|t| t.day == today) {
        return t.clone();
    }
    if let Some(old) = slot.take() {
        let _ = std::fs::remove_dir_all(&old.data_dir);
        if let Ok(old) = Arc::try_unwrap(old) {
            old.store.remove().await;
        }
    }
    remove_finished_runs().await;
    let template = Arc::new(seed_template(today).await);
    *slot = Some(template.clone());
    template
}

async fn seed_template(day: NaiveDate) -> Template {
    let name = format!(
        "{PREFIX}{}_{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    );
    let (url, store) = Store::create(&name, None).await;
    let app = TestApp::start_with(&url, |_| {}).await;
    seed::seed_demo(&app.state).await.expect("seed demo");
    if matches!(store, Store::Sqlite(_)) {
        // Everything into the main file, which is all a copy takes.
        app.state
            .db
            .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .expect("checkpoint the demo template");
    }
    let data_dir = std::env::temp_dir().join(format!("{name}-data"));
    copy_dir(&app.state.settings.data_dir, &data_dir).expect("keep the template's files");
    // The app has no store of its own, so stopping it keeps the database.
    app.stop().await;
    Template {
        store,
        data_dir,
        day,
    }
}

/// The process id in a template's name, if it is one.
fn owner(name: &str) -> Option<u32> {
    name.strip_prefix(PREFIX)?.split('_').next()?.parse().ok()
}

fn running(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Templates left by test runs that have finished (a process cannot clean up
/// after its last test).
async fn remove_finished_runs() {
    let finished = |name: &str| owner(name).is_some_and(|pid| !running(pid));
    if let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if finished(&name) {
                let path = entry.path();
                let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
            }
        }
    }
    let Some(admin_url) = postgres_base() else {
        return;
    };
    let Ok(admin) = Database::connect(&admin_url).await else {
        return;
    };
    let listed = admin
        .query_all_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            format!("SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%'"),
        ))
        .await
        .unwrap_or_default();
    for row in listed {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        if finished(&name) {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
    admin.close().await.ok();
}

/// Copies the folder `from` (if it exists) into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    if !from.exists() {
        return Ok(());
    }
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
