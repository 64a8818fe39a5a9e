//! Lesson progress, completion and certificates; team progress and learning hours
//! by role; their CSV exports.

use crate::common::TestApp;
use crate::flows::*;
use app::entities::{assignment, audit_log, certificate, lesson, lesson_progress};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

/// 李娜's course that is in progress (not the overdue one).
async fn in_progress(app: &TestApp, client: &reqwest::Client) -> Value {
    let l = json(app.call(client, "learning", &[]).await).await;
    l["courses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["overdue"] == false)
        .cloned()
        .unwrap_or_else(|| panic!("{l}"))
}

async fn certificates_of(app: &TestApp, assignment: &str) -> u64 {
    certificate::Entity::find()
        .filter(certificate::Column::AssignmentId.eq(assignment.parse::<Uuid>().unwrap()))
        .count(&app.state.db)
        .await
        .unwrap()
}

/// 李娜 finishes her half-done course lesson by lesson; the last one completes it
/// and issues one certificate, even when that last mark arrives four times at once.
/// Her manager may see the certificate, a colleague may not; anyone may verify it
/// and learns only the name, course, date and hours.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finishing_the_lessons_completes_the_course_once() {
    let app = TestApp::spawn().await;
    let li_na = app.signed_in("S0001").await;
    let c = in_progress(&app, &li_na).await;
    let total = c["lessons_total"].as_u64().unwrap();
    let done = c["lessons_done"].as_u64().unwrap();
    assert!(done > 0 && done < total, "the demo has her halfway: {c}");
    let assignment_id = c["assignment_id"].as_str().unwrap().to_owned();
    let course_id = c["course_id"].as_str().unwrap().to_owned();

    // All but the last lesson, one at a time, each sending her to the next.
    let mut next = c["next_lesson"].as_str().unwrap().to_owned();
    for _ in done..total - 1 {
        let to = location(app.call(&li_na, "lessons/done", &[("lesson", &next)]).await).await;
        assert!(
            to.starts_with(&format!("/courses/{course_id}/lessons/")),
            "{to}"
        );
        assert!(to.ends_with("?done=1"), "{to}");
        next = id_in(&to, &format!("/courses/{course_id}/lessons/")).to_string();
    }
    assert_eq!(certificates_of(&app, &assignment_id).await, 0);
    let lesson = json(app.call(&li_na, "courses/lesson", &[("id", &next)]).await).await;
    assert_eq!(lesson["can_mark"], true);
    assert_eq!(lesson["done"], false);

    // The last lesson, marked four times at once (double clicks, two tabs).
    let mut marks = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let (client, origin, lesson) = (li_na.clone(), app.origin(), next.clone());
        marks.spawn(async move {
            client
                .post(format!("{origin}/api/lessons/done"))
                .header("Origin", &origin)
                .header("Accept", "application/json")
                .form(&[("lesson", lesson.as_str())])
                .send()
                .await
                .unwrap()
        });
    }
    let mut codes = Vec::new();
    for res in marks.join_all().await {
        let to = location(res).await;
        if let Some(rest) = to.strip_prefix("/certificates/") {
            codes.push(rest.trim_end_matches("?completed=1").to_owned());
        }
    }
    assert_eq!(codes.len(), 1, "one mark completed the course: {codes:?}");
    let code = codes.remove(0);
    assert_eq!(certificates_of(&app, &assignment_id).await, 1);
    let a = assignment::Entity::find_by_id(assignment_id.parse::<Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.status, app::domain::AssignmentStatus::Completed);
    assert!(a.completed_at.is_some());
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(app::domain::AuditAction::CourseComplete))
        .filter(audit_log::Column::EntityId.eq(course_id.clone()))
        .filter(audit_log::Column::ActorId.eq(a.person_id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
    let lesson = json(app.call(&li_na, "courses/lesson", &[("id", &next)]).await).await;
    assert_eq!(lesson["done"], true);

    // My learning shows it completed, with the certificate and the hours record.
    let l = json(app.call(&li_na, "learning", &[]).await).await;
    let mine = l["courses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["assignment_id"] == assignment_id.as_str())
        .unwrap();
    assert_eq!(mine["status"], "completed", "{mine}");
    assert_eq!(mine["certificate"], code.as_str());
    assert_eq!(mine["lessons_done"], total);
    let record = json(app.call(&li_na, "learning/hours", &[]).await).await;
    assert!(
        record["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["certificate"] == code.as_str()),
        "{record}"
    );

    // The certificate: hers and her manager's to see, not a colleague's.
    let cert = json(
        app.call(&li_na, "certificates/get", &[("code", &code)])
            .await,
    )
    .await;
    assert_eq!(cert["person_name"], "李娜");
    assert!(
        cert["verify_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/verify/{code}"))
    );
    let manager = app.signed_in("M0001").await;
    json(
        app.call(&manager, "certificates/get", &[("code", &code)])
            .await,
    )
    .await;
    let colleague = other_staff(&app).await;
    refused(
        app.call(&colleague, "certificates/get", &[("code", &code)])
            .await,
        404,
    )
    .await;

    // Anyone verifies it, however the code is typed, and learns four facts only.
    let visitor = app.client();
    let typed = code.replace('-', " ").to_lowercase();
    let v = json(
        app.call(&visitor, "certificates/verify", &[("code", &typed)])
            .await,
    )
    .await;
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["course_title", "hours", "issued_on", "person_name"],
        "{v}"
    );
    assert_eq!(v["person_name"], "李娜");
    let page = app.get(&visitor, &format!("/verify/{code}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("data-testid=\"valid\"") && html.contains("李娜"),
        "verify page"
    );
    assert!(
        !html.contains(&a.person_id.to_string()),
        "no ids on the public page"
    );
    refused(
        app.call(
            &visitor,
            "certificates/verify",
            &[("code", "ABCD-EFGH-JKMN")],
        )
        .await,
        404,
    )
    .await;
    let html = app
        .get(&visitor, "/verify/ABCD-EFGH-JKMN")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("data-testid=\"not-valid\""),
        "unknown code told"
    );

    // Marking a done lesson again changes nothing.
    location(app.call(&li_na, "lessons/done", &[("lesson", &next)]).await).await;
    assert_eq!(certificates_of(&app, &assignment_id).await, 1);
    app.stop().await;
}

