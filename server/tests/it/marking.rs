//! After a test: marking essays by hand, editing a question (a new version once
//! it has been given, old attempts keeping theirs), regrading by a corrected
//! key, and the item analysis that finds the wrong key.

use app::entities::{attempt, attempt_item, audit_log, question};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

use crate::common::TestApp;
use crate::flows::*;

async fn audited(app: &TestApp, action: &str) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn flawed_question(app: &TestApp) -> question::Model {
    question::Entity::find()
        .filter(question::Column::Name.contains("可能已被泄露"))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the demo's wrongly keyed question")
}

/// The demo's end-of-course test: the item analysis flags the wrongly keyed
/// question (and only figures where there are learners); staff may not see it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn item_analysis_flags_the_wrong_key() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let test = quiz_titled(&app, "结业测验：个人信息保护").await;
    let a = json(
        app.call(&trainer, "quizzes/items", &[("id", &test.id.to_string())])
            .await,
    )
    .await;
    // Twelve took it; two wait for an essay's mark and are left out.
    assert_eq!(a["learners"], 10, "{a}");
    assert_eq!(a["waiting"], 2);
    assert!(
        a["alpha"].is_number(),
        "everyone had the same questions: {a}"
    );
    let items = a["items"].as_array().unwrap();
    let flawed = flawed_question(&app).await;
    let row = items
        .iter()
        .find(|r| r["question_id"] == flawed.id.to_string())
        .expect("the flawed question is in the test");
    assert!(
        row["flags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("Negative")),
        "{row}"
    );
    // Weaker learners did better on it, by one measure or the other.
    let below = |k: &str| row[k].as_f64().is_some_and(|x| x < 0.0);
    assert!(
        below("discrimination") || below("rest_correlation"),
        "{row}"
    );
    // Its options were counted: 10 picks in all, the keyed one marked right.
    let options = row["options"].as_array().unwrap();
    let picks: u64 = options.iter().map(|o| o["count"].as_u64().unwrap()).sum();
    assert_eq!(picks, 10);
    assert_eq!(options[1]["right"], true);
    assert_eq!(options[0]["right"], false);
    for r in items {
        assert_eq!(r["n"], 10, "{r}");
    }
    let page = app
        .get(&trainer, &format!("/quizzes/{}/items", test.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"item-flag\""));

    let staff = app.signed_in("S0001").await;
    refused(
        app.call(&staff, "quizzes/items", &[("id", &test.id.to_string())])
            .await,
        403,
    )
    .await;
    app.stop().await;
}

/// The essay queue: a mark out of range is refused and changes nothing; a mark
/// in range settles the attempt's score and pass, is audited, and leaves the
/// queue; the learner sees the comment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_essay_is_marked_once_checked_and_audited() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let queue = json(app.call(&trainer, "marking", &[]).await).await;
    assert_eq!(queue["total"], 2, "{queue}");
    let essay = &queue["rows"][0];
    let attempt_id: Uuid = essay["attempt_id"].as_str().unwrap().parse().unwrap();
    let position = essay["position"].to_string();
    assert!(!essay["answer"].as_str().unwrap().is_empty());
    assert!(!essay["rubric"].as_str().unwrap().is_empty());
    let before = attempt::Entity::find_by_id(attempt_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(before.ungraded);
    assert_eq!(before.passed, None);

    for bad in ["6", "-1", "很好", ""] {
        let body = refused(
            app.call(
                &trainer,
                "marking/mark",
                &[
                    ("attempt_id", &attempt_id.to_string()),
                    ("position", &position),
                    ("score", bad),
                ],
            )
            .await,
            422,
        )
        .await;
        assert!(body.contains("score"), "{bad}: {body}");
    }
    let staff = app.signed_in("M0001").await;
    refused(
        app.call(
            &staff,
            "marking/mark",
            &[
                ("attempt_id", &attempt_id.to_string()),
                ("position", &position),
                ("score", "5"),
            ],
        )
        .await,
        403,
    )
    .await;
    assert_eq!(audited(&app, "attempt.grade").await, 0);

    let to = location(
        app.call(
            &trainer,
            "marking/mark",
            &[
                ("attempt_id", &attempt_id.to_string()),
                ("position", &position),
                ("score", "4"),
                ("comment", "流程完整，可再补充告知办理时限。"),
            ],
        )
        .await,
    )
    .await;
    assert!(to.starts_with("/marking"), "{to}");
    let after = attempt::Entity::find_by_id(attempt_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!after.ungraded);
    assert!((after.score.unwrap() - before.score.unwrap() - 4.0).abs() < 1e-9);
    assert!(after.passed.is_some());
    assert_eq!(audited(&app, "attempt.grade").await, 1);
    let queue = json(app.call(&trainer, "marking", &[]).await).await;
    assert_eq!(queue["total"], 1);

    // The learner's review shows the mark and the comment (the quiz shows
    // answers at once).
    let learner = person_employee_no(&app, before.person_id).await;
    let client = app.signed_in(&learner).await;
    let result = json(
        app.call(&client, "attempts/get", &[("id", &attempt_id.to_string())])
            .await,
    )
    .await;
    let comments: Vec<&Value> = result["result"]["review"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["comment"].is_string())
        .collect();
    assert_eq!(comments.len(), 1, "{result}");
    assert_eq!(comments[0]["score"], 4.0);
    app.stop().await;
}

async fn person_employee_no(app: &TestApp, id: Uuid) -> String {
    app::entities::person::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .employee_no
}

