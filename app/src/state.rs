//! Server state shared by every request: database, settings, the hashing gate.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;
use tokio::sync::Semaphore;

use crate::auth::session::SessionPolicy;
use crate::error::AppError;

/// Settings the app reads at request time; loaded once by the server at start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark the session cookie `Secure` (set when served over https).
    pub cookie_secure: bool,
    pub session: SessionPolicy,
    /// Failed sign-ins before an account is locked.
    pub max_failed_logins: i32,
    pub lockout: chrono::Duration,
    /// The office's time zone, for showing and entering local times.
    pub timezone: chrono_tz::Tz,
    /// Password hashes allowed to run at once; the rest wait in line.
    pub hash_permits: usize,
    /// How long a sign-in may wait for a hashing slot before getting a 503.
    pub hash_wait: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            cookie_secure: false,
            session: SessionPolicy::default(),
            max_failed_logins: 5,
            lockout: chrono::Duration::minutes(15),
            timezone: chrono_tz::Asia::Shanghai,
            hash_permits: 1,
            hash_wait: Duration::from_secs(3),
        }
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    hashing: Arc<Semaphore>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: DatabaseConnection, settings: Settings) -> Self {
        let permits = settings.hash_permits.max(1);
        Self {
            leptos_options,
            db,
            settings: Arc::new(settings),
            hashing: Arc::new(Semaphore::new(permits)),
        }
    }

    /// Runs a password hash or verification on the blocking pool, at most
    /// `hash_permits` at a time, so a sign-in storm cannot starve other pages.
    /// Waiting longer than `hash_wait` for a slot answers `Busy` (503 + Retry-After).
    pub async fn hash_blocking<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = tokio::time::timeout(
            self.settings.hash_wait,
            self.hashing.clone().acquire_owned(),
        )
        .await
        .map_err(|_| AppError::Busy {
            retry_after_secs: 2,
        })?
        .map_err(AppError::internal)?;
        let out = tokio::task::spawn_blocking(work)
            .await
            .map_err(AppError::internal)?;
        drop(permit);
        Ok(out)
    }
}
