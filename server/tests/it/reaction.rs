//! Evaluation, level 1: the reaction form opens after a session or completion,
//! checks every answer and saves once; the report's figures follow the answers
//! and hide every figure and comment of a group under the anonymity threshold,
//! on the page and in the CSV; a course can make the form
//! part of its completion rule; the form editor keeps answered wording; the
//! office template shapes the forms copied after it changes.

use std::collections::{HashMap, HashSet};

use app::domain::{AssignmentStatus, ReactionKind};
use app::entities::{
    assignment, audit_log, course, person, reaction, reaction_answer, reaction_item,
    reaction_template_item,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

use crate::common::TestApp;
use crate::flows::*;

fn field(item: &Value) -> String {
    let id: Uuid = item["id"].as_str().unwrap().parse().unwrap();
    format!("answer[a{}]", id.simple())
}

fn error_field(item: &Value) -> String {
    let id: Uuid = item["id"].as_str().unwrap().parse().unwrap();
    format!("a{}", id.simple())
}

/// A full set of answers: `score` on every rating, 9 on the recommend item, a
/// comment on the first written item.
fn answers(form: &Value, course: &str, score: &str) -> Vec<(String, String)> {
    let mut out = vec![("course_id".to_owned(), course.to_owned())];
    let mut commented = false;
    for item in form["items"].as_array().unwrap() {
        let value = match item["kind"].as_str().unwrap() {
            "scale" => score.to_owned(),
            "recommend" => "9".to_owned(),
            _ if !commented => {
                commented = true;
                "上机练习再多一点。".to_owned()
            }
            _ => String::new(),
        };
        out.push((field(item), value));
    }
    out
}

async fn reactions_of(app: &TestApp, person: Uuid, course: Uuid) -> u64 {
    reaction::Entity::find()
        .filter(reaction::Column::PersonId.eq(person))
        .filter(reaction::Column::CourseId.eq(course))
        .count(&app.state.db)
        .await
        .unwrap()
}

/// A reading server function's answer about the course `cid`.
async fn about(app: &TestApp, who: &reqwest::Client, endpoint: &str, cid: &str) -> Value {
    json(app.call(who, endpoint, &[("course_id", cid)]).await).await
}

/// A report of a group under the threshold: its count, and no figure or
/// comment of any item, nor any comment's words anywhere in the payload.
fn assert_nothing_shown(r: &Value) {
    assert_eq!(r["shown"], false, "{r}");
    for f in r["items"].as_array().unwrap() {
        assert!(f["n"].is_null() && f["item"]["answers"].is_null(), "{f}");
        assert!(f["mean"].is_null() && f["index"].is_null(), "{f}");
        assert!(f["distribution"].as_array().unwrap().is_empty(), "{f}");
        assert!(f["comments"].as_array().unwrap().is_empty(), "{f}");
    }
    assert!(!r.to_string().contains("上机"), "no comment leaks: {r}");
}

async fn session_report(app: &TestApp, who: &reqwest::Client, cid: &str, sid: &str) -> Value {
    json(
        app.call(
            who,
            "evaluation/reaction/report",
            &[("course_id", cid), ("session", sid)],
        )
        .await,
    )
    .await
}

/// The course's reaction CSV, rows without the header.
async fn reaction_csv(app: &TestApp, who: &reqwest::Client, cid: &str) -> Vec<Vec<String>> {
    let res = download(app, who, &format!("/export/courses/{cid}/reaction.csv")).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "record",
            "scope",
            "item",
            "wording",
            "kind",
            "n",
            "mean",
            "reaction_index",
            "distribution",
            "suppressed",
            "comment"
        ]
    );
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

