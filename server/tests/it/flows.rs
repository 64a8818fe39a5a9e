//! Helpers the feature tests share: building frameworks and campaigns, answering
//! questionnaires and reading the gap views, all over HTTP as a browser would.

#![allow(dead_code)]

use crate::common::TestApp;
use app::entities::{course, org_unit, person, position, quiz, survey_task};
use app::surveys::answer_key;
use chrono::{Duration, Utc};
use reqwest::{Client, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

/// Where a server function sent the caller. Called as a script (JSON Accept),
/// leptos answers 2xx with the Location header; a form post would get a 302.
pub async fn location(res: Response) -> String {
    let status = res.status();
    let header = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    match header {
        Some(l) if status.is_success() || status.is_redirection() => l,
        _ => panic!(
            "expected a redirect, got {status}: {}",
            res.text().await.unwrap_or_default()
        ),
    }
}

/// The id in a location such as `/frameworks/{id}?saved=1`.
pub fn id_in(location: &str, prefix: &str) -> Uuid {
    let rest = location
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{location} does not start with {prefix}"));
    Uuid::parse_str(rest.split(['?', '#', '/']).next().unwrap()).unwrap()
}

pub async fn json(res: Response) -> Value {
    let status = res.status();
    let body = res.text().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Expects the call to be refused with `status`; returns the error body.
pub async fn refused(res: Response, status: u16) -> String {
    let got = res.status().as_u16();
    let body = res.text().await.unwrap_or_default();
    assert_eq!(got, status, "{body}");
    body
}

pub fn borrowed(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

pub fn close(actual: &Value, expected: f64) -> bool {
    actual.as_f64().is_some_and(|a| (a - expected).abs() < 1e-9)
}

pub async fn course_of(app: &TestApp, code: &str) -> course::Model {
    course::Entity::find()
        .filter(course::Column::Code.eq(code))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no course {code}"))
}

pub async fn person_of(app: &TestApp, employee_no: &str) -> person::Model {
    person::Entity::find()
        .filter(person::Column::EmployeeNo.eq(employee_no))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no {employee_no}"))
}

pub async fn unit_id(app: &TestApp, code: &str) -> Uuid {
    org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

pub async fn position_id(app: &TestApp, code: &str) -> Uuid {
    position::Entity::find()
        .filter(position::Column::Code.eq(code))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A framework version as the tests use it.
pub struct Framework {
    pub id: Uuid,
    pub family_id: Uuid,
    pub domain_id: Uuid,
    /// (code, id), in order.
    pub competencies: Vec<(String, Uuid)>,
}

impl Framework {
    pub fn competency(&self, code: &str) -> Uuid {
        self.competencies
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, id)| *id)
            .unwrap_or_else(|| panic!("no competency {code}"))
    }
}

pub async fn save_competency(
    app: &TestApp,
    client: &Client,
    framework_id: Uuid,
    domain_id: Uuid,
    id: Option<Uuid>,
    code: &str,
    name: &str,
) -> Response {
    let (framework_id, domain_id) = (framework_id.to_string(), domain_id.to_string());
    let id = id.map(|i| i.to_string()).unwrap_or_default();
    app.call(
        client,
        "frameworks/competency/save",
        &[
            ("framework_id", &framework_id),
            ("id", &id),
            ("domain_id", &domain_id),
            ("code", code),
            ("name", name),
            ("description", "How well it is done at the counter"),
            ("level_1", "Needs close help"),
            ("level_2", "Needs some help"),
            ("level_3", "Works alone"),
            ("level_4", "Handles the hard cases"),
            ("level_5", "Teaches others"),
        ],
    )
    .await
}

pub async fn load_framework(app: &TestApp, client: &Client, id: Uuid) -> (Value, Framework) {
    let detail = json(
        app.call(client, "frameworks/get", &[("id", &id.to_string())])
            .await,
    )
    .await;
    let domain = &detail["domains"][0];
    let framework = Framework {
        id,
        family_id: detail["family_id"].as_str().unwrap().parse().unwrap(),
        domain_id: domain["id"].as_str().unwrap().parse().unwrap(),
        competencies: domain["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["code"].as_str().unwrap().to_owned(),
                    c["id"].as_str().unwrap().parse().unwrap(),
                )
            })
            .collect(),
    };
    (detail, framework)
}

/// A new framework with one domain and the given competency codes.
pub async fn build_framework(
    app: &TestApp,
    editor: &Client,
    name: &str,
    codes: &[&str],
) -> Framework {
    let res = app
        .call(
            editor,
            "frameworks/create",
            &[("name", name), ("description", "Built by a test")],
        )
        .await;
    let id = id_in(&location(res).await, "/frameworks/");
    let res = app
        .call(
            editor,
            "frameworks/domain/save",
            &[
                ("framework_id", &id.to_string()),
                ("name", "Counter service"),
            ],
        )
        .await;
    assert_eq!(location(res).await, format!("/frameworks/{id}?saved=1"));
    let (_, f) = load_framework(app, editor, id).await;
    for code in codes {
        let res = save_competency(
            app,
            editor,
            id,
            f.domain_id,
            None,
            code,
            &format!("{code} skill"),
        )
        .await;
        assert_eq!(location(res).await, format!("/frameworks/{id}?saved=1"));
    }
    let (_, f) = load_framework(app, editor, id).await;
    assert_eq!(f.competencies.len(), codes.len());
    f
}

/// Sets target levels and importance for one position: (code, level, importance).
pub async fn set_targets(
    app: &TestApp,
    editor: &Client,
    family_id: Uuid,
    position: Uuid,
    cells: &[(&str, u8, u8)],
) {
    let mut form = vec![("family_id".to_owned(), family_id.to_string())];
    for (code, level, importance) in cells {
        let key = app::competencies::cell_key(position, code);
        form.push((format!("level[{key}]"), level.to_string()));
        form.push((format!("weight[{key}]"), importance.to_string()));
    }
    let res = app.call(editor, "targets/save", &borrowed(&form)).await;
    assert_eq!(location(res).await, format!("/targets/{family_id}?saved=1"));
}

/// A local time in the office's zone, as a `datetime-local` input sends it.
pub fn local_time(app: &TestApp, from_now: Duration) -> String {
    (Utc::now() + from_now)
        .with_timezone(&app.state.settings.timezone)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// How a campaign differs from the default (self + manager, no peers, threshold 3,
/// weights 0.2 / 0.5 / 0.3, quiz results left out).
#[derive(Clone, Copy)]
pub struct Spec<'a> {
    pub title: &'a str,
    pub peer_mode: &'a str,
    pub peers: &'a str,
    pub threshold: &'a str,
    pub weight_test: &'a str,
}

impl<'a> Spec<'a> {
    pub fn new(title: &'a str) -> Self {
        Self {
            title,
            peer_mode: "none",
            peers: "0",
            threshold: "3",
            weight_test: "0",
        }
    }
}

pub fn campaign_form(
    app: &TestApp,
    id: Option<Uuid>,
    framework_id: Uuid,
    spec: Spec<'_>,
) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        ("title", spec.title.to_owned()),
        ("framework_id", framework_id.to_string()),
        ("opens_at", local_time(app, -Duration::hours(1))),
        ("closes_at", local_time(app, Duration::days(14))),
        ("include_self", "on".to_owned()),
        ("include_manager", "on".to_owned()),
        ("peer_mode", spec.peer_mode.to_owned()),
        ("peers_per_person", spec.peers.to_owned()),
        ("anonymity_threshold", spec.threshold.to_owned()),
        ("weight_self", "0.2".to_owned()),
        ("weight_manager", "0.5".to_owned()),
        ("weight_peers", "0.3".to_owned()),
        ("weight_test", spec.weight_test.to_owned()),
        ("discrepancy_threshold", "1.5".to_owned()),
        ("instructions", "Rate what you see at work.".to_owned()),
        ("follow_up_of", String::new()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    if let Some(id) = id {
        form.push(("id".to_owned(), id.to_string()));
    }
    form
}

/// A draft campaign about the given people.
pub async fn draft_campaign(
    app: &TestApp,
    runner: &Client,
    framework_id: Uuid,
    spec: Spec<'_>,
    people: &[&str],
) -> Uuid {
    let form = campaign_form(app, None, framework_id, spec);
    let res = app.call(runner, "campaigns/save", &borrowed(&form)).await;
    let id = id_in(&location(res).await, "/campaigns/");
    for no in people {
        let res = app
            .call(
                runner,
                "campaigns/audience",
                &[
                    ("campaign_id", &id.to_string()),
                    ("op", "add"),
                    ("kind", "person"),
                    ("employee_no", no),
                ],
            )
            .await;
        location(res).await;
    }
    id
}

pub async fn set_state(app: &TestApp, runner: &Client, id: Uuid, to: &str) -> Response {
    app.call(
        runner,
        "campaigns/state",
        &[("id", &id.to_string()), ("to", to), ("confirm", "on")],
    )
    .await
}

pub async fn open_campaign(
    app: &TestApp,
    runner: &Client,
    framework_id: Uuid,
    spec: Spec<'_>,
    people: &[&str],
) -> Uuid {
    let id = draft_campaign(app, runner, framework_id, spec, people).await;
    let res = set_state(app, runner, id, "open").await;
    assert_eq!(location(res).await, format!("/campaigns/{id}?saved=1"));
    id
}

/// The caller's tasks in the campaign titled `title`.
pub async fn tasks_in(app: &TestApp, client: &Client, title: &str) -> Vec<Value> {
    let mine = json(app.call(client, "tasks", &[]).await).await;
    mine["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["campaign"] == title)
        .cloned()
        .collect()
}

/// The caller's only task in the campaign titled `title`.
pub async fn task_in(app: &TestApp, client: &Client, title: &str) -> Uuid {
    let tasks = tasks_in(app, client, title).await;
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    tasks[0]["id"].as_str().unwrap().parse().unwrap()
}

pub async fn answer(
    app: &TestApp,
    client: &Client,
    task: Uuid,
    intent: &str,
    ratings: &[(Uuid, u8)],
) -> Response {
    let mut form = vec![
        ("id".to_owned(), task.to_string()),
        ("intent".to_owned(), intent.to_owned()),
    ];
    for (competency, level) in ratings {
        let key = answer_key(*competency);
        form.push((format!("rating[{key}]"), level.to_string()));
    }
    app.call(client, "tasks/answer", &borrowed(&form)).await
}

pub async fn submit(app: &TestApp, client: &Client, task: Uuid, ratings: &[(Uuid, u8)]) {
    let res = answer(app, client, task, "submit", ratings).await;
    assert_eq!(location(res).await, format!("/tasks/{task}?submitted=1"));
}

pub async fn person_gaps(app: &TestApp, client: &Client, person: Uuid, campaign: Uuid) -> Response {
    app.call(
        client,
        "gaps/person",
        &[
            ("person", &person.to_string()),
            ("campaign", &campaign.to_string()),
        ],
    )
    .await
}

pub fn row<'a>(gaps: &'a Value, code: &str) -> &'a Value {
    gaps["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no row {code} in {gaps}"))
}

