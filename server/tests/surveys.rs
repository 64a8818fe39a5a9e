#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Competency frameworks, survey campaigns and gap analysis over HTTP: the worked
//! example with hand-computed figures, state rules, who sees what, anonymity,
//! framework versioning, CSV import and reminders.
//!
//! Every test builds its own framework and campaigns, so demo data (if any) does
//! not change the outcome: views are always asked for an explicit campaign.

mod common;

use std::collections::HashSet;

use app::entities::{
    competency, competency_result, framework, org_unit, person, position, rating, roster_upload,
    survey_task,
};
use app::surveys::answer_key;
use chrono::{Duration, Utc};
use common::TestApp;
use reqwest::{Client, Response};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::Value;
use uuid::Uuid;

// ---------------------------------------------------------------- helpers

/// Where a server function sent the caller. Called as a script (JSON Accept),
/// leptos answers 2xx with the Location header; a form post would get a 302.
async fn location(res: Response) -> String {
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
fn id_in(location: &str, prefix: &str) -> Uuid {
    let rest = location
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{location} does not start with {prefix}"));
    Uuid::parse_str(rest.split(['?', '#', '/']).next().unwrap()).unwrap()
}

async fn json(res: Response) -> Value {
    let status = res.status();
    let body = res.text().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Expects the call to be refused with `status`; returns the error body.
async fn refused(res: Response, status: u16) -> String {
    let got = res.status().as_u16();
    let body = res.text().await.unwrap_or_default();
    assert_eq!(got, status, "{body}");
    body
}

fn borrowed(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn close(actual: &Value, expected: f64) -> bool {
    actual.as_f64().is_some_and(|a| (a - expected).abs() < 1e-9)
}

async fn person_of(app: &TestApp, employee_no: &str) -> person::Model {
    person::Entity::find()
        .filter(person::Column::EmployeeNo.eq(employee_no))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no {employee_no}"))
}

async fn unit_id(app: &TestApp, code: &str) -> Uuid {
    org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn position_id(app: &TestApp, code: &str) -> Uuid {
    position::Entity::find()
        .filter(position::Column::Code.eq(code))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A framework version as the tests use it.
struct Framework {
    id: Uuid,
    family_id: Uuid,
    domain_id: Uuid,
    /// (code, id), in order.
    competencies: Vec<(String, Uuid)>,
}

impl Framework {
    fn competency(&self, code: &str) -> Uuid {
        self.competencies
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, id)| *id)
            .unwrap_or_else(|| panic!("no competency {code}"))
    }
}

async fn save_competency(
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

async fn load_framework(app: &TestApp, client: &Client, id: Uuid) -> (Value, Framework) {
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
async fn build_framework(app: &TestApp, editor: &Client, name: &str, codes: &[&str]) -> Framework {
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
async fn set_targets(
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
fn local_time(app: &TestApp, from_now: Duration) -> String {
    (Utc::now() + from_now)
        .with_timezone(&app.state.settings.timezone)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// How a campaign differs from the default (self + manager, no peers, threshold 3,
/// weights 0.2 / 0.5 / 0.3).
#[derive(Clone, Copy)]
struct Spec<'a> {
    title: &'a str,
    peer_mode: &'a str,
    peers: &'a str,
    threshold: &'a str,
}

impl<'a> Spec<'a> {
    fn new(title: &'a str) -> Self {
        Self {
            title,
            peer_mode: "none",
            peers: "0",
            threshold: "3",
        }
    }
}

fn campaign_form(
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
async fn draft_campaign(
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

async fn set_state(app: &TestApp, runner: &Client, id: Uuid, to: &str) -> Response {
    app.call(
        runner,
        "campaigns/state",
        &[("id", &id.to_string()), ("to", to), ("confirm", "on")],
    )
    .await
}

async fn open_campaign(
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
async fn tasks_in(app: &TestApp, client: &Client, title: &str) -> Vec<Value> {
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
async fn task_in(app: &TestApp, client: &Client, title: &str) -> Uuid {
    let tasks = tasks_in(app, client, title).await;
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    tasks[0]["id"].as_str().unwrap().parse().unwrap()
}

async fn answer(
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

async fn submit(app: &TestApp, client: &Client, task: Uuid, ratings: &[(Uuid, u8)]) {
    let res = answer(app, client, task, "submit", ratings).await;
    assert_eq!(location(res).await, format!("/tasks/{task}?submitted=1"));
}

async fn person_gaps(app: &TestApp, client: &Client, person: Uuid, campaign: Uuid) -> Response {
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

fn row<'a>(gaps: &'a Value, code: &str) -> &'a Value {
    gaps["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no row {code} in {gaps}"))
}

/// The heatmap cell of `unit` for competency `code`.
fn cell<'a>(map: &'a Value, unit: Uuid, code: &str) -> &'a Value {
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

async fn download(app: &TestApp, client: &Client, path: &str) -> Response {
    client
        .get(format!("{}{path}", app.origin()))
        .send()
        .await
        .unwrap()
}

async fn unread(app: &TestApp, client: &Client) -> u64 {
    json(app.call(client, "notifications/unread", &[]).await)
        .await
        .as_u64()
        .unwrap()
}

async fn tasks_of(app: &TestApp, campaign: Uuid, rater_type: &str) -> Vec<survey_task::Model> {
    survey_task::Entity::find()
        .filter(survey_task::Column::CampaignId.eq(campaign))
        .filter(survey_task::Column::RaterType.eq(rater_type))
        .all(&app.state.db)
        .await
        .unwrap()
}

// ---------------------------------------------------------------- tests

/// Self 4 and manager 2 with the default weights: current = (0.2·4 + 0.5·2) / 0.7
/// = 2.5714…, shown 2.57; target 4 at importance 2 gives gap 1.43, weighted 2.86.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_and_manager_ratings_combine_into_gaps() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let manager = app.signed_in("M0001").await;
    let li_na = person_of(&app, "S0001").await;
    let hall = unit_id(&app, "HALL").await;
    let front_desk = position_id(&app, "FRONT_DESK").await;

    let f = build_framework(&app, &trainer, "Counter skills", &["COMM", "POLICY"]).await;
    set_targets(
        &app,
        &trainer,
        f.family_id,
        front_desk,
        &[("COMM", 4, 2), ("POLICY", 3, 1)],
    )
    .await;
    let grid = json(
        app.call(
            &trainer,
            "targets",
            &[("family_id", &f.family_id.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(grid["cells"].as_array().unwrap().len(), 2, "{grid}");

    let title = "Counter skills check";
    let campaign = open_campaign(&app, &trainer, f.id, Spec::new(title), &["S0001"]).await;
    let progress = json(
        app.call(
            &trainer,
            "campaigns/progress",
            &[("id", &campaign.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(
        progress["overall"]["total"], 2,
        "self and manager: {progress}"
    );
    assert_eq!(progress["overall"]["submitted"], 0);
    assert_eq!(progress["pending_raters"], 2);

    // Li Na rates herself: a partial draft first, then the whole form.
    let own = tasks_in(&app, &staff, title).await;
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!(own[0]["rater_type"], "SelfRating");
    assert_eq!(own[0]["subject"], "李娜");
    assert_eq!(own[0]["open"], true);
    let self_task: Uuid = own[0]["id"].as_str().unwrap().parse().unwrap();
    let (comm, policy) = (f.competency("COMM"), f.competency("POLICY"));
    let res = answer(&app, &staff, self_task, "save", &[(comm, 4)]).await;
    assert_eq!(location(res).await, format!("/tasks/{self_task}?saved=1"));
    let form = json(
        app.call(&staff, "tasks/get", &[("id", &self_task.to_string())])
            .await,
    )
    .await;
    assert_eq!(form["status"], "Draft");
    assert_eq!(form["editable"], true);
    assert_eq!(form["ratings"], serde_json::json!([[comm.to_string(), 4]]));

    // Submitting with a competency unrated names the missing field.
    let res = answer(&app, &staff, self_task, "submit", &[(comm, 4)]).await;
    let body = refused(res, 422).await;
    assert!(
        body.contains(&format!("rating[{}]", answer_key(policy))),
        "{body}"
    );
    assert!(
        !body.contains(&format!("rating[{}]", answer_key(comm))),
        "{body}"
    );
    // A level off the scale is refused too.
    let res = answer(&app, &staff, self_task, "submit", &[(comm, 6), (policy, 3)]).await;
    let body = refused(res, 422).await;
    assert!(
        body.contains(&format!("rating[{}]", answer_key(comm))),
        "{body}"
    );
    submit(&app, &staff, self_task, &[(comm, 4), (policy, 3)]).await;

    // Her manager rates her.
    let manager_task = task_in(&app, &manager, title).await;
    submit(&app, &manager, manager_task, &[(comm, 2), (policy, 3)]).await;
    let progress = json(
        app.call(
            &trainer,
            "campaigns/progress",
            &[("id", &campaign.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(progress["overall"]["submitted"], 2);
    assert_eq!(progress["pending_raters"], 0);

    // Her own page, and her manager's view of it, show the same figures.
    for (who, client) in [
        ("self", &staff),
        ("manager", &manager),
        ("trainer", &trainer),
    ] {
        let gaps = json(person_gaps(&app, client, li_na.id, campaign).await).await;
        let prov = &gaps["provenance"];
        assert_eq!(prov["campaign_id"], campaign.to_string(), "{who}");
        assert_eq!(prov["framework_version"], 1, "{who}");
        assert_eq!(prov["closed"], false, "{who}");
        let r = row(&gaps, "COMM");
        assert!(close(&r["current"], 2.57), "{who}: {r}");
        assert_eq!(r["target"], 4, "{who}");
        assert_eq!(r["importance"], 2, "{who}");
        assert!(close(&r["gap"], 1.43), "{who}: {r}");
        assert!(close(&r["weighted_gap"], 2.86), "{who}: {r}");
        assert!(close(&r["self_level"], 4.0), "{who}: {r}");
        assert!(close(&r["others_level"], 2.0), "{who}: {r}");
        assert_eq!(
            r["sources"],
            serde_json::json!(["manager", "self"]),
            "{who}"
        );
        assert_eq!(r["raters"], 2, "{who}");
        assert_eq!(r["peers"], 0, "{who}");
        assert_eq!(r["discrepancy"], true, "self 4 vs others 2: {who}");
        let r = row(&gaps, "POLICY");
        assert!(close(&r["current"], 3.0), "{who}: {r}");
        assert!(close(&r["gap"], 0.0), "{who}: {r}");
        assert_eq!(r["discrepancy"], false, "{who}");
    }
    // The stored figure keeps full precision; only the page rounds.
    let stored = competency_result::Entity::find()
        .filter(competency_result::Column::CampaignId.eq(campaign))
        .filter(competency_result::Column::CompetencyId.eq(comm))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        (stored.current - 1.8 / 0.7).abs() < 1e-9,
        "{}",
        stored.current
    );
    assert!((stored.weighted_gap - 2.0 * (4.0 - 1.8 / 0.7)).abs() < 1e-9);

    // One person in the hall: the unit's cell is counted but suppressed.
    let query = [("campaign", campaign.to_string())];
    let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for client in [&trainer, &manager] {
        let map = json(app.call(client, "gaps/heatmap", &query).await).await;
        assert_eq!(map["provenance"]["campaign_id"], campaign.to_string());
        for code in ["COMM", "POLICY"] {
            let c = cell(&map, hall, code);
            assert_eq!(c["n"], 1, "{c}");
            assert_eq!(c["suppressed"], true, "{c}");
            assert!(c["mean_gap"].is_null(), "{c}");
        }
    }
    let priorities = json(app.call(&trainer, "gaps/priorities", &query).await).await;
    for r in priorities["rows"].as_array().unwrap() {
        assert_eq!(r["n"], 1, "{r}");
        assert_eq!(r["suppressed"], true, "{r}");
        assert!(close(&r["summed_weighted_gap"], 0.0), "nothing leaks: {r}");
        assert_eq!(r["people_with_gap"], 0, "{r}");
    }

    // The anonymous exports carry no names or employee numbers at all.
    let people = person::Entity::find().all(&app.state.db).await.unwrap();
    for path in [
        format!("/export/gaps/heatmap.csv?campaign={campaign}"),
        format!("/export/gaps/priorities.csv?campaign={campaign}"),
    ] {
        let res = download(&app, &trainer, &path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv"),
            "{path}"
        );
        let csv = res.text().await.unwrap();
        assert!(csv.contains("COMM"), "{path}: {csv}");
        assert!(csv.contains("yes"), "suppressed marked: {path}: {csv}");
        assert!(
            !csv.contains("1.43"),
            "suppressed figure leaked: {path}: {csv}"
        );
        for p in &people {
            assert!(
                !csv.contains(&p.name) && !csv.contains(&p.employee_no),
                "{path} names {} ({}): {csv}",
                p.name,
                p.employee_no
            );
        }
    }
    // Her own export has her figures.
    let res = download(
        &app,
        &staff,
        &format!("/export/gaps/person/{}?campaign={campaign}", li_na.id),
    )
    .await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert!(
        csv.contains("S0001")
            && csv.contains("2.57")
            && csv.contains("1.43")
            && csv.contains("2.86"),
        "{csv}"
    );

    // Closing makes the figures final.
    let res = set_state(&app, &trainer, campaign, "closed").await;
    location(res).await;
    let gaps = json(person_gaps(&app, &staff, li_na.id, campaign).await).await;
    assert_eq!(gaps["provenance"]["closed"], true);
    assert!(close(&row(&gaps, "COMM")["current"], 2.57));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_campaign_state_allows_only_its_own_changes() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let manager = app.signed_in("M0001").await;
    let li_na = person_of(&app, "S0001").await;
    let f = build_framework(&app, &trainer, "State rules", &["COMM", "POLICY"]).await;
    let (comm, policy) = (f.competency("COMM"), f.competency("POLICY"));
    let all = [(comm, 3), (policy, 3)];

    // A draft has no tasks, so nobody can answer it.
    let title = "Draft only";
    let draft = draft_campaign(&app, &trainer, f.id, Spec::new(title), &["S0001"]).await;
    assert!(tasks_in(&app, &staff, title).await.is_empty());
    assert!(tasks_in(&app, &manager, title).await.is_empty());
    let tasks = survey_task::Entity::find()
        .filter(survey_task::Column::CampaignId.eq(draft))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(tasks, 0);
    // Even a task row that somehow existed for a draft is not answerable.
    let stray = Uuid::new_v4();
    survey_task::ActiveModel {
        id: Set(stray),
        campaign_id: Set(draft),
        subject_id: Set(li_na.id),
        rater_id: Set(li_na.id),
        rater_type: Set("self".into()),
        status: Set("pending".into()),
        updated_at: Set(Utc::now()),
        submitted_at: Set(None),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    assert!(tasks_in(&app, &staff, title).await.is_empty());
    refused(
        app.call(&staff, "tasks/get", &[("id", &stray.to_string())])
            .await,
        404,
    )
    .await;
    refused(answer(&app, &staff, stray, "submit", &all).await, 404).await;
    survey_task::Entity::delete_by_id(stray)
        .exec(&app.state.db)
        .await
        .unwrap();
    // A draft cannot be closed before it opened, and is still editable.
    refused(set_state(&app, &trainer, draft, "closed").await, 409).await;
    let form = campaign_form(&app, Some(draft), f.id, Spec::new("Draft, renamed"));
    location(app.call(&trainer, "campaigns/save", &borrowed(&form)).await).await;

    // Once open, the set-up is fixed.
    let title = "Open then closed";
    let campaign = open_campaign(&app, &trainer, f.id, Spec::new(title), &["S0001"]).await;
    let form = campaign_form(&app, Some(campaign), f.id, Spec::new("Renamed"));
    let body = refused(
        app.call(&trainer, "campaigns/save", &borrowed(&form)).await,
        409,
    )
    .await;
    assert!(body.contains("not_draft"), "{body}");
    let body = refused(
        app.call(
            &trainer,
            "campaigns/audience",
            &[
                ("campaign_id", &campaign.to_string()),
                ("op", "add"),
                ("kind", "person"),
                ("employee_no", "A0001"),
            ],
        )
        .await,
        409,
    )
    .await;
    assert!(body.contains("not_draft"), "{body}");
    refused(
        app.call(
            &trainer,
            "campaigns/item",
            &[
                ("campaign_id", &campaign.to_string()),
                ("op", "add"),
                ("kind", "text"),
                ("prompt", "Anything else?"),
            ],
        )
        .await,
        409,
    )
    .await;
    refused(set_state(&app, &trainer, campaign, "open").await, 409).await;
    let detail = json(
        app.call(&trainer, "campaigns/get", &[("id", &campaign.to_string())])
            .await,
    )
    .await;
    assert_eq!(detail["title"], title);
    assert_eq!(detail["state"], "Open");

    // A submitted task is final.
    let self_task = task_in(&app, &staff, title).await;
    submit(&app, &staff, self_task, &all).await;
    for intent in ["save", "submit"] {
        let body = refused(
            answer(&app, &staff, self_task, intent, &[(comm, 5), (policy, 5)]).await,
            409,
        )
        .await;
        assert!(body.contains("already_submitted"), "{body}");
    }
    let form = json(
        app.call(&staff, "tasks/get", &[("id", &self_task.to_string())])
            .await,
    )
    .await;
    assert_eq!(form["status"], "Submitted");
    assert_eq!(form["editable"], false);
    let levels: Vec<i32> = rating::Entity::find()
        .filter(rating::Column::TaskId.eq(self_task))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.level)
        .collect();
    assert_eq!(levels, vec![3, 3], "the refused edits changed nothing");

    // After closing, nobody answers any more.
    let manager_task = task_in(&app, &manager, title).await;
    location(set_state(&app, &trainer, campaign, "closed").await).await;
    for intent in ["save", "submit"] {
        let body = refused(
            answer(&app, &manager, manager_task, intent, &all).await,
            409,
        )
        .await;
        assert!(body.contains("not_open"), "{body}");
    }
    let form = json(
        app.call(&manager, "tasks/get", &[("id", &manager_task.to_string())])
            .await,
    )
    .await;
    assert_eq!(form["editable"], false);
    let listed = tasks_in(&app, &manager, title).await;
    assert_eq!(listed[0]["open"], false);
    assert!(
        rating::Entity::find()
            .filter(rating::Column::TaskId.eq(manager_task))
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
    refused(set_state(&app, &trainer, campaign, "closed").await, 409).await;
    refused(set_state(&app, &trainer, campaign, "open").await, 409).await;
    refused(
        app.call(
            &trainer,
            "campaigns/remind",
            &[("id", &campaign.to_string())],
        )
        .await,
        409,
    )
    .await;
    let form = campaign_form(&app, Some(campaign), f.id, Spec::new("Renamed"));
    refused(
        app.call(&trainer, "campaigns/save", &borrowed(&form)).await,
        409,
    )
    .await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_see_only_their_own_tasks_and_what_their_role_allows() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let manager = app.signed_in("M0001").await;
    let li_na = person_of(&app, "S0001").await;
    let wang = person_of(&app, "M0001").await;
    let admin_person = person_of(&app, "A0001").await;
    let (hall, office) = (unit_id(&app, "HALL").await, unit_id(&app, "ADMIN").await);
    let front_desk = position_id(&app, "FRONT_DESK").await;
    let f = build_framework(&app, &trainer, "Visibility", &["COMM"]).await;
    let clerk = position_id(&app, "CLERK").await;
    for position in [front_desk, clerk] {
        set_targets(&app, &trainer, f.family_id, position, &[("COMM", 4, 1)]).await;
    }
    let comm = f.competency("COMM");

    // About Li Na and about the administrator (outside the hall).
    let title = "Who sees what";
    let campaign = open_campaign(&app, &trainer, f.id, Spec::new(title), &["S0001", "A0001"]).await;
    let self_task = task_in(&app, &staff, title).await;
    let manager_task = task_in(&app, &manager, title).await;
    submit(&app, &staff, self_task, &[(comm, 4)]).await;
    submit(&app, &manager, manager_task, &[(comm, 3)]).await;
    let admin = app.signed_in("A0001").await;
    let admin_task = task_in(&app, &admin, title).await;
    submit(&app, &admin, admin_task, &[(comm, 5)]).await;

    // Tasks belong to their rater alone: others get 404, as if they did not exist.
    let id = manager_task.to_string();
    refused(app.call(&staff, "tasks/get", &[("id", &id)]).await, 404).await;
    refused(
        answer(&app, &staff, manager_task, "save", &[(comm, 1)]).await,
        404,
    )
    .await;
    refused(app.call(&trainer, "tasks/get", &[("id", &id)]).await, 404).await;
    let id = self_task.to_string();
    refused(app.call(&manager, "tasks/get", &[("id", &id)]).await, 404).await;

    // Staff read their own gaps only.
    json(person_gaps(&app, &staff, li_na.id, campaign).await).await;
    for other in [wang.id, admin_person.id] {
        refused(person_gaps(&app, &staff, other, campaign).await, 403).await;
        let res = download(
            &app,
            &staff,
            &format!("/export/gaps/person/{other}?campaign={campaign}"),
        )
        .await;
        assert_eq!(res.status(), 403);
    }
    let body = json(
        app.call(
            &staff,
            "gaps/person",
            &[("campaign", &campaign.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(body["employee_no"], "S0001", "no person means oneself");

    // A manager sees their subtree, not beyond it.
    json(person_gaps(&app, &manager, li_na.id, campaign).await).await;
    refused(
        person_gaps(&app, &manager, admin_person.id, campaign).await,
        403,
    )
    .await;
    let res = download(
        &app,
        &manager,
        &format!(
            "/export/gaps/person/{}?campaign={campaign}",
            admin_person.id
        ),
    )
    .await;
    assert_eq!(res.status(), 403);
    let c = campaign.to_string();
    let map = json(
        app.call(&manager, "gaps/heatmap", &[("campaign", &c)])
            .await,
    )
    .await;
    let units: Vec<&str> = map["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["unit_id"].as_str().unwrap())
        .collect();
    assert_eq!(units, vec![hall.to_string()], "{map}");
    let filter_units: Vec<&str> = map["filters"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u[0].as_str().unwrap())
        .collect();
    assert_eq!(filter_units, vec![hall.to_string()]);
    let outside = office.to_string();
    for endpoint in ["gaps/heatmap", "gaps/priorities"] {
        refused(
            app.call(&manager, endpoint, &[("campaign", &c), ("unit", &outside)])
                .await,
            403,
        )
        .await;
    }
    for path in [
        format!("/export/gaps/heatmap.csv?campaign={c}&unit={outside}"),
        format!("/export/gaps/priorities.csv?campaign={c}&unit={outside}"),
    ] {
        assert_eq!(
            download(&app, &manager, &path).await.status(),
            403,
            "{path}"
        );
    }
    // The manager's priorities count the hall only; the trainer's count both people.
    let mine = json(
        app.call(&manager, "gaps/priorities", &[("campaign", &c)])
            .await,
    )
    .await;
    assert_eq!(row(&mine, "COMM")["n"], 1, "{mine}");
    let everyone = json(
        app.call(&trainer, "gaps/priorities", &[("campaign", &c)])
            .await,
    )
    .await;
    assert_eq!(row(&everyone, "COMM")["n"], 2, "{everyone}");
    // The trainer sees both units' rows, each suppressed.
    let map = json(
        app.call(&trainer, "gaps/heatmap", &[("campaign", &c)])
            .await,
    )
    .await;
    for unit in [hall, office] {
        let c = cell(&map, unit, "COMM");
        assert_eq!(c["n"], 1, "{c}");
        assert_eq!(c["suppressed"], true, "{c}");
    }

    // Campaigns are run by their owner (or trainers and admins).
    for endpoint in ["campaigns/get", "campaigns/progress", "campaigns/remind"] {
        refused(app.call(&manager, endpoint, &[("id", &c)]).await, 403).await;
    }
    let listed = json(app.call(&manager, "campaigns", &[]).await).await;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["id"] != c.as_str()),
        "{listed}"
    );
    // A manager's own campaign reaches only their subtree.
    let form = campaign_form(&app, None, f.id, Spec::new("Hall only"));
    let mine = id_in(
        &location(app.call(&manager, "campaigns/save", &borrowed(&form)).await).await,
        "/campaigns/",
    );
    let mine = mine.to_string();
    let body = refused(
        app.call(
            &manager,
            "campaigns/audience",
            &[
                ("campaign_id", &mine),
                ("op", "add"),
                ("kind", "unit"),
                ("target_id", &outside),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(body.contains("target_id"), "{body}");
    let body = refused(
        app.call(
            &manager,
            "campaigns/audience",
            &[
                ("campaign_id", &mine),
                ("op", "add"),
                ("kind", "person"),
                ("employee_no", "A0001"),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(body.contains("employee_no"), "{body}");
    location(
        app.call(
            &manager,
            "campaigns/audience",
            &[
                ("campaign_id", &mine),
                ("op", "add"),
                ("kind", "unit"),
                ("target_id", &hall.to_string()),
            ],
        )
        .await,
    )
    .await;
    let detail = json(app.call(&manager, "campaigns/get", &[("id", &mine)]).await).await;
    assert_eq!(detail["people"], 42, "the hall: its head and 41 staff");
    app.stop().await;
}

/// Two peers under a threshold of three: counted, never shown, and left out of the
/// current level. With a threshold of two the same answers count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_few_peers_are_never_shown() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let manager = app.signed_in("M0001").await;
    let li_na = person_of(&app, "S0001").await;
    let front_desk = position_id(&app, "FRONT_DESK").await;
    let f = build_framework(&app, &trainer, "Peer view", &["COMM"]).await;
    set_targets(&app, &trainer, f.family_id, front_desk, &[("COMM", 5, 1)]).await;
    let comm = f.competency("COMM");

    for (title, threshold) in [("Peers hidden", "3"), ("Peers shown", "2")] {
        let spec = Spec {
            peer_mode: "auto",
            peers: "2",
            threshold,
            ..Spec::new(title)
        };
        let campaign = open_campaign(&app, &trainer, f.id, spec, &["S0001"]).await;
        let peer_tasks = tasks_of(&app, campaign, "peer").await;
        assert_eq!(peer_tasks.len(), 2);
        let mut peer_numbers = Vec::new();
        for (task, level) in peer_tasks.iter().zip([1_u8, 5]) {
            assert_eq!(task.subject_id, li_na.id);
            let peer = person::Entity::find_by_id(task.rater_id)
                .one(&app.state.db)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(peer.unit_id, li_na.unit_id, "peers come from her unit");
            assert_ne!(peer.employee_no, "M0001");
            let client = app.signed_in(&peer.employee_no).await;
            submit(&app, &client, task.id, &[(comm, level)]).await;
            // Neither she nor her manager may open a peer's answers.
            for other in [&staff, &manager] {
                refused(
                    app.call(other, "tasks/get", &[("id", &task.id.to_string())])
                        .await,
                    404,
                )
                .await;
            }
            peer_numbers.push((peer.employee_no, peer.name));
        }
        submit(
            &app,
            &staff,
            task_in(&app, &staff, title).await,
            &[(comm, 4)],
        )
        .await;
        submit(
            &app,
            &manager,
            task_in(&app, &manager, title).await,
            &[(comm, 3)],
        )
        .await;

        for client in [&staff, &manager, &trainer] {
            let res = person_gaps(&app, client, li_na.id, campaign).await;
            let body = res.text().await.unwrap();
            for (no, name) in &peer_numbers {
                assert!(
                    !body.contains(no) && !body.contains(name),
                    "peer named: {body}"
                );
            }
            let gaps: Value = serde_json::from_str(&body).unwrap();
            let r = row(&gaps, "COMM");
            assert_eq!(r["peers"], 2, "{r}");
            assert!(close(&r["self_level"], 4.0), "{r}");
            if threshold == "3" {
                // (0.2·4 + 0.5·3) / 0.7 = 3.2857…; others = the manager alone.
                assert_eq!(r["sources"], serde_json::json!(["manager", "self"]), "{r}");
                assert!(close(&r["current"], 3.29), "{r}");
                assert!(close(&r["others_level"], 3.0), "{r}");
                assert_eq!(r["raters"], 2, "{r}");
            } else {
                // 0.2·4 + 0.5·3 + 0.3·3 = 3.2; others (0.5·3 + 0.3·3) / 0.8 = 3.
                assert_eq!(
                    r["sources"],
                    serde_json::json!(["manager", "self", "peer"]),
                    "{r}"
                );
                assert!(close(&r["current"], 3.2), "{r}");
                assert!(close(&r["others_level"], 3.0), "{r}");
                assert_eq!(r["raters"], 4, "{r}");
            }
            // No single peer's level appears anywhere in the row.
            for key in r.as_object().unwrap().keys() {
                assert!(!key.contains("peer_level"), "{r}");
            }
        }
        let stored = competency_result::Entity::find()
            .filter(competency_result::Column::CampaignId.eq(campaign))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.peer_count, 2);
        if threshold == "3" {
            assert_eq!(
                stored.peer_level, None,
                "below the threshold nothing is kept"
            );
        } else {
            assert_eq!(stored.peer_level, Some(3.0));
        }
    }
    app.stop().await;
}

/// Ratings point at the competencies of the version they were given on; editing a
/// version a campaign has opened on makes the next version instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_a_used_framework_makes_a_new_version() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let li_na = person_of(&app, "S0001").await;
    let v1 = build_framework(&app, &trainer, "Versioned", &["COMM", "POLICY"]).await;
    let (comm, policy) = (v1.competency("COMM"), v1.competency("POLICY"));

    // Unused, it is edited in place.
    let res = save_competency(
        &app,
        &trainer,
        v1.id,
        v1.domain_id,
        Some(comm),
        "COMM",
        "Talking",
    )
    .await;
    assert_eq!(
        location(res).await,
        format!("/frameworks/{}?saved=1", v1.id)
    );
    let (detail, _) = load_framework(&app, &trainer, v1.id).await;
    assert_eq!(detail["locked"], false);
    assert_eq!(detail["versions"].as_array().unwrap().len(), 1);

    let title = "On version one";
    let campaign = open_campaign(&app, &trainer, v1.id, Spec::new(title), &["S0001"]).await;
    let (detail, _) = load_framework(&app, &trainer, v1.id).await;
    assert_eq!(detail["locked"], true);
    let self_task = task_in(&app, &staff, title).await;
    submit(&app, &staff, self_task, &[(comm, 2), (policy, 5)]).await;

    // Editing now lands on a new version.
    let res = save_competency(
        &app,
        &trainer,
        v1.id,
        v1.domain_id,
        Some(comm),
        "COMM",
        "Explaining policy",
    )
    .await;
    let to = location(res).await;
    assert!(to.ends_with("?versioned=1"), "{to}");
    let v2_id = id_in(&to, "/frameworks/");
    assert_ne!(v2_id, v1.id);
    let (detail2, v2) = load_framework(&app, &trainer, v2_id).await;
    assert_eq!(detail2["version"], 2);
    assert_eq!(detail2["locked"], false);
    assert_eq!(v2.family_id, v1.family_id);
    assert_eq!(
        detail2["versions"],
        serde_json::json!([[v1.id.to_string(), 1], [v2_id.to_string(), 2]])
    );
    assert_eq!(
        detail2["domains"][0]["competencies"][0]["name"],
        "Explaining policy"
    );
    let v2_ids: HashSet<Uuid> = v2.competencies.iter().map(|(_, id)| *id).collect();
    assert!(!v2_ids.contains(&comm) && !v2_ids.contains(&policy));
    // Version one is as it was.
    let (detail1, _) = load_framework(&app, &trainer, v1.id).await;
    assert_eq!(detail1["version"], 1);
    assert_eq!(detail1["domains"][0]["competencies"][0]["name"], "Talking");
    assert_eq!(
        framework::Entity::find()
            .filter(framework::Column::FamilyId.eq(v1.family_id))
            .count(&app.state.db)
            .await
            .unwrap(),
        2
    );

    // The ratings still point at version one's competencies.
    let rated: HashSet<Uuid> = rating::Entity::find()
        .filter(rating::Column::TaskId.eq(self_task))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.competency_id)
        .collect();
    assert_eq!(rated, HashSet::from([comm, policy]));
    let on_v1 = competency::Entity::find()
        .filter(competency::Column::Id.is_in(rated.iter().copied()))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(on_v1.iter().all(|c| c.framework_id == v1.id));

    // The gap page says which version the figures are on, with its names.
    let gaps = json(person_gaps(&app, &staff, li_na.id, campaign).await).await;
    assert_eq!(gaps["provenance"]["framework_version"], 1, "{gaps}");
    assert_eq!(gaps["provenance"]["framework"], "Versioned");
    let r = row(&gaps, "COMM");
    assert_eq!(r["competency"], "Talking");
    assert!(close(&r["current"], 2.0), "self only: {r}");
    // The task still shows version one.
    let form = json(
        app.call(&staff, "tasks/get", &[("id", &self_task.to_string())])
            .await,
    )
    .await;
    assert_eq!(form["domains"][0][1][0]["id"], comm.to_string());

    // Version two is not in use: further edits stay on it.
    let res = save_competency(
        &app,
        &trainer,
        v2_id,
        v2.domain_id,
        Some(v2.competency("POLICY")),
        "POLICY",
        "Rules",
    )
    .await;
    assert_eq!(location(res).await, format!("/frameworks/{v2_id}?saved=1"));
    // Targets follow the newest version.
    let grid = json(
        app.call(
            &trainer,
            "targets",
            &[("family_id", &v1.family_id.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(grid["version"], 2);
    // A new campaign can run on version two while version one's stays put.
    let later = open_campaign(
        &app,
        &trainer,
        v2_id,
        Spec::new("On version two"),
        &["S0001"],
    )
    .await;
    let task = task_in(&app, &staff, "On version two").await;
    submit(
        &app,
        &staff,
        task,
        &[(v2.competency("COMM"), 4), (v2.competency("POLICY"), 4)],
    )
    .await;
    let gaps = json(person_gaps(&app, &staff, li_na.id, later).await).await;
    assert_eq!(gaps["provenance"]["framework_version"], 2);
    assert_eq!(row(&gaps, "COMM")["competency"], "Explaining policy");
    let gaps = json(person_gaps(&app, &staff, li_na.id, campaign).await).await;
    assert_eq!(gaps["provenance"]["framework_version"], 1);
    app.stop().await;
}

async fn upload_framework(app: &TestApp, client: &Client, csv: &str) -> Uuid {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("framework.csv"),
    );
    let res = client
        .post(format!("{}/frameworks/upload", app.origin()))
        .header("Origin", app.origin())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    id_in(
        res.headers()["location"].to_str().unwrap(),
        "/frameworks/import/",
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_framework_file_with_bad_rows_writes_nothing() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let db = &app.state.db;
    let frameworks_before = framework::Entity::find().count(db).await.unwrap();
    let competencies_before = competency::Entity::find().count(db).await.unwrap();
    let listed_before = json(app.call(&trainer, "frameworks", &[]).await)
        .await
        .as_array()
        .unwrap()
        .len();

    let bad = "domain,code,name,description,level_1,level_2,level_3,level_4,level_5\n\
        Service,COMM,Communication,,a,b,c,d,e\n\
        Service,bad code,Policy,,a,b,c,d,\n\
        Service,COMM,Again,,a,b,c,d,e\n";
    let upload = upload_framework(&app, &trainer, bad).await;
    let id = upload.to_string();
    let preview = json(
        app.call(&trainer, "frameworks/import/preview", &[("id", &id)])
            .await,
    )
    .await;
    let rows = preview["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "{preview}");
    assert!(rows[0]["errors"].as_array().unwrap().is_empty());
    let errors = rows[1]["errors"].to_string();
    assert!(
        errors.contains("level_5") && errors.contains("bad code"),
        "{errors}"
    );
    assert!(
        rows[2]["errors"].to_string().contains("duplicate"),
        "{preview}"
    );
    assert_eq!(preview["imported"], false);

    let body = refused(
        app.call(
            &trainer,
            "frameworks/import",
            &[("id", &id), ("name", "Half good")],
        )
        .await,
        422,
    )
    .await;
    assert!(body.contains("line 3"), "{body}");
    assert_eq!(
        framework::Entity::find().count(db).await.unwrap(),
        frameworks_before
    );
    assert_eq!(
        competency::Entity::find().count(db).await.unwrap(),
        competencies_before
    );
    let listed_after = json(app.call(&trainer, "frameworks", &[]).await)
        .await
        .as_array()
        .unwrap()
        .len();
    assert_eq!(listed_after, listed_before);
    let stored = roster_upload::Entity::find_by_id(upload)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.imported_at, None, "the upload stays unimported");
    let preview = json(
        app.call(&trainer, "frameworks/import/preview", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(preview["imported"], false);

    // A good file imports whole, once; its export imports again.
    let good = "\u{feff}领域,代码,名称,描述,等级1,等级2,等级3,等级4,等级5\n\
        服务能力,COMM,沟通表达,,一,二,三,四,五\n\
        服务能力,POLICY,政策掌握,,一,二,三,四,五\n\
        服务态度,ATT,服务意识,,一,二,三,四,五\n";
    let upload = upload_framework(&app, &trainer, good).await.to_string();
    let to = location(
        app.call(
            &trainer,
            "frameworks/import",
            &[("id", &upload), ("name", "Imported")],
        )
        .await,
    )
    .await;
    assert!(to.ends_with("?imported=1"), "{to}");
    let imported = id_in(&to, "/frameworks/");
    let detail = json(
        app.call(&trainer, "frameworks/get", &[("id", &imported.to_string())])
            .await,
    )
    .await;
    assert_eq!(detail["name"], "Imported");
    assert_eq!(detail["domains"].as_array().unwrap().len(), 2);
    assert_eq!(
        competency::Entity::find().count(db).await.unwrap(),
        competencies_before + 3
    );
    refused(
        app.call(
            &trainer,
            "frameworks/import",
            &[("id", &upload), ("name", "Twice")],
        )
        .await,
        409,
    )
    .await;
    assert_eq!(
        framework::Entity::find().count(db).await.unwrap(),
        frameworks_before + 1
    );
    let res = download(&app, &trainer, &format!("/export/frameworks/{imported}")).await;
    assert_eq!(res.status(), 200);
    let exported = res.text().await.unwrap();
    assert!(
        exported.contains("POLICY") && exported.contains("服务意识"),
        "{exported}"
    );
    let again = upload_framework(&app, &trainer, &exported)
        .await
        .to_string();
    let preview = json(
        app.call(&trainer, "frameworks/import/preview", &[("id", &again)])
            .await,
    )
    .await;
    assert_eq!(preview["rows"].as_array().unwrap().len(), 3);
    assert!(
        preview["file_problems"].as_array().unwrap().is_empty(),
        "{preview}"
    );
    assert!(
        preview["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["errors"].as_array().unwrap().is_empty()),
        "{preview}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_reach_raters_with_work_left() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let manager = app.signed_in("M0001").await;
    let f = build_framework(&app, &trainer, "Reminders", &["COMM"]).await;

    let (staff_before, manager_before) = (unread(&app, &staff).await, unread(&app, &manager).await);
    let title = "Please answer";
    let campaign = open_campaign(&app, &trainer, f.id, Spec::new(title), &["S0001"]).await;
    // Opening tells each rater once.
    assert_eq!(unread(&app, &staff).await, staff_before + 1);
    assert_eq!(unread(&app, &manager).await, manager_before + 1);

    let self_task = task_in(&app, &staff, title).await;
    submit(&app, &staff, self_task, &[(f.competency("COMM"), 3)]).await;
    let (staff_before, manager_before) = (unread(&app, &staff).await, unread(&app, &manager).await);
    let to = location(
        app.call(
            &trainer,
            "campaigns/remind",
            &[("id", &campaign.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(to, format!("/campaigns/{campaign}?reminded=1"));
    assert_eq!(
        unread(&app, &manager).await,
        manager_before + 1,
        "pending rater reminded"
    );
    assert_eq!(
        unread(&app, &staff).await,
        staff_before,
        "done: not reminded"
    );

    let list = json(app.call(&manager, "notifications", &[]).await).await;
    let kinds: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["campaign_id"] == campaign.to_string())
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "reminder").count(),
        1,
        "{list}"
    );
    assert!(kinds.contains(&"campaign_opened"), "{list}");
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .filter(|n| n["campaign_id"] == campaign.to_string())
            .all(|n| n["campaign"] == title),
        "{list}"
    );
    location(app.call(&manager, "notifications/read", &[]).await).await;
    assert_eq!(unread(&app, &manager).await, 0);
    app.stop().await;
}

/// Form keys carry uuids; serde_qs reads a bracketed key that starts with a digit
/// as a list index, so keys must not start with the bare uuid. Ids are random, so
/// this test makes ones that start with digits on purpose.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_keys_work_for_ids_that_start_with_a_digit() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let li_na = person_of(&app, "S0001").await;
    let f = build_framework(&app, &trainer, "Digits", &["COMM"]).await;
    let numeric = Uuid::parse_str("12345678-9012-4345-8789-012345678901").unwrap();
    competency::ActiveModel {
        id: Set(numeric),
        framework_id: Set(f.id),
        domain_id: Set(f.domain_id),
        position: Set(1),
        code: Set("NUM".into()),
        name: Set("Numbers".into()),
        description: Set(None),
        level_1: Set("1".into()),
        level_2: Set("2".into()),
        level_3: Set("3".into()),
        level_4: Set("4".into()),
        level_5: Set("5".into()),
        archived: Set(false),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    // Li Na's position, re-keyed to an id that starts with a digit.
    let desk = Uuid::parse_str("01234567-89ab-4def-8123-456789abcdef").unwrap();
    position::ActiveModel {
        id: Set(desk),
        code: Set("DIGIT_DESK".into()),
        name: Set("Digit desk".into()),
        active: Set(true),
        created_at: Set(Utc::now()),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    let mut moved: person::ActiveModel = li_na.clone().into();
    moved.position_id = Set(Some(desk));
    moved.update(&app.state.db).await.unwrap();

    set_targets(
        &app,
        &trainer,
        f.family_id,
        desk,
        &[("NUM", 4, 3), ("COMM", 2, 1)],
    )
    .await;
    let grid = json(
        app.call(
            &trainer,
            "targets",
            &[("family_id", &f.family_id.to_string())],
        )
        .await,
    )
    .await;
    let cells: Vec<(&str, &str, u64)> = grid["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["position_id"].as_str().unwrap(),
                c["code"].as_str().unwrap(),
                c["level"].as_u64().unwrap(),
            )
        })
        .collect();
    let desk_text = desk.to_string();
    assert!(cells.contains(&(desk_text.as_str(), "NUM", 4)), "{grid}");

    let title = "Digits campaign";
    let campaign = open_campaign(&app, &trainer, f.id, Spec::new(title), &["S0001"]).await;
    let task = task_in(&app, &staff, title).await;
    submit(
        &app,
        &staff,
        task,
        &[(numeric, 1), (f.competency("COMM"), 2)],
    )
    .await;
    let gaps = json(person_gaps(&app, &staff, li_na.id, campaign).await).await;
    let r = row(&gaps, "NUM");
    assert!(close(&r["current"], 1.0), "{r}");
    assert!(close(&r["weighted_gap"], 9.0), "(4 - 1) x 3: {r}");
    app.stop().await;
}
