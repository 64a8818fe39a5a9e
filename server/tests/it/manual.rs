//! Assigning by hand (a person, a unit, a position) within the caller's scope,
//! and changing or withdrawing an assignment, all audited; bad input writes nothing.

use crate::common::TestApp;
use crate::flows::*;
use app::domain::{AssignmentSource, AssignmentStatus, AuditAction, NotificationKind};
use app::entities::{assignment, audit_log, notification, person};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

async fn assignments(app: &TestApp) -> u64 {
    assignment::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

fn in_days(n: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(n))
        .format("%Y-%m-%d")
        .to_string()
}

/// 王建国 assigns a course to his hall: everyone there who lacks it gets it, with
/// his note as the reason, a notice and an audit entry each; doing it again finds
/// nobody new. Another unit is not his to assign.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_assigns_a_course_to_his_unit() {
    let app = TestApp::spawn().await;
    let manager = app.signed_in("M0001").await;
    let c = course_of(&app, "SVC-CMP-02").await;
    let hall = unit_id(&app, "HALL").await;
    let people: Vec<Uuid> = person::Entity::find()
        .filter(person::Column::UnitId.eq(hall))
        .filter(person::Column::Active.eq(true))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    let had = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(c.id))
        .filter(assignment::Column::PersonId.is_in(people.clone()))
        .count(&app.state.db)
        .await
        .unwrap();
    let (course, unit, due) = (c.id.to_string(), hall.to_string(), in_days(30));
    let form = [
        ("course", course.as_str()),
        ("target", "unit"),
        ("unit", unit.as_str()),
        ("due", due.as_str()),
        ("note", "投诉量上升，全员轮训"),
    ];
    let to = location(app.call(&manager, "assignments/create", &form).await).await;
    let expected = people.len() as u64 - had;
    assert!(to.contains(&format!("assigned={expected}")), "{to}");
    let mine = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(c.id))
        .filter(assignment::Column::Source.eq(AssignmentSource::Manual))
        .filter(assignment::Column::Reason.eq("投诉量上升，全员轮训"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(mine.len() as u64, expected);
    for a in &mine {
        assert!(people.contains(&a.person_id));
        assert_eq!(a.reason, "投诉量上升，全员轮训");
        assert!(a.due_at.is_some());
    }
    let ids: Vec<Uuid> = mine.iter().map(|a| a.id).collect();
    let told = notification::Entity::find()
        .filter(notification::Column::AssignmentId.is_in(ids.clone()))
        .filter(notification::Column::Kind.eq(NotificationKind::CourseAssigned))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(told, expected);
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(AuditAction::AssignmentCreate))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(audited, expected);

    // Again: nobody new, nothing written.
    let before = assignments(&app).await;
    let body = refused(app.call(&manager, "assignments/create", &form).await, 422).await;
    assert!(
        body.contains("nobody_new") || body.contains("NobodyNew"),
        "{body}"
    );
    assert_eq!(assignments(&app).await, before);

    // Another unit, or someone outside it, is not his.
    let info = unit_id(&app, "INFO").await.to_string();
    refused(
        app.call(
            &manager,
            "assignments/create",
            &[
                ("course", &course),
                ("target", "unit"),
                ("unit", &info),
                ("note", "x"),
            ],
        )
        .await,
        422,
    )
    .await;
    refused(
        app.call(
            &manager,
            "assignments/create",
            &[
                ("course", &course),
                ("target", "person"),
                ("person", "T0001"),
                ("note", "x"),
            ],
        )
        .await,
        422,
    )
    .await;
    assert_eq!(assignments(&app).await, before);
    app.stop().await;
}

/// Every field is checked before anything is written, and each problem is named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_manual_assignments_write_nothing() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let open = course_of(&app, "SVC-CMP-02").await.id.to_string();
    let draft = course_of(&app, "IT-OFF-01").await.id.to_string();
    let before = assignments(&app).await;
    let yesterday = in_days(-1);
    for (form, field) in [
        (
            vec![
                ("course", open.as_str()),
                ("target", "person"),
                ("person", "S0001"),
                ("note", " "),
            ],
            "note",
        ),
        (
            vec![
                ("course", open.as_str()),
                ("target", "person"),
                ("person", "S0001"),
                ("note", "x"),
                ("due", yesterday.as_str()),
            ],
            "due",
        ),
        (
            vec![
                ("course", open.as_str()),
                ("target", "person"),
                ("person", "S0001"),
                ("note", "x"),
                ("due", "31/12/2026"),
            ],
            "due",
        ),
        (
            vec![
                ("course", draft.as_str()),
                ("target", "person"),
                ("person", "S0001"),
                ("note", "x"),
            ],
            "course",
        ),
        (
            vec![
                ("course", open.as_str()),
                ("target", "person"),
                ("person", "NOPE9"),
                ("note", "x"),
            ],
            "person",
        ),
        (
            vec![("course", open.as_str()), ("target", "unit"), ("note", "x")],
            "unit",
        ),
        (
            vec![
                ("course", "nonsense"),
                ("target", "elsewhere"),
                ("note", "x"),
            ],
            "course",
        ),
    ] {
        let body = refused(app.call(&trainer, "assignments/create", &form).await, 422).await;
        assert!(body.contains(&format!("\"{field}\"")), "{field}: {body}");
    }
    assert_eq!(assignments(&app).await, before);
    app.stop().await;
}

