//! The authorisation table: for every server function, who may call it. Everyone
//! else gets 403 (or 401 when not signed in) and no data.

use crate::common::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Who {
    Visitor,
    Staff,
    Trainer,
    Manager,
    Admin,
}

pub(crate) const ALL: [Who; 5] = [
    Who::Visitor,
    Who::Staff,
    Who::Trainer,
    Who::Manager,
    Who::Admin,
];
const SIGNED_IN: &[Who] = &[Who::Staff, Who::Trainer, Who::Manager, Who::Admin];
/// Who reads frameworks, runs campaigns, reads unit-level gaps and course evaluations.
const RUNNERS: &[Who] = &[Who::Trainer, Who::Manager, Who::Admin];
/// Who edits frameworks and target profiles.
const EDITORS: &[Who] = &[Who::Trainer, Who::Admin];
/// Framework readers are the campaign runners.
const READERS: &[Who] = RUNNERS;

pub(crate) fn login_of(who: Who) -> Option<&'static str> {
    match who {
        Who::Visitor => None,
        Who::Staff => Some("S0001"),
        Who::Trainer => Some("T0001"),
        Who::Manager => Some("M0001"),
        Who::Admin => Some("A0001"),
    }
}

/// (endpoint, form, who may call). Writes use harmless or invalid input so the
/// table checks the gate, not the business rules.
/// One row of the table: endpoint, form fields, who may call.
pub(crate) type Row = (
    &'static str,
    Vec<(&'static str, &'static str)>,
    &'static [Who],
);

