//! The level 3 report as CSV, for the course's editors: exactly what the page
//! shows, a row per competency and follow-up day, then a row per action plan;
//! a row under the anonymity threshold keeps its counts only.

use axum::extract::{Path, State};
use axum::response::Response;
use uuid::Uuid;

use super::{BehaviourReport, BehaviourRow};
use crate::common::web::{Caller, csv_document, csv_figure as figure, csv_response};
use crate::gaps::Analysts;
use crate::state::AppState;

const HEADER: &[&str] = &[
    "record",
    "competency_code",
    "competency",
    "days_after",
    "n",
    "learners_n",
    "learners_level",
    "learners_frequency",
    "managers_n",
    "managers_level",
    "managers_frequency",
    "peers_n",
    "peers_level",
    "peers_frequency",
    "paired_n",
    "baseline_mean",
    "follow_up_mean",
    "change",
    "ci_low",
    "ci_high",
    "p",
    "d_z",
    "disagreements",
    "suppressed",
    "plan",
];

fn row(r: &BehaviourRow) -> Vec<String> {
    let p = r.paired;
    let t = p.and_then(|p| p.t_test);
    vec![
        "competency".to_owned(),
        r.code.clone(),
        r.competency.clone(),
        r.wave.to_string(),
        r.n.to_string(),
        r.learners.n.to_string(),
        figure(r.learners.level),
        figure(r.learners.frequency),
        r.managers.n.to_string(),
        figure(r.managers.level),
        figure(r.managers.frequency),
        r.peers.n.to_string(),
        figure(r.peers.level),
        figure(r.peers.frequency),
        p.map(|p| p.n.to_string()).unwrap_or_default(),
        figure(p.map(|p| p.mean_before)),
        figure(p.map(|p| p.mean_after)),
        figure(p.map(|p| p.mean_change)),
        figure(t.map(|t| t.ci.0)),
        figure(t.map(|t| t.ci.1)),
        figure(t.map(|t| t.p)),
        figure(p.and_then(|p| p.d_z)),
        r.discrepancies.map(|d| d.to_string()).unwrap_or_default(),
        (if r.shown { "no" } else { "yes" }).to_owned(),
        String::new(),
    ]
}

pub fn rows(r: &BehaviourReport) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = r.rows.iter().map(row).collect();
    out.extend(r.plans.iter().map(|plan| {
        let mut line = vec![String::new(); HEADER.len()];
        line[0] = "plan".to_owned();
        line[HEADER.len() - 2] = "no".to_owned();
        line[HEADER.len() - 1] = plan.clone();
        line
    }));
    out
}

/// `GET /export/courses/{id}/behaviour.csv`
pub async fn export_behaviour(
    State(state): State<AppState>,
    caller: Caller<Analysts>,
    Path(id): Path<Uuid>,
) -> Response {
    let body = async {
        let r = super::report::report(&state.db, &caller.me, id).await?;
        csv_document(HEADER, rows(&r))
    }
    .await;
    csv_response(&state.db, &caller.me, "gapwise-behaviour.csv", body).await
}
