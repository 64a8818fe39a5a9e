//! My learning and self-enrolment over HTTP.

use crate::common::TestApp;
use crate::flows::*;
use app::entities::assignment;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn course_id(app: &TestApp, code: &str) -> String {
    course_of(app, code).await.id.to_string()
}

/// 李娜's learning shows the demo's accepted proposals with their reasons, the
/// overdue one first, and the classroom course she attended without a due date last.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_learning_shows_why_and_by_when() {
    let app = TestApp::spawn().await;
    let staff = app.signed_in("S0001").await;
    let l = json(app.call(&staff, "learning", &[]).await).await;
    let all = l["courses"].as_array().unwrap();
    // Her two proposals, and the pension course she sat in on (manual, last:
    // it has no due date).
    assert_eq!(all.len(), 3, "{l}");
    assert_eq!(all[2]["source"], "manual", "{l}");
    assert_eq!(all[2]["code"], "POL-PEN-2026", "{l}");
    let courses = &all[..2];
    assert_eq!(courses[0]["overdue"], true, "{l}");
    assert_eq!(courses[1]["overdue"], false, "{l}");
    // The overdue one is untouched, the other halfway.
    assert_eq!(courses[0]["lessons_done"], 0, "{l}");
    assert!(courses[1]["lessons_done"].as_u64().unwrap() > 0, "{l}");
    for c in courses {
        assert_eq!(c["source"], "proposal");
        let line = &c["reason"][0];
        assert!(
            line["current"].as_f64().unwrap() < line["target"].as_f64().unwrap(),
            "{c}"
        );
        assert!(line["campaign"].as_str().unwrap().contains("基线"), "{c}");
        assert_eq!(c["assigned_by"], "王建国");
        assert!(c["next_lesson"].is_string(), "{c}");
        assert!(c["lessons_total"].as_u64().unwrap() > 0, "{c}");
    }
    let page = app.get(&staff, "/learning").await.text().await.unwrap();
    assert!(page.contains("your position needs"), "reason in words");
    // Another person's learning is their own: the trainer has none of hers.
    let trainer = app.signed_in("T0001").await;
    let theirs = json(app.call(&trainer, "learning", &[]).await).await;
    for c in theirs["courses"].as_array().unwrap() {
        assert_ne!(c["assignment_id"], courses[0]["assignment_id"]);
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_enrol_once_in_open_courses_only() {
    let app = TestApp::spawn().await;
    let open = course_id(&app, "SEC-DATA-01").await;
    // Someone the demo has not already given this course.
    let taken: Vec<uuid::Uuid> = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(open.parse::<uuid::Uuid>().unwrap()))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    let who = app::entities::person::Entity::find()
        .filter(app::entities::person::Column::EmployeeNo.starts_with("QX"))
        .filter(app::entities::person::Column::Id.is_not_in(taken))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let staff = app.signed_in(&who.employee_no).await;
    let closed = course_id(&app, "SVC-CMP-02").await;
    let draft = course_id(&app, "IT-OFF-01").await;
    location(app.call(&staff, "courses/enrol", &[("id", &open)]).await).await;
    refused(
        app.call(&staff, "courses/enrol", &[("id", &open)]).await,
        409,
    )
    .await;
    refused(
        app.call(&staff, "courses/enrol", &[("id", &closed)]).await,
        403,
    )
    .await;
    refused(
        app.call(&staff, "courses/enrol", &[("id", &draft)]).await,
        404,
    )
    .await;
    let mine = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(open.parse::<uuid::Uuid>().unwrap()))
        .filter(assignment::Column::Source.eq(app::domain::AssignmentSource::SelfEnrolled))
        .filter(assignment::Column::PersonId.eq(who.id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(mine, 1);
    let c = json(app.call(&staff, "courses/get", &[("id", &open)]).await).await;
    assert_eq!(c["enrolled"], true);
    assert_eq!(c["can_enrol"], false);
    let l = json(app.call(&staff, "learning", &[]).await).await;
    assert!(
        l["courses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "SEC-DATA-01" && c["source"] == "self"),
        "{l}"
    );
    app.stop().await;
}
