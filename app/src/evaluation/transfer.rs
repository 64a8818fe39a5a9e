//! The reaction report as CSV, for the course's editors. It carries exactly what
//! the page shows: a group under the anonymity threshold keeps its count and
//! loses every figure and comment, and no row names anyone.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::{ItemFigures, ReactionReport, SessionReaction};
use crate::common::parse_id;
use crate::common::web::{Caller, csv_document, csv_figure as figure, csv_response};
use crate::domain::Vocabulary;
use crate::gaps::Analysts;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Params {
    session: Option<String>,
}

const HEADER: &[&str] = &[
    "record",
    "scope",
    "item",
    "wording",
    "kind",
    "n",
    "mean",
    "reaction_index",
    "distribution",
    "suppressed",
    "comment",
];

fn yes_no(suppressed: bool) -> String {
    (if suppressed { "yes" } else { "no" }).to_owned()
}

/// An item's row, then a row per comment.
fn item_rows(scope: &str, suppressed: bool, f: &ItemFigures) -> Vec<Vec<String>> {
    let item = f.item.builtin.clone().unwrap_or_default();
    let distribution = f
        .distribution
        .iter()
        .map(|(value, count)| format!("{value}:{count}"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut rows = vec![vec![
        "item".to_owned(),
        scope.to_owned(),
        item.clone(),
        f.item.prompt.clone(),
        f.item.kind.as_str().to_owned(),
        f.n.map(|n| n.to_string()).unwrap_or_default(),
        figure(f.mean),
        figure(f.index),
        distribution,
        yes_no(suppressed),
        String::new(),
    ]];
    rows.extend(f.comments.iter().map(|c| {
        vec![
            "comment".to_owned(),
            scope.to_owned(),
            item.clone(),
            f.item.prompt.clone(),
            f.item.kind.as_str().to_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            yes_no(suppressed),
            c.clone(),
        ]
    }));
    rows
}

/// A session's row: its answers, overall satisfaction and reaction index.
fn session_row(s: &SessionReaction) -> Vec<String> {
    vec![
        "session".to_owned(),
        s.label.clone(),
        String::new(),
        String::new(),
        String::new(),
        s.answered.to_string(),
        figure(s.overall),
        figure(s.index),
        String::new(),
        yes_no(!s.shown),
        String::new(),
    ]
}

/// Every row of a report: its items and comments, then its sessions.
pub fn rows(r: &ReactionReport) -> Vec<Vec<String>> {
    let scope = r
        .session
        .as_ref()
        .map_or_else(|| "course".to_owned(), |(_, label)| label.clone());
    let mut rows: Vec<Vec<String>> = r
        .items
        .iter()
        .flat_map(|f| item_rows(&scope, !r.shown, f))
        .collect();
    rows.extend(r.sessions.iter().map(session_row));
    rows
}

/// `GET /export/courses/{id}/reaction.csv[?session=]`
pub async fn export_reaction(
    State(state): State<AppState>,
    caller: Caller<Analysts>,
    Path(id): Path<Uuid>,
    Query(params): Query<Params>,
) -> Response {
    let body = async {
        let session = parse_id("session", params.session.as_deref())?;
        let tz = state.settings.timezone;
        let r = super::reaction::report(&state.db, tz, &caller.me, id, session).await?;
        csv_document(HEADER, rows(&r))
    }
    .await;
    csv_response(&state.db, &caller.me, "gapwise-reaction.csv", body).await
}
