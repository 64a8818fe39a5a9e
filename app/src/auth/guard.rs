//! The one authorisation gate every server function goes through.
//!
//! Deny by default: a server function says who may call it (`public`, `signed_in`,
//! `any_role`). Errors get their HTTP status from the server's middleware
//! (`server_fn_error_status`), which also sees errors raised before the body runs.

use std::future::Future;

use http::request::Parts;
use http::{HeaderName, HeaderValue};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use uuid::Uuid;

use super::{CurrentUser, Role};
use crate::error::AppError;
use crate::state::AppState;

/// A live session, placed in the request extensions by the server's session layer.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub session_id: Uuid,
    pub user: CurrentUser,
    pub placement: Placement,
    /// An administrator set the password: only the password change is open.
    pub must_change_password: bool,
}

/// Where the person sits in the office, by name. It comes with the session lookup,
/// which runs on every request anyway: a join there is cheaper than a query more.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    pub unit: Option<String>,
    pub position: Option<String>,
    pub manager: Option<String>,
}

impl std::ops::Deref for SessionUser {
    type Target = CurrentUser;
    fn deref(&self) -> &CurrentUser {
        &self.user
    }
}

pub struct Ctx {
    pub state: AppState,
    pub user: Option<SessionUser>,
    /// Where the request came from (see `throttle::ClientAddress`).
    pub client: Option<std::net::IpAddr>,
    /// The browser's `User-Agent`, cut short.
    pub user_agent: Option<String>,
}

fn context() -> Result<Ctx, AppError> {
    let state =
        use_context::<AppState>().ok_or_else(|| AppError::internal("AppState not in context"))?;
    let parts = use_context::<Parts>();
    let user = parts
        .as_ref()
        .and_then(|p| p.extensions.get::<SessionUser>().cloned());
    let client = parts
        .as_ref()
        .and_then(|p| p.extensions.get::<super::throttle::ClientAddress>())
        .map(|c| c.0);
    let user_agent = parts
        .as_ref()
        .and_then(|p| p.headers.get(http::header::USER_AGENT))
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(super::session::USER_AGENT_MAX).collect());
    Ok(Ctx {
        state,
        user,
        client,
        user_agent,
    })
}

/// Anyone may call, signed in or not.
pub async fn public<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    body(context()?).await
}

/// Any signed-in person may call.
pub async fn signed_in<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(Ctx, SessionUser) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    any_role(crate::auth::EVERYONE, body).await
}

/// Only people holding at least one of `roles` may call.
pub async fn any_role<T, F, Fut>(roles: &[Role], body: F) -> Result<T, AppError>
where
    F: FnOnce(Ctx, SessionUser) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let ctx = context()?;
    let me = authorise(ctx.user.as_ref(), roles)?;
    body(ctx, me).await
}

/// The decision alone, without I/O: who may pass.
pub fn authorise(user: Option<&SessionUser>, roles: &[Role]) -> Result<SessionUser, AppError> {
    let me = user.ok_or(AppError::Unauthorized)?;
    if me.user.has_any(roles) {
        Ok(me.clone())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        res.append_header(HeaderName::from_static("set-cookie"), v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(roles: &[Role]) -> SessionUser {
        SessionUser {
            session_id: Uuid::nil(),
            user: CurrentUser {
                unread: 0,
                id: Uuid::nil(),
                employee_no: "E1".into(),
                name: "Test".into(),
                roles: roles.to_vec(),
                unit_id: None,
                locale: None,
            },
            placement: Placement::default(),
            must_change_password: false,
        }
    }

    #[test]
    fn authorisation_table() {
        let admin_only = [Role::Admin];
        assert_eq!(
            authorise(None, &admin_only).unwrap_err(),
            AppError::Unauthorized
        );
        assert_eq!(
            authorise(Some(&user(&[Role::Staff])), &admin_only).unwrap_err(),
            AppError::Forbidden
        );
        assert!(authorise(Some(&user(&[Role::Staff, Role::Admin])), &admin_only).is_ok());
        assert_eq!(
            authorise(Some(&user(&[])), crate::auth::EVERYONE).unwrap_err(),
            AppError::Forbidden
        );
    }
}
