//! A quiz's results for its editors: each learner's counted attempt with
//! score, pass and time taken, on screen and as CSV, and nobody else's view.

use std::collections::HashMap;

use app::entities::{attempt, person};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::common::TestApp;
use crate::flows::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiz_lists_each_learners_counted_attempt_for_its_editors_only() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let db = &app.state.db;

    // The demo's data-protection test: twelve took it, two essays wait.
    let q = quiz_titled(&app, "结业测验：个人信息保护").await;
    let id = q.id.to_string();
    let r = json(app.call(&trainer, "quizzes/results", &[("id", &id)]).await).await;
    let attempts = attempt::Entity::find()
        .filter(attempt::Column::QuizId.eq(q.id))
        .all(db)
        .await
        .unwrap();
    let s = &r["summary"];
    assert_eq!(s["learners"], 12, "{s}");
    assert_eq!(s["submitted"], 12);
    assert_eq!(s["waiting"], 2);
    let passed = attempts.iter().filter(|a| a.passed == Some(true)).count();
    assert_eq!(s["passed"], passed);
    let rows = r["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    // Each row is that learner's attempt: score, pass and seconds from start
    // to submission as the database has them.
    let names: HashMap<String, String> = person::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.employee_no, p.id.to_string()))
        .collect();
    for row in rows {
        let who = &names[row["employee_no"].as_str().unwrap()];
        let a = attempts
            .iter()
            .find(|a| a.person_id.to_string() == *who)
            .unwrap();
        assert_eq!(row["counted"], a.number, "{row}");
        assert!(close(&row["score"], a.score.unwrap()), "{row}");
        assert_eq!(row["passed"], serde_json::json!(a.passed), "{row}");
        assert_eq!(row["waiting"], a.ungraded, "{row}");
        let seconds = (a.submitted_at.unwrap() - a.started_at).num_seconds();
        assert_eq!(row["seconds"], seconds, "{row}");
    }

    // The CSV has the same learners, with the export audited.
    let res = download(&app, &trainer, &format!("/export/quizzes/{id}/results.csv")).await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].starts_with("employee_no,name,unit,attempts"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 13);
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains(",waiting for a mark,"))
            .count(),
        2
    );

    // Staff, and a trainer who does not own the course, see nothing.
    refused(
        app.call(&staff, "quizzes/results", &[("id", &id)]).await,
        403,
    )
    .await;
    let res = download(&app, &staff, &format!("/export/quizzes/{id}/results.csv")).await;
    assert_eq!(res.status(), 403);
    let practice = quiz_titled(&app, "练习：窗口服务礼仪").await.id.to_string();
    refused(
        app.call(&trainer, "quizzes/results", &[("id", &practice)])
            .await,
        403,
    )
    .await;
    // A page past the end shows the last one.
    let r = json(
        app.call(&trainer, "quizzes/results", &[("id", &id), ("page", "9")])
            .await,
    )
    .await;
    assert_eq!(r["page"], 1);
    assert_eq!(r["pages"], 1);
    app.stop().await;
}
