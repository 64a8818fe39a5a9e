//! Typed configuration from flags and environment, read once at start.

use std::net::SocketAddr;
use std::time::Duration;

use app::auth::session::SessionPolicy;
use app::state::Settings;
use clap::Args;
use leptos::prelude::LeptosOptions;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/gapwise.db?mode=rwc";

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "GAPWISE_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,
    /// `sqlite://path?mode=rwc` (default) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// The URL people open Gapwise at (behind a reverse proxy, the proxy's URL).
    /// Forms are accepted only from this origin and from the bind address; an https
    /// URL turns on HSTS and the `Secure`, `__Host-` session cookie.
    #[arg(
        long,
        env = "GAPWISE_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub public_url: String,
    /// Mark the session cookie Secure even without an https public URL.
    #[arg(long, env = "GAPWISE_COOKIE_SECURE", default_value_t = false)]
    pub cookie_secure: bool,
    /// The header the reverse proxy puts the client's address in (such as
    /// `X-Forwarded-For` or `X-Real-IP`); set it only behind a proxy that always
    /// sets it, or clients could pick their own address.
    #[arg(long, env = "GAPWISE_CLIENT_ADDRESS_HEADER")]
    pub client_address_header: Option<String>,
    /// Sign-in attempts allowed per client address and minute (an office behind
    /// one NAT address signs in from one address: leave room for that).
    #[arg(long, env = "GAPWISE_SIGN_IN_PER_MINUTE", default_value_t = 60)]
    pub sign_in_per_minute: u32,
    /// Office time zone (IANA name).
    #[arg(long, env = "GAPWISE_TIMEZONE", default_value = "Asia/Shanghai")]
    pub timezone: chrono_tz::Tz,
    /// Sign-out after this many hours without activity.
    #[arg(long, env = "GAPWISE_SESSION_IDLE_HOURS", default_value_t = 8)]
    pub session_idle_hours: i64,
    /// Sign-out this many hours after sign-in, active or not.
    #[arg(long, env = "GAPWISE_SESSION_MAX_HOURS", default_value_t = 168)]
    pub session_max_hours: i64,
    /// Password hashes computed at once (each takes 19 MiB and one core for ~50 ms).
    #[arg(long, env = "GAPWISE_HASH_CONCURRENCY", default_value_t = 1)]
    pub hash_concurrency: usize,
    /// Where Gapwise keeps files (lesson attachments).
    #[arg(long, env = "GAPWISE_DATA_DIR", default_value = "data")]
    pub data_dir: String,
    /// Largest lesson attachment (PDF, Office file, image), in MiB.
    #[arg(long, env = "GAPWISE_ATTACHMENT_MAX_MB", default_value_t = 20)]
    pub attachment_max_mb: u64,
    /// Largest lesson video (MP4), in MiB.
    #[arg(long, env = "GAPWISE_VIDEO_MAX_MB", default_value_t = 500)]
    pub video_max_mb: u64,
    /// Where the built site (wasm, css, public files) lives.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
}

impl Config {
    pub fn settings(&self) -> Settings {
        let public = app::common::origin::normalise(&self.public_url);
        let https = public.as_deref().is_some_and(|o| o.starts_with("https://"));
        let mut public_origins: Vec<String> = public.into_iter().collect();
        public_origins.push(format!("http://{}", self.bind));
        Settings {
            cookie_secure: self.cookie_secure || https,
            public_origins,
            https,
            client_address_header: self
                .client_address_header
                .as_ref()
                .map(|h| h.to_ascii_lowercase()),
            sign_in_per_minute: self.sign_in_per_minute,
            session: SessionPolicy {
                idle: chrono::Duration::hours(self.session_idle_hours.max(1)),
                absolute: chrono::Duration::hours(self.session_max_hours.max(1)),
            },
            timezone: self.timezone,
            hash_permits: self.hash_concurrency.max(1),
            hash_wait: Duration::from_secs(3),
            data_dir: self.data_dir.clone().into(),
            attachment_max_bytes: self.attachment_max_mb * 1024 * 1024,
            video_max_bytes: self.video_max_mb * 1024 * 1024,
            ..Settings::default()
        }
    }

    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("gapwise")
            .site_root(self.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(self.bind)
            .build()
    }

    /// Settings for tests: a database URL, everything else default, port chosen by caller.
    pub fn for_tests(database_url: &str) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.to_owned(),
            public_url: "http://127.0.0.1:3000".into(),
            cookie_secure: false,
            client_address_header: None,
            // Tests sign in many times from one address; one test lowers this.
            sign_in_per_minute: 100_000,
            timezone: chrono_tz::Asia::Shanghai,
            session_idle_hours: 8,
            session_max_hours: 168,
            hash_concurrency: 2,
            site_root: "target/site".into(),
            data_dir: std::env::temp_dir()
                .join(format!("gapwise-data-{}", uuid::Uuid::new_v4().simple()))
                .display()
                .to_string(),
            attachment_max_mb: 20,
            video_max_mb: 500,
        }
    }
}
