//! Evaluation, level 2: the pension course's learning report checked against
//! the attempts and seats in the database and against the formulas; the
//! course's evaluation page for its trainers and for a manager's own people.

use std::collections::HashSet;

use app::entities::{attempt, class_session, follow_up, org_unit, person, reaction, session_seat};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use uuid::Uuid;

use crate::common::TestApp;
use crate::flows::*;

/// Student's t 97.5 % quantile with 8 degrees of freedom
/// (`scipy.stats.t.ppf(0.975, 8)`, SciPy 1.17.1).
const T_975_DF8: f64 = 2.306_004_135_204_166;

async fn pass_rate(app: &TestApp, quiz_title: &str) -> (u64, u64) {
    let q = quiz_titled(app, quiz_title).await;
    let graded: Vec<attempt::Model> = attempt::Entity::find()
        .filter(attempt::Column::QuizId.eq(q.id))
        .filter(attempt::Column::SubmittedAt.is_not_null())
        .filter(attempt::Column::Ungraded.eq(false))
        .all(&app.state.db)
        .await
        .unwrap();
    // The demo's learners took each test once, so each attempt is the counted one.
    let people: HashSet<Uuid> = graded.iter().map(|a| a.person_id).collect();
    assert_eq!(people.len(), graded.len());
    let passed = graded.iter().filter(|a| a.passed == Some(true)).count();
    (graded.len() as u64, passed as u64)
}

fn near(v: &Value, expected: f64, what: &str) {
    assert!(close(v, expected), "{what}: {v} is not {expected}");
}

