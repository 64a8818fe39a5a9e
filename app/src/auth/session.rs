//! Session tokens and their lifetime rules.
//!
//! The browser holds a random 256-bit token; the database holds only its SHA-256, so a
//! leaked database backup cannot be replayed as a cookie.

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The cookie's name over plain http (a development or test server).
pub const COOKIE_NAME: &str = "gapwise_session";
/// Over https: browsers keep a `__Host-` cookie only if it is `Secure`, has
/// `Path=/` and no `Domain`, so no other site or sub-domain can plant one.
pub const SECURE_COOKIE_NAME: &str = "__Host-gapwise_session";

/// The cookie's name for this deployment.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// The browser a session starts from, as far as the request tells.
#[derive(Debug, Clone, Default)]
pub struct Device {
    /// The `User-Agent` header, cut to [`USER_AGENT_MAX`] characters.
    pub user_agent: Option<String>,
    pub client: Option<std::net::IpAddr>,
    /// "Keep me signed in on this computer" was ticked.
    pub persistent: bool,
}

pub const USER_AGENT_MAX: usize = 300;

/// A short label for a `User-Agent` ("Edge on Windows"). Only for a person to
/// recognise their own sessions, so a few common browsers and systems suffice;
/// anything else is "a browser".
pub fn browser_label(user_agent: Option<&str>) -> (Option<&'static str>, Option<&'static str>) {
    let ua = user_agent.unwrap_or_default();
    // Order matters: Edge, Opera and the Chinese browsers also say "Chrome", and
    // Chrome also says "Safari".
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("QQBrowser", "QQ 浏览器"),
        ("360SE", "360 浏览器"),
        ("MicroMessenger", "WeChat"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(mark, _)| ua.contains(mark))
    .map(|(_, name)| name);
    let system = [
        ("Windows", "Windows"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Mac OS X", "macOS"),
        ("Android", "Android"),
        ("HarmonyOS", "HarmonyOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(mark, _)| ua.contains(mark))
    .map(|(_, name)| name);
    (browser, system)
}

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

/// The `Set-Cookie` value that stores `token` (or clears it when `None`). Without
/// a `max_age` the cookie lasts until the browser closes: the right default on an
/// office PC that others use after you.
pub fn cookie(token: Option<&str>, secure: bool, max_age: Option<Duration>) -> String {
    let name = cookie_name(secure);
    let flags = if secure { "; Secure" } else { "" };
    match (token, max_age) {
        (Some(token), Some(age)) => format!(
            "{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{flags}",
            age.num_seconds()
        ),
        (Some(token), None) => format!("{name}={token}; Path=/; HttpOnly; SameSite=Lax{flags}"),
        (None, _) => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{flags}"),
    }
}

/// The session token in a `Cookie` header, if any.
pub fn token_from_cookie_header(header: &str, secure: bool) -> Option<&str> {
    let wanted = cookie_name(secure);
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
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
        let c = cookie(Some("abc"), true, Some(Duration::hours(1)));
        assert!(c.starts_with("__Host-gapwise_session=abc; Path=/; "));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("; Secure"));
        assert!(c.contains("Max-Age=3600"));
        let plain = cookie(Some("abc"), false, Some(Duration::hours(1)));
        assert!(plain.starts_with("gapwise_session=abc") && !plain.contains("Secure"));
        // A browser-session cookie carries neither Max-Age nor Expires.
        let session_only = cookie(Some("abc"), true, None);
        assert!(!session_only.contains("Max-Age") && !session_only.contains("Expires"));
        assert!(cookie(None, false, None).contains("Max-Age=0"));
        assert!(cookie(None, true, None).starts_with("__Host-gapwise_session=;"));
    }

    #[test]
    fn finds_token_among_cookies() {
        assert_eq!(
            token_from_cookie_header("a=1; gapwise_session=xyz; b=2", false),
            Some("xyz")
        );
        assert_eq!(token_from_cookie_header("a=1", false), None);
        assert_eq!(token_from_cookie_header("gapwise_session=", false), None);
        // Over https only the prefixed cookie counts: a plain one may have been
        // planted by another site on the same host.
        assert_eq!(
            token_from_cookie_header("gapwise_session=x; __Host-gapwise_session=y", true),
            Some("y")
        );
        assert_eq!(token_from_cookie_header("gapwise_session=x", true), None);
    }

    #[test]
    fn browsers_are_recognised() {
        let cases = [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0",
                (Some("Edge"), Some("Windows")),
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
                (Some("Chrome"), Some("Linux")),
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
                (Some("Safari"), Some("macOS")),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0",
                (Some("Firefox"), Some("Windows")),
            ),
            ("curl/8.0", (None, None)),
        ];
        for (ua, want) in cases {
            assert_eq!(browser_label(Some(ua)), want, "{ua}");
        }
        assert_eq!(browser_label(None), (None, None));
    }
}