/// A staff member of another unit who has no assignments.
async fn other_staff(app: &TestApp) -> reqwest::Client {
    let assigned: Vec<Uuid> = assignment::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    let hall = unit_id(app, "HALL").await;
    let p = app::entities::person::Entity::find()
        .filter(app::entities::person::Column::EmployeeNo.starts_with("QX"))
        .filter(app::entities::person::Column::UnitId.ne(hall))
        .filter(app::entities::person::Column::Id.is_not_in(assigned))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    app.signed_in(&p.employee_no).await
}

/// Only a person who has the course marks its lessons; bad ids are told; nothing
/// is written for any of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marking_a_lesson_needs_the_course() {
    let app = TestApp::spawn().await;
    let li_na = app.signed_in("S0001").await;
    let c = in_progress(&app, &li_na).await;
    let lesson_id = c["next_lesson"].as_str().unwrap().to_owned();
    let before = lesson_progress::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    let colleague = other_staff(&app).await;
    refused(
        app.call(&colleague, "lessons/done", &[("lesson", &lesson_id)])
            .await,
        403,
    )
    .await;
    let page = app
        .get(
            &colleague,
            &format!(
                "/courses/{}/lessons/{lesson_id}",
                c["course_id"].as_str().unwrap()
            ),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("data-testid=\"mark-done\""),
        "no button without the course"
    );
    refused(
        app.call(
            &li_na,
            "lessons/done",
            &[("lesson", "00000000-0000-0000-0000-000000000000")],
        )
        .await,
        404,
    )
    .await;
    refused(
        app.call(&li_na, "lessons/done", &[("lesson", "nonsense")])
            .await,
        422,
    )
    .await;
    // A removed lesson is kept for records but cannot be marked.
    let l = lesson::Entity::find_by_id(lesson_id.parse::<Uuid>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut gone: lesson::ActiveModel = l.into();
    gone.removed_at = sea_orm::Set(Some(chrono::Utc::now()));
    sea_orm::ActiveModelTrait::update(gone, &app.state.db)
        .await
        .unwrap();
    refused(
        app.call(&li_na, "lessons/done", &[("lesson", &lesson_id)])
            .await,
        404,
    )
    .await;
    let after = lesson_progress::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(before, after);
    app.stop().await;
}