/// Correcting the wrong key: the edit of a question learners were given makes
/// version 2 and old attempts keep version 1 until the regrade, which moves
/// them to version 2, changes their scores by the right key and is audited.
/// An edit of a question nobody was given stays at its version.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrected_key_makes_a_version_and_the_regrade_applies_it() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let trainer = app.signed_in("T0001").await;
    let flawed = flawed_question(&app).await;
    let id = flawed.id.to_string();
    let form = json(
        app.call(&trainer, "bank/question/edit-form", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(form["format"], "Gift", "{form}");
    assert_eq!(form["given"], true);
    assert_eq!(form["earlier_answers"], 0);
    let source = form["source"].as_str().unwrap();
    // The key moves from B to A.
    let fixed = source
        .replacen("=先自己", "~先自己", 1)
        .replacen("~立即", "=立即", 1);
    assert_ne!(fixed, source, "{source}");

    // A broken text and two questions are refused with why, and nothing changes.
    for (bad, word) in [
        ("坏题{=甲 ~乙", "bad_question"),
        ("一{T}\n\n二{F}", "one_question"),
    ] {
        let body = refused(
            app.call(
                &trainer,
                "bank/question/edit",
                &[("id", &id), ("source", bad), ("points", "1")],
            )
            .await,
            422,
        )
        .await;
        assert!(body.contains(word), "{body}");
    }
    refused(
        app.call(
            &trainer,
            "bank/question/edit",
            &[("id", &id), ("source", &fixed), ("points", "-2")],
        )
        .await,
        422,
    )
    .await;
    assert_eq!(audited(&app, "question.edit").await, 0);

    let answered = |version: i32| {
        attempt_item::Entity::find()
            .filter(attempt_item::Column::QuestionId.eq(flawed.id))
            .filter(attempt_item::Column::Version.eq(version))
            .all(db)
    };
    let before = answered(1).await.unwrap();
    assert!(before.len() >= 12);
    let scores_before: Vec<Option<f64>> = before.iter().map(|i| i.score).collect();
    location(
        app.call(
            &trainer,
            "bank/question/edit",
            &[
                ("id", &id),
                ("source", &fixed),
                ("points", "1"),
                ("competency", "ATTITUDE"),
            ],
        )
        .await,
    )
    .await;
    let head = question::Entity::find_by_id(flawed.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(head.current_version, 2);
    // Old attempts keep version 1 and their scores.
    let kept = answered(1).await.unwrap();
    assert_eq!(
        kept.iter().map(|i| i.score).collect::<Vec<_>>(),
        scores_before
    );
    let form = json(
        app.call(&trainer, "bank/question/edit-form", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(form["given"], false);
    let waiting = form["earlier_answers"].as_u64().unwrap();
    assert!(waiting >= 11, "{form}");

    // The regrade needs the box ticked.
    refused(
        app.call(&trainer, "bank/question/regrade", &[("id", &id)])
            .await,
        422,
    )
    .await;
    let to = location(
        app.call(
            &trainer,
            "bank/question/regrade",
            &[("id", &id), ("confirm", "yes")],
        )
        .await,
    )
    .await;
    assert!(to.contains(&format!("regraded={waiting}")), "{to}");
    assert_eq!(audited(&app, "question.regrade").await, 1);
    let now = answered(2).await.unwrap();
    assert_eq!(now.len() as u64, waiting);
    // Every answer's score flipped: the right ones were marked wrong and back.
    for (old, new) in before.iter().filter_map(|o| {
        now.iter()
            .find(|n| n.attempt_id == o.attempt_id && n.position == o.position)
            .map(|n| (o, n))
    }) {
        assert_eq!(old.answer, new.answer);
        let (o, n) = (old.score.unwrap(), new.score.unwrap());
        assert!((o + n - 1.0).abs() < 1e-9, "{o} then {n}");
        // The attempt's total moved with it.
        let a = attempt::Entity::find_by_id(new.attempt_id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let items = attempt_item::Entity::find()
            .filter(attempt_item::Column::AttemptId.eq(a.id))
            .all(db)
            .await
            .unwrap();
        let sum: f64 = items.iter().filter_map(|i| i.score).sum();
        assert!((a.score.unwrap() - sum).abs() < 1e-9);
    }

    // A question nobody was given is edited in place.
    let q = app::quiz::gift::parse("::新题::窗口服务用语应当文明规范。{T}")
        .questions
        .remove(0)
        .question;
    app::quiz::import::insert_questions(db, &[q], None, None)
        .await
        .unwrap();
    let fresh = question::Entity::find()
        .filter(question::Column::Name.eq("新题"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let form = json(
        app.call(
            &trainer,
            "bank/question/edit-form",
            &[("id", &fresh.id.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(form["given"], false);
    let source = form["source"]
        .as_str()
        .unwrap()
        .replace("{TRUE}", "{FALSE}")
        .replace("{T}", "{F}");
    location(
        app.call(
            &trainer,
            "bank/question/edit",
            &[
                ("id", fresh.id.to_string().as_str()),
                ("source", &source),
                ("points", "3"),
            ],
        )
        .await,
    )
    .await;
    let head = question::Entity::find_by_id(fresh.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(head.current_version, 1);
    assert!((head.points - 3.0).abs() < 1e-9);
    let body = app::quiz::bank::bodies(db, &[(fresh.id, 1)]).await.unwrap();
    assert!(matches!(
        body[&(fresh.id, 1)].kind,
        app::quiz::question::Kind::TrueFalse { answer: false, .. }
    ));

    let staff = app.signed_in("S0001").await;
    refused(
        app.call(&staff, "bank/question/edit-form", &[("id", &id)])
            .await,
        403,
    )
    .await;
    app.stop().await;
}
