//! Evaluation, level 3: follow-ups are created by the background sweep once per
//! completion, wave and side however many instances sweep at once, remind once
//! and expire; a rater answers their own follow-up once, with every answer
//! checked first; the answers become newer evidence on the person's gap page and
//! the course's behaviour report, whose small groups show their count only.

use std::collections::HashMap;

use app::domain::{AssignmentStatus, CampaignState, FollowUpStatus, NotificationKind, RaterType};
use app::entities::{
    assignment, campaign, course_competency, follow_up, follow_up_answer, notification, person,
};
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use uuid::Uuid;

use crate::common::TestApp;
use crate::flows::*;

/// Forgets the demo's follow-ups and their notices.
async fn clear(app: &TestApp) {
    let db = &app.state.db;
    notification::Entity::delete_many()
        .filter(notification::Column::FollowUpId.is_not_null())
        .exec(db)
        .await
        .unwrap();
    follow_up::Entity::delete_many().exec(db).await.unwrap();
}

/// Completed assignments of courses that raise a competency, oldest id first.
async fn completions(app: &TestApp) -> Vec<assignment::Model> {
    let db = &app.state.db;
    let raising: Vec<Uuid> = course_competency::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.course_id)
        .collect();
    assignment::Entity::find()
        .filter(assignment::Column::Status.eq(AssignmentStatus::Completed))
        .filter(assignment::Column::CourseId.is_in(raising))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await
        .unwrap()
}

/// Moves every completion far into the past, then `ids` to `days` ago.
async fn completed_ago(app: &TestApp, ids: &[Uuid], days: i64) {
    let db = &app.state.db;
    let now = Utc::now();
    assignment::Entity::update_many()
        .col_expr(
            assignment::Column::CompletedAt,
            Expr::value(Some(now - Duration::days(800))),
        )
        .filter(assignment::Column::Status.eq(AssignmentStatus::Completed))
        .exec(db)
        .await
        .unwrap();
    assignment::Entity::update_many()
        .col_expr(
            assignment::Column::CompletedAt,
            Expr::value(Some(now - Duration::days(days))),
        )
        .filter(assignment::Column::Id.is_in(ids.to_vec()))
        .exec(db)
        .await
        .unwrap();
}

async fn sweeps(
    app: &TestApp,
    other: &TestApp,
    at: chrono::DateTime<Utc>,
) -> Vec<app::evaluation::behaviour::sweep::Swept> {
    let mut all = tokio::task::JoinSet::new();
    for n in 0..8 {
        let db = if n % 2 == 0 {
            app.state.db.clone()
        } else {
            other.state.db.clone()
        };
        all.spawn(async move {
            app::evaluation::behaviour::sweep::sweep(&db, at)
                .await
                .unwrap()
        });
    }
    all.join_all().await
}

