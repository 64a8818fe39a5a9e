//! Roster CSV import over HTTP: preview, all-or-nothing, re-import updates.

use crate::common::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

pub async fn upload(app: &TestApp, client: &reqwest::Client, csv: &str) -> String {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("roster.csv"),
    );
    let res = client
        .post(format!("{}/admin/roster/upload", app.origin()))
        .header("Origin", app.origin())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    location.rsplit('/').next().unwrap().to_owned()
}

async fn count(app: &TestApp, client: &reqwest::Client, q: &str) -> u64 {
    let page: Value = app
        .call(client, "org/people", &[("q", q), ("inactive", "true")])
        .await
        .json()
        .await
        .unwrap();
    page["total"].as_u64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn valid_roster_imports_and_reimport_updates() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let csv = "\u{feff}工号,姓名,部门,岗位,上级,角色\nRX001,新人甲,HALL,FRONT_DESK,M0001,staff\nRX002,新人乙,服务大厅,窗口经办员,RX001,staff;trainer\n";
    let id = upload(&app, &admin, csv).await;
    let preview: Value = app
        .call(&admin, "org/roster/preview", &[("id", &id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["rows"].as_array().unwrap().len(), 2);
    assert_eq!(preview["rows"][0]["action"], "New");
    assert!(
        app.call(&admin, "org/roster/import", &[("id", &id)])
            .await
            .status()
            .is_success()
    );
    assert_eq!(count(&app, &admin, "RX00").await, 2);
    // Each person the roster created has an audit entry of their own, with roles.
    let created: Vec<String> = app::entities::audit_log::Entity::find()
        .filter(app::entities::audit_log::Column::Action.eq(app::domain::AuditAction::PersonCreate))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| e.after)
        .filter(|a| a.contains("RX00"))
        .collect();
    assert_eq!(created.len(), 2, "{created:?}");
    assert!(
        created
            .iter()
            .any(|a| a.contains("RX002") && a.contains("trainer"))
    );
    // The same upload cannot be applied twice.
    assert_eq!(
        app.call(&admin, "org/roster/import", &[("id", &id)])
            .await
            .status(),
        409
    );

    let renamed = "employee_no,name,unit,position,manager,roles\nRX001,新人甲,HALL,FRONT_DESK,M0001,staff\nRX002,新人乙（改）,CONTRIB,CONTRIB_OFFICER,RX001,staff\n";
    let id2 = upload(&app, &admin, renamed).await;
    let preview: Value = app
        .call(&admin, "org/roster/preview", &[("id", &id2)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["rows"][0]["action"], "Unchanged");
    assert_eq!(preview["rows"][1]["action"], "Update");
    assert!(
        app.call(&admin, "org/roster/import", &[("id", &id2)])
            .await
            .status()
            .is_success()
    );
    assert_eq!(
        count(&app, &admin, "RX00").await,
        2,
        "re-import updates, never duplicates"
    );
    let page: Value = app
        .call(&admin, "org/people", &[("q", "RX002")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["rows"][0]["name"], "新人乙（改）");
    assert_eq!(page["rows"][0]["unit"], "征缴科");
    assert_eq!(page["rows"][0]["manager"], "新人甲");
    assert_eq!(page["rows"][0]["roles"], serde_json::json!(["staff"]));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_with_bad_rows_writes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let before = count(&app, &admin, "").await;
    let csv = "employee_no,name,unit,position,manager,roles\nBX001,好人,HALL,FRONT_DESK,,staff\nBX002,,NOWHERE,FRONT_DESK,,staff\n";
    let id = upload(&app, &admin, csv).await;
    let preview: Value = app
        .call(&admin, "org/roster/preview", &[("id", &id)])
        .await
        .json()
        .await
        .unwrap();
    assert!(preview["rows"][0]["errors"].as_array().unwrap().is_empty());
    let errors = preview["rows"][1]["errors"].to_string();
    assert!(
        errors.contains("required") && errors.contains("NOWHERE"),
        "{errors}"
    );
    let res = app.call(&admin, "org/roster/import", &[("id", &id)]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(count(&app, &admin, "").await, before, "nothing written");
    assert_eq!(count(&app, &admin, "BX00").await, 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn person_form_validation_keeps_data_intact() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let res = app
        .call(
            &admin,
            "org/person/save",
            &[
                ("employee_no", "S0001"),
                ("name", ""),
                ("email", "bad"),
                ("manager_no", "NOPE"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    for expected in ["required", "invalid_email", "NOPE"] {
        assert!(body.contains(expected), "{expected} missing in {body}");
    }
    // A form that is otherwise valid learns the number is taken from the unique
    // index (no check before the transaction), and nothing is written.
    let res = app
        .call(
            &admin,
            "org/person/save",
            &[("employee_no", "S0001"), ("name", "重号")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "employee_no", "{body}");
    assert_eq!(body["Validation"][0]["problem"]["code"], "taken", "{body}");
    assert_eq!(count(&app, &admin, "S0001").await, 1);
    assert_eq!(count(&app, &admin, "重号").await, 0);
    // Search wildcards are what was typed: nobody's name or number holds % or _.
    assert_eq!(count(&app, &admin, "%").await, 0);
    assert_eq!(count(&app, &admin, "_").await, 0);
    assert_eq!(count(&app, &admin, "S000_").await, 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_round_trips_through_import_and_follows_visibility() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    // Values a spreadsheet program would run as formulas.
    let formula = "=HYPERLINK(\"http://x\",\"y\")";
    app::entities::person::Entity::update_many()
        .col_expr(
            app::entities::person::Column::Name,
            sea_orm::prelude::Expr::value(formula),
        )
        .col_expr(
            app::entities::person::Column::Email,
            sea_orm::prelude::Expr::value("+li.na@example.org"),
        )
        .filter(app::entities::person::Column::EmployeeNo.eq("QX0004"))
        .exec(&app.state.db)
        .await
        .unwrap();
    let csv = app.get(&admin, "/export/people.csv").await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "BOM for spreadsheet programs");
    assert!(
        text.contains("\nS0001,李娜,HALL,FRONT_DESK,M0001,staff,"),
        "{text:.300}"
    );
    assert_eq!(text.lines().count(), 121, "header + 120 people");
    // Neutralised for Excel and WPS: shown as text, never run.
    assert!(
        text.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","),
        "{text:.600}"
    );
    assert!(text.contains(",'+li.na@example.org,"), "{text:.600}");
    assert!(!text.contains(",=HYPERLINK") && !text.contains(",+li.na"));

    // Importing the export changes nothing.
    let id = upload(&app, &admin, &text).await;
    let preview: Value = app
        .call(&admin, "org/roster/preview", &[("id", &id)])
        .await
        .json()
        .await
        .unwrap();
    let rows = preview["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 120);
    assert!(
        rows.iter()
            .all(|r| r["action"] == "Unchanged" && r["errors"].as_array().unwrap().is_empty()),
        "{preview:.400}"
    );

    let manager = app.signed_in("M0001").await;
    let team = app
        .get(&manager, "/export/people.csv")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(team.lines().count(), 43, "header + the service hall's 42");
    let staff = app.signed_in("S0001").await;
    assert_eq!(app.get(&staff, "/export/people.csv").await.status(), 403);
    // Each export is in the audit log: who, which file, how many rows.
    let exports: Vec<String> = app::entities::audit_log::Entity::find()
        .filter(app::entities::audit_log::Column::Action.eq(app::domain::AuditAction::ExportCsv))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| e.after)
        .collect();
    assert_eq!(
        exports.len(),
        2,
        "the refused one is not an export: {exports:?}"
    );
    assert!(
        exports
            .iter()
            .any(|e| e.contains("gapwise-people.csv") && e.contains("\"rows\":120"))
    );
    assert!(exports.iter().any(|e| e.contains("\"rows\":42")));
    app.stop().await;
}

/// An imported roster keeps no content; an upload nobody imports is deleted after
/// a day, exactly once however many server instances purge at the same time.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn uploads_do_not_keep_personal_data() {
    use app::entities::upload;
    use sea_orm::{ActiveModelTrait, PaginatorTrait, Set};

    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let csv = "工号,姓名,部门,岗位\nUP001,存储测试,HALL,FRONT_DESK\n";
    let imported = upload(&app, &admin, csv).await;
    let res = app
        .call(&admin, "org/roster/import", &[("id", &imported)])
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());
    let db = &app.state.db;
    let stored = |id: String| async move {
        upload::Entity::find_by_id(uuid::Uuid::parse_str(&id).unwrap())
            .one(db)
            .await
            .unwrap()
    };
    let row = stored(imported.clone()).await.unwrap();
    assert!(row.imported_at.is_some());
    assert_eq!(row.content, "", "imported content is deleted");
    // Its preview still answers, saying it was imported.
    let preview: Value = app
        .call(&admin, "org/roster/preview", &[("id", &imported)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["imported"], true);

    // A second instance on the same database (its purge at start finds nothing).
    let second = TestApp::start(&app.url).await;
    let fresh = upload(&app, &admin, csv).await;
    let stale = upload(&app, &admin, csv).await;
    let mut old: upload::ActiveModel = stored(stale.clone()).await.unwrap().into();
    old.created_at = Set(chrono::Utc::now() - chrono::Duration::hours(25));
    old.update(db).await.unwrap();

    let (a, b) = tokio::join!(
        app::common::uploads::purge_stale(&app.state.db),
        app::common::uploads::purge_stale(&second.state.db)
    );
    assert_eq!(
        a.unwrap() + b.unwrap(),
        1,
        "the stale upload is deleted once"
    );
    assert!(stored(stale).await.is_none());
    assert!(
        stored(fresh).await.is_some(),
        "a fresh upload waits for its import"
    );
    assert!(
        stored(imported).await.is_some(),
        "the import's record stays"
    );
    assert_eq!(upload::Entity::find().count(db).await.unwrap(), 2);
    second.stop().await;
    app.stop().await;
}
