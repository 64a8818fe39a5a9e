//! A person's own sessions: which browsers are signed in as them, and ending any
//! or all of them (a forgotten sign-in on a shared office PC).

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use super::SessionInfo;
use super::guard::SessionUser;
use super::session::browser_label;
use crate::common::clock;
use crate::domain::AuditAction;
use crate::entities::session as session_row;
use crate::error::AppError;
use crate::state::AppState;

/// The caller's live sessions, most recently used first.
pub async fn list(state: &AppState, me: &SessionUser) -> Result<Vec<SessionInfo>, AppError> {
    let now = Utc::now();
    let tz = state.settings.timezone;
    Ok(session_row::Entity::find()
        .filter(session_row::Column::PersonId.eq(me.id))
        .order_by_desc(session_row::Column::LastSeenAt)
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|s| {
            state
                .settings
                .session
                .is_live(s.created_at, s.last_seen_at, now)
        })
        .map(|s| {
            let (browser, system) = browser_label(s.user_agent.as_deref());
            SessionInfo {
                id: s.id,
                current: s.id == me.session_id,
                browser: browser.map(str::to_owned),
                system: system.map(str::to_owned),
                user_agent: s.user_agent,
                address: s.client_address,
                signed_in: clock::shown(tz, s.created_at),
                last_seen: clock::shown(tz, s.last_seen_at),
                persistent: s.persistent,
            }
        })
        .collect())
}

/// Ends the caller's session `id`, or all of them when `None`. Another person's
/// session id is not found. True when the caller's own current session ended.
pub async fn end(state: &AppState, me: &SessionUser, id: Option<Uuid>) -> Result<bool, AppError> {
    let txn = state.db.begin().await?;
    let mut delete =
        session_row::Entity::delete_many().filter(session_row::Column::PersonId.eq(me.id));
    if let Some(id) = id {
        delete = delete.filter(session_row::Column::Id.eq(id));
    }
    let ended = delete.exec(&txn).await?.rows_affected;
    if ended == 0 {
        return Err(AppError::NotFound);
    }
    crate::audit::Entry::new(me.id, AuditAction::SessionEnd)
        .on("session", id)
        .after(json!({ "sessions": ended, "all": id.is_none() }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(id.is_none_or(|id| id == me.session_id))
}