async fn notices(app: &TestApp, id: Uuid, kind: NotificationKind) -> u64 {
    notification::Entity::find()
        .filter(notification::Column::FollowUpId.eq(id))
        .filter(notification::Column::Kind.eq(kind))
        .count(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_create_each_follow_up_once_then_remind_and_expire() {
    let app = TestApp::spawn().await;
    let other = TestApp::start(&app.url).await;
    let db = &app.state.db;
    let admin = app.signed_in("A0001").await;
    set_peers(&app, &admin, "0", "3").await;
    clear(&app).await;
    let chosen: Vec<assignment::Model> = completions(&app).await.into_iter().take(6).collect();
    assert_eq!(chosen.len(), 6);
    let ids: Vec<Uuid> = chosen.iter().map(|a| a.id).collect();
    completed_ago(&app, &ids, 31).await;
    // Each learner answers for themselves, and their manager if they have one.
    let mut expected = 0;
    for a in &chosen {
        let p = person::Entity::find_by_id(a.person_id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        expected += 1 + u64::from(p.manager_id.is_some());
    }
    let now = Utc::now();

    let created: u64 = sweeps(&app, &other, now)
        .await
        .iter()
        .map(|s| s.created)
        .sum();
    assert_eq!(created, expected);
    let made = follow_up::Entity::find().all(db).await.unwrap();
    assert_eq!(made.len() as u64, expected);
    for f in &made {
        assert!(ids.contains(&f.assignment_id));
        assert_eq!(f.wave, 30);
        assert_eq!(f.status, FollowUpStatus::Open);
        assert_eq!(f.due_at - f.opens_at, Duration::days(14));
        assert_eq!(
            notices(&app, f.id, NotificationKind::FollowUpOpened).await,
            1
        );
        let twins = made
            .iter()
            .filter(|g| {
                (g.assignment_id, g.wave, g.rater_type) == (f.assignment_id, f.wave, f.rater_type)
            })
            .count();
        assert_eq!(twins, 1);
    }
    // Nothing new on a later sweep, from either instance.
    let again = app::evaluation::behaviour::sweep::sweep(&other.state.db, now)
        .await
        .unwrap();
    assert_eq!(again.created, 0);

    // Twelve days on, a day before the last three: one reminder each.
    let reminded: u64 = sweeps(&app, &other, now + Duration::days(12))
        .await
        .iter()
        .map(|s| s.reminded)
        .sum();
    assert_eq!(reminded, expected);
    for f in &made {
        assert_eq!(
            notices(&app, f.id, NotificationKind::FollowUpReminder).await,
            1
        );
    }

    // The learner reads the notice and it leads to the follow-up.
    let own = made
        .iter()
        .find(|f| f.rater_type == RaterType::SelfRating)
        .unwrap();
    let learner = person::Entity::find_by_id(own.subject_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let client = app.signed_in(&learner.employee_no).await;
    let list = json(app.call(&client, "notifications", &[]).await).await;
    let notice = list
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "follow_up_reminder" && n["follow_up_id"] == own.id.to_string())
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(notice["course_id"], own.course_id.to_string());

    // Past the deadline: every one closes unanswered, and cannot be answered.
    let expired: u64 = sweeps(&app, &other, now + Duration::days(14))
        .await
        .iter()
        .map(|s| s.expired)
        .sum();
    assert_eq!(expired, expected);
    let still_open = follow_up::Entity::find()
        .filter(follow_up::Column::Status.ne(FollowUpStatus::Expired))
        .count(db)
        .await
        .unwrap();
    assert_eq!(still_open, 0);
    let id = own.id.to_string();
    refused(
        app.call(
            &client,
            "evaluation/follow-up/submit",
            &[("id", id.as_str())],
        )
        .await,
        409,
    )
    .await;
    other.stop().await;
    app.stop().await;
}

async fn behaviour_csv(app: &TestApp, who: &reqwest::Client, course: &str) -> String {
    download(app, who, &format!("/export/courses/{course}/behaviour.csv"))
        .await
        .text()
        .await
        .unwrap()
}

/// The form fields answering every competency of `form` with `level` and `often`.
fn answers(form: &Value, id: &str, level: &str, often: &str) -> Vec<(String, String)> {
    let mut out = vec![("id".to_owned(), id.to_owned())];
    for c in form["competencies"].as_array().unwrap() {
        let code = c["code"].as_str().unwrap();
        out.push((format!("level[{code}]"), level.to_owned()));
        out.push((format!("frequency[{code}]"), often.to_owned()));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_is_answered_once_and_becomes_evidence() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    // One of October's IT class: completed 社保经办系统实操 after the baseline.
    let it = course_of(&app, "SI-SYS-101").await;
    let baseline = campaign::Entity::find()
        .filter(campaign::Column::FollowUpOf.is_null())
        .filter(campaign::Column::State.eq(CampaignState::Closed))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let took = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(it.id))
        .filter(assignment::Column::Status.eq(AssignmentStatus::Completed))
        .filter(assignment::Column::CompletedAt.gt(baseline.closes_at))
        .order_by_asc(assignment::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("October's class");
    // Make its 30-day follow-ups due now (still after the baseline closed).
    let since = (Utc::now() - baseline.closes_at).num_days().min(31);
    assert!(since >= 30, "the baseline closed {since} days ago");
    assignment::Entity::update_many()
        .col_expr(
            assignment::Column::CompletedAt,
            Expr::value(Some(Utc::now() - Duration::days(since))),
        )
        .filter(assignment::Column::Id.eq(took.id))
        .exec(db)
        .await
        .unwrap();
    follow_up::Entity::delete_many()
        .filter(follow_up::Column::AssignmentId.eq(took.id))
        .exec(db)
        .await
        .unwrap();
    app::evaluation::behaviour::sweep::sweep(db, Utc::now())
        .await
        .unwrap();
    let mine = follow_up::Entity::find()
        .filter(follow_up::Column::AssignmentId.eq(took.id))
        .all(db)
        .await
        .unwrap();
    let own = mine
        .iter()
        .find(|f| f.rater_type == RaterType::SelfRating)
        .expect("the learner's own follow-up");
    let theirs = mine
        .iter()
        .find(|f| f.rater_type == RaterType::Manager)
        .expect("the manager's follow-up");
    let learner = person::Entity::find_by_id(took.person_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let boss = person::Entity::find_by_id(theirs.rater_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(Some(boss.id), learner.manager_id);
    let client = app.signed_in(&learner.employee_no).await;
    let manager = app.signed_in(&boss.employee_no).await;
    let id = own.id.to_string();

    // The learner's list and form.
    let list = json(app.call(&client, "evaluation/follow-ups", &[]).await).await;
    assert!(
        list["open"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == id.as_str() && f["rater_type"] == "self"),
        "{list}"
    );
    let form = json(
        app.call(&client, "evaluation/follow-up", &[("id", id.as_str())])
            .await,
    )
    .await;
    assert_eq!(form["state"], "Open", "{form}");
    let codes: Vec<&str> = form["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CASE_HANDLING", "IT_LITERACY"]);
    for c in form["competencies"].as_array().unwrap() {
        assert_eq!(c["levels"].as_array().unwrap().len(), 5, "{c}");
    }
    // Someone else's follow-up is not found, to a colleague and to the manager.
    let colleague = app.signed_in("S0001").await;
    refused(
        app.call(&colleague, "evaluation/follow-up", &[("id", id.as_str())])
            .await,
        404,
    )
    .await;
    let theirs_to_answer = answers(&form, &id, "3", "3");
    refused(
        app.call(
            &manager,
            "evaluation/follow-up/submit",
            &borrowed(&theirs_to_answer),
        )
        .await,
        404,
    )
    .await;

    // A level out of range and a missing frequency: both named, nothing written.
    let mut bad = answers(&form, &id, "4", "4");
    bad.retain(|(k, _)| k != "frequency[CASE_HANDLING]");
    for (k, v) in &mut bad {
        if k == "level[IT_LITERACY]" {
            *v = "7".to_owned();
        }
    }
    bad.push(("action_plan".to_owned(), "x".repeat(2001)));
    let body = refused(
        app.call(&client, "evaluation/follow-up/submit", &borrowed(&bad))
            .await,
        422,
    )
    .await;
    for field in [
        "level[IT_LITERACY]",
        "frequency[CASE_HANDLING]",
        "action_plan",
    ] {
        assert!(body.contains(field), "{field}: {body}");
    }
    let unchanged = follow_up::Entity::find_by_id(own.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.status, FollowUpStatus::Open);
    let written = follow_up_answer::Entity::find()
        .filter(follow_up_answer::Column::FollowUpId.eq(own.id))
        .count(db)
        .await
        .unwrap();
    assert_eq!(written, 0);

    // Answered: saved once, with the plan; a second submit is refused.
    let mut good = answers(&form, &id, "4", "4");
    good.push((
        "action_plan".to_owned(),
        "每笔转移接续都用系统校验。".to_owned(),
    ));
    let to = location(
        app.call(&client, "evaluation/follow-up/submit", &borrowed(&good))
            .await,
    )
    .await;
    assert_eq!(to, "/follow-ups?thanks=1");
    let saved = follow_up::Entity::find_by_id(own.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.status, FollowUpStatus::Submitted);
    assert_eq!(
        saved.action_plan.as_deref(),
        Some("每笔转移接续都用系统校验。")
    );
    let levels: HashMap<String, (i32, i32)> = follow_up_answer::Entity::find()
        .filter(follow_up_answer::Column::FollowUpId.eq(own.id))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.code, (a.level, a.frequency)))
        .collect();
    assert_eq!(levels.len(), 2);
    assert_eq!(levels["IT_LITERACY"], (4, 4));
    refused(
        app.call(&client, "evaluation/follow-up/submit", &borrowed(&good))
            .await,
        409,
    )
    .await;

    // The manager answers their side, two levels lower: a disagreement.
    let mid = theirs.id.to_string();
    let mform = json(
        app.call(&manager, "evaluation/follow-up", &[("id", mid.as_str())])
            .await,
    )
    .await;
    assert_eq!(mform["rater_type"], "manager");
    let mut m = answers(&mform, &mid, "2", "3");
    m.push(("action_plan".to_owned(), "ignored for managers".to_owned()));
    location(
        app.call(&manager, "evaluation/follow-up/submit", &borrowed(&m))
            .await,
    )
    .await;
    let msaved = follow_up::Entity::find_by_id(theirs.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(msaved.action_plan, None);

    // Newer evidence on the person's gap page, with where it came from.
    let gaps = json(person_gaps(&app, &manager, learner.id, baseline.id).await).await;
    let newer = &row(&gaps, "IT_LITERACY")["newer"];
    assert_eq!(newer["level"], 3.0, "{newer}");
    assert_eq!(newer["own"], 4);
    assert_eq!(newer["manager"], 2);
    assert_eq!(newer["wave"], 30);
    assert_eq!(newer["course"], it.title.as_str());
    let threshold = baseline.discrepancy_threshold;
    assert_eq!(newer["discrepancy"], 2.0 >= threshold - 1e-9, "{threshold}");

    // The course's level 3 report agrees with the stored answers.
    let trainer = app.signed_in("T0001").await;
    let cid = it.id.to_string();
    let report = json(
        app.call(
            &trainer,
            "evaluation/behaviour",
            &[("course_id", cid.as_str())],
        )
        .await,
    )
    .await;
    let submitted = follow_up::Entity::find()
        .filter(follow_up::Column::CourseId.eq(it.id))
        .filter(follow_up::Column::Status.eq(FollowUpStatus::Submitted))
        .filter(follow_up::Column::Wave.eq(30))
        .all(db)
        .await
        .unwrap();
    let mut own_levels = Vec::new();
    let mut manager_levels = Vec::new();
    let mut peer_levels = Vec::new();
    let mut learners = std::collections::HashSet::new();
    for f in &submitted {
        if let Some(a) = follow_up_answer::Entity::find_by_id((f.id, "IT_LITERACY".to_owned()))
            .one(db)
            .await
            .unwrap()
        {
            match f.rater_type {
                RaterType::SelfRating => own_levels.push(f64::from(a.level)),
                RaterType::Manager => manager_levels.push(f64::from(a.level)),
                // Colleagues are pooled apart and do not make a learner count.
                RaterType::Peer => {
                    peer_levels.push(f64::from(a.level));
                    continue;
                }
            }
            learners.insert(f.subject_id);
        }
    }
    let r = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "IT_LITERACY" && r["wave"] == 30)
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(r["n"].as_u64().unwrap() as usize, learners.len());
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert_eq!(
        r["learners"]["n"].as_u64().unwrap() as usize,
        own_levels.len()
    );
    assert!(close(&r["learners"]["level"], mean(&own_levels)), "{r}");
    assert!(close(&r["managers"]["level"], mean(&manager_levels)), "{r}");
    assert_eq!(
        r["peers"]["n"].as_u64().unwrap() as usize,
        peer_levels.len()
    );
    assert!(
        peer_levels.len() >= 3,
        "the demo asks two colleagues each time"
    );
    assert!(close(&r["peers"]["level"], mean(&peer_levels)), "{r}");
    assert_eq!(r["shown"], true);
    assert!(r["paired"].is_object(), "{r}");
    assert!(
        report["plans"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "每笔转移接续都用系统校验。")
    );
    // The CSV carries the same row and the plan.
    let csv = behaviour_csv(&app, &trainer, &cid).await;
    let line = csv
        .lines()
        .find(|l| l.starts_with("competency,IT_LITERACY,") && l.split(',').nth(3) == Some("30"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert_eq!(
        line.split(',').nth(4),
        Some(learners.len().to_string().as_str()),
        "{line}"
    );
    assert!(line.ends_with(",no,"), "{line}");
    assert!(csv.contains("每笔转移接续都用系统校验。"));
    // The course's evaluation page carries the same change.
    let eval = json(
        app.call(
            &trainer,
            "evaluation/course",
            &[("course_id", cid.as_str())],
        )
        .await,
    )
    .await;
    assert_eq!(eval["behaviour"]["answered"], report["answered"]);

    // Above every group: counts only, no plan.
    let admin = app.signed_in("A0001").await;
    set_threshold(&app, &admin, 50).await;
    let hidden = json(
        app.call(
            &trainer,
            "evaluation/behaviour",
            &[("course_id", cid.as_str())],
        )
        .await,
    )
    .await;
    for r in hidden["rows"].as_array().unwrap() {
        assert_eq!(r["shown"], false, "{r}");
        assert!(r["n"].as_u64().unwrap() > 0);
        for side in ["learners", "managers", "peers"] {
            assert!(r[side]["level"].is_null(), "{r}");
            assert!(r[side]["frequency"].is_null(), "{r}");
        }
        assert!(r["paired"].is_null());
        assert!(r["discrepancies"].is_null());
    }
    assert_eq!(hidden["plans"], serde_json::json!([]));
    let csv = behaviour_csv(&app, &trainer, &cid).await;
    assert!(!csv.contains("每笔转移接续都用系统校验。"));
    for line in csv.lines().skip(1) {
        assert!(line.starts_with("competency,"), "{line}");
        assert!(line.ends_with(",yes,"), "{line}");
        // n and the sides' counts, and nothing else: no learners' or
        // colleagues' level, no baseline, no disagreement count.
        let cells: Vec<&str> = line.split(',').collect();
        assert!(
            [6, 12, 15, 22].iter().all(|i| cells[*i].is_empty()),
            "{line}"
        );
    }
    // Staff do not read the report; a manager reads it for his own people,
    // hidden the same way under the threshold.
    refused(
        app.call(
            &colleague,
            "evaluation/behaviour",
            &[("course_id", cid.as_str())],
        )
        .await,
        403,
    )
    .await;
    let his = json(
        app.call(
            &manager,
            "evaluation/behaviour",
            &[("course_id", cid.as_str())],
        )
        .await,
    )
    .await;
    assert_eq!(his["scoped"], true, "{his}");
    assert!(his["sent"].as_u64().unwrap() <= hidden["sent"].as_u64().unwrap());
    for r in his["rows"].as_array().unwrap() {
        assert!(
            r["paired"].is_null() && r["learners"]["level"].is_null(),
            "{r}"
        );
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_waves_are_office_rules_checked_before_saving() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let form = |days: &'static str, window: &'static str| {
        vec![
            ("hours_budget", "40"),
            ("hours_required", "40"),
            ("trainer_rate", "300"),
            ("venue_rate", "100"),
            ("class_size", "30"),
            ("anonymity_threshold", "3"),
            ("follow_up_days", days),
            ("follow_up_window", window),
        ]
    };
    let body = refused(
        app.call(&admin, "rules/save", &form("30, soon", "0")).await,
        422,
    )
    .await;
    assert!(
        body.contains("follow_up_days") && body.contains("follow_up_window"),
        "{body}"
    );
    let rules = json(app.call(&admin, "rules/get", &[]).await).await;
    assert_eq!(rules["follow_up_days"], "30, 90");
    assert_eq!(rules["follow_up_window"], 14);
    location(app.call(&admin, "rules/save", &form("60，14", "21")).await).await;
    let rules = json(app.call(&admin, "rules/get", &[]).await).await;
    assert_eq!(rules["follow_up_days"], "14, 60");
    assert_eq!(rules["follow_up_window"], 21);
    let (waves, window) = app::evaluation::behaviour::sweep::schedule(&app.state.db)
        .await
        .unwrap();
    assert_eq!((waves, window), (vec![14, 60], 21));
    app.stop().await;
}

/// Asks `peers` colleagues in each follow-up, with anonymity threshold `k`.
async fn set_peers(app: &TestApp, admin: &reqwest::Client, peers: &str, k: &str) {
    let form = rules_form(k, &[("follow_up_peers", peers)]);
    location(app.call(admin, "rules/save", &form).await).await;
}

/// Colleagues, when the office asks for them: each follow-up goes to that
/// many people of the learner's unit (not the learner, not their manager),
/// once however many instances sweep; a colleague's answers are pooled in
/// the course's report, shown only once enough of them answered, and are
/// never evidence on the learner's own gap page. A bad number is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn colleagues_are_asked_once_and_pooled() {
    let app = TestApp::spawn().await;
    let other = TestApp::start(&app.url).await;
    let db = &app.state.db;
    let admin = app.signed_in("A0001").await;
    let res = app
        .call(
            &admin,
            "rules/save",
            &rules_form("3", &[("follow_up_peers", "9")]),
        )
        .await;
    assert!(refused(res, 422).await.contains("follow_up_peers"));
    set_peers(&app, &admin, "2", "3").await;
    clear(&app).await;
    // Two learners of one course, so a row can reach a threshold of two.
    let all = completions(&app).await;
    let course_id = all
        .iter()
        .map(|a| a.course_id)
        .find(|c| all.iter().filter(|a| a.course_id == *c).count() >= 2)
        .expect("a course two people completed");
    let chosen: Vec<assignment::Model> = all
        .into_iter()
        .filter(|a| a.course_id == course_id)
        .take(2)
        .collect();
    let ids: Vec<Uuid> = chosen.iter().map(|a| a.id).collect();
    completed_ago(&app, &ids, 31).await;
    let everyone: HashMap<Uuid, person::Model> = person::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut expected = 0;
    for a in &chosen {
        let p = &everyone[&a.person_id];
        let colleagues = everyone
            .values()
            .filter(|c| c.active && c.unit_id.is_some() && c.unit_id == p.unit_id)
            .filter(|c| c.id != p.id && Some(c.id) != p.manager_id)
            .count();
        expected += 1 + u64::from(p.manager_id.is_some()) + colleagues.min(2) as u64;
    }
    let created: u64 = sweeps(&app, &other, Utc::now())
        .await
        .iter()
        .map(|s| s.created)
        .sum();
    assert_eq!(created, expected);
    let made = follow_up::Entity::find().all(db).await.unwrap();
    assert_eq!(made.len() as u64, expected);
    let peers: Vec<&follow_up::Model> = made
        .iter()
        .filter(|f| f.rater_type == RaterType::Peer)
        .collect();
    assert!(!peers.is_empty());
    for f in &peers {
        let (learner, rater) = (&everyone[&f.subject_id], &everyone[&f.rater_id]);
        assert_eq!(
            rater.unit_id, learner.unit_id,
            "a colleague of the same unit"
        );
        assert!(rater.id != learner.id && Some(rater.id) != learner.manager_id);
        assert!(f.slot == 1 || f.slot == 2, "{}", f.slot);
        let same = peers
            .iter()
            .filter(|g| (g.assignment_id, g.wave) == (f.assignment_id, f.wave))
            .filter(|g| g.rater_id == f.rater_id || g.slot == f.slot)
            .count();
        assert_eq!(same, 1, "each colleague and slot once");
    }
    assert_eq!(
        app::evaluation::behaviour::sweep::sweep(db, Utc::now())
            .await
            .unwrap()
            .created,
        0
    );

    // Both learners answer for themselves; the first one's two colleagues
    // answer about them, like a manager would.
    let answer = |f: follow_up::Model, level: &'static str| {
        let app = &app;
        let no = everyone[&f.rater_id].employee_no.clone();
        async move {
            let client = app.signed_in(&no).await;
            let id = f.id.to_string();
            let form = json(
                app.call(&client, "evaluation/follow-up", &[("id", id.as_str())])
                    .await,
            )
            .await;
            let sent = answers(&form, &id, level, "3");
            location(
                app.call(&client, "evaluation/follow-up/submit", &borrowed(&sent))
                    .await,
            )
            .await;
            form
        }
    };
    for f in made
        .iter()
        .filter(|f| f.rater_type == RaterType::SelfRating)
    {
        answer(f.clone(), "3").await;
    }
    let first = chosen[0].id;
    let theirs: Vec<follow_up::Model> = peers
        .iter()
        .filter(|f| f.assignment_id == first)
        .map(|f| (*f).clone())
        .collect();
    assert_eq!(
        theirs.len(),
        2,
        "the first learner's unit has two colleagues to ask"
    );
    let subject = &everyone[&theirs[0].subject_id];
    let form = answer(theirs[0].clone(), "2").await;
    assert_eq!(form["rater_type"], "peer", "{form}");
    let page = app
        .get(
            &app.signed_in(&everyone[&theirs[1].rater_id].employee_no)
                .await,
            &format!("/follow-ups/{}", theirs[1].id),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&subject.name), "the form names the colleague");
    answer(theirs[1].clone(), "4").await;

    let course = course_id.to_string();
    let report = || {
        let (app, course) = (&app, course.clone());
        async move {
            let client = app.signed_in("A0001").await;
            json(
                app.call(
                    &client,
                    "evaluation/behaviour",
                    &[("course_id", course.as_str())],
                )
                .await,
            )
            .await["rows"]
                .as_array()
                .unwrap()
                .clone()
        }
    };
    // Threshold 3: two learners and two colleagues, counts only.
    let hidden = report().await;
    let pooled: Vec<&Value> = hidden.iter().filter(|r| r["peers"]["n"] == 2).collect();
    assert!(!pooled.is_empty(), "{hidden:?}");
    for r in &pooled {
        assert_eq!(r["n"], 2, "{r}");
        assert!(
            r["peers"]["level"].is_null() && r["learners"]["level"].is_null(),
            "{r}"
        );
    }
    // Threshold 2: the colleagues' mean, 2 and 4; never the manager's side.
    set_peers(&app, &admin, "2", "2").await;
    let shown = report().await;
    let pooled: Vec<&Value> = shown.iter().filter(|r| r["peers"]["n"] == 2).collect();
    assert!(!pooled.is_empty());
    for r in pooled {
        assert_eq!(r["shown"], true, "{r}");
        assert!(close(&r["peers"]["level"], 3.0), "{r}");
        assert!(close(&r["peers"]["frequency"], 3.0), "{r}");
        assert_eq!(r["managers"]["n"], 0, "{r}");
        assert_eq!(r["learners"]["n"], 2, "{r}");
    }
    // The learner's evidence has their own answer and no colleague's.
    let newest = app::evaluation::behaviour::evidence::newest(
        db,
        app.state.settings.timezone,
        subject.id,
        Utc::now() - Duration::days(3650),
        1.0,
    )
    .await
    .unwrap();
    assert!(!newest.is_empty());
    for source in newest.values() {
        assert_eq!(source.own, Some(3), "{source:?}");
        assert_eq!(source.manager, None, "{source:?}");
    }
    other.stop().await;
    app.stop().await;
}
