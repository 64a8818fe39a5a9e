//! Quizzes and attempts over HTTP: setting a quiz up with its checks; an
//! attempt's answers saved with receipts and resumed; nothing in an open
//! attempt's pages or payloads telling an answer; the server's deadline; one
//! submission however many submits, tabs or servers.

use std::collections::HashSet;

use app::entities::{attempt, attempt_item, course, person, question_version, quiz};
use app::quiz::deliver::{Arrangement, Given};
use app::quiz::question::{Kind, Question};
use chrono::{Duration, Utc};
use reqwest::Client;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use uuid::Uuid;

use crate::common::TestApp;
use crate::flows::*;

async fn pension(app: &TestApp) -> course::Model {
    course::Entity::find()
        .filter(course::Column::Code.eq("POL-PEN-2026"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

pub(crate) async fn start(app: &TestApp, client: &Client, quiz: Uuid) -> Uuid {
    let to = location(
        app.call(client, "attempts/start", &[("quiz_id", &quiz.to_string())])
            .await,
    )
    .await;
    id_in(&to, "/attempts/")
}

pub(crate) async fn items(app: &TestApp, attempt: Uuid) -> Vec<(attempt_item::Model, Question)> {
    let db = &app.state.db;
    let items = attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.eq(attempt))
        .order_by_asc(attempt_item::Column::Position)
        .all(db)
        .await
        .unwrap();
    let mut out = Vec::new();
    for i in items {
        let v = question_version::Entity::find()
            .filter(question_version::Column::QuestionId.eq(i.question_id))
            .filter(question_version::Column::Version.eq(i.version))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        out.push((i, serde_json::from_str(&v.body).unwrap()));
    }
    out
}

/// The form fields that send `given`, as the attempt page's inputs name them.
fn fields(given: &Given) -> Vec<(String, String)> {
    match given {
        Given::Single(p) => vec![("choice".into(), p.to_string())],
        Given::TrueFalse(b) => vec![("choice".into(), b.to_string())],
        Given::Multiple(ps) => ps
            .iter()
            .map(|p| (format!("picks[p{p}]"), "yes".into()))
            .collect(),
        Given::Typed(t) | Given::Essay(t) => vec![("text".into(), t.clone())],
        Given::Matching(c) => c
            .iter()
            .enumerate()
            .map(|(i, a)| {
                (
                    format!("picks[p{i}]"),
                    a.map(|a| a.to_string()).unwrap_or_default(),
                )
            })
            .collect(),
        Given::Ordering(o) => o
            .iter()
            .enumerate()
            .map(|(rank, place)| (format!("picks[p{place}]"), (rank + 1).to_string()))
            .collect(),
    }
}

pub(crate) async fn save(
    app: &TestApp,
    client: &Client,
    attempt: Uuid,
    position: i32,
    given: &Given,
) -> reqwest::Response {
    let mut form = vec![
        ("id".to_owned(), attempt.to_string()),
        ("position".to_owned(), position.to_string()),
    ];
    form.extend(fields(given));
    app.call(client, "attempts/save", &borrowed(&form)).await
}

pub(crate) fn right(q: &Question, item: &attempt_item::Model) -> Given {
    let a: Arrangement = serde_json::from_str(&item.arrangement).unwrap();
    app::quiz::deliver::right_answer(q, &a).unwrap_or(Given::Essay("答".into()))
}

/// Every secret a question holds: feedback and the texts only a key shows
/// (those the question itself shows anyway left out).
fn secrets(q: &Question) -> Vec<String> {
    let mut out = vec![q.general_feedback.clone()];
    match &q.kind {
        Kind::Single { options } | Kind::Multiple { options } => {
            out.extend(options.iter().map(|o| o.feedback.clone()));
        }
        Kind::TrueFalse {
            feedback_wrong,
            feedback_right,
            ..
        } => out.extend([feedback_wrong.clone(), feedback_right.clone()]),
        Kind::Numeric { answers, .. } => {
            out.extend(answers.iter().map(|a| a.feedback.clone()));
        }
        Kind::Short { answers, .. } => {
            out.extend(answers.iter().map(|a| a.text.clone()));
            out.extend(answers.iter().map(|a| a.feedback.clone()));
        }
        Kind::Essay { rubric } => out.push(rubric.clone()),
        _ => {}
    }
    // What the learner is shown anyway: the text and every option, prompt and item.
    let shown = match &q.kind {
        Kind::Single { options } | Kind::Multiple { options } => {
            options.iter().map(|o| o.text.clone()).collect::<Vec<_>>()
        }
        Kind::Matching { pairs } => pairs
            .iter()
            .flat_map(|p| [p.prompt.clone(), p.answer.clone()])
            .collect(),
        Kind::Ordering { items } => items.clone(),
        _ => Vec::new(),
    }
    .join("\n");
    out.retain(|s| {
        s.chars().count() >= 2 && !q.text.contains(s.as_str()) && !shown.contains(s.as_str())
    });
    out
}

/// 李娜 takes the demo post-test: it draws none of her pre-test's questions
/// while the bank has others; each answer comes back with a receipt; a reload
/// shows her answers; nothing sent before submission tells an answer; a second
/// submit finds the first result; nothing is saved after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attempt_keeps_its_answers_tells_nothing_and_submits_once() {
    let app = TestApp::spawn().await;
    let li_na = app.signed_in("S0001").await;
    let post = quiz_titled(&app, "课后测：养老保险政策").await;
    let pre = quiz_titled(&app, "课前测：养老保险政策").await;
    let id = start(&app, &li_na, post.id).await;
    // Starting again (a double click, another PC) resumes the same attempt.
    assert_eq!(start(&app, &li_na, post.id).await, id);

    let me = person::Entity::find()
        .filter(person::Column::EmployeeNo.eq("S0001"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let pre_attempt = attempt::Entity::find()
        .filter(attempt::Column::QuizId.eq(pre.id))
        .filter(attempt::Column::PersonId.eq(me.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the demo has her pre-test");
    let had: HashSet<Uuid> = items(&app, pre_attempt.id)
        .await
        .iter()
        .map(|(i, _)| i.question_id)
        .collect();
    let given = items(&app, id).await;
    assert_eq!(given.len(), 6, "the rule draws six");
    let pool = app::quiz::setup::candidates(&app.state.db, post.course_id)
        .await
        .unwrap();
    let policy = pool
        .iter()
        .filter(|c| c.competency.as_deref() == Some("POLICY"))
        .count();
    let repeated = given
        .iter()
        .filter(|(i, _)| had.contains(&i.question_id))
        .count();
    assert_eq!(
        repeated,
        12usize.saturating_sub(policy),
        "{policy} to draw from"
    );

    // Nothing sent while it is open tells an answer: not the payloads, not the pages.
    for (item, q) in &given {
        let payload = app
            .call(
                &li_na,
                "attempts/get",
                &[
                    ("id", &id.to_string()),
                    ("position", &item.position.to_string()),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        let page = app
            .get(&li_na, &format!("/attempts/{id}?q={}", item.position))
            .await
            .text()
            .await
            .unwrap();
        for body in [&payload, &page] {
            for word in [
                "weight",
                "feedback",
                "\"score\"",
                "\"points\"",
                "rubric",
                "\"key\"",
            ] {
                assert!(!body.contains(word), "{word} in {body}");
            }
            for secret in secrets(q) {
                assert!(!body.contains(&secret), "{secret:?} leaked");
            }
        }
        assert!(page.contains("data-testid=\"attempt-question\""));
    }

    // Answers saved with receipts; a reload shows them.
    let (first, q1) = &given[0];
    let answer = right(q1, first);
    let res = save(&app, &li_na, id, 1, &answer).await;
    let receipt: Value = json(res).await;
    assert_eq!(receipt["seq"], 1);
    for (n, (item, q)) in given.iter().enumerate().skip(1).take(3) {
        let receipt: Value =
            json(save(&app, &li_na, id, item.position, &right(q, item)).await).await;
        assert_eq!(receipt["seq"], n + 1);
    }
    let again: Value = json(save(&app, &li_na, id, 1, &answer).await).await;
    assert_eq!(again["seq"], 5);
    let page = json(
        app.call(
            &li_na,
            "attempts/get",
            &[("id", &id.to_string()), ("position", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(page["receipt"]["seq"], 5);
    assert_eq!(
        serde_json::from_value::<Given>(page["question"]["given"].clone()).unwrap(),
        answer
    );
    assert_eq!(
        page["answered"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a == &&Value::Bool(true))
            .count(),
        4
    );
    // An answer that does not fit its question is refused and changes nothing,
    // whatever the question drawn first.
    let bad: Vec<(String, String)> = match &q1.kind {
        Kind::Single { .. } | Kind::TrueFalse { .. } => vec![("choice".into(), "99".into())],
        Kind::Multiple { .. } => vec![("picks[p99]".into(), "yes".into())],
        Kind::Matching { .. } => vec![("picks[p0]".into(), "99".into())],
        Kind::Ordering { .. } => vec![("picks[p0]".into(), "first".into())],
        _ => vec![("text".into(), "字".repeat(20_001))],
    };
    let mut form = vec![
        ("id".to_owned(), id.to_string()),
        ("position".to_owned(), "1".to_owned()),
    ];
    form.extend(bad);
    refused(
        app.call(&li_na, "attempts/save", &borrowed(&form)).await,
        422,
    )
    .await;
    let page = json(
        app.call(
            &li_na,
            "attempts/get",
            &[("id", &id.to_string()), ("position", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(
        page["receipt"]["seq"], 5,
        "the refused answer was not stored"
    );
    // Someone else cannot see or answer it.
    let other = app.signed_in("M0001").await;
    refused(
        app.call(&other, "attempts/get", &[("id", &id.to_string())])
            .await,
        404,
    )
    .await;
    refused(save(&app, &other, id, 1, &answer).await, 404).await;

    // Submitting needs the box ticked; twice gives the same result.
    refused(
        app.call(&li_na, "attempts/submit", &[("id", &id.to_string())])
            .await,
        422,
    )
    .await;
    for _ in 0..2 {
        location(
            app.call(
                &li_na,
                "attempts/submit",
                &[("id", &id.to_string()), ("confirm", "yes")],
            )
            .await,
        )
        .await;
    }
    let stored = attempt::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.submitted_by.as_deref(), Some("learner"));
    let result = json(
        app.call(&li_na, "attempts/get", &[("id", &id.to_string())])
            .await,
    )
    .await;
    let r = &result["result"];
    assert_eq!(r["answered"], 4);
    assert_eq!(r["total"], 6);
    assert_eq!(r["last_receipt"]["seq"], 5);
    let right_points: f64 = given[..4].iter().map(|(i, _)| i.points).sum();
    let score = r["score"]["score"].as_f64().unwrap();
    assert!(
        (score - right_points).abs() < 1e-9,
        "{score} vs {right_points}"
    );
    assert_eq!(stored.score, Some(score));
    refused(
        save(&app, &li_na, id, 5, &right(&given[4].1, &given[4].0)).await,
        409,
    )
    .await;
    // The post-test allows two attempts: she may start her second.
    let second = start(&app, &li_na, post.id).await;
    assert_ne!(second, id);
    app.stop().await;
}

/// The deadline is the server's: past it, a save is refused, and the attempt is
/// submitted with what was saved before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_deadline_nothing_is_saved_and_the_attempt_submits_itself() {
    let app = TestApp::spawn().await;
    let li_na = app.signed_in("S0001").await;
    let post = quiz_titled(&app, "课后测：养老保险政策").await;
    let id = start(&app, &li_na, post.id).await;
    let given = items(&app, id).await;
    let a = attempt::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let limit = a.deadline_at.unwrap() - a.started_at;
    assert_eq!(limit, Duration::minutes(20));
    json(save(&app, &li_na, id, 1, &right(&given[0].1, &given[0].0)).await).await;
    // Time passes: the deadline is a second ago.
    attempt::Entity::update_many()
        .col_expr(
            attempt::Column::DeadlineAt,
            Expr::value(Some(Utc::now() - Duration::seconds(1))),
        )
        .filter(attempt::Column::Id.eq(id))
        .exec(&app.state.db)
        .await
        .unwrap();
    let body = refused(
        save(&app, &li_na, id, 2, &right(&given[1].1, &given[1].0)).await,
        409,
    )
    .await;
    assert!(body.contains("attempt_over"), "{body}");
    let page = json(
        app.call(&li_na, "attempts/get", &[("id", &id.to_string())])
            .await,
    )
    .await;
    assert_eq!(page["result"]["by_deadline"], true, "{page}");
    assert_eq!(page["result"]["answered"], 1);
    assert!(page["question"].is_null());
    app.stop().await;
}

/// Twenty attempts past their deadline, swept by two servers at once: each is
/// submitted exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_submit_each_overdue_attempt_once() {
    let app = TestApp::spawn().await;
    let other = TestApp::start(&app.url).await;
    let db = &app.state.db;
    let post = quiz_titled(&app, "课后测：养老保险政策").await;
    let people = person::Entity::find()
        .order_by_asc(person::Column::EmployeeNo)
        .all(db)
        .await
        .unwrap();
    let now = Utc::now();
    let mut ids = Vec::new();
    for p in people.iter().take(20) {
        let id = app::quiz::attempts::begin(
            db,
            &post,
            p.id,
            50,
            now - Duration::minutes(30),
            &mut <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(7),
        )
        .await
        .unwrap();
        ids.push(id);
    }
    let (a, b) = tokio::join!(
        app::quiz::attempts::submit_overdue(&app.state.db, now),
        app::quiz::attempts::submit_overdue(&other.state.db, now),
    );
    assert_eq!(a.unwrap() + b.unwrap(), 20);
    let submitted = attempt::Entity::find()
        .filter(attempt::Column::Id.is_in(ids.clone()))
        .all(db)
        .await
        .unwrap();
    assert!(
        submitted
            .iter()
            .all(|a| a.submitted_by.as_deref() == Some("deadline"))
    );
    assert!(submitted.iter().all(|a| a.score == Some(0.0)));
    // Sweeping again submits nothing more.
    assert_eq!(
        app::quiz::attempts::submit_overdue(db, now).await.unwrap(),
        0
    );
    other.stop().await;
    app.stop().await;
}

/// A trainer sets a quiz up: bad values are refused field by field and nothing
/// is saved; rules say what they find; learners see only published quizzes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiz_is_set_up_with_checked_settings_and_rules() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let course = pension(&app).await.id.to_string();
    let form =
        |title: &'static str, pass: &'static str, opens: &'static str, closes: &'static str| {
            vec![
                ("course_id", course.clone()),
                ("title", title.to_owned()),
                ("purpose", "practice".to_owned()),
                ("time_limit", "".to_owned()),
                ("attempts_allowed", "".to_owned()),
                ("counting", "best".to_owned()),
                ("pass_mark", pass.to_owned()),
                ("opens_at", opens.to_owned()),
                ("closes_at", closes.to_owned()),
                ("review", "immediately".to_owned()),
            ]
        };
    let call = |f: Vec<(&'static str, String)>| {
        let (app, trainer) = (&app, &trainer);
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(trainer, "quizzes/save", &f).await
        }
    };
    let before = quiz::Entity::find().all(&app.state.db).await.unwrap().len();
    let body = refused(
        call(form("", "150", "2026-12-10T09:00", "2026-12-09T09:00")).await,
        422,
    )
    .await;
    for field in ["title", "pass_mark", "closes_at"] {
        assert!(body.contains(&format!("\"{field}\"")), "{field}: {body}");
    }
    assert_eq!(
        quiz::Entity::find().all(&app.state.db).await.unwrap().len(),
        before
    );
    let to = location(call(form("练习：缴费政策", "60", "", "")).await).await;
    let quiz_id = id_in(&to, "/quizzes/").to_string();
    refused(
        app.call(
            &trainer,
            "quizzes/rules/add",
            &[
                ("id", &quiz_id),
                ("by", "competency"),
                ("key", "POLICY"),
                ("count", "0"),
            ],
        )
        .await,
        422,
    )
    .await;
    location(
        app.call(
            &trainer,
            "quizzes/rules/add",
            &[
                ("id", &quiz_id),
                ("by", "category"),
                ("key", "养老/政策"),
                ("count", ""),
            ],
        )
        .await,
    )
    .await;
    let detail = json(app.call(&trainer, "quizzes/get", &[("id", &quiz_id)]).await).await;
    assert_eq!(detail["rules"].as_array().unwrap().len(), 1);
    assert!(detail["found"][0].as_u64().unwrap() >= 5, "{detail}");
    assert_eq!(detail["published"], false);
    // Unpublished: learners neither see it nor start it.
    let li_na = app.signed_in("S0001").await;
    let listed = json(
        app.call(&li_na, "quizzes/course", &[("course_id", &course)])
            .await,
    )
    .await;
    assert!(
        !listed["quizzes"].to_string().contains("练习：缴费政策"),
        "{listed}"
    );
    refused(
        app.call(&li_na, "attempts/start", &[("quiz_id", &quiz_id)])
            .await,
        404,
    )
    .await;
    // Staff cannot edit quizzes or take their questions.
    refused(
        app.call(&li_na, "quizzes/get", &[("id", &quiz_id)]).await,
        403,
    )
    .await;
    let res = download(&app, &li_na, &format!("/export/quizzes/{quiz_id}/xml")).await;
    assert_eq!(res.status(), 403);
    // The quiz exports every question its rules name, and they read back.
    let res = download(&app, &trainer, &format!("/export/quizzes/{quiz_id}/xml")).await;
    assert_eq!(res.status(), 200);
    let xml = res.text().await.unwrap();
    let parsed = app::quiz::moodle_xml::parse(&xml).unwrap();
    assert_eq!(
        parsed.questions.len() as u64,
        detail["found"][0].as_u64().unwrap()
    );
    assert!(parsed.questions.iter().all(|r| {
        r.question
            .category
            .as_deref()
            .is_some_and(|c| c.starts_with("养老/政策"))
    }));
    let res = download(&app, &trainer, &format!("/export/quizzes/{quiz_id}/gift")).await;
    assert_eq!(res.status(), 200);
    let gift = res.text().await.unwrap();
    assert_eq!(
        app::quiz::gift::parse(&gift).questions.len(),
        parsed.questions.len(),
        "{gift}"
    );
    app.stop().await;
}

/// Two tabs submit at the same moment: both are answered with the attempt, it
/// is graded once, and the score counts the saved answer once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_submit_from_two_tabs_grades_once() {
    let app = TestApp::spawn().await;
    let li_na = app.signed_in("S0001").await;
    let post = quiz_titled(&app, "课后测：养老保险政策").await;
    let id = start(&app, &li_na, post.id).await;
    let given = items(&app, id).await;
    let (first, q1) = &given[0];
    json(save(&app, &li_na, id, 1, &right(q1, first)).await).await;
    let form = [("id", id.to_string()), ("confirm", "yes".to_owned())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (a, b) = tokio::join!(
        app.call(&li_na, "attempts/submit", &form),
        app.call(&li_na, "attempts/submit", &form),
    );
    for res in [a, b] {
        location(res).await;
    }
    let stored = attempt::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.submitted_by.as_deref(), Some("learner"));
    let expected = if matches!(q1.kind, Kind::Essay { .. }) {
        0.0
    } else {
        first.points
    };
    assert!(
        (stored.score.unwrap() - expected).abs() < 1e-9,
        "{:?} vs {expected}",
        stored.score
    );
    let scored = attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.eq(id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(scored.len(), given.len());
    app.stop().await;
}
