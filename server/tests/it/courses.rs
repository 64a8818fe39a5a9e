//! Courses over HTTP: who may build and see them, validation that writes nothing,
//! publishing, lessons rendered safely, soft removal, and the catalogue filters.

use crate::common::TestApp;
use crate::flows::*;
use app::domain::{AuditAction, CourseStatus};
use app::entities::{audit_log, course, lesson, person};
use reqwest::Client;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

async fn create_course(app: &TestApp, client: &Client, code: &str, title: &str) -> Uuid {
    let res = app
        .call(
            client,
            "courses/save",
            &[
                ("code", code),
                ("title", title),
                ("summary", "为窗口人员准备。"),
                ("hours", "2.5"),
                ("mode", "online"),
            ],
        )
        .await;
    let at = location(res).await;
    id_in(&at, "/courses/")
}

async fn add_lesson(app: &TestApp, client: &Client, course: Uuid, title: &str, body: &str) -> Uuid {
    let res = app
        .call(
            client,
            "courses/module",
            &[
                ("course_id", &course.to_string()),
                ("op", "save"),
                ("title", "第一单元"),
            ],
        )
        .await;
    location(res).await;
    let detail = json(
        app.call(client, "courses/get", &[("id", &course.to_string())])
            .await,
    )
    .await;
    let module = detail["modules"].as_array().unwrap().last().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .call(
            client,
            "courses/lesson/save",
            &[("module_id", &module), ("title", title), ("body", body)],
        )
        .await;
    let at = location(res).await;
    let lesson = at.split("/lessons/").nth(1).expect("a lesson address");
    Uuid::parse_str(lesson.split(['/', '?']).next().unwrap()).unwrap()
}