/// The pension course: nine learners with both tests. The gain, its paired
/// t-test, CI and d_z follow from their own scores; the pass rates from the
/// attempts; the runs are the hall's two classroom sessions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learning_report_follows_the_attempts() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let course = course_of(&app, "POL-PEN-2026").await;
    let r = json(
        app.call(
            &trainer,
            "evaluation/learning",
            &[("course_id", &course.id.to_string())],
        )
        .await,
    )
    .await;
    let people = r["gain"]["people"].as_array().unwrap();
    assert_eq!(people.len(), 12, "{r}");
    let mut pairs: Vec<(Uuid, f64, f64)> = Vec::new();
    for p in people {
        let t = &p["total"];
        match (t["pre"].as_f64(), t["post"].as_f64()) {
            (Some(pre), Some(post)) => {
                near(&t["raw"], post - pre, "raw gain");
                if pre < 100.0 {
                    near(&t["normalised"], (post - pre) / (100.0 - pre), "g");
                } else {
                    assert!(t["normalised"].is_null());
                }
                let id: Uuid = p["person_id"].as_str().unwrap().parse().unwrap();
                pairs.push((id, pre, post));
            }
            (Some(_), None) => assert!(t["normalised"].is_null()),
            other => panic!("{other:?}"),
        }
    }
    // Nine of the hall took both (李娜 has yet to take her post-test).
    assert_eq!(pairs.len(), 9);
    let n = pairs.len() as f64;
    let changes: Vec<f64> = pairs.iter().map(|(_, a, b)| b - a).collect();
    let mean_change = changes.iter().sum::<f64>() / n;
    let sd = (changes
        .iter()
        .map(|d| (d - mean_change).powi(2))
        .sum::<f64>()
        / (n - 1.0))
        .sqrt();
    let pre_mean = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let post_mean = pairs.iter().map(|p| p.2).sum::<f64>() / n;
    let whole = &r["gain"]["groups"][0];
    assert_eq!(whole["code"], "");
    assert_eq!(whole["pairs"], 9);
    near(
        &whole["normalised"],
        (post_mean - pre_mean) / (100.0 - pre_mean),
        "group g",
    );

    let paired = &r["paired"][0];
    assert_eq!(paired["code"], "");
    let p = &paired["paired"];
    assert_eq!(p["n"], 9);
    near(&p["mean_before"], pre_mean, "mean before");
    near(&p["mean_after"], post_mean, "mean after");
    near(&p["mean_change"], mean_change, "mean change");
    near(&p["sd_change"], sd, "sd of the changes");
    let se = sd / n.sqrt();
    let t = &p["t_test"];
    near(&t["t"], mean_change / se, "t");
    near(&t["df"], 8.0, "df");
    near(&t["ci"][0], mean_change - T_975_DF8 * se, "CI low");
    near(&t["ci"][1], mean_change + T_975_DF8 * se, "CI high");
    near(&p["d_z"], mean_change / sd, "d_z");
    // The CI leaves out 0 exactly when the two-sided p is under 0.05.
    let (low, high) = (t["ci"][0].as_f64().unwrap(), t["ci"][1].as_f64().unwrap());
    let p_t = t["p"].as_f64().unwrap();
    assert_eq!(low > 0.0 || high < 0.0, p_t < 0.05, "{t}");
    assert!(mean_change > 0.0, "the demo's post-test scores higher");
    let w = &p["wilcoxon"];
    assert!((0.0..=1.0).contains(&w["p"].as_f64().unwrap()), "{w}");
    assert!(w["rank_biserial"].as_f64().unwrap() > 0.0, "{w}");
    // Every competency group the gain lists has its paired figures.
    assert_eq!(
        r["paired"].as_array().unwrap().len(),
        r["gain"]["groups"].as_array().unwrap().len()
    );

    let (graded, passed) = pass_rate(&app, "课前测：养老保险政策").await;
    assert_eq!(r["pre_pass"]["graded"], graded);
    assert_eq!(r["pre_pass"]["passed"], passed);
    assert_eq!(graded, 12);
    let (graded, passed) = pass_rate(&app, "课后测：养老保险政策").await;
    assert_eq!(r["post_pass"]["graded"], graded);
    assert_eq!(r["post_pass"]["passed"], passed);
    assert_eq!(graded, 9);

    // Two runs, in the order of their sessions, each over the learners seated
    // in it who took both tests.
    let sessions = class_session::Entity::find()
        .filter(class_session::Column::CourseId.eq(course.id))
        .order_by_asc(class_session::Column::StartsAt)
        .all(&app.state.db)
        .await
        .unwrap();
    let runs = r["runs"].as_array().unwrap();
    assert_eq!(runs.len(), sessions.len(), "{}", r["runs"]);
    assert_eq!(runs.len(), 2);
    let mut total_passed = 0;
    for (run, s) in runs.iter().zip(&sessions) {
        assert_eq!(run["run"]["Session"]["place"], s.place.as_str());
        let seated: HashSet<Uuid> = session_seat::Entity::find()
            .filter(session_seat::Column::SessionId.eq(s.id))
            .all(&app.state.db)
            .await
            .unwrap()
            .into_iter()
            .map(|seat| seat.person_id)
            .collect();
        let own: Vec<&(Uuid, f64, f64)> = pairs.iter().filter(|p| seated.contains(&p.0)).collect();
        assert_eq!(run["paired"]["n"], own.len(), "{run}");
        let before = own.iter().map(|p| p.1).sum::<f64>() / own.len() as f64;
        near(&run["paired"]["mean_before"], before, "run's mean before");
        assert_eq!(run["post_pass"]["graded"], own.len());
        total_passed += run["post_pass"]["passed"].as_u64().unwrap();
    }
    assert_eq!(total_passed, passed);

    // A course without tests reports nothing, and says so rather than failing.
    let classroom = course_of(&app, "SVC-CMP-02").await;
    let admin = app.signed_in("A0001").await;
    let empty = json(
        app.call(
            &admin,
            "evaluation/learning",
            &[("course_id", &classroom.id.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(empty["gain"]["people"].as_array().unwrap().len(), 0);
    assert!(empty["pre_pass"].is_null() && empty["post_pass"].is_null());
    assert_eq!(empty["runs"].as_array().unwrap().len(), 0);

    let staff = app.signed_in("S0001").await;
    refused(
        app.call(
            &staff,
            "evaluation/learning",
            &[("course_id", &course.id.to_string())],
        )
        .await,
        403,
    )
    .await;
    app.stop().await;
}

/// The course's evaluation page repeats each level's headline figures exactly
/// as the level's own report gives them; staff may not read it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_course_page_sums_up_each_level() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let cid = course_of(&app, "POL-PEN-2026").await.id.to_string();
    let read = |endpoint: &'static str| {
        let (app, trainer, cid) = (&app, &trainer, cid.clone());
        async move { json(app.call(trainer, endpoint, &[("course_id", &cid)]).await).await }
    };
    let e = read("evaluation/course").await;
    let l1 = read("evaluation/reaction/report").await;
    let l2 = read("evaluation/learning").await;
    assert_eq!(e["reaction"]["answered"], l1["answered"]);
    let item = |kind: &str| {
        l1["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["item"]["kind"] == kind)
            .cloned()
            .unwrap()
    };
    let recommend = item("recommend");
    assert_eq!(e["reaction"]["index"][0], recommend["index"]);
    assert_eq!(e["reaction"]["index"][1], recommend["n"]);
    let overall = item("scale");
    assert_eq!(overall["item"]["builtin"], "overall");
    assert_eq!(e["reaction"]["overall"][0], overall["mean"]);
    assert_eq!(e["learning"]["paired"], l2["paired"][0]["paired"]);
    assert_eq!(
        e["learning"]["normalised"],
        l2["gain"]["groups"][0]["normalised"]
    );
    assert_eq!(e["learning"]["pre_pass"], l2["pre_pass"]);
    assert_eq!(e["learning"]["post_pass"], l2["post_pass"]);
    assert_eq!(e["learning"]["runs"], 2);
    let staff = app.signed_in("S0001").await;
    refused(
        app.call(&staff, "evaluation/course", &[("course_id", &cid)])
            .await,
        403,
    )
    .await;
    app.stop().await;
}

/// The people 王建国 manages: the service hall and any unit under it, anyone
/// reporting to him, and himself.
async fn managed_by(app: &TestApp, employee_no: &str) -> HashSet<Uuid> {
    let me = person_of(app, employee_no).await;
    let units = org_unit::Entity::find().all(&app.state.db).await.unwrap();
    let mut under: HashSet<Uuid> = me.unit_id.into_iter().collect();
    loop {
        let before = under.len();
        for u in &units {
            if u.parent_id.is_some_and(|p| under.contains(&p)) {
                under.insert(u.id);
            }
        }
        if under.len() == before {
            break;
        }
    }
    person::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| {
            p.id == me.id
                || p.unit_id.is_some_and(|u| under.contains(&u))
                || p.manager_id == Some(me.id)
        })
        .map(|p| p.id)
        .collect()
}

/// A manager reads a course's evaluation for his own people: each level counts
/// only them (the pension course's learners from other units drop out), level 4
/// is the office's and the same for everyone, and his group is hidden once it
/// is smaller than the anonymity threshold while the whole course still shows.
/// A draft course is not found for him; editor links are left out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_reads_the_course_for_his_people() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let trainer = app.signed_in("T0001").await;
    let manager = app.signed_in("M0001").await;
    let course = course_of(&app, "POL-PEN-2026").await;
    let cid = course.id.to_string();
    let mine = managed_by(&app, "M0001").await;
    let read = |who: &'static str, endpoint: &'static str| {
        let client = if who == "trainer" { &trainer } else { &manager };
        let (app, cid) = (&app, cid.clone());
        async move { json(app.call(client, endpoint, &[("course_id", &cid)]).await).await }
    };

    let reactions = reaction::Entity::find()
        .filter(reaction::Column::CourseId.eq(course.id))
        .all(db)
        .await
        .unwrap();
    let ours = reactions
        .iter()
        .filter(|r| mine.contains(&r.person_id))
        .count();
    assert!(
        ours > 0 && ours < reactions.len(),
        "the demo's pension course has learners in and outside the hall: {ours} of {}",
        reactions.len()
    );
    let all = read("trainer", "evaluation/course").await;
    let his = read("manager", "evaluation/course").await;
    assert_eq!(all["scoped"], false);
    assert_eq!(his["scoped"], true);
    assert_eq!(all["reaction"]["answered"], reactions.len());
    assert_eq!(his["reaction"]["answered"], ours, "{his}");

    // Level 2: exactly his people among the learners with a test.
    let l2_all = read("trainer", "evaluation/learning").await;
    let l2_his = read("manager", "evaluation/learning").await;
    let people = |r: &Value| -> HashSet<Uuid> {
        r["gain"]["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["person_id"].as_str().unwrap().parse().unwrap())
            .collect()
    };
    let expected: HashSet<Uuid> = people(&l2_all).intersection(&mine).copied().collect();
    assert!(!expected.is_empty());
    assert_eq!(people(&l2_his), expected);
    assert_eq!(l2_his["scoped"], true);

    // Level 3: the follow-ups about his people.
    let sent = follow_up::Entity::find()
        .filter(follow_up::Column::CourseId.eq(course.id))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|f| mine.contains(&f.subject_id))
        .count();
    assert_eq!(his["behaviour"]["sent"], sent, "{his}");
    let l3_his = read("manager", "evaluation/behaviour").await;
    assert_eq!(l3_his["sent"], sent);

    // Level 4: the office's indicators, the same for both readers.
    assert_eq!(all["results"].as_array().unwrap().len(), 5, "{all}");
    assert_eq!(his["results"], all["results"]);

    // Under the threshold his group shows nothing; the whole course still does.
    let admin = app.signed_in("A0001").await;
    let k = (ours + 1) as u64;
    assert!(reactions.len() > ours);
    set_threshold(&app, &admin, k).await;
    let r_his = read("manager", "evaluation/reaction/report").await;
    assert_eq!(r_his["shown"], false, "{r_his}");
    for f in r_his["items"].as_array().unwrap() {
        assert!(f["mean"].is_null() && f["n"].is_null(), "{f}");
        assert!(f["comments"].as_array().unwrap().is_empty(), "{f}");
    }
    assert_eq!(
        read("trainer", "evaluation/reaction/report").await["shown"],
        true
    );
    let res = download(
        &app,
        &manager,
        &format!("/export/courses/{cid}/reaction.csv"),
    )
    .await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| &r[0] != "comment"), "{csv}");
    assert!(
        rows.iter()
            .filter(|r| &r[0] == "item")
            .all(|r| &r[9] == "yes"),
        "{csv}"
    );

    // The page: the note, no link to the trainers' quiz pages.
    let page = app
        .get(&manager, &format!("/courses/{cid}/evaluation"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"evaluation-scoped\""));
    assert!(page.contains("data-testid=\"evaluation-l4\""));
    assert!(!page.contains(&format!("/courses/{cid}/quizzes")));

    // A draft course is not found for him.
    let draft = course_of(&app, "IT-OFF-01").await.id.to_string();
    refused(
        app.call(&manager, "evaluation/course", &[("course_id", &draft)])
            .await,
        404,
    )
    .await;
    app.stop().await;
}
