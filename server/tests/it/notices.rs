//! Notices about assigned courses: on assignment, due within a week, overdue; the
//! due-date sweep run by two server instances on one database at once.

use crate::common::TestApp;
use crate::flows::*;
use app::domain::{AssignmentStatus, NotificationKind};
use app::entities::{assignment, notification};
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_send_each_due_notice_once() {
    let app = TestApp::spawn().await;
    let other = TestApp::start(&app.url).await;
    let db = &app.state.db;
    // Ten open assignments: five due in three days, five a day overdue, with no
    // due notices yet.
    let open: Vec<assignment::Model> = assignment::Entity::find()
        .filter(assignment::Column::Status.eq(AssignmentStatus::Assigned))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert!(open.len() >= 10, "{}", open.len());
    let now = Utc::now();
    // Every other open assignment is due well after the sweep's week.
    assignment::Entity::update_many()
        .col_expr(
            assignment::Column::DueAt,
            Expr::value(Some(now + Duration::days(60))),
        )
        .filter(assignment::Column::Status.eq(AssignmentStatus::Assigned))
        .exec(db)
        .await
        .unwrap();
    let soon: Vec<Uuid> = open[..5].iter().map(|a| a.id).collect();
    let late: Vec<Uuid> = open[5..10].iter().map(|a| a.id).collect();
    for (ids, due) in [
        (&soon, now + Duration::days(3)),
        (&late, now - Duration::days(1)),
    ] {
        assignment::Entity::update_many()
            .col_expr(assignment::Column::DueAt, Expr::value(Some(due)))
            .filter(assignment::Column::Id.is_in(ids.clone()))
            .exec(db)
            .await
            .unwrap();
    }
    notification::Entity::delete_many()
        .filter(notification::Column::Kind.is_in([
            NotificationKind::CourseDueSoon,
            NotificationKind::CourseOverdue,
        ]))
        .exec(db)
        .await
        .unwrap();

    // Four sweeps from each instance, all at once.
    let mut sweeps = tokio::task::JoinSet::new();
    for n in 0..8 {
        let db = if n % 2 == 0 {
            app.state.db.clone()
        } else {
            other.state.db.clone()
        };
        sweeps.spawn(async move { app::learning::notices::sweep(&db, now).await.unwrap() });
    }
    let sent = sweeps.join_all().await;
    let due_soon: u64 = sent.iter().map(|s| s.due_soon).sum();
    let overdue: u64 = sent.iter().map(|s| s.overdue).sum();
    assert_eq!((due_soon, overdue), (5, 5), "{sent:?}");
    for (ids, kind) in [
        (&soon, NotificationKind::CourseDueSoon),
        (&late, NotificationKind::CourseOverdue),
    ] {
        for id in ids.iter() {
            let n = notification::Entity::find()
                .filter(notification::Column::AssignmentId.eq(*id))
                .filter(notification::Column::Kind.eq(kind))
                .count(db)
                .await
                .unwrap();
            assert_eq!(n, 1, "{kind:?} for {id}");
        }
    }
    // Nothing more to send, from either instance.
    let again = app::learning::notices::sweep(&other.state.db, now)
        .await
        .unwrap();
    assert_eq!((again.due_soon, again.overdue), (0, 0));

    // The person reads it in their language, about their course.
    let who = open[5].person_id;
    let p = app::entities::person::Entity::find_by_id(who)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let client = app.signed_in(&p.employee_no).await;
    let list = json(app.call(&client, "notifications", &[]).await).await;
    let mine = list
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "course_overdue")
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(mine["course_id"], open[5].course_id.to_string());
    assert!(mine["due"].is_string());
    other.stop().await;
    app.stop().await;
}

/// Accepting a proposal tells the person at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_proposal_is_announced() {
    let app = TestApp::spawn().await;
    let manager = app.signed_in("M0001").await;
    let page = json(app.call(&manager, "proposals", &[]).await).await;
    let row = &page["rows"][0];
    let id: Uuid = row["id"].as_str().unwrap().parse().unwrap();
    let key = format!("pick[{}]", app::assignments::pick_key(id));
    location(
        app.call(
            &manager,
            "proposals/decide",
            &[(key.as_str(), "on"), ("decision", "accept")],
        )
        .await,
    )
    .await;
    let a = assignment::Entity::find()
        .filter(assignment::Column::ProposalId.eq(id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let told = notification::Entity::find()
        .filter(notification::Column::AssignmentId.eq(a.id))
        .filter(notification::Column::Kind.eq(NotificationKind::CourseAssigned))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(told, 1);
    app.stop().await;
}
