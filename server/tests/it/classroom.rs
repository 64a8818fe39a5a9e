//! Classroom sessions: seats under concurrent sign-ups, the waiting list moving up,
//! attendance on the sign-in sheet, calendar files, and checked input.

use crate::common::TestApp;
use crate::flows::*;
use app::domain::{NotificationKind, SeatStatus};
use app::entities::{class_session, course, course_owner, notification, person, session_seat};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn owner(app: &TestApp, c: &course::Model) -> reqwest::Client {
    let o = course_owner::Entity::find()
        .filter(course_owner::Column::CourseId.eq(c.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let p = person::Entity::find_by_id(o.person_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    app.signed_in(&p.employee_no).await
}

fn tomorrow() -> String {
    (chrono::Utc::now() + chrono::Duration::days(7))
        .format("%Y-%m-%d")
        .to_string()
}

async fn sessions(app: &TestApp) -> u64 {
    class_session::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

/// Eight people who have the course ask for three seats at once: three get one,
/// five wait in order; when one leaves, the first waiting moves up and is told.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sign_ups_never_overbook() {
    let app = TestApp::spawn().await;
    let c = course_of(&app, "SVC-CMP-02").await;
    let editor = owner(&app, &c).await;
    let (course, date) = (c.id.to_string(), tomorrow());
    location(
        app.call(
            &editor,
            "classroom/create",
            &[
                ("course", course.as_str()),
                ("date", date.as_str()),
                ("start", "09:00"),
                ("end", "11:30"),
                ("place", "三楼培训室"),
                ("capacity", "3"),
                ("trainer", "T0001"),
            ],
        )
        .await,
    )
    .await;
    let s = class_session::Entity::find()
        .filter(class_session::Column::CourseId.eq(c.id))
        .filter(class_session::Column::Place.eq("三楼培训室"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    // The hall gets the course, so its people may sign up.
    let trainer = app.signed_in("T0001").await;
    let hall = unit_id(&app, "HALL").await.to_string();
    location(
        app.call(
            &trainer,
            "assignments/create",
            &[
                ("course", &course),
                ("target", "unit"),
                ("unit", &hall),
                ("note", "窗口轮训"),
            ],
        )
        .await,
    )
    .await;
    let people: Vec<person::Model> = person::Entity::find()
        .filter(person::Column::UnitId.eq(unit_id(&app, "HALL").await))
        .filter(person::Column::EmployeeNo.starts_with("QX"))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .take(8)
        .collect();
    let mut clients = Vec::new();
    for p in &people {
        clients.push(app.signed_in(&p.employee_no).await);
    }
    let mut asks = tokio::task::JoinSet::new();
    for client in &clients {
        let client = client.clone();
        let (origin, id) = (app.origin(), s.id.to_string());
        asks.spawn(async move {
            client
                .post(format!("{origin}/api/classroom/enrol"))
                .header("Origin", &origin)
                .header("Accept", "application/json")
                .form(&[("session", id.as_str())])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let statuses = asks.join_all().await;
    assert!(statuses.iter().all(|s| *s < 400), "{statuses:?}");
    let seats = session_seat::Entity::find()
        .filter(session_seat::Column::SessionId.eq(s.id))
        .all(&app.state.db)
        .await
        .unwrap();
    let enrolled: Vec<&session_seat::Model> = seats
        .iter()
        .filter(|x| x.status == SeatStatus::Enrolled)
        .collect();
    let waiting = seats
        .iter()
        .filter(|x| x.status == SeatStatus::Waiting)
        .count();
    assert_eq!((enrolled.len(), waiting), (3, 5), "{seats:?}");
    let taken = class_session::Entity::find_by_id(s.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .seats_taken;
    assert_eq!(taken, 3);

    // Asking again changes nothing.
    let first = people
        .iter()
        .position(|p| p.id == enrolled[0].person_id)
        .unwrap();
    let id = s.id.to_string();
    location(
        app.call(&clients[first], "classroom/enrol", &[("session", &id)])
            .await,
    )
    .await;
    assert_eq!(
        session_seat::Entity::find()
            .filter(session_seat::Column::SessionId.eq(s.id))
            .count(&app.state.db)
            .await
            .unwrap(),
        8
    );

    // One leaves: the first waiting gets the seat and a notice.
    let mut queue: Vec<&session_seat::Model> = seats
        .iter()
        .filter(|x| x.status == SeatStatus::Waiting)
        .collect();
    queue.sort_by_key(|x| (x.created_at, x.id));
    let next = queue[0].person_id;
    location(
        app.call(&clients[first], "classroom/withdraw", &[("session", &id)])
            .await,
    )
    .await;
    let moved = session_seat::Entity::find()
        .filter(session_seat::Column::SessionId.eq(s.id))
        .filter(session_seat::Column::PersonId.eq(next))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.status, SeatStatus::Enrolled);
    let told = notification::Entity::find()
        .filter(notification::Column::PersonId.eq(next))
        .filter(notification::Column::Kind.eq(NotificationKind::SeatPromoted))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(told, 1);
    let list = json(
        app.call(
            &clients[first],
            "classroom/sessions",
            &[("course", &course)],
        )
        .await,
    )
    .await;
    let ours = list["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id.as_str())
        .unwrap();
    assert_eq!(ours["taken"], 3, "{list}");
    assert_eq!(ours["waiting"], 4, "{list}");
    assert!(ours["mine"].is_null(), "{list}");

    // Someone without the course cannot sign up.
    let stranger = app.signed_in("A0001").await;
    refused(
        app.call(&stranger, "classroom/enrol", &[("session", &id)])
            .await,
        403,
    )
    .await;

    // The trainer marks attendance on the sheet; staff cannot open it.
    let present = format!("present[{}]", app::classroom::present_key(next));
    location(
        app.call(
            &trainer,
            "classroom/attendance",
            &[("session", id.as_str()), (present.as_str(), "on")],
        )
        .await,
    )
    .await;
    let sheet = json(
        app.call(&trainer, "classroom/sheet", &[("session", &id)])
            .await,
    )
    .await;
    let rows = sheet["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "{sheet}");
    let attended: Vec<bool> = rows
        .iter()
        .map(|r| r["attended"].as_bool().unwrap())
        .collect();
    assert_eq!(attended.iter().filter(|a| **a).count(), 1, "{sheet}");
    assert_eq!(sheet["waiting"].as_array().unwrap().len(), 4);
    refused(
        app.call(&clients[1], "classroom/sheet", &[("session", &id)])
            .await,
        403,
    )
    .await;
    let page = app
        .get(&trainer, &format!("/sessions/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"sheet\""), "sheet page renders");

    // The calendar file.
    let ics = app
        .get(&clients[1], &format!("/sessions/{id}/calendar.ics"))
        .await;
    assert_eq!(ics.status(), 200);
    assert!(
        ics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let body = ics.text().await.unwrap();
    assert!(
        body.contains("BEGIN:VEVENT\r\n") && body.contains("LOCATION:三楼培训室"),
        "{body}"
    );
    assert!(body.contains(&format!("UID:{}@gapwise", s.id)));
    app.stop().await;
}

/// Each field is checked and named; nothing is written for bad input.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_sessions_write_nothing() {
    let app = TestApp::spawn().await;
    let classroom = course_of(&app, "SVC-CMP-02").await;
    let online = course_of(&app, "SEC-DATA-01").await;
    let editor = owner(&app, &classroom).await;
    let (c, date) = (classroom.id.to_string(), tomorrow());
    let o = online.id.to_string();
    let before = sessions(&app).await;
    // (course, date, start, end, place, seats, trainer) with one thing wrong each.
    let good = [c.as_str(), date.as_str(), "09:00", "10:00", "x", "5", ""];
    let keys = [
        "course", "date", "start", "end", "place", "capacity", "trainer",
    ];
    let with = |at: usize, value: &'static str| {
        let mut f = good;
        f[at] = value;
        keys.iter().copied().zip(f).collect::<Vec<(&str, &str)>>()
    };
    for (form, field) in [
        (with(2, "11:00"), "end"),
        (with(5, "0"), "capacity"),
        (with(1, "2020-01-01"), "date"),
        (with(2, "9h"), "start"),
        (with(4, " "), "place"),
        (with(6, "NOPE1"), "trainer"),
    ] {
        let body = refused(app.call(&editor, "classroom/create", &form).await, 422).await;
        assert!(body.contains(&format!("\"{field}\"")), "{field}: {body}");
    }
    let mut online_form: Vec<(&str, &str)> = keys.iter().copied().zip(good).collect();
    online_form[0].1 = o.as_str();
    let online_editor = owner(&app, &online).await;
    let body = refused(
        app.call(&online_editor, "classroom/create", &online_form)
            .await,
        422,
    )
    .await;
    assert!(body.contains("\"course\""), "{body}");
    let staff = app.signed_in("S0001").await;
    let form: Vec<(&str, &str)> = keys.iter().copied().zip(good).collect();
    refused(app.call(&staff, "classroom/create", &form).await, 403).await;
    assert_eq!(sessions(&app).await, before);
    app.stop().await;
}

/// The seated and the waiting of a fresh three-seat session of the complaints
/// course: (session, the session's editor, [(person, client)] of five who asked).
async fn session_with_people(
    app: &TestApp,
) -> (
    class_session::Model,
    reqwest::Client,
    Vec<(person::Model, reqwest::Client)>,
) {
    let c = course_of(app, "SVC-CMP-02").await;
    let editor = owner(app, &c).await;
    let (course, date) = (c.id.to_string(), tomorrow());
    location(
        app.call(
            &editor,
            "classroom/create",
            &[
                ("course", course.as_str()),
                ("date", date.as_str()),
                ("start", "09:00"),
                ("end", "11:30"),
                ("place", "四楼小会议室"),
                ("capacity", "3"),
            ],
        )
        .await,
    )
    .await;
    let s = class_session::Entity::find()
        .filter(class_session::Column::Place.eq("四楼小会议室"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let trainer = app.signed_in("T0001").await;
    let hall = unit_id(app, "HALL").await.to_string();
    location(
        app.call(
            &trainer,
            "assignments/create",
            &[
                ("course", &course),
                ("target", "unit"),
                ("unit", &hall),
                ("note", "窗口轮训"),
            ],
        )
        .await,
    )
    .await;
    // People with no seat anywhere yet (the demo seated some at its sessions).
    let seated: Vec<uuid::Uuid> = session_seat::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|x| x.person_id)
        .collect();
    let mut out = Vec::new();
    for p in person::Entity::find()
        .filter(person::Column::UnitId.eq(unit_id(app, "HALL").await))
        .filter(person::Column::EmployeeNo.starts_with("QX"))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| !seated.contains(&p.id))
        .take(5)
    {
        let client = app.signed_in(&p.employee_no).await;
        let id = s.id.to_string();
        location(
            app.call(&client, "classroom/enrol", &[("session", &id)])
                .await,
        )
        .await;
        out.push((p, client));
    }
    (s, editor, out)
}

async fn told(app: &TestApp, session: uuid::Uuid, kind: NotificationKind) -> Vec<uuid::Uuid> {
    notification::Entity::find()
        .filter(notification::Column::SessionId.eq(session))
        .filter(notification::Column::Kind.eq(kind))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.person_id)
        .collect()
}

/// Moving a session tells the seated and the waiting once; more seats move the
/// waiting list up; fewer seats than are taken is refused; cancelling needs
/// confirming, tells everyone, and closes the session to sign-ups and changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_and_cancelling_a_session_tells_everyone_once() {
    let app = TestApp::spawn().await;
    let (s, editor, people) = session_with_people(&app).await;
    let id = s.id.to_string();
    let date = tomorrow();
    let form = |place: &'static str, capacity: &'static str| {
        vec![
            ("session".to_owned(), id.clone()),
            ("date".to_owned(), date.clone()),
            ("start".to_owned(), "14:00".to_owned()),
            ("end".to_owned(), "16:30".to_owned()),
            ("place".to_owned(), place.to_owned()),
            ("capacity".to_owned(), capacity.to_owned()),
            ("trainer".to_owned(), "T0001".to_owned()),
        ]
    };
    // Two seats for three seated: refused, nothing changes, nobody told.
    let body = refused(
        app.call(
            &editor,
            "classroom/change",
            &borrowed(&form("二楼培训室", "2")),
        )
        .await,
        422,
    )
    .await;
    assert!(body.contains("\"capacity\""), "{body}");
    assert!(
        told(&app, s.id, NotificationKind::SessionChanged)
            .await
            .is_empty()
    );
    // Someone else's session: staff may not change it.
    refused(
        app.call(&people[0].1, "classroom/change", &borrowed(&form("x", "3")))
            .await,
        403,
    )
    .await;

    // Afternoon, another room, four seats: five told, the first waiting seated.
    location(
        app.call(
            &editor,
            "classroom/change",
            &borrowed(&form("二楼培训室", "4")),
        )
        .await,
    )
    .await;
    let mut notified = told(&app, s.id, NotificationKind::SessionChanged).await;
    notified.sort();
    let mut everyone: Vec<uuid::Uuid> = people.iter().map(|(p, _)| p.id).collect();
    everyone.sort();
    assert_eq!(notified, everyone);
    let now = class_session::Entity::find_by_id(s.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (now.place.as_str(), now.capacity, now.seats_taken),
        ("二楼培训室", 4, 4)
    );
    // The notice says where and when, in the reader's words.
    let list = json(app.call(&people[0].1, "notifications", &[]).await).await;
    let notice = list
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "session_changed")
        .unwrap_or_else(|| panic!("{list}"));
    assert!(
        notice["detail"]
            .as_str()
            .unwrap()
            .contains("14:00–16:30 · 二楼培训室"),
        "{notice}"
    );
    assert_eq!(notice["course_id"], s.course_id.to_string());
    // Saving the same time and place again tells nobody anew.
    location(
        app.call(
            &editor,
            "classroom/change",
            &borrowed(&form("二楼培训室", "4")),
        )
        .await,
    )
    .await;
    assert_eq!(
        told(&app, s.id, NotificationKind::SessionChanged)
            .await
            .len(),
        5
    );

    // Cancelling asks for confirmation first.
    refused(
        app.call(&editor, "classroom/cancel", &[("session", &id)])
            .await,
        422,
    )
    .await;
    location(
        app.call(
            &editor,
            "classroom/cancel",
            &[("session", &id), ("confirm", "yes")],
        )
        .await,
    )
    .await;
    assert_eq!(
        told(&app, s.id, NotificationKind::SessionCancelled)
            .await
            .len(),
        5
    );
    // Twice changes nothing; a cancelled session takes no sign-ups and no changes.
    refused(
        app.call(
            &editor,
            "classroom/cancel",
            &[("session", &id), ("confirm", "yes")],
        )
        .await,
        409,
    )
    .await;
    assert_eq!(
        told(&app, s.id, NotificationKind::SessionCancelled)
            .await
            .len(),
        5
    );
    refused(
        app.call(&editor, "classroom/change", &borrowed(&form("x", "9")))
            .await,
        409,
    )
    .await;
    let newcomer = app.signed_in("M0001").await;
    refused(
        app.call(&newcomer, "classroom/enrol", &[("session", &id)])
            .await,
        409,
    )
    .await;
    let listed = json(
        app.call(
            &editor,
            "classroom/sessions",
            &[("course", &s.course_id.to_string())],
        )
        .await,
    )
    .await;
    let mine = listed["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap();
    assert_eq!(mine["cancelled"], true);
    app.stop().await;
}

/// The complaints course asks for attendance: every lesson done is not enough
/// until the sign-in sheet marks the person present; then it completes once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attendance_completes_a_course_that_asks_for_it() {
    let app = TestApp::spawn().await;
    let (s, editor, people) = session_with_people(&app).await;
    let (p, client) = &people[0];
    let learning = json(app.call(client, "learning", &[]).await).await;
    let course = learning["courses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["course_id"] == s.course_id.to_string())
        .cloned()
        .unwrap();
    assert_eq!(course["needs_attendance"], true);
    assert_eq!(course["attended"], false);
    let mut next = course["next_lesson"].as_str().map(str::to_owned);
    while let Some(lesson) = next {
        let to = location(
            app.call(client, "lessons/done", &[("lesson", &lesson)])
                .await,
        )
        .await;
        assert!(
            !to.starts_with("/certificates/"),
            "completed without attendance: {to}"
        );
        next = json(app.call(client, "learning", &[]).await).await["courses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["course_id"] == s.course_id.to_string())
            .and_then(|c| c["next_lesson"].as_str().map(str::to_owned));
    }
    let count = || async {
        app::entities::certificate::Entity::find()
            .filter(app::entities::certificate::Column::PersonId.eq(p.id))
            .count(&app.state.db)
            .await
            .unwrap()
    };
    let before = count().await;
    let id = s.id.to_string();
    let key = format!("present[p{}]", p.id.simple());
    for _ in 0..2 {
        location(
            app.call(
                &editor,
                "classroom/attendance",
                &[("session", &id), (&key, "on")],
            )
            .await,
        )
        .await;
    }
    assert_eq!(count().await, before + 1);
    let after = json(app.call(client, "learning", &[]).await).await;
    let done = after["courses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["course_id"] == s.course_id.to_string())
        .unwrap();
    assert_eq!(done["status"], "completed");
    assert_eq!(done["attended"], true);
    app.stop().await;
}
