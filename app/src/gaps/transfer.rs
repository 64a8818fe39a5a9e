//! CSV exports of the gap views. The unit heatmap and the priorities are anonymous:
//! they carry units and competencies only, never names or personal fields, and
//! suppressed cells stay suppressed.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::{Analysts, ViewQuery};
use crate::common::web::{Caller, Everyone, csv_document, csv_figure as figure, csv_response};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Params {
    campaign: Option<String>,
    unit: Option<String>,
    position: Option<String>,
}

impl Params {
    fn view(&self) -> Result<ViewQuery, AppError> {
        ViewQuery::parse(
            self.campaign.as_deref(),
            self.unit.as_deref(),
            self.position.as_deref(),
        )
    }
}

/// `GET /export/gaps/heatmap.csv`: one row per unit and competency.
pub async fn export_heatmap(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<Analysts>,
    Query(params): Query<Params>,
) -> Response {
    let body = async {
        let map = super::service::heatmap(&state, &me, &params.view()?).await?;
        let source = map
            .provenance
            .map(|p| {
                format!(
                    "{} ({}, {} v{})",
                    p.campaign, p.date, p.framework, p.framework_version
                )
            })
            .unwrap_or_default();
        let mut rows = Vec::new();
        for row in &map.rows {
            for ((code, name), cell) in map.competencies.iter().zip(&row.cells) {
                rows.push(vec![
                    row.unit.clone(),
                    code.clone(),
                    name.clone(),
                    figure(cell.mean_gap),
                    cell.n.to_string(),
                    yes_no(cell.suppressed),
                    source.clone(),
                ]);
            }
        }
        csv_document(
            &[
                "unit",
                "competency_code",
                "competency",
                "mean_gap",
                "n",
                "suppressed",
                "source",
            ],
            rows,
        )
    }
    .await;
    csv_response(&state.db, &me, "gapwise-heatmap.csv", body).await
}

/// `GET /export/gaps/priorities.csv`
pub async fn export_priorities(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<Analysts>,
    Query(params): Query<Params>,
) -> Response {
    let body = async {
        let p = super::service::priorities(&state, &me, &params.view()?).await?;
        let rows = p.rows.iter().map(|r| {
            vec![
                r.code.clone(),
                r.competency.clone(),
                r.domain.clone(),
                if r.suppressed {
                    String::new()
                } else {
                    r.people_with_gap.to_string()
                },
                if r.suppressed {
                    String::new()
                } else {
                    format!("{:.2}", r.summed_weighted_gap)
                },
                if r.suppressed {
                    String::new()
                } else {
                    format!("{:.2}", r.mean_gap)
                },
                r.n.to_string(),
                yes_no(r.suppressed),
            ]
        });
        csv_document(
            &[
                "competency_code",
                "competency",
                "domain",
                "people_with_gap",
                "summed_weighted_gap",
                "mean_gap",
                "n",
                "suppressed",
            ],
            rows.collect::<Vec<_>>(),
        )
    }
    .await;
    csv_response(&state.db, &me, "gapwise-priorities.csv", body).await
}

/// `GET /export/gaps/before-after.csv`: one row per competency (group "all"),
/// one per course compared on it (the course's code) and one per other source
/// (`follow-ups`, `quizzes`), anonymous and suppressed as on the page; p-values
/// unrounded for re-analysis.
pub async fn export_before_after(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<Analysts>,
    Query(params): Query<Params>,
) -> Response {
    let body = async {
        let r = super::change::before_after(&state, &me, &params.view()?).await?;
        let source = match (&r.baseline, &r.provenance) {
            (Some(b), Some(a)) => {
                format!("{} ({}) → {} ({})", b.campaign, b.date, a.campaign, a.date)
            }
            _ => String::new(),
        };
        let unit = r.scope.clone().unwrap_or_default();
        let mut rows = Vec::new();
        for row in &r.rows {
            let f = row.paired;
            let mut line = vec![
                unit.clone(),
                row.code.clone(),
                row.competency.clone(),
                "all".to_owned(),
                row.n.to_string(),
                String::new(),
            ];
            line.extend(paired_cells(f));
            line.extend([
                row.gap_closed.map(|g| g.0.to_string()).unwrap_or_default(),
                row.gap_closed.map(|g| g.1.to_string()).unwrap_or_default(),
                yes_no(row.n > 0 && f.is_none()),
                source.clone(),
            ]);
            rows.push(line);
            for c in &row.courses {
                let g = c.groups;
                let w = g.and_then(|g| g.welch);
                rows.push(vec![
                    unit.clone(),
                    row.code.clone(),
                    row.competency.clone(),
                    c.code.clone(),
                    c.trained.to_string(),
                    c.untrained.to_string(),
                    String::new(),
                    String::new(),
                    figure(g.map(|g| g.difference)),
                    figure(w.map(|w| w.ci.0)),
                    figure(w.map(|w| w.ci.1)),
                    unrounded(w.map(|w| w.p)),
                    figure(g.and_then(|g| g.hedges_g)),
                    String::new(),
                    String::new(),
                    yes_no(g.is_none()),
                    source.clone(),
                ]);
            }
            for o in &row.sources {
                let mut line = vec![
                    unit.clone(),
                    row.code.clone(),
                    row.competency.clone(),
                    match o.source {
                        super::ChangeSource::FollowUps => "follow-ups",
                        super::ChangeSource::Quizzes => "quizzes",
                    }
                    .to_owned(),
                    o.n.to_string(),
                    String::new(),
                ];
                line.extend(paired_cells(o.paired));
                line.extend([
                    String::new(),
                    String::new(),
                    yes_no(o.paired.is_none()),
                    source.clone(),
                ]);
                rows.push(line);
            }
        }
        csv_document(
            &[
                "unit",
                "competency_code",
                "competency",
                "group",
                "n",
                "n_untrained",
                "mean_before",
                "mean_after",
                "change",
                "ci_low",
                "ci_high",
                "p",
                "effect",
                "gap_closed",
                "had_gap",
                "suppressed",
                "source",
            ],
            rows,
        )
    }
    .await;
    csv_response(&state.db, &me, "gapwise-before-after.csv", body).await
}

