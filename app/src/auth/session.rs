//! Session tokens and their lifetime rules.
//!
//! The browser holds a random 256-bit token; the database holds only its SHA-256, so a
//! leaked database backup cannot be replayed as a cookie.

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "gapwise_session";

/// How long a session lives: `idle` since last use, `absolute` since sign-in.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::hours(8),
            absolute: Duration::days(7),
        }
    }
}

impl SessionPolicy {
    /// When a session last used at `last_seen` and created at `created` stops working.
    pub fn expires_at(&self, created: DateTime<Utc>, last_seen: DateTime<Utc>) -> DateTime<Utc> {
        (last_seen + self.idle).min(created + self.absolute)
    }

    pub fn is_live(
        &self,
        created: DateTime<Utc>,
        last_seen: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        now < self.expires_at(created, last_seen)
    }
}

/// A fresh random token, hex-encoded, for the cookie.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    to_hex(&bytes)
}

/// What the database stores for `token`.
pub fn token_hash(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The `Set-Cookie` value that stores `token` (or clears it when `None`).
pub fn cookie(token: Option<&str>, secure: bool, max_age: Duration) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => format!(
            "{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            max_age.num_seconds()
        ),
        None => format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

/// The session token in a `Cookie` header, if any.
pub fn token_from_cookie_header(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap() + Duration::hours(h)
    }

    #[test]
    fn session_expiry_table() {
        let policy = SessionPolicy {
            idle: Duration::hours(8),
            absolute: Duration::hours(48),
        };
        // (created, last_seen, now, live?)
        let cases = [
            (0, 0, 0, true),
            (0, 0, 7, true),
            (0, 0, 8, false), // idle limit reached
            (0, 6, 13, true), // activity pushes idle expiry out
            (0, 45, 47, true),
            (0, 45, 48, false), // absolute limit wins over recent activity
            (0, 47, 50, false),
        ];
        for (created, seen, now, live) in cases {
            assert_eq!(
                policy.is_live(t(created), t(seen), t(now)),
                live,
                "created {created}h, seen {seen}h, now {now}h"
            );
        }
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn cookie_attributes() {
        let c = cookie(Some("abc"), true, Duration::hours(1));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("; Secure"));
        assert!(!cookie(Some("abc"), false, Duration::hours(1)).contains("Secure"));
        assert!(cookie(None, false, Duration::hours(1)).contains("Max-Age=0"));
    }

    #[test]
    fn finds_token_among_cookies() {
        assert_eq!(
            token_from_cookie_header("a=1; gapwise_session=xyz; b=2"),
            Some("xyz")
        );
        assert_eq!(token_from_cookie_header("a=1"), None);
        assert_eq!(token_from_cookie_header("gapwise_session="), None);
    }
}