pub(crate) fn table() -> Vec<Row> {
    let bogus = "00000000-0000-0000-0000-000000000000";
    vec![
        ("auth/me", vec![], &ALL),
        ("auth/setup-needed", vec![], &ALL),
        ("dashboard", vec![], SIGNED_IN),
        (
            "auth/password",
            vec![("current", "x"), ("new_password", "y"), ("confirm", "z")],
            SIGNED_IN,
        ),
        ("org/units", vec![], &[Who::Manager, Who::Admin]),
        (
            "org/units/save",
            vec![("code", ""), ("name", "")],
            &[Who::Admin],
        ),
        (
            "org/units/active",
            vec![("id", bogus), ("active", "true")],
            &[Who::Admin],
        ),
        ("org/positions", vec![], &[Who::Admin]),
        (
            "org/positions/save",
            vec![("code", ""), ("name", "")],
            &[Who::Admin],
        ),
        (
            "org/positions/active",
            vec![("id", bogus), ("active", "true")],
            &[Who::Admin],
        ),
        (
            "org/people",
            vec![],
            &[Who::Trainer, Who::Manager, Who::Admin],
        ),
        (
            "org/person",
            vec![("id", bogus)],
            &[Who::Manager, Who::Admin],
        ),
        (
            "org/person/save",
            vec![("employee_no", ""), ("name", "")],
            &[Who::Admin],
        ),
        (
            "org/person/active",
            vec![("id", bogus), ("active", "true")],
            &[Who::Admin],
        ),
        (
            "org/person/password",
            vec![("id", bogus), ("new_password", "x"), ("confirm", "x")],
            &[Who::Admin],
        ),
        ("org/person/unlock", vec![("id", bogus)], &[Who::Admin]),
        ("org/roster/preview", vec![("id", bogus)], &[Who::Admin]),
        ("org/roster/import", vec![("id", bogus)], &[Who::Admin]),
        // Competency frameworks and target profiles: read by those who run
        // campaigns, edited by trainers and admins.
        ("frameworks", vec![], READERS),
        ("frameworks/get", vec![("id", bogus)], READERS),
        ("frameworks/create", vec![("name", "")], EDITORS),
        (
            "frameworks/save",
            vec![("id", bogus), ("name", "")],
            EDITORS,
        ),
        (
            "frameworks/archive",
            vec![("id", bogus), ("archived", "true")],
            EDITORS,
        ),
        (
            "frameworks/domain/save",
            vec![("framework_id", bogus), ("name", "")],
            EDITORS,
        ),
        (
            "frameworks/competency/save",
            vec![
                ("framework_id", bogus),
                ("domain_id", bogus),
                ("code", ""),
                ("name", ""),
                ("level_1", ""),
                ("level_2", ""),
                ("level_3", ""),
                ("level_4", ""),
                ("level_5", ""),
            ],
            EDITORS,
        ),
        (
            "frameworks/arrange",
            vec![
                ("framework_id", bogus),
                ("target", "domain"),
                ("id", bogus),
                ("op", "up"),
            ],
            EDITORS,
        ),
        ("frameworks/import/preview", vec![("id", bogus)], EDITORS),
        (
            "frameworks/import",
            vec![("id", bogus), ("name", "")],
            EDITORS,
        ),
        ("targets", vec![("family_id", bogus)], READERS),
        ("targets/save", vec![("family_id", bogus)], EDITORS),
        (
            "targets/copy",
            vec![
                ("family_id", bogus),
                ("from_position", ""),
                ("to_position", ""),
            ],
            EDITORS,
        ),
        // Campaigns: run by managers (their own), trainers and admins.
        ("campaigns", vec![], RUNNERS),
        ("campaigns/options", vec![], RUNNERS),
        ("campaigns/get", vec![("id", bogus)], RUNNERS),
        (
            "campaigns/save",
            vec![
                ("title", ""),
                ("framework_id", ""),
                ("opens_at", ""),
                ("closes_at", ""),
                ("peer_mode", "none"),
                ("peers_per_person", ""),
                ("anonymity_threshold", ""),
                ("weight_self", ""),
                ("weight_manager", ""),
                ("weight_peers", ""),
                ("discrepancy_threshold", ""),
            ],
            RUNNERS,
        ),
        (
            "campaigns/audience",
            vec![("campaign_id", bogus), ("op", "add")],
            RUNNERS,
        ),
        (
            "campaigns/item",
            vec![("campaign_id", bogus), ("op", "add")],
            RUNNERS,
        ),
        (
            "campaigns/state",
            vec![("id", bogus), ("to", "open")],
            RUNNERS,
        ),
        ("campaigns/progress", vec![("id", bogus)], RUNNERS),
        ("campaigns/remind", vec![("id", bogus)], RUNNERS),
        // Everyone answers their own tasks and reads their own notifications.
        ("tasks", vec![], SIGNED_IN),
        ("tasks/get", vec![("id", bogus)], SIGNED_IN),
        (
            "tasks/answer",
            vec![("id", bogus), ("intent", "save")],
            SIGNED_IN,
        ),
        (
            "tasks/nominate",
            vec![("campaign_id", bogus), ("employee_no", "")],
            SIGNED_IN,
        ),
        ("notifications", vec![], SIGNED_IN),
        // One's own sessions; another's id is not found (tested in auth.rs).
        ("auth/sessions", vec![], SIGNED_IN),
        ("auth/sessions/end", vec![("id", bogus)], SIGNED_IN),
        ("notifications/read", vec![], SIGNED_IN),
        // Gap results: one's own for everyone, unit views for analysts.
        ("gaps/person", vec![], SIGNED_IN),
        ("gaps/heatmap", vec![], RUNNERS),
        ("gaps/priorities", vec![], RUNNERS),
        ("gaps/before-after", vec![], RUNNERS),
        ("gaps/before-after/people", vec![], RUNNERS),
        // The catalogue and lessons are everyone's (drafts only their owners');
        // building is for trainers and admins.
        // Proposals: trainers and admins everyone's, managers their own people's.
        ("proposals", vec![], RUNNERS),
        ("proposals/decide", vec![("decision", "accept")], RUNNERS),
        ("proposals/regenerate", vec![], EDITORS),
        ("learning", vec![], SIGNED_IN),
        ("courses/enrol", vec![("id", bogus)], SIGNED_IN),
        ("lessons/done", vec![("lesson", bogus)], SIGNED_IN),
        ("learning/hours", vec![], SIGNED_IN),
        (
            "certificates/get",
            vec![("code", "ABCD-EFGH-JKMN")],
            SIGNED_IN,
        ),
        (
            "certificates/verify",
            vec![("code", "ABCD-EFGH-JKMN")],
            &ALL,
        ),
        ("team/progress", vec![], RUNNERS),
        ("classroom/sessions", vec![("course", bogus)], SIGNED_IN),
        (
            "classroom/create",
            vec![
                ("course", bogus),
                ("date", ""),
                ("start", ""),
                ("end", ""),
                ("place", ""),
                ("capacity", ""),
            ],
            EDITORS,
        ),
        ("classroom/enrol", vec![("session", bogus)], SIGNED_IN),
        ("classroom/withdraw", vec![("session", bogus)], SIGNED_IN),
        ("classroom/sheet", vec![("session", bogus)], SIGNED_IN),
        ("classroom/attendance", vec![("session", bogus)], SIGNED_IN),
        (
            "classroom/change",
            vec![
                ("session", bogus),
                ("date", ""),
                ("start", ""),
                ("end", ""),
                ("place", ""),
                ("capacity", ""),
            ],
            EDITORS,
        ),
        ("classroom/cancel", vec![("session", bogus)], EDITORS),
        // Training rules: everyone reads them (their own requirement), admins set them.
        ("rules/get", vec![], SIGNED_IN),
        (
            "rules/save",
            vec![
                ("hours_budget", ""),
                ("hours_required", ""),
                ("trainer_rate", ""),
                ("venue_rate", ""),
                ("class_size", ""),
                ("anonymity_threshold", ""),
            ],
            &[Who::Admin],
        ),
        // The annual plan: trainers and admins draft and read it.
        ("plan/get", vec![], EDITORS),
        ("plan/generate", vec![("year", "1900")], EDITORS),
        ("plan/line", vec![("id", bogus), ("people", "")], EDITORS),
        ("plan/remove", vec![("id", bogus)], EDITORS),
        (
            "plan/state",
            vec![("year", "1900"), ("step", "submit")],
            EDITORS,
        ),
        ("assignments/options", vec![], RUNNERS),
        (
            "assignments/create",
            vec![("course", ""), ("target", "person"), ("note", "")],
            RUNNERS,
        ),
        ("assignments/get", vec![("id", bogus)], SIGNED_IN),
        ("assignments/change", vec![("id", bogus)], RUNNERS),
        ("team/hours", vec![], RUNNERS),
        ("courses", vec![], SIGNED_IN),
        ("courses/get", vec![("id", bogus)], SIGNED_IN),
        ("courses/lesson", vec![("id", bogus)], SIGNED_IN),
        (
            "courses/save",
            vec![("code", ""), ("title", ""), ("hours", ""), ("mode", "")],
            EDITORS,
        ),
        (
            "courses/state",
            vec![("id", bogus), ("to", "published")],
            EDITORS,
        ),
        ("courses/raises", vec![("id", bogus)], EDITORS),
        ("courses/attachment/remove", vec![("id", bogus)], EDITORS),
        ("courses/cover/remove", vec![("id", bogus)], EDITORS),
        (
            "courses/module",
            vec![("course_id", bogus), ("op", "up"), ("id", bogus)],
            EDITORS,
        ),
        (
            "courses/lesson/save",
            vec![("module_id", bogus), ("title", "x")],
            EDITORS,
        ),
        (
            "courses/lesson/arrange",
            vec![("id", bogus), ("op", "up")],
            EDITORS,
        ),
        ("bank", vec![("query[page]", "1")], EDITORS),
        ("bank/question", vec![("id", bogus)], EDITORS),
        (
            "bank/archive",
            vec![("id", bogus), ("archived", "true")],
            EDITORS,
        ),
        ("bank/import/preview", vec![("id", bogus)], EDITORS),
        ("bank/import", vec![("id", bogus)], EDITORS),
        ("quizzes/course", vec![("course_id", bogus)], SIGNED_IN),
        ("quizzes/get", vec![("id", bogus)], EDITORS),
        (
            "quizzes/save",
            vec![
                ("course_id", bogus),
                ("title", ""),
                ("purpose", ""),
                ("counting", ""),
                ("pass_mark", ""),
                ("review", ""),
            ],
            EDITORS,
        ),
        (
            "quizzes/rules/add",
            vec![("id", bogus), ("by", "category"), ("key", "x")],
            EDITORS,
        ),
        (
            "quizzes/rules/remove",
            vec![("id", bogus), ("index", "0")],
            EDITORS,
        ),
        ("attempts/start", vec![("quiz_id", bogus)], SIGNED_IN),
        ("attempts/get", vec![("id", bogus)], SIGNED_IN),
        (
            "attempts/save",
            vec![("id", bogus), ("position", "1")],
            SIGNED_IN,
        ),
        ("attempts/submit", vec![("id", bogus)], SIGNED_IN),
        ("quizzes/items", vec![("id", bogus)], EDITORS),
        ("evaluation/learning", vec![("course_id", bogus)], RUNNERS),
        ("evaluation/course", vec![("course_id", bogus)], RUNNERS),
        ("evaluation/behaviour", vec![("course_id", bogus)], RUNNERS),
        ("indicators/report", vec![], RUNNERS),
        ("indicators/grid", vec![], &[Who::Admin]),
        (
            "indicators/save",
            vec![("unit", bogus), ("year", "2026")],
            &[Who::Admin],
        ),
        ("indicators/preview", vec![("id", bogus)], &[Who::Admin]),
        ("indicators/import", vec![("id", bogus)], &[Who::Admin]),
        ("evaluation/follow-ups", vec![], SIGNED_IN),
        ("evaluation/follow-up", vec![("id", bogus)], SIGNED_IN),
        (
            "evaluation/follow-up/submit",
            vec![("id", bogus)],
            SIGNED_IN,
        ),
        (
            "evaluation/reaction/form",
            vec![("course_id", bogus)],
            SIGNED_IN,
        ),
        (
            "evaluation/reaction/submit",
            vec![("course_id", bogus)],
            SIGNED_IN,
        ),
        (
            "evaluation/reaction/report",
            vec![("course_id", bogus)],
            RUNNERS,
        ),
        (
            "evaluation/reaction/setup",
            vec![("course_id", bogus)],
            EDITORS,
        ),
        (
            "evaluation/reaction/add",
            vec![("course_id", bogus), ("kind", "text"), ("prompt", "x")],
            EDITORS,
        ),
        (
            "evaluation/reaction/reword",
            vec![("id", bogus), ("prompt", "x")],
            EDITORS,
        ),
        ("evaluation/reaction/remove", vec![("id", bogus)], EDITORS),
        ("evaluation/reaction/template", vec![], EDITORS),
        (
            "evaluation/reaction/require",
            vec![("course_id", bogus)],
            EDITORS,
        ),
        ("quizzes/results", vec![("id", bogus)], EDITORS),
        ("marking", vec![], EDITORS),
        (
            "marking/mark",
            vec![("attempt_id", bogus), ("position", "1"), ("score", "1")],
            EDITORS,
        ),
        ("bank/question/edit-form", vec![("id", bogus)], EDITORS),
        (
            "bank/question/edit",
            vec![("id", bogus), ("source", "问{T}"), ("points", "1")],
            EDITORS,
        ),
        (
            "bank/question/regrade",
            vec![("id", bogus), ("confirm", "yes")],
            EDITORS,
        ),
    ]
}

