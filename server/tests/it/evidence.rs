//! Quiz results as the *test* source of the gap analysis: weighed beside the
//! ratings by the campaign's test weight, with the quiz, its version and the
//! number of questions shown as provenance.

use crate::common::TestApp;
use crate::flows::*;
use crate::quizzes::{items, right, save, start};
use app::entities::{attempt, campaign, competency_result, quiz};
use app::quiz::deliver::Given;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Three one-point questions on QZ_LAW in the pension course's bank, and a
/// published quiz asking all three; returns the quiz.
async fn law_quiz(app: &TestApp, trainer: &reqwest::Client) -> quiz::Model {
    let db = &app.state.db;
    let course = course_of(app, "POL-PEN-2026").await;
    let gift = "::q1:: 1 + 1 = ? {=2 ~3}\n\n::q2:: 2 + 2 = ? {=4 ~5}\n\n::q3:: 3 + 3 = ? {=6 ~7}\n";
    let questions: Vec<_> = app::quiz::gift::parse(gift)
        .questions
        .into_iter()
        .map(|p| {
            let mut q = p.question;
            q.category = Some("测验证据".into());
            q.competency = Some("QZ_LAW".into());
            q
        })
        .collect();
    assert_eq!(questions.len(), 3);
    app::quiz::import::insert_questions(db, &questions, Some(course.id), None)
        .await
        .unwrap();
    let course_id = course.id.to_string();
    let to = location(
        app.call(
            trainer,
            "quizzes/save",
            &[
                ("course_id", course_id.as_str()),
                ("title", "单元测验：法规"),
                ("purpose", "practice"),
                ("time_limit", ""),
                ("attempts_allowed", ""),
                ("counting", "last"),
                ("pass_mark", "60"),
                ("opens_at", ""),
                ("closes_at", ""),
                ("review", "immediately"),
                ("published", "on"),
            ],
        )
        .await,
    )
    .await;
    let id = id_in(&to, "/quizzes/");
    location(
        app.call(
            trainer,
            "quizzes/rules/add",
            &[
                ("id", &id.to_string()),
                ("by", "category"),
                ("key", "测验证据"),
                ("count", ""),
            ],
        )
        .await,
    )
    .await;
    quiz::Entity::find_by_id(id).one(db).await.unwrap().unwrap()
}

/// 李娜 answers the quiz, all right or one wrong, and submits.
async fn take(
    app: &TestApp,
    staff: &reqwest::Client,
    q: &quiz::Model,
    one_wrong: bool,
) -> attempt::Model {
    let id = start(app, staff, q.id).await;
    let given = items(app, id).await;
    assert_eq!(given.len(), 3);
    for (n, (item, question)) in given.iter().enumerate() {
        let answer = match right(question, item) {
            // Two options each: the other one is wrong.
            Given::Single(k) if one_wrong && n == 2 => Given::Single(1 - k),
            other => other,
        };
        location(save(app, staff, id, item.position, &answer).await).await;
    }
    location(
        app.call(
            staff,
            "attempts/submit",
            &[("id", &id.to_string()), ("confirm", "yes")],
        )
        .await,
    )
    .await;
    attempt::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiz_results_count_as_the_test_source_with_their_provenance() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let manager = app.signed_in("M0001").await;
    let li_na = person_of(&app, "S0001").await;

    // Codes no demo question is tagged with, so only this quiz counts.
    let f = build_framework(&app, &trainer, "Quiz evidence", &["QZ_COMM", "QZ_LAW"]).await;
    let q = law_quiz(&app, &trainer).await;
    // Created, then its rules saved: the second version of its settings.
    assert_eq!(q.version, 2);
    let a = take(&app, &staff, &q, true).await;
    assert_eq!(a.quiz_version, 2);
    assert_eq!(a.score, Some(2.0));

    // A test weight outside 0..1 is refused next to its field; nothing is saved.
    let title = "Quiz evidence check";
    let spec = Spec {
        weight_test: "1.5",
        ..Spec::new(title)
    };
    let form = campaign_form(&app, None, f.id, spec);
    let body = refused(
        app.call(&trainer, "campaigns/save", &borrowed(&form)).await,
        422,
    )
    .await;
    assert!(body.contains("\"weight_test\""), "{body}");
    let saved = campaign::Entity::find()
        .filter(campaign::Column::Title.eq(title))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(saved.is_empty());
    let spec = Spec {
        weight_test: "0.5",
        ..Spec::new(title)
    };
    let campaign = open_campaign(&app, &trainer, f.id, spec, &["S0001"]).await;

    let (comm, law) = (f.competency("QZ_COMM"), f.competency("QZ_LAW"));
    submit(
        &app,
        &staff,
        task_in(&app, &staff, title).await,
        &[(comm, 3), (law, 4)],
    )
    .await;
    submit(
        &app,
        &manager,
        task_in(&app, &manager, title).await,
        &[(comm, 3), (law, 2)],
    )
    .await;

    for client in [&staff, &manager] {
        let gaps = json(person_gaps(&app, client, li_na.id, campaign).await).await;
        // 2 of 3 marks = level 1 + 4 · 2/3 = 3.67; current =
        // (0.2 · 4 + 0.5 · 2 + 0.5 · 3.667) / 1.2 = 3.03.
        let r = row(&gaps, "QZ_LAW");
        assert!(close(&r["current"], 3.03), "{r}");
        assert_eq!(r["sources"], serde_json::json!(["manager", "self", "test"]));
        assert_eq!(r["raters"], 2, "a quiz is not a rater");
        let t = &r["test"];
        assert!(close(&t["level"], 3.67), "{t}");
        assert!(close(&t["percent"], 66.7), "{t}");
        assert_eq!(t["questions"], 3);
        assert_eq!(t["quiz"], "单元测验：法规");
        assert_eq!(t["quiz_version"], 2);
        // No question on QZ_COMM: its level comes from the ratings alone.
        let r = row(&gaps, "QZ_COMM");
        assert!(close(&r["current"], 3.0), "{r}");
        assert!(r["test"].is_null(), "{r}");
    }

    // Closing counts the attempts submitted before the close and no later one,
    // however often the closed campaign is computed again.
    location(set_state(&app, &trainer, campaign, "closed").await).await;
    let again = take(&app, &staff, &q, false).await;
    assert_eq!(again.score, Some(3.0));
    let db = &app.state.db;
    let c = campaign::Entity::find_by_id(campaign)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    app::gaps::service::recompute(db, &c, None).await.unwrap();
    let stored = competency_result::Entity::find()
        .filter(competency_result::Column::CampaignId.eq(campaign))
        .filter(competency_result::Column::CompetencyId.eq(law))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.test_quiz_id, Some(q.id));
    assert_eq!(stored.test_questions, Some(3));
    assert_eq!(stored.test_taken_at, a.submitted_at);
    assert!((stored.test_share.unwrap() - 2.0 / 3.0).abs() < 1e-9);
    // Only the campaign's audience has results.
    let people = competency_result::Entity::find()
        .filter(competency_result::Column::CampaignId.eq(campaign))
        .all(db)
        .await
        .unwrap();
    assert!(people.iter().all(|r| r.person_id == li_na.id));
    assert_eq!(people.len(), 2);
}