async fn person_id(app: &TestApp, no: &str) -> Uuid {
    person::Entity::find()
        .filter(person::Column::EmployeeNo.eq(no))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// 李娜 sat in the pension course's first session: her form is open. Missing
/// and out-of-range ratings are refused with nothing saved; her answers are
/// saved once; 王建国's four simultaneous sends make one reaction; a course she
/// has not finished, or someone without the course, cannot answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_opens_checks_and_saves_once() {
    let app = TestApp::spawn().await;
    let course = course_of(&app, "POL-PEN-2026").await;
    let cid = course.id.to_string();
    let li_na = app.signed_in("S0001").await;
    let li_na_id = person_id(&app, "S0001").await;
    let form = about(&app, &li_na, "evaluation/reaction/form", &cid).await;
    assert_eq!(form["state"], "Open", "{form}");
    assert_eq!(form["completes"], false);
    let items = form["items"].as_array().unwrap();
    assert_eq!(items.len(), 10, "the default form");

    // Nothing answered: every rating is named, nothing saved.
    let body = refused(
        app.call(&li_na, "evaluation/reaction/submit", &[("course_id", &cid)])
            .await,
        422,
    )
    .await;
    for item in items {
        let named = body.contains(&error_field(item));
        assert_eq!(named, item["kind"] != "text", "{item}: {body}");
    }
    // Out of range on both scales.
    let mut wrong = answers(&form, &cid, "6");
    for (_, v) in &mut wrong {
        if v == "9" {
            *v = "11".into();
        }
    }
    let body = refused(
        app.call(&li_na, "evaluation/reaction/submit", &borrowed(&wrong))
            .await,
        422,
    )
    .await;
    assert!(body.contains("out_of_range"), "{body}");
    assert_eq!(reactions_of(&app, li_na_id, course.id).await, 0);

    let good = answers(&form, &cid, "4");
    let to = location(
        app.call(&li_na, "evaluation/reaction/submit", &borrowed(&good))
            .await,
    )
    .await;
    assert_eq!(to, format!("/courses/{cid}/reaction?thanks=1"));
    assert_eq!(reactions_of(&app, li_na_id, course.id).await, 1);
    let saved = reaction::Entity::find()
        .filter(reaction::Column::PersonId.eq(li_na_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(saved.session_id.is_some(), "the session she attended");
    let stored = reaction_answer::Entity::find()
        .filter(reaction_answer::Column::ReactionId.eq(saved.id))
        .all(&app.state.db)
        .await
        .unwrap();
    // Eight ratings and one comment; the blank comment is not stored.
    assert_eq!(stored.len(), 9);
    assert_eq!(stored.iter().filter(|a| a.score == Some(4)).count(), 7);
    assert_eq!(stored.iter().filter(|a| a.score == Some(9)).count(), 1);
    refused(
        app.call(&li_na, "evaluation/reaction/submit", &borrowed(&good))
            .await,
        409,
    )
    .await;
    let again = about(&app, &li_na, "evaluation/reaction/form", &cid).await;
    assert!(again["state"]["Answered"].is_string(), "{again}");

    // Four sends at once (double clicks, two tabs): one reaction.
    let manager = app.signed_in("M0001").await;
    let manager_id = person_id(&app, "M0001").await;
    let form = about(&app, &manager, "evaluation/reaction/form", &cid).await;
    assert_eq!(form["state"], "Open", "{form}");
    let body = answers(&form, &cid, "5");
    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let (client, origin, body) = (manager.clone(), app.origin(), body.clone());
        sends.spawn(async move {
            client
                .post(format!("{origin}/api/evaluation/reaction/submit"))
                .header("Origin", &origin)
                .header("Accept", "application/json")
                .form(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(s) = sends.join_next().await {
        statuses.push(s.unwrap());
    }
    assert_eq!(reactions_of(&app, manager_id, course.id).await, 1);
    assert_eq!(
        statuses.iter().filter(|s| **s < 400).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s < 400 || *s == 409),
        "{statuses:?}"
    );

    // Her overdue course is not finished: the form is not open yet.
    let l = json(app.call(&li_na, "learning", &[]).await).await;
    let overdue = &l["courses"][0];
    assert_eq!(overdue["overdue"], true);
    assert_eq!(overdue["reaction"], "NotYet");
    let other = overdue["course_id"].as_str().unwrap();
    let form = about(&app, &li_na, "evaluation/reaction/form", other).await;
    assert_eq!(form["state"], "NotYet");
    refused(
        app.call(
            &li_na,
            "evaluation/reaction/submit",
            &[("course_id", other)],
        )
        .await,
        409,
    )
    .await;
    // My learning shows the pension course's form answered.
    let pension = l["courses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "POL-PEN-2026")
        .unwrap();
    assert_eq!(pension["reaction"], "Answered", "{pension}");
    // Someone without the course learns nothing of its form.
    let trainer = app.signed_in("T0001").await;
    refused(
        app.call(&trainer, "evaluation/reaction/form", &[("course_id", &cid)])
            .await,
        403,
    )
    .await;
    refused(
        app.call(&trainer, "evaluation/reaction/submit", &borrowed(&good))
            .await,
        403,
    )
    .await;
    app.stop().await;
}

/// The pension course's report: counts, means, the reaction index and the
/// comments all follow the stored answers, per course and per session; a
/// group under the anonymity threshold shows its count and nothing else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_follows_the_answers_and_hides_small_groups() {
    let app = TestApp::spawn().await;
    let course = course_of(&app, "POL-PEN-2026").await;
    let cid = course.id.to_string();
    let trainer = app.signed_in("T0001").await;
    let r = about(&app, &trainer, "evaluation/reaction/report", &cid).await;
    let reactions = reaction::Entity::find()
        .filter(reaction::Column::CourseId.eq(course.id))
        .all(&app.state.db)
        .await
        .unwrap();
    // The hall's two runs less 李娜 and 王建国, whose forms are open, and some
    // who completed the course on their own.
    let from_sessions = reactions.iter().filter(|x| x.session_id.is_some()).count();
    assert_eq!(from_sessions, 10);
    assert_eq!(r["answered"], reactions.len(), "{r}");
    assert_eq!(r["threshold"], 3);
    assert_eq!(r["shown"], true);
    let ids: Vec<Uuid> = reactions.iter().map(|x| x.id).collect();
    let stored = reaction_answer::Entity::find()
        .filter(reaction_answer::Column::ReactionId.is_in(ids))
        .all(&app.state.db)
        .await
        .unwrap();
    let items = reaction_item::Entity::find()
        .filter(reaction_item::Column::CourseId.eq(course.id))
        .all(&app.state.db)
        .await
        .unwrap();
    let kind: HashMap<Uuid, ReactionKind> = items.iter().map(|i| (i.id, i.kind)).collect();
    for f in r["items"].as_array().unwrap() {
        let id: Uuid = f["item"]["id"].as_str().unwrap().parse().unwrap();
        let mine: Vec<&reaction_answer::Model> =
            stored.iter().filter(|a| a.item_id == id).collect();
        assert_eq!(f["n"], mine.len(), "{f}");
        let scores: Vec<f64> = mine.iter().filter_map(|a| a.score).map(f64::from).collect();
        match kind[&id] {
            ReactionKind::Scale => {
                let mean = scores.iter().sum::<f64>() / scores.len() as f64;
                assert!(close(&f["mean"], mean), "{f}");
                let counted: u64 = f["distribution"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d[1].as_u64().unwrap())
                    .sum();
                assert_eq!(counted, scores.len() as u64);
            }
            ReactionKind::Recommend => {
                let n = scores.len() as f64;
                let high = scores.iter().filter(|s| **s >= 9.0).count() as f64;
                let low = scores.iter().filter(|s| **s <= 6.0).count() as f64;
                assert!(close(&f["index"], 100.0 * (high - low) / n), "{f}");
                assert_eq!(f["distribution"].as_array().unwrap().len(), 11);
            }
            ReactionKind::Text => {
                let mut written: Vec<String> =
                    mine.iter().filter_map(|a| a.comment.clone()).collect();
                written.sort();
                let shown: Vec<String> = f["comments"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_owned())
                    .collect();
                assert_eq!(shown, written);
                assert!(f["mean"].is_null());
            }
        }
    }
    // Comments never name anyone.
    let text = r.to_string();
    for p in person::Entity::find()
        .filter(person::Column::Id.is_in(reactions.iter().map(|x| x.person_id).collect::<Vec<_>>()))
        .all(&app.state.db)
        .await
        .unwrap()
    {
        assert!(!text.contains(&p.name) && !text.contains(&p.employee_no));
    }

    // The CSV carries the same figures and comments, and no names.
    let shown_csv = reaction_csv(&app, &trainer, &cid).await;
    for f in r["items"].as_array().unwrap() {
        let wanted = f["comments"].as_array().unwrap().len();
        let builtin = f["item"]["builtin"].as_str().unwrap_or_default();
        let wording = f["item"]["prompt"].as_str().unwrap();
        let rows: Vec<&Vec<String>> = shown_csv
            .iter()
            .filter(|row| row[1] == "course" && row[2] == builtin && row[3] == wording)
            .collect();
        assert_eq!(rows.iter().filter(|r| r[0] == "comment").count(), wanted);
        let item = rows.iter().find(|r| r[0] == "item").unwrap();
        assert_eq!(item[5], f["n"].to_string(), "{item:?}");
        assert_eq!(item[9], "no");
        if let Some(mean) = f["mean"].as_f64() {
            assert_eq!(item[6], format!("{mean:.2}"), "{item:?}");
        }
    }
    // Which comments the demo wrote depends on the database's row order, so
    // the check takes whatever the report shows, and there must be some.
    let said: Vec<&str> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["comments"].as_array().unwrap())
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(!said.is_empty(), "the demo's pension course has comments");
    for c in said {
        assert!(
            shown_csv
                .iter()
                .any(|row| row[0] == "comment" && row[10] == c),
            "comment {c} is exported when shown"
        );
    }

    // Per session: the two runs, each its own learners.
    let sessions = r["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{r}");
    let mut total = 0;
    for s in sessions {
        let sid = s["session_id"].as_str().unwrap();
        let own = reactions
            .iter()
            .filter(|x| x.session_id.map(|i| i.to_string()).as_deref() == Some(sid))
            .count();
        assert_eq!(s["answered"], own, "{s}");
        total += own;
        let one = session_report(&app, &trainer, &cid, sid).await;
        assert_eq!(one["answered"], own);
        assert_eq!(one["session"][0], sid);
    }
    assert_eq!(total, from_sessions);

    // Above the largest session, every session's figures are hidden while
    // the whole course's (more answers) are still shown.
    let largest = sessions
        .iter()
        .map(|s| s["answered"].as_u64().unwrap())
        .max()
        .unwrap();
    let admin = app.signed_in("A0001").await;
    set_threshold(&app, &admin, largest + 1).await;
    let r = about(&app, &trainer, "evaluation/reaction/report", &cid).await;
    assert_eq!(r["shown"], true, "{r}");
    for s in r["sessions"].as_array().unwrap() {
        assert_eq!(s["shown"], false, "{s}");
        assert!(s["answered"].as_u64().unwrap() > 0);
        assert!(s["overall"].is_null() && s["index"].is_null(), "{s}");
        assert_eq!(s["index_n"], 0);
        let sid = s["session_id"].as_str().unwrap();
        let one = session_report(&app, &trainer, &cid, sid).await;
        assert_nothing_shown(&one);
    }

    // Above all the answers, the course's figures are hidden too, on its
    // report and on its evaluation page.
    set_threshold(&app, &admin, reactions.len() as u64 + 1).await;
    let hidden = about(&app, &trainer, "evaluation/reaction/report", &cid).await;
    assert_eq!(hidden["threshold"], reactions.len() + 1);
    assert_eq!(hidden["answered"], reactions.len());
    assert_nothing_shown(&hidden);
    let hidden_csv = reaction_csv(&app, &trainer, &cid).await;
    assert!(
        hidden_csv.iter().all(|row| row[9] == "yes"),
        "{hidden_csv:?}"
    );
    assert!(hidden_csv.iter().all(|row| row[0] != "comment"));
    assert!(
        hidden_csv
            .iter()
            .all(|row| row[6].is_empty() && row[7].is_empty() && row[8].is_empty()),
        "no figure of a small group is exported: {hidden_csv:?}"
    );
    assert!(
        hidden_csv
            .iter()
            .all(|row| row[0] != "item" || row[5].is_empty()),
        "not even an item's count: {hidden_csv:?}"
    );
    let summary = about(&app, &trainer, "evaluation/course", &cid).await;
    let l1 = &summary["reaction"];
    assert_eq!(l1["below_threshold"], reactions.len() + 1, "{l1}");
    assert!(l1["overall"].is_null() && l1["index"].is_null(), "{l1}");

    // Whatever the threshold, no hidden group follows by subtraction: each
    // shown session has the threshold, and the course's answers outside the
    // shown sessions are none or at least the threshold too.
    for k in 1..=reactions.len() as u64 + 1 {
        set_threshold(&app, &admin, k).await;
        let r = about(&app, &trainer, "evaluation/reaction/report", &cid).await;
        let total = r["answered"].as_u64().unwrap();
        let mut inside = 0;
        for s in r["sessions"].as_array().unwrap() {
            let answered = s["answered"].as_u64().unwrap();
            let one = session_report(&app, &trainer, &cid, s["session_id"].as_str().unwrap()).await;
            assert_eq!(one["shown"], s["shown"], "k = {k}: {s}");
            if s["shown"] == true {
                assert!(answered >= k, "k = {k}: {s}");
                inside += answered;
            }
        }
        let rest = total - inside;
        if r["shown"] == true {
            assert!(
                rest == 0 || rest >= k,
                "k = {k}: {rest} outside the shown sessions"
            );
        } else {
            assert_eq!(inside, 0, "k = {k}");
        }
    }

    let staff = app.signed_in("S0001").await;
    refused(
        app.call(&staff, "evaluation/reaction/report", &[("course_id", &cid)])
            .await,
        403,
    )
    .await;
    let path = format!("/export/courses/{cid}/reaction.csv");
    assert_eq!(download(&app, &staff, &path).await.status(), 403);
    // A trainer who does not own the course sees no CSV of it either.
    let other = course_of(&app, "SVC-ETQ-01").await.id;
    let path = format!("/export/courses/{other}/reaction.csv");
    assert_eq!(download(&app, &trainer, &path).await.status(), 403);
    refused(
        app.call(
            &trainer,
            "evaluation/reaction/report",
            &[
                ("course_id", &cid),
                ("session", &Uuid::new_v4().to_string()),
            ],
        )
        .await,
        404,
    )
    .await;
    app.stop().await;
}

/// With the form in its completion rule, a learner who has done every lesson
/// is not complete until they answer; answering completes the course once and
/// sends them to the certificate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_required_form_completes_the_course() {
    let app = TestApp::spawn().await;
    let course = course_of(&app, "SEC-DATA-01").await;
    let cid = course.id.to_string();
    let trainer = app.signed_in("T0001").await;
    location(
        app.call(
            &trainer,
            "evaluation/reaction/require",
            &[("course_id", &cid), ("required", "yes")],
        )
        .await,
    )
    .await;
    // A colleague the demo has not given the course enrols and does every lesson.
    let taken: Vec<Uuid> = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(course.id))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    let who = person::Entity::find()
        .filter(person::Column::EmployeeNo.starts_with("QX"))
        .filter(person::Column::Id.is_not_in(taken))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let learner = app.signed_in(&who.employee_no).await;
    location(app.call(&learner, "courses/enrol", &[("id", &cid)]).await).await;
    loop {
        let l = json(app.call(&learner, "learning", &[]).await).await;
        let mine = l["courses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["course_id"] == cid.as_str())
            .cloned()
            .unwrap();
        let Some(next) = mine["next_lesson"].as_str() else {
            assert_eq!(mine["status"], "assigned", "not complete without the form");
            assert_eq!(mine["reaction"]["Open"]["required"], true, "{mine}");
            break;
        };
        location(
            app.call(&learner, "lessons/done", &[("lesson", next)])
                .await,
        )
        .await;
    }
    let form = about(&app, &learner, "evaluation/reaction/form", &cid).await;
    assert_eq!(form["completes"], true);
    let to = location(
        app.call(
            &learner,
            "evaluation/reaction/submit",
            &borrowed(&answers(&form, &cid, "3")),
        )
        .await,
    )
    .await;
    assert!(
        to.starts_with("/certificates/") && to.ends_with("?completed=1"),
        "{to}"
    );
    let a = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(course.id))
        .filter(assignment::Column::PersonId.eq(who.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.status, AssignmentStatus::Completed);
    app.stop().await;
}

/// The form editor: items added, reworded and removed with their checks;
/// answered wording kept; removal asks for confirmation and keeps the answers;
/// every change audited; only the course's editors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_editor_keeps_answered_wording() {
    let app = TestApp::spawn().await;
    let course = course_of(&app, "POL-PEN-2026").await;
    let cid = course.id.to_string();
    let trainer = app.signed_in("T0001").await;
    let setup = about(&app, &trainer, "evaluation/reaction/setup", &cid).await;
    let items = setup["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 10);
    let answered = items.iter().find(|i| i["kind"] == "scale").unwrap().clone();
    let answered_id: Uuid = answered["id"].as_str().unwrap().parse().unwrap();
    let stored = reaction_answer::Entity::find()
        .filter(reaction_answer::Column::ItemId.eq(answered_id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert!(stored >= 10);
    assert_eq!(answered["answers"], stored, "{answered}");

    let body = refused(
        app.call(
            &trainer,
            "evaluation/reaction/add",
            &[("course_id", &cid), ("kind", "essay"), ("prompt", " ")],
        )
        .await,
        422,
    )
    .await;
    assert!(
        body.contains("\"kind\"") && body.contains("\"prompt\""),
        "{body}"
    );
    location(
        app.call(
            &trainer,
            "evaluation/reaction/add",
            &[
                ("course_id", &cid),
                ("kind", "scale"),
                ("prompt", "案例与本县实际结合得好吗？"),
            ],
        )
        .await,
    )
    .await;
    let setup = about(&app, &trainer, "evaluation/reaction/setup", &cid).await;
    let added = setup["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(added["prompt"], "案例与本县实际结合得好吗？");
    assert_eq!(added["answers"], 0);
    let added_id = added["id"].as_str().unwrap();
    location(
        app.call(
            &trainer,
            "evaluation/reaction/reword",
            &[("id", added_id), ("prompt", "案例贴近本县实际吗？")],
        )
        .await,
    )
    .await;
    let body = refused(
        app.call(
            &trainer,
            "evaluation/reaction/reword",
            &[
                ("id", answered["id"].as_str().unwrap()),
                ("prompt", "改一下"),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(body.contains("answered_as_worded"), "{body}");

    // Removal asks first, then keeps the answers.
    let kept_before = reaction_answer::Entity::find()
        .filter(reaction_answer::Column::ItemId.eq(answered_id))
        .count(&app.state.db)
        .await
        .unwrap();
    refused(
        app.call(
            &trainer,
            "evaluation/reaction/remove",
            &[("id", &answered_id.to_string())],
        )
        .await,
        422,
    )
    .await;
    location(
        app.call(
            &trainer,
            "evaluation/reaction/remove",
            &[("id", &answered_id.to_string()), ("confirm", "yes")],
        )
        .await,
    )
    .await;
    let setup = about(&app, &trainer, "evaluation/reaction/setup", &cid).await;
    let live: HashSet<&str> = setup["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(!live.contains(answered_id.to_string().as_str()));
    assert_eq!(live.len(), 10);
    let kept_after = reaction_answer::Entity::find()
        .filter(reaction_answer::Column::ItemId.eq(answered_id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(kept_after, kept_before);
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("reaction.form"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(audited, 3, "add, reword, remove");

    // Only the course's editors.
    let staff = app.signed_in("S0001").await;
    refused(
        app.call(&staff, "evaluation/reaction/setup", &[("course_id", &cid)])
            .await,
        403,
    )
    .await;
    let other = course_of(&app, "SVC-ETQ-01").await.id.to_string();
    refused(
        app.call(
            &trainer,
            "evaluation/reaction/setup",
            &[("course_id", &other)],
        )
        .await,
        403,
    )
    .await;
    app.stop().await;
}

/// The office template: its editors change it with every change checked and
/// audited; a course's form copied afterwards carries the change, a form
/// copied before keeps its items; staff may not touch it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_template_shapes_new_forms_only() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let trainer = app.signed_in("T0001").await;
    let template = json(
        app.call(&trainer, "evaluation/reaction/template", &[])
            .await,
    )
    .await;
    let items = template["items"].as_array().unwrap().clone();
    // The default form and the demo office's own item.
    assert_eq!(items.len(), 11, "{template}");
    let office = items.last().unwrap();
    assert!(
        office["builtin"].as_str().unwrap().starts_with("office-"),
        "{office}"
    );
    assert!(!office["prompt"].as_str().unwrap().is_empty());

    // Bad input: named next to its field, nothing written.
    let before = reaction_template_item::Entity::find()
        .count(db)
        .await
        .unwrap();
    let body = refused(
        app.call(
            &trainer,
            "evaluation/reaction/add",
            &[("kind", "scale"), ("prompt", "  ")],
        )
        .await,
        422,
    )
    .await;
    assert!(body.contains("prompt"), "{body}");
    refused(
        app.call(
            &trainer,
            "evaluation/reaction/add",
            &[("kind", "essay"), ("prompt", "Anything else?")],
        )
        .await,
        422,
    )
    .await;
    let office_id = office["id"].as_str().unwrap();
    refused(
        app.call(
            &trainer,
            "evaluation/reaction/reword",
            &[("id", office_id), ("prompt", "")],
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        reaction_template_item::Entity::find()
            .count(db)
            .await
            .unwrap(),
        before
    );

    // Add an item, reword a default one, remove another (confirmed).
    let to = location(
        app.call(
            &trainer,
            "evaluation/reaction/add",
            &[("kind", "text"), ("prompt", "哪个案例对你最有用？")],
        )
        .await,
    )
    .await;
    assert!(to.starts_with("/reaction-template"), "{to}");
    let by_key = |v: &Value, key: &str| -> Value {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["builtin"] == key)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let overall = by_key(&template, "overall");
    let pace = by_key(&template, "pace");
    // Nobody answers the template; only default items have a default wording.
    assert!(office["answers"].is_null() && overall["answers"].is_null());
    assert_eq!(office["default_wording"], false);
    assert_eq!(overall["default_wording"], true);
    location(
        app.call(
            &trainer,
            "evaluation/reaction/reword",
            &[
                ("id", overall["id"].as_str().unwrap()),
                ("prompt", "总体而言，这次培训值得参加。"),
            ],
        )
        .await,
    )
    .await;
    refused(
        app.call(
            &trainer,
            "evaluation/reaction/remove",
            &[("id", pace["id"].as_str().unwrap())],
        )
        .await,
        422,
    )
    .await;
    location(
        app.call(
            &trainer,
            "evaluation/reaction/remove",
            &[("id", pace["id"].as_str().unwrap()), ("confirm", "yes")],
        )
        .await,
    )
    .await;
    let changed = json(
        app.call(&trainer, "evaluation/reaction/template", &[])
            .await,
    )
    .await;
    assert_eq!(changed["items"].as_array().unwrap().len(), 11, "{changed}");
    assert!(by_key(&changed, "pace").is_null());
    assert_eq!(
        by_key(&changed, "overall")["prompt"],
        "总体而言，这次培训值得参加。"
    );
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("reaction_template"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(audited, 3);

    // A course without a form yet gets the template as it is now.
    let with_forms: HashSet<Uuid> = reaction_item::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.course_id)
        .collect();
    let fresh = course::Entity::find()
        .filter(course::Column::Id.is_not_in(with_forms))
        .one(db)
        .await
        .unwrap()
        .expect("a demo course nobody has reacted to");
    let admin = app.signed_in("A0001").await;
    let setup = about(
        &app,
        &admin,
        "evaluation/reaction/setup",
        &fresh.id.to_string(),
    )
    .await;
    let copied: Vec<(String, String)> = setup["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["builtin"].to_string(), i["prompt"].to_string()))
        .collect();
    let expected: Vec<(String, String)> = changed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["builtin"].to_string(), i["prompt"].to_string()))
        .collect();
    assert_eq!(copied, expected);
    // The office's item can be reworded on the course but not blanked.
    let office_copy = by_key(&setup, office["builtin"].as_str().unwrap());
    refused(
        app.call(
            &admin,
            "evaluation/reaction/reword",
            &[("id", office_copy["id"].as_str().unwrap()), ("prompt", " ")],
        )
        .await,
        422,
    )
    .await;

    // A form copied before keeps its items.
    let pension = course_of(&app, "POL-PEN-2026").await.id.to_string();
    let old = about(&app, &trainer, "evaluation/reaction/setup", &pension).await;
    assert_eq!(old["items"].as_array().unwrap().len(), 10);
    assert!(!by_key(&old, "pace").is_null());

    // Staff neither read nor change the template.
    let staff = app.signed_in("S0001").await;
    refused(
        app.call(&staff, "evaluation/reaction/template", &[]).await,
        403,
    )
    .await;
    refused(
        app.call(
            &staff,
            "evaluation/reaction/add",
            &[("kind", "text"), ("prompt", "x")],
        )
        .await,
        403,
    )
    .await;
    assert_eq!(app.get(&staff, "/reaction-template").await.status(), 403);
    app.stop().await;
}
