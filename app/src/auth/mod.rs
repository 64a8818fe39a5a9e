//! Accounts: sign-in, sign-out, sessions, password change, first-run setup.

#[cfg(feature = "ssr")]
pub mod guard;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod throttle;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

pub use crate::domain::Role;

/// Every role: any signed-in person.
pub const EVERYONE: &[Role] = <Role as crate::domain::Vocabulary>::ALL;

/// The signed-in person, as the browser sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: Uuid,
    pub employee_no: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub unit_id: Option<Uuid>,
    pub locale: Option<String>,
    /// Unread notifications, filled in for the page's own user only.
    #[serde(default)]
    pub unread: u64,
}

impl CurrentUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }
}

/// One browser signed in as the person, for *Your account*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: Uuid,
    /// The session this page was loaded with.
    pub current: bool,
    pub browser: Option<String>,
    pub system: Option<String>,
    pub user_agent: Option<String>,
    pub address: Option<String>,
    pub signed_in: String,
    pub last_seen: String,
    /// Kept after the browser closes ("keep me signed in").
    pub persistent: bool,
}

/// The signed-in person, or `None` for a visitor. Never fails for a visitor.
#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    guard::public(|ctx| async move {
        match ctx.user {
            None => Ok(None),
            // The unread count comes with the session (one query per request).
            Some(s) => Ok(Some(s.user)),
        }
    })
    .await
}

#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(
    employee_no: String,
    password: String,
    next: Option<String>,
    /// "Keep me signed in on this computer": any value ticks it.
    remember: Option<String>,
) -> Result<(), AppError> {
    guard::public(|ctx| async move {
        let device = session::Device {
            user_agent: ctx.user_agent.clone(),
            client: ctx.client,
            persistent: remember.is_some(),
        };
        let token = service::sign_in(&ctx.state, &employee_no, &password, &device).await?;
        let settings = &ctx.state.settings;
        guard::set_cookie(&session::cookie(
            Some(&token),
            settings.cookie_secure,
            device.persistent.then_some(settings.session.absolute),
        ));
        leptos_axum::redirect(&safe_next(next.as_deref()));
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    guard::signed_in(|ctx, me| async move {
        service::end_session(&ctx.state.db, me.session_id).await?;
        signed_out(&ctx);
        Ok(())
    })
    .await
}

/// Clears the cookie and goes to the sign-in page.
#[cfg(feature = "ssr")]
fn signed_out(ctx: &guard::Ctx) {
    guard::set_cookie(&session::cookie(
        None,
        ctx.state.settings.cookie_secure,
        None,
    ));
    leptos_axum::redirect("/login");
}

/// The browsers signed in as the caller.
#[server(prefix = "/api", endpoint = "auth/sessions")]
pub async fn my_sessions() -> Result<Vec<SessionInfo>, AppError> {
    guard::signed_in(|ctx, me| async move { sessions::list(&ctx.state, &me).await }).await
}

/// Ends one of the caller's sessions (`id`), or every one of them (`all`), this
/// browser's included.
#[server(prefix = "/api", endpoint = "auth/sessions/end")]
pub async fn end_sessions(id: Option<String>, all: Option<String>) -> Result<(), AppError> {
    guard::signed_in(|ctx, me| async move {
        let id = match all {
            Some(_) => None,
            None => Some(crate::common::required_id(
                "id",
                id.as_deref().unwrap_or_default(),
            )?),
        };
        if sessions::end(&ctx.state, &me, id).await? {
            signed_out(&ctx);
        } else {
            leptos_axum::redirect("/account?ended=1");
        }
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "auth/password")]
pub async fn change_password(
    current: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    guard::signed_in(|ctx, me| async move {
        service::change_password(&ctx.state, &me, &current, &new_password, &confirm).await?;
        leptos_axum::redirect("/account?changed=1");
        Ok(())
    })
    .await
}

/// True while nobody has an account yet: the first-run setup page is open.
#[server(prefix = "/api", endpoint = "auth/setup-needed")]
pub async fn setup_needed() -> Result<bool, AppError> {
    guard::public(|ctx| async move { service::setup_needed(&ctx.state.db).await }).await
}

/// Creates the first administrator. Refused once any account exists.
#[server(prefix = "/api", endpoint = "auth/setup")]
pub async fn first_run_setup(
    employee_no: String,
    name: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    guard::public(|ctx| async move {
        service::first_run_setup(&ctx.state, &employee_no, &name, &password, &confirm).await?;
        leptos_axum::redirect("/login?setup=1");
        Ok(())
    })
    .await
}

/// Remembers the interface language: on the person when signed in, and in a cookie.
#[server(prefix = "/api", endpoint = "auth/locale")]
pub async fn set_locale(locale: String, back: Option<String>) -> Result<(), AppError> {
    guard::public(|ctx| async move {
        let locale = crate::i18n_support::normalise(&locale);
        if let Some(me) = &ctx.user {
            service::save_locale(&ctx.state.db, me.user.id, locale).await?;
        }
        guard::set_cookie(&crate::i18n_support::cookie(
            locale,
            ctx.state.settings.cookie_secure,
        ));
        leptos_axum::redirect(&safe_next(back.as_deref()));
        Ok(())
    })
    .await
}

/// Where to go after signing in (or switching language): only a path on this
/// site, never another host. Anything else goes to the dashboard.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(p) if is_local_path(p) => p.to_owned(),
        _ => "/".to_owned(),
    }
}

/// A path on this site, as typed and once percent-decoded: it starts with exactly
/// one `/` (so not `//host`, which browsers read as another host), has no `\`
/// (which browsers read as `/`), and no control characters or whitespace (which
/// browsers strip, turning `/\t/host` into `//host`).
fn is_local_path(path: &str) -> bool {
    let decoded = percent_decoded(path);
    [path, decoded.as_str()].iter().all(|p| {
        p.starts_with('/')
            && !p.starts_with("//")
            && !p.contains('\\')
            && !p.chars().any(|c| c.is_control() || c.is_whitespace())
    })
}

/// `%XX` sequences decoded (a malformed one is kept as it is).
fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'?'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_only_follows_local_paths() {
        for ok in [
            "/",
            "/admin/people",
            "/gaps/me?campaign=1",
            "/team?q=%E6%9D%8E",
        ] {
            assert_eq!(safe_next(Some(ok)), ok);
        }
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/%2Fevil.example",
            "/%09/evil.example",
            "/\t/evil.example",
            "/\\evil.example",
            "/%5Cevil.example",
            "%01",
            "/a%01b",
            "/a b",
            "/%0d%0aSet-Cookie:x=1",
            "",
            "evil.example",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
