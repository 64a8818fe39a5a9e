//! Server state shared by every request: database, settings, the hashing gate.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::auth::session::SessionPolicy;
use crate::auth::throttle::SignInGate;
use crate::error::AppError;
use crate::hash_pool::HashPool;

/// Settings the app reads at request time; loaded once by the server at start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark the session cookie `Secure` (set when served over https).
    pub cookie_secure: bool,
    /// The origins (`scheme://host:port`) people reach Gapwise at; a state-changing
    /// request from anywhere else is refused.
    pub public_origins: Vec<String>,
    /// The public URL is https: send HSTS and name the cookie `__Host-`.
    pub https: bool,
    pub session: SessionPolicy,
    /// The header a trusted reverse proxy puts the client's address in (its last
    /// entry is taken); without one, the peer address is the client's.
    pub client_address_header: Option<String>,
    /// Sign-in attempts allowed per client address and minute.
    pub sign_in_per_minute: u32,
    /// Failed sign-ins before an account is locked.
    pub max_failed_logins: i32,
    pub lockout: chrono::Duration,
    /// The office's time zone, for showing and entering local times.
    pub timezone: chrono_tz::Tz,
    /// Password hashes allowed to run at once; the rest wait in line.
    pub hash_permits: usize,
    /// How long a sign-in may wait for a hashing slot before getting a 503.
    pub hash_wait: Duration,
    /// Where files are kept (lesson attachments under `attachments/`).
    pub data_dir: std::path::PathBuf,
    /// Largest lesson attachment (documents and images), in bytes.
    pub attachment_max_bytes: u64,
    /// Largest lesson video, in bytes.
    pub video_max_bytes: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            cookie_secure: false,
            public_origins: vec!["http://127.0.0.1:3000".to_owned()],
            https: false,
            session: SessionPolicy::default(),
            client_address_header: None,
            sign_in_per_minute: 60,
            max_failed_logins: 5,
            lockout: chrono::Duration::minutes(15),
            timezone: chrono_tz::Asia::Shanghai,
            hash_permits: 1,
            hash_wait: Duration::from_secs(3),
            data_dir: "data".into(),
            attachment_max_bytes: 20 * 1024 * 1024,
            video_max_bytes: 500 * 1024 * 1024,
        }
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    hashing: Arc<HashPool>,
    pub sign_in: Arc<SignInGate>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: DatabaseConnection, settings: Settings) -> Self {
        let hashing = HashPool::start(settings.hash_permits, settings.hash_wait);
        let memory = settings
            .lockout
            .to_std()
            .unwrap_or(Duration::from_secs(900));
        let sign_in = SignInGate::new(settings.sign_in_per_minute, memory);
        Self {
            leptos_options,
            db,
            settings: Arc::new(settings),
            hashing: Arc::new(hashing),
            sign_in: Arc::new(sign_in),
        }
    }

    /// Runs a password hash or verification on the low-priority hashing threads
    /// (see [`HashPool`]), so a sign-in storm cannot starve other pages.
    pub async fn hash_blocking<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        self.hashing.run(work).await
    }
}