/// A p-value as computed, for those who work on with it.
fn unrounded(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

fn yes_no(b: bool) -> String {
    (if b { "yes" } else { "no" }).to_owned()
}

/// mean_before, mean_after, change, ci_low, ci_high, p, effect: blank when
/// suppressed.
fn paired_cells(f: Option<crate::evaluation::figures::Paired>) -> [String; 7] {
    let t = f.and_then(|f| f.t_test);
    [
        figure(f.map(|f| f.mean_before)),
        figure(f.map(|f| f.mean_after)),
        figure(f.map(|f| f.mean_change)),
        figure(t.map(|t| t.ci.0)),
        figure(t.map(|t| t.ci.1)),
        unrounded(t.map(|t| t.p)),
        figure(f.and_then(|f| f.d_z)),
    ]
}

/// `GET /export/gaps/before-after-people.csv`: one row per person measured in
/// both campaigns, for those who may see them.
pub async fn export_before_after_people(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<Analysts>,
    Query(params): Query<Params>,
) -> Response {
    let body = async {
        let p = super::change::people(&state, &me, &params.view()?, None).await?;
        let rows: Vec<Vec<String>> = p
            .rows
            .into_iter()
            .map(|r| {
                vec![
                    r.employee_no,
                    r.name,
                    r.unit,
                    r.n.to_string(),
                    figure(Some(r.mean_before)),
                    figure(Some(r.mean_after)),
                    figure(Some(r.mean_after - r.mean_before)),
                    r.gap_closed.0.to_string(),
                    r.gap_closed.1.to_string(),
                    r.courses.join(" "),
                ]
            })
            .collect();
        csv_document(
            &[
                "employee_no",
                "name",
                "unit",
                "competencies",
                "mean_before",
                "mean_after",
                "change",
                "gap_closed",
                "had_gap",
                "courses_between",
            ],
            rows,
        )
    }
    .await;
    csv_response(&state.db, &me, "gapwise-before-after-people.csv", body).await
}

/// `GET /export/gaps/person/{id}.csv`: one person's page, for them or those who may
/// see it.
/// The quiz result behind a test level, blank when there is none.
fn test_columns(t: Option<&super::TestSource>) -> [String; 6] {
    match t {
        Some(t) => [
            format!("{:.2}", t.level),
            format!("{:.1}", t.percent),
            t.questions.to_string(),
            t.quiz.clone(),
            t.quiz_version.to_string(),
            t.date.clone(),
        ],
        None => Default::default(),
    }
}

pub async fn export_person(
    State(state): State<AppState>,
    Caller { me, .. }: Caller<Everyone>,
    Path(id): Path<Uuid>,
    Query(params): Query<Params>,
) -> Response {
    let body = async {
        let campaign = crate::common::parse_id("campaign", params.campaign.as_deref())?;
        let g = super::service::person_gaps(&state, &me, id, campaign).await?;
        let source = g
            .provenance
            .map(|p| {
                format!(
                    "{} ({}, {} v{})",
                    p.campaign, p.date, p.framework, p.framework_version
                )
            })
            .unwrap_or_default();
        let rows = g.rows.iter().map(|r| {
            vec![
                g.employee_no.clone(),
                g.name.clone(),
                r.code.clone(),
                r.competency.clone(),
                format!("{:.2}", r.current),
                r.target.map(|t| t.to_string()).unwrap_or_default(),
                r.importance.to_string(),
                format!("{:.2}", r.gap),
                format!("{:.2}", r.weighted_gap),
                r.sources.join(";"),
                r.raters.to_string(),
                yes_no(r.discrepancy),
                source.clone(),
            ]
            .into_iter()
            .chain(test_columns(r.test.as_ref()))
            .collect::<Vec<String>>()
        });
        csv_document(
            &[
                "employee_no",
                "name",
                "competency_code",
                "competency",
                "current",
                "target",
                "importance",
                "gap",
                "weighted_gap",
                "sources",
                "raters",
                "discrepancy",
                "source",
                "test_level",
                "test_percent",
                "test_questions",
                "test_quiz",
                "test_quiz_version",
                "test_date",
            ],
            rows.collect::<Vec<_>>(),
        )
    }
    .await;
    csv_response(&state.db, &me, "gapwise-person-gaps.csv", body).await
}