fn codes(catalogue: &Value) -> Vec<String> {
    catalogue["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn catalogue(app: &TestApp, client: &Client, form: &[(&str, &str)]) -> Value {
    json(app.call(client, "courses", form).await).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_owners_and_admins_edit_and_drafts_stay_private() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let admin = app.signed_in("A0001").await;
    let staff = app.signed_in("S0001").await;
    let other_no = person::Entity::find()
        .filter(person::Column::Name.eq("Emma Liu 刘思敏"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .employee_no;
    let other_trainer = app.signed_in(&other_no).await;

    let id = create_course(&app, &trainer, "TEST-101", "政策速递").await;
    let sid = id.to_string();
    let edit = |title: &'static str| {
        [
            ("id", sid.clone()),
            ("code", "TEST-101".to_owned()),
            ("title", title.to_owned()),
            ("hours", "3".to_owned()),
            ("mode", "classroom".to_owned()),
        ]
    };
    // A draft is nobody else's business: not found for staff and other trainers.
    for client in [&staff, &other_trainer] {
        refused(app.call(client, "courses/get", &[("id", &sid)]).await, 404).await;
        assert!(!codes(&catalogue(&app, client, &[]).await).contains(&"TEST-101".to_owned()));
    }
    let form = edit("他人改名");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    refused(app.call(&other_trainer, "courses/save", &form).await, 404).await;
    refused(app.call(&staff, "courses/save", &form).await, 403).await;

    // Publishing needs a lesson, then a confirmation.
    let body = refused(
        app.call(
            &trainer,
            "courses/state",
            &[("id", &sid), ("to", "published"), ("confirm", "yes")],
        )
        .await,
        422,
    )
    .await;
    assert!(body.contains("\"to\""), "{body}");
    let lesson = add_lesson(
        &app,
        &trainer,
        id,
        "第一课",
        "# 要点\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[链接](javascript:alert(3))",
    )
    .await;
    refused(
        app.call(
            &trainer,
            "courses/state",
            &[("id", &sid), ("to", "published")],
        )
        .await,
        422,
    )
    .await;
    location(
        app.call(
            &trainer,
            "courses/state",
            &[("id", &sid), ("to", "published"), ("confirm", "yes")],
        )
        .await,
    )
    .await;

    // Published: everyone sees it; still only owners and admins edit it.
    for client in [&staff, &other_trainer] {
        let c = json(app.call(client, "courses/get", &[("id", &sid)]).await).await;
        assert_eq!(c["status"], "published");
        assert_eq!(c["can_edit"], false);
        assert!(codes(&catalogue(&app, client, &[]).await).contains(&"TEST-101".to_owned()));
    }
    refused(app.call(&other_trainer, "courses/save", &form).await, 403).await;
    let form = edit("管理员改名");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    location(app.call(&admin, "courses/save", &form).await).await;
    let c = json(app.call(&trainer, "courses/get", &[("id", &sid)]).await).await;
    assert_eq!(c["title"], "管理员改名");
    assert_eq!(c["can_edit"], true);

    // The learner gets the lesson rendered, with nothing executable left in it, and
    // never the Markdown source.
    let l = json(
        app.call(&staff, "courses/lesson", &[("id", &lesson.to_string())])
            .await,
    )
    .await;
    let html = l["html"].as_str().unwrap().to_lowercase();
    assert!(html.contains("<h1>要点</h1>"), "{html}");
    for bad in ["<script", "onerror", "javascript:"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert!(l["body"].is_null(), "{l}");
    let page = app
        .get(&staff, &format!("/courses/{id}/lessons/{lesson}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("要点") && !page.contains("alert(2)"),
        "rendered page"
    );

    // Removing a lesson takes it out of the course and keeps it for the records.
    let res = app
        .call(
            &trainer,
            "courses/lesson/arrange",
            &[("id", &lesson.to_string()), ("op", "remove")],
        )
        .await;
    refused(res, 422).await;
    location(
        app.call(
            &trainer,
            "courses/lesson/arrange",
            &[
                ("id", &lesson.to_string()),
                ("op", "remove"),
                ("confirm", "yes"),
            ],
        )
        .await,
    )
    .await;
    let kept = lesson::Entity::find_by_id(lesson)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(kept.removed_at.is_some());
    let c = json(app.call(&staff, "courses/get", &[("id", &sid)]).await).await;
    assert!(
        c["modules"][0]["lessons"].as_array().unwrap().is_empty(),
        "{c}"
    );

    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::EntityId.eq(sid.clone()))
        .count(&app.state.db)
        .await
        .unwrap();
    // create, module, lesson, publish, admin's edit, removal.
    assert!(audited >= 6, "{audited} audit entries");
    let kinds: Vec<AuditAction> = audit_log::Entity::find()
        .filter(audit_log::Column::EntityId.eq(sid))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    for k in [
        AuditAction::CourseCreate,
        AuditAction::CourseUpdate,
        AuditAction::CourseState,
        AuditAction::CourseOutline,
    ] {
        assert!(kinds.contains(&k), "{k:?} in {kinds:?}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_course_input_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let before = course::Entity::find().count(&app.state.db).await.unwrap();
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[
                ("code", ""),
                ("title", "x"),
                ("hours", "2"),
                ("mode", "online"),
            ],
            "code",
        ),
        (
            &[
                ("code", "A1"),
                ("title", ""),
                ("hours", "2"),
                ("mode", "online"),
            ],
            "title",
        ),
        (
            &[
                ("code", "A1"),
                ("title", "x"),
                ("hours", "lots"),
                ("mode", "online"),
            ],
            "hours",
        ),
        (
            &[
                ("code", "A1"),
                ("title", "x"),
                ("hours", "0"),
                ("mode", "online"),
            ],
            "hours",
        ),
        (
            &[
                ("code", "A1"),
                ("title", "x"),
                ("hours", "2"),
                ("mode", "telepathy"),
            ],
            "mode",
        ),
        // Codes are unique whatever the case: the demo has SI-SYS-101.
        (
            &[
                ("code", "si-sys-101"),
                ("title", "x"),
                ("hours", "2"),
                ("mode", "online"),
            ],
            "code",
        ),
    ];
    for (form, field) in cases {
        let body = refused(app.call(&trainer, "courses/save", form).await, 422).await;
        assert!(body.contains(&format!("\"{field}\"")), "{form:?}: {body}");
    }
    assert_eq!(
        course::Entity::find().count(&app.state.db).await.unwrap(),
        before
    );

    // What a course raises: only known codes, levels 1..5.
    let id = create_course(&app, &trainer, "RAISE-1", "能力提升")
        .await
        .to_string();
    for (key, level) in [("level[c_NO_SUCH]", "3"), ("level[c_POLICY]", "6")] {
        refused(
            app.call(&trainer, "courses/raises", &[("id", &id), (key, level)])
                .await,
            422,
        )
        .await;
    }
    location(
        app.call(
            &trainer,
            "courses/raises",
            &[
                ("id", &id),
                ("level[c_POLICY]", "4"),
                ("level[c_IT_LITERACY]", ""),
            ],
        )
        .await,
    )
    .await;
    let c = json(app.call(&trainer, "courses/get", &[("id", &id)]).await).await;
    assert_eq!(
        c["raises"],
        serde_json::json!([{"code": "POLICY", "name": "政策法规", "level": 4}]),
        "{c}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalogue_filters_by_competency_mode_status_and_text() {
    let app = TestApp::spawn().await;
    let staff = app.signed_in("S0001").await;
    let trainer = app.signed_in("T0001").await;
    let all = catalogue(&app, &staff, &[]).await;
    let listed = codes(&all);
    assert_eq!(listed.len(), 10, "published demo courses: {listed:?}");
    assert!(!listed.contains(&"IT-OFF-01".to_owned()), "a draft");
    assert!(!listed.contains(&"SVC-ETQ-00".to_owned()), "archived");
    assert_eq!(all["can_build"], false);

    let policy = codes(&catalogue(&app, &staff, &[("competency", "policy")]).await);
    assert_eq!(policy.len(), 4, "{policy:?}");
    assert!(policy.contains(&"POL-PEN-2026".to_owned()));
    let online = codes(&catalogue(&app, &staff, &[("mode", "online")]).await);
    assert!(!online.is_empty());
    for c in course::Entity::find().all(&app.state.db).await.unwrap() {
        if online.contains(&c.code) {
            assert_eq!(c.mode, app::domain::CourseMode::Online);
        }
    }
    assert_eq!(
        codes(&catalogue(&app, &staff, &[("q", "养老")]).await),
        ["POL-PEN-2026"]
    );
    // A LIKE wildcard is a literal character.
    assert!(codes(&catalogue(&app, &staff, &[("q", "%")]).await).is_empty());
    let archived = codes(&catalogue(&app, &staff, &[("status", "archived")]).await);
    assert_eq!(archived, ["SVC-ETQ-00"]);
    // Staff never see drafts, even asking for them; their owner does.
    assert!(codes(&catalogue(&app, &staff, &[("status", "draft")]).await).is_empty());
    let drafts = catalogue(&app, &trainer, &[("status", "draft")]).await;
    assert_eq!(codes(&drafts), ["IT-OFF-01"]);
    assert_eq!(drafts["can_build"], true);
    let published = course::Entity::find()
        .filter(course::Column::Status.eq(CourseStatus::Published))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(published, 10);
    app.stop().await;
}