/// The heatmap cell of `unit` for competency `code`.
pub fn cell<'a>(map: &'a Value, unit: Uuid, code: &str) -> &'a Value {
    let column = map["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c[0] == code)
        .unwrap_or_else(|| panic!("no column {code}"));
    let row = map["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit_id"] == unit.to_string())
        .unwrap_or_else(|| panic!("no row for unit {unit} in {map}"));
    &row["cells"][column]
}

pub async fn download(app: &TestApp, client: &Client, path: &str) -> Response {
    client
        .get(format!("{}{path}", app.origin()))
        .send()
        .await
        .unwrap()
}

pub async fn unread(app: &TestApp, client: &Client) -> u64 {
    // The count comes with the signed-in user, as the menu's bell shows it.
    json(app.call(client, "auth/me", &[]).await).await["unread"]
        .as_u64()
        .unwrap()
}

pub async fn tasks_of(
    app: &TestApp,
    campaign: Uuid,
    rater_type: app::domain::RaterType,
) -> Vec<survey_task::Model> {
    survey_task::Entity::find()
        .filter(survey_task::Column::CampaignId.eq(campaign))
        .filter(survey_task::Column::RaterType.eq(rater_type))
        .all(&app.state.db)
        .await
        .unwrap()
}

/// The demo quiz with this title.
pub async fn quiz_titled(app: &TestApp, title: &str) -> quiz::Model {
    quiz::Entity::find()
        .filter(quiz::Column::Title.eq(title))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// The training rules form at its defaults with anonymity threshold `k`, plus `more`.
pub fn rules_form<'a>(k: &'a str, more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("hours_budget", "40"),
        ("hours_required", "40"),
        ("trainer_rate", "300"),
        ("venue_rate", "100"),
        ("class_size", "30"),
        ("anonymity_threshold", k),
    ];
    form.extend_from_slice(more);
    form
}

/// Sets the office's anonymity threshold, the other training rules at their defaults.
pub async fn set_threshold(app: &TestApp, admin: &reqwest::Client, k: u64) {
    let k = k.to_string();
    location(app.call(admin, "rules/save", &rules_form(&k, &[])).await).await;
}