/// Open to everyone by design, and each tested for what it does with each kind of
/// caller in `auth.rs` (sign-in, sign-out, first-run setup, the language switch).
const COVERED_IN_AUTH: [&str; 4] = ["auth/login", "auth/logout", "auth/setup", "auth/locale"];

/// Every server function the framework registered has a row in the table, and
/// every row names a registered one: a new endpoint without a row fails here.
#[tokio::test]
async fn the_table_covers_every_registered_server_function() {
    // The registry is filled when the first router is built.
    let app = TestApp::spawn_empty().await;
    let registered: std::collections::BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let listed: std::collections::BTreeSet<String> = table()
        .into_iter()
        .map(|(e, _, _)| e)
        .chain(COVERED_IN_AUTH)
        .map(str::to_owned)
        .collect();
    let missing: Vec<&String> = registered.difference(&listed).collect();
    let stale: Vec<&String> = listed.difference(&registered).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "server functions without a row: {missing:?}; rows without a server function: {stale:?}"
    );
    assert!(
        registered.len() > 40,
        "the registry was read: {registered:?}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_checks_the_caller() {
    let app = TestApp::spawn().await;
    let mut clients = Vec::new();
    for who in ALL {
        let client = match login_of(who) {
            Some(no) => app.signed_in(no).await,
            None => app.client(),
        };
        clients.push((who, client));
    }
    let mut failures = Vec::new();
    for (endpoint, form, allowed) in table() {
        for (who, client) in &clients {
            let res = app.call(client, endpoint, &form).await;
            let status = res.status().as_u16();
            let body = res.text().await.unwrap_or_default();
            let ok = if allowed.contains(who) {
                !matches!(status, 401 | 403 | 500)
            } else if *who == Who::Visitor {
                status == 401 && body.contains("Unauthorized")
            } else {
                status == 403 && body.contains("Forbidden")
            };
            if !ok {
                failures.push(format!("{endpoint} as {who:?}: {status} {body:.120}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorisation table mismatches:\n{}",
        failures.join("\n")
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_upload_is_admin_only() {
    let app = TestApp::spawn().await;
    for (no, expected) in [("S0001", 403), ("M0001", 403), ("T0001", 403)] {
        let client = app.signed_in(no).await;
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::text("x").file_name("r.csv"),
        );
        let res = client
            .post(format!("{}/admin/roster/upload", app.origin()))
            .header("Origin", app.origin())
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), expected, "{no}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_pages_answer_403_to_staff() {
    let app = TestApp::spawn().await;
    let staff = app.signed_in("S0001").await;
    for path in [
        "/admin/people",
        "/admin/units",
        "/admin/positions",
        "/admin/roster",
        "/team",
        "/team/progress",
        "/team/hours",
        "/assignments/new",
        "/proposals",
        "/courses/new",
        "/courses/00000000-0000-0000-0000-000000000000/edit",
        "/bank",
        "/bank/import",
        "/bank/import/00000000-0000-0000-0000-000000000000",
        "/bank/questions/00000000-0000-0000-0000-000000000000",
        "/quizzes/new",
        "/quizzes/00000000-0000-0000-0000-000000000000",
        "/quizzes/00000000-0000-0000-0000-000000000000/items",
        "/courses/00000000-0000-0000-0000-000000000000/evaluation",
        "/courses/00000000-0000-0000-0000-000000000000/evaluation/learning",
        "/courses/00000000-0000-0000-0000-000000000000/evaluation/reaction",
        "/courses/00000000-0000-0000-0000-000000000000/evaluation/behaviour",
        "/indicators",
        "/indicators/grid",
        "/indicators/import/00000000-0000-0000-0000-000000000000",
        "/courses/00000000-0000-0000-0000-000000000000/reaction/setup",
        "/reaction-template",
        "/gaps/before-after",
        "/marking",
    ] {
        let res = app.get(&staff, path).await;
        assert_eq!(res.status(), 403, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains("data-testid=\"forbidden\""), "{path}");
    }
    let visitor = app.client();
    let res = app.get(&visitor, "/admin/people").await;
    assert!(res.status().is_redirection(), "visitor: {}", res.status());
    assert_eq!(app.get(&visitor, "/no/such/page").await.status(), 404);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managers_see_only_their_subtree() {
    let app = TestApp::spawn().await;
    let manager = app.signed_in("M0001").await;
    let page: serde_json::Value = app.json(&manager, "org/people", &[("page", "1")]).await;
    let total = page["total"].as_u64().unwrap();
    // The service hall: its head plus 41 staff.
    assert_eq!(total, 42, "{page}");
    for row in page["rows"].as_array().unwrap() {
        assert_eq!(row["unit"], "服务大厅", "{row}");
    }
    // The dashboard counts the same people (less the manager).
    let dash: serde_json::Value = app.json(&manager, "dashboard", &[]).await;
    assert_eq!(dash["team"]["people"], 41, "{dash}");
    assert_eq!(
        dash["team"]["by_unit"],
        serde_json::json!([["服务大厅", 41]])
    );
    let trainer = app.signed_in("T0001").await;
    let dash: serde_json::Value = app.json(&trainer, "dashboard", &[]).await;
    assert_eq!(dash["team"]["people"], 119, "everyone but the trainer");
    // A person in another unit is not readable by id.
    let admin = app.signed_in("A0001").await;
    let everyone: serde_json::Value = app.json(&admin, "org/people", &[("q", "A0001")]).await;
    let outsider = everyone["rows"][0]["id"].as_str().unwrap().to_owned();
    let res = app.call(&manager, "org/person", &[("id", &outsider)]).await;
    assert_eq!(res.status(), 403);
    app.stop().await;
}

async fn unit_list(app: &TestApp, client: &reqwest::Client) -> Vec<serde_json::Value> {
    app.json(client, "org/units", &[])
        .await
        .as_array()
        .unwrap()
        .clone()
}

/// The dashboard walks the unit tree in SQL; it must count exactly the people the
/// people list shows a manager: sub-units at any depth and direct reports elsewhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manager_team_counts_follow_the_unit_tree() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let id_of = |units: &[serde_json::Value], name: &str| {
        units
            .iter()
            .find(|u| u["name"] == name)
            .map(|u| u["id"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("no unit {name}"))
    };
    let all = unit_list(&app, &admin).await;
    let hall = id_of(&all, "服务大厅");
    let elsewhere = all
        .iter()
        .find(|u| u["name"] != "服务大厅" && u["parent_id"].is_null())
        .map(|u| (u["id"].as_str().unwrap().to_owned(), u["name"].clone()))
        .unwrap();
    // Two levels below the service hall, one person at the bottom.
    for (code, name, parent) in [
        ("HALL-A", "综合窗口组", hall.clone()),
        ("HALL-A1", "Window 1", String::new()),
    ] {
        let parent = if parent.is_empty() {
            id_of(&unit_list(&app, &admin).await, "综合窗口组")
        } else {
            parent
        };
        let res = app
            .call(
                &admin,
                "org/units/save",
                &[("code", code), ("name", name), ("parent_id", &parent)],
            )
            .await;
        assert!(res.status().is_success(), "{code}: {}", res.status());
    }
    let deepest = id_of(&unit_list(&app, &admin).await, "Window 1");
    for (no, name, unit, manager) in [
        ("E9001", "林晓雯", deepest.as_str(), ""),
        ("E9002", "Direct Report", elsewhere.0.as_str(), "M0001"),
        ("E9003", "Not Mine", elsewhere.0.as_str(), ""),
    ] {
        let res = app
            .call(
                &admin,
                "org/person/save",
                &[
                    ("employee_no", no),
                    ("name", name),
                    ("unit_id", unit),
                    ("manager_no", manager),
                    ("role_staff", "on"),
                ],
            )
            .await;
        assert!(res.status().is_success(), "{no}: {}", res.status());
    }

    let manager = app.signed_in("M0001").await;
    let listed: serde_json::Value = app.json(&manager, "org/people", &[("page", "1")]).await;
    let dash: serde_json::Value = app.json(&manager, "dashboard", &[]).await;
    assert_eq!(dash["team"]["people"], 43, "{dash}");
    assert_eq!(
        dash["team"]["people"].as_u64().unwrap() + 1,
        listed["total"].as_u64().unwrap(),
        "the people list shows the same people plus the manager"
    );
    let by_unit = dash["team"]["by_unit"].as_array().unwrap();
    assert!(
        by_unit.contains(&serde_json::json!(["Window 1", 1])),
        "{dash}"
    );
    assert!(
        by_unit.contains(&serde_json::json!(["服务大厅", 41])),
        "{dash}"
    );
    assert!(
        by_unit.contains(&serde_json::json!([elsewhere.1, 1])),
        "direct report only: {dash}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn framework_files_and_gap_exports_check_the_caller() {
    let app = TestApp::spawn().await;
    let bogus = "00000000-0000-0000-0000-000000000000";
    let li_na = app::entities::person::Entity::find()
        .filter(app::entities::person::Column::EmployeeNo.eq("S0001"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let downloads: Vec<(String, &[Who])> = vec![
        ("/export/gaps/heatmap.csv".into(), RUNNERS),
        ("/export/gaps/priorities.csv".into(), RUNNERS),
        ("/export/gaps/before-after.csv".into(), RUNNERS),
        ("/export/gaps/before-after-people.csv".into(), RUNNERS),
        (format!("/export/frameworks/{bogus}"), READERS),
        (format!("/export/courses/{bogus}/behaviour.csv"), RUNNERS),
        (format!("/export/courses/{bogus}/reaction.csv"), RUNNERS),
        ("/export/indicators.csv".into(), RUNNERS),
    ];
    for who in ALL {
        let client = match login_of(who) {
            Some(no) => app.signed_in(no).await,
            None => app.client(),
        };
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::text("x").file_name("f.csv"),
        );
        let res = client
            .post(format!("{}/frameworks/upload", app.origin()))
            .header("Origin", app.origin())
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = res.status();
        if EDITORS.contains(&who) {
            let to = res.headers()["location"].to_str().unwrap();
            assert!(
                status.is_redirection() && to.starts_with("/frameworks/import/"),
                "upload as {who:?}: {status} {to}"
            );
        } else if who == Who::Visitor {
            assert!(status.is_redirection(), "upload as visitor: {status}");
            assert!(
                res.headers()["location"]
                    .to_str()
                    .unwrap()
                    .starts_with("/login")
            );
        } else {
            assert_eq!(status, 403, "upload as {who:?}");
        }
        for (path, allowed) in &downloads {
            let res = client
                .get(format!("{}{path}", app.origin()))
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let ok = if allowed.contains(&who) {
                !matches!(status, 401 | 403 | 500)
            } else if who == Who::Visitor {
                res.status().is_redirection()
            } else {
                status == 403
            };
            assert!(ok, "{path} as {who:?}: {status}");
        }
        // Anyone signed in exports their own gaps; a visitor is sent to sign in.
        let res = client
            .get(format!("{}/export/gaps/person/{li_na}", app.origin()))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        match who {
            Who::Visitor => assert!(res.status().is_redirection(), "{status}"),
            Who::Staff | Who::Manager | Who::Trainer | Who::Admin => {
                assert_eq!(status, 200, "Li Na's gaps as {who:?}")
            }
        }
    }
    app.stop().await;
}

/// The dashboard's unit, position and manager come with the session lookup on each
/// request: they match the people list and follow an edit without signing in again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_shows_where_the_person_sits_now() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let staff = app.signed_in("S0001").await;
    let listed: serde_json::Value = app.json(&admin, "org/people", &[("q", "S0001")]).await;
    let row = &listed["rows"][0];
    assert!(
        row["unit"].is_string() && row["position"].is_string(),
        "{row}"
    );
    assert!(row["manager"].is_string(), "{row}");
    let dash: serde_json::Value = app.json(&staff, "dashboard", &[]).await;
    assert_eq!(dash["name"], row["name"]);
    for field in ["unit", "position", "manager"] {
        assert_eq!(dash[field], row[field], "{field}: {dash}");
    }

    // Renaming the unit shows on the next request of the same session.
    let units = unit_list(&app, &admin).await;
    let unit = units.iter().find(|u| u["name"] == row["unit"]).unwrap();
    let res = app
        .call(
            &admin,
            "org/units/save",
            &[
                ("id", unit["id"].as_str().unwrap()),
                ("code", unit["code"].as_str().unwrap()),
                ("name", "综合服务大厅"),
                ("parent_id", unit["parent_id"].as_str().unwrap_or("")),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let dash: serde_json::Value = app.json(&staff, "dashboard", &[]).await;
    assert_eq!(dash["unit"], "综合服务大厅", "{dash}");
    app.stop().await;
}