/// The manager sees his hall's people and courses only, with a summary per unit;
/// the trainer sees everyone; stage filters and a unit outside the scope behave;
/// the CSV carries the same rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_progress_follows_the_scope() {
    let app = TestApp::spawn().await;
    let manager = app.signed_in("M0001").await;
    let mine = json(app.call(&manager, "team/progress", &[]).await).await;
    let rows = mine["rows"].as_array().unwrap();
    assert!(!rows.is_empty(), "{mine}");
    for r in rows {
        assert_eq!(r["unit"], "服务大厅", "{r}");
    }
    let units: Vec<&str> = mine["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["unit"].as_str().unwrap())
        .collect();
    assert_eq!(units, ["服务大厅"], "{mine}");
    let hall = &mine["summary"][0];
    let stages: u64 = ["not_started", "in_progress", "completed", "overdue"]
        .iter()
        .map(|k| hall[*k].as_u64().unwrap())
        .sum();
    assert_eq!(stages, hall["assigned"].as_u64().unwrap(), "{hall}");
    assert_eq!(
        hall["assigned"].as_u64().unwrap(),
        mine["total"].as_u64().unwrap()
    );
    assert!(
        hall["overdue"].as_u64().unwrap() >= 1,
        "李娜's overdue course: {hall}"
    );
    assert!(hall["in_progress"].as_u64().unwrap() >= 1, "{hall}");

    let overdue = json(
        app.call(&manager, "team/progress", &[("stage", "overdue")])
            .await,
    )
    .await;
    let li_na: Vec<&Value> = overdue["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["employee_no"] == "S0001")
        .collect();
    assert_eq!(li_na.len(), 1, "{overdue}");
    assert_eq!(li_na[0]["stage"], "overdue");
    for stage in ["not_started", "in_progress", "completed", "overdue"] {
        let got = json(
            app.call(&manager, "team/progress", &[("stage", stage)])
                .await,
        )
        .await;
        assert_eq!(got["total"], hall[stage], "{stage}");
    }

    let trainer = app.signed_in("T0001").await;
    let all = json(app.call(&trainer, "team/progress", &[]).await).await;
    assert!(all["total"].as_u64().unwrap() > mine["total"].as_u64().unwrap());
    let elsewhere = all["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u[1] != "服务大厅" && u[1] != "青溪县社会保险事业管理中心")
        .unwrap()[0]
        .as_str()
        .unwrap()
        .to_owned();
    let outside = json(
        app.call(&manager, "team/progress", &[("unit", &elsewhere)])
            .await,
    )
    .await;
    assert_eq!(outside["total"], 0, "another unit is not his: {outside}");

    let csv = app.get(&manager, "/export/team/progress.csv").await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert!(
        text.starts_with("\u{feff}employee_no,name,unit,course_code"),
        "{text:.80}"
    );
    assert_eq!(
        text.lines().count() as u64 - 1,
        mine["total"].as_u64().unwrap(),
        "one line per row"
    );
    assert!(text.contains("S0001,李娜,服务大厅"));
    let staff = app.signed_in("S0001").await;
    assert_eq!(
        app.get(&staff, "/export/team/progress.csv").await.status(),
        403
    );
    assert_eq!(
        app.get(&staff, "/export/team/hours.csv").await.status(),
        403
    );
    app.stop().await;
}

/// Hours come from certificates in the year; people behind come first; a person's
/// record is theirs and their manager's, nobody else's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn learning_hours_are_credited_per_year() {
    let app = TestApp::spawn().await;
    let cert = certificate::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the demo has completions");
    let holder = app::entities::person::Entity::find_by_id(cert.person_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let theirs: Vec<certificate::Model> = certificate::Entity::find()
        .filter(certificate::Column::PersonId.eq(holder.id))
        .all(&app.state.db)
        .await
        .unwrap();
    let expected: f64 = theirs.iter().map(|c| c.hours).sum();
    let me = app.signed_in(&holder.employee_no).await;
    let record = json(app.call(&me, "learning/hours", &[]).await).await;
    assert!(close(&record["total"], expected), "{record} vs {expected}");
    assert_eq!(record["lines"].as_array().unwrap().len(), theirs.len());
    assert_eq!(record["own"], true);
    let last_year = json(app.call(&me, "learning/hours", &[("year", "2025")]).await).await;
    assert_eq!(last_year["total"], 0.0);
    assert!(last_year["lines"].as_array().unwrap().is_empty());

    let trainer = app.signed_in("T0001").await;
    let id = holder.id.to_string();
    let seen = json(
        app.call(&trainer, "learning/hours", &[("person", &id)])
            .await,
    )
    .await;
    assert_eq!(seen["total"], record["total"]);
    assert_eq!(seen["own"], false);
    let stranger = if holder.unit_id == Some(unit_id(&app, "HALL").await) {
        other_staff(&app).await
    } else {
        app.signed_in("S0001").await
    };
    refused(
        app.call(&stranger, "learning/hours", &[("person", &id)])
            .await,
        404,
    )
    .await;

    let hours = json(app.call(&trainer, "team/hours", &[]).await).await;
    let rows = hours["rows"].as_array().unwrap();
    let required = hours["required"].as_f64().unwrap();
    assert_eq!(required, 40.0);
    let flags: Vec<bool> = rows
        .iter()
        .map(|r| r["behind"].as_bool().unwrap())
        .collect();
    assert!(flags.windows(2).all(|w| w[0] || !w[1]), "behind first");
    let csv = app
        .get(&trainer, "/export/team/hours.csv")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        csv.lines().count() as u64 - 1,
        hours["total"].as_u64().unwrap()
    );
    assert!(csv.contains(&format!("{},{}", holder.employee_no, holder.name)));
    let transcript = app
        .get(&me, "/export/learning/hours.csv")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(transcript.lines().count(), theirs.len() + 1, "{transcript}");
    app.stop().await;
}