/// The manager moves 李娜's due date and withdraws her other course (confirmed);
/// each change is audited with before and after and listed on the assignment's
/// page; a withdrawn or completed assignment no longer changes; staff cannot change
/// one; assigning it again gives it back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assignments_change_with_an_audit_trail() {
    let app = TestApp::spawn().await;
    let manager = app.signed_in("M0001").await;
    let li_na = person_of(&app, "S0001").await;
    // Her two proposals (the pension course she sat in on is manual).
    let hers = assignment::Entity::find()
        .filter(assignment::Column::PersonId.eq(li_na.id))
        .filter(assignment::Column::Source.eq(app::domain::AssignmentSource::Proposal))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(hers.len(), 2);
    let (first, second) = (hers[0].id.to_string(), hers[1].id.to_string());
    let due = in_days(45);
    location(
        app.call(
            &manager,
            "assignments/change",
            &[("id", &first), ("due", &due), ("note", "窗口忙，延期")],
        )
        .await,
    )
    .await;
    let moved = assignment::Entity::find_by_id(hers[0].id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(moved.due_at, hers[0].due_at);
    let d = json(
        app.call(&manager, "assignments/get", &[("id", &first)])
            .await,
    )
    .await;
    assert_eq!(d["due"], due.as_str());
    let last = d["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "assignment.update", "{d}");
    assert_eq!(last["note"], "窗口忙，延期");
    let entry = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(AuditAction::AssignmentUpdate))
        .filter(audit_log::Column::EntityId.eq(first.clone()))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(entry.before.unwrap().contains("due_at"));

    // Staff may read their own, not change it.
    let staff = app.signed_in("S0001").await;
    json(app.call(&staff, "assignments/get", &[("id", &first)]).await).await;
    refused(
        app.call(&staff, "assignments/change", &[("id", &first)])
            .await,
        403,
    )
    .await;

    // Withdrawing asks for confirmation first.
    refused(
        app.call(
            &manager,
            "assignments/change",
            &[("id", &second), ("withdraw", "on")],
        )
        .await,
        422,
    )
    .await;
    location(
        app.call(
            &manager,
            "assignments/change",
            &[("id", &second), ("withdraw", "on"), ("confirm", "yes")],
        )
        .await,
    )
    .await;
    let gone = assignment::Entity::find_by_id(hers[1].id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone.status, AssignmentStatus::Withdrawn);
    refused(
        app.call(
            &manager,
            "assignments/change",
            &[("id", &second), ("due", &due)],
        )
        .await,
        409,
    )
    .await;
    let l = json(app.call(&staff, "learning", &[]).await).await;
    let listed: Vec<&Value> = l["courses"].as_array().unwrap().iter().collect();
    assert_eq!(listed.len(), 2, "withdrawn left her list: {l}");
    assert!(
        listed.iter().all(|c| c["assignment_id"] != second.as_str()),
        "{l}"
    );

    // Given back by hand: the same row, now a manual assignment.
    let course = hers[1].course_id.to_string();
    location(
        app.call(
            &manager,
            "assignments/create",
            &[
                ("course", &course),
                ("target", "person"),
                ("person", "S0001"),
                ("note", "重新安排"),
            ],
        )
        .await,
    )
    .await;
    let back = assignment::Entity::find_by_id(hers[1].id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.status, AssignmentStatus::Assigned);
    assert_eq!(back.source, AssignmentSource::Manual);
    assert_eq!(back.reason, "重新安排");

    // A completed assignment stays as it is.
    let done = assignment::Entity::find()
        .filter(assignment::Column::Status.eq(AssignmentStatus::Completed))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let trainer = app.signed_in("T0001").await;
    refused(
        app.call(
            &trainer,
            "assignments/change",
            &[("id", &done.id.to_string()), ("due", &due)],
        )
        .await,
        409,
    )
    .await;
    // Someone outside the manager's people is not found for him.
    let elsewhere = assignment::Entity::find()
        .filter(
            assignment::Column::PersonId.is_not_in(
                person::Entity::find()
                    .filter(person::Column::UnitId.eq(unit_id(&app, "HALL").await))
                    .all(&app.state.db)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|p| p.id),
            ),
        )
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    refused(
        app.call(
            &manager,
            "assignments/get",
            &[("id", &elsewhere.id.to_string())],
        )
        .await,
        404,
    )
    .await;
    app.stop().await;
}
