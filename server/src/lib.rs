//! The `gapwise` server: configuration, database, HTTP stack, demo data and the
//! benchmark data set.

pub mod bench;
pub mod bench_change;
pub mod bench_exam;
pub mod bench_learner;
pub mod bench_proposals;
pub mod config;
pub mod db;
pub mod http;
pub mod seed;
pub mod synth;

use std::net::SocketAddr;

use app::state::AppState;
use tokio::net::TcpListener;

pub use config::Config;

/// Errors that stop the server or a command; printed, and the process exits non-zero.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    App(#[from] app::error::AppError),
    /// A command asked for something it will not do (such as filling a database
    /// that already has data).
    #[error("{0}")]
    Refused(String),
}

/// Connects, migrates and builds the shared state.
pub async fn prepare(config: &Config) -> Result<AppState, Error> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    let filled = app::org::people::fill_name_keys(&db).await?;
    if filled > 0 {
        tracing::info!(filled, "people given a pinyin sort key");
    }
    Ok(AppState::new(
        config.leptos_options(),
        db,
        config.settings(),
    ))
}

/// A server bound to `listener`, running until `shutdown` resolves.
pub async fn run(
    state: AppState,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    tokio::spawn(purge_uploads(state.db.clone()));
    tokio::spawn(send_due_notices(state.db.clone()));
    tokio::spawn(submit_overdue_attempts(state.db.clone()));
    tokio::spawn(sweep_follow_ups(state.db.clone()));
    let router = http::router(state);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}

/// Hourly: deletes uploads nobody imported within a day (safe with several
/// instances on one database: each runs one conditional delete).
async fn purge_uploads(db: sea_orm::DatabaseConnection) {
    let hour = std::time::Duration::from_secs(3600);
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
    loop {
        every.tick().await;
        match app::common::uploads::purge_stale(&db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "stale uploads purged"),
            Err(err) => tracing::warn!(?err, "purging stale uploads failed"),
        }
    }
}

/// Every ten minutes (the first a minute after start): the "due soon" and "overdue"
/// notices. Safe with several instances on one database: each notice is inserted
/// once whoever sweeps.
async fn send_due_notices(db: sea_orm::DatabaseConnection) {
    let period = std::time::Duration::from_secs(600);
    let first = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut every = tokio::time::interval_at(first, period);
    loop {
        every.tick().await;
        match app::learning::notices::sweep(&db, chrono::Utc::now()).await {
            Ok(s) if s.due_soon + s.overdue > 0 => {
                tracing::info!(
                    due_soon = s.due_soon,
                    overdue = s.overdue,
                    "due notices sent"
                )
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(?err, "sending due notices failed"),
        }
    }
}

/// Every 15 seconds: submits the quiz attempts whose deadline has passed, with
/// the answers saved before it. Safe with several instances on one database:
/// each attempt is submitted by one conditional update, whoever gets there.
async fn submit_overdue_attempts(db: sea_orm::DatabaseConnection) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(15));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match app::quiz::attempts::submit_overdue(&db, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(submitted = n, "attempts submitted at their deadline"),
            Err(err) => tracing::warn!(?err, "submitting overdue attempts failed"),
        }
    }
}

/// Every ten minutes (the first half a minute after start): creates the
/// behaviour follow-ups whose day has come, reminds once before a deadline,
/// expires those past it. Safe with several instances on one database (see
/// `app::evaluation::behaviour::sweep`).
async fn sweep_follow_ups(db: sea_orm::DatabaseConnection) {
    let period = std::time::Duration::from_secs(600);
    let first = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut every = tokio::time::interval_at(first, period);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match app::evaluation::behaviour::sweep::sweep(&db, chrono::Utc::now()).await {
            Ok(s) if s.created + s.reminded + s.expired > 0 => tracing::info!(
                created = s.created,
                reminded = s.reminded,
                expired = s.expired,
                "behaviour follow-ups swept"
            ),
            Ok(_) => {}
            Err(err) => tracing::warn!(?err, "sweeping follow-ups failed"),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests can finish.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
