//! The annual training plan: drafted from the accepted proposals, edited by a
//! trainer (and the edits surviving a refresh), checked input, the way to
//! approval locking it, its CSV, and the training rules it costs with.

use std::collections::{HashMap, HashSet};

use crate::common::TestApp;
use crate::flows::*;
use app::domain::{PlanStatus, ProposalStatus};
use app::entities::{proposal, training_plan, training_plan_line, training_setting};
use chrono::Datelike;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

fn next_year(app: &TestApp) -> i32 {
    chrono::Utc::now()
        .with_timezone(&app.state.settings.timezone)
        .year()
        + 1
}

async fn lines(app: &TestApp, year: i32) -> Vec<training_plan_line::Model> {
    let plan = training_plan::Entity::find()
        .filter(training_plan::Column::Year.eq(year))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("a plan for the year");
    training_plan_line::Entity::find()
        .filter(training_plan_line::Column::PlanId.eq(plan.id))
        .all(&app.state.db)
        .await
        .unwrap()
}

/// The people each course's accepted proposals due in `year` name.
async fn accepted_people(app: &TestApp, year: i32) -> HashMap<Uuid, HashSet<Uuid>> {
    let tz = app.state.settings.timezone;
    let mut out: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    for p in proposal::Entity::find()
        .filter(proposal::Column::Status.eq(ProposalStatus::Accepted))
        .all(&app.state.db)
        .await
        .unwrap()
    {
        if p.due_at
            .is_some_and(|d| d.with_timezone(&tz).year() == year)
        {
            out.entry(p.course_id).or_default().insert(p.person_id);
        }
    }
    out
}

#[tokio::test]
async fn the_draft_counts_the_accepted_proposals_and_keeps_a_trainers_edits() {
    let app = TestApp::spawn().await;
    let year = next_year(&app);
    let trainer = app.signed_in("T0001").await;
    let y = year.to_string();
    // Drafted afresh (the demo's draft has one hand-edited line; clear it first).
    training_plan::Entity::delete_many()
        .filter(training_plan::Column::Year.eq(year))
        .exec(&app.state.db)
        .await
        .unwrap();
    let to = location(app.call(&trainer, "plan/generate", &[("year", &y)]).await).await;
    assert!(
        to.starts_with(&format!("/plan?year={year}&drafted=")),
        "{to}"
    );
    let expected = accepted_people(&app, year).await;
    let drafted = lines(&app, year).await;
    assert!(
        !expected.is_empty(),
        "the demo accepts proposals for next year"
    );
    assert_eq!(drafted.len(), expected.len());
    for l in &drafted {
        assert_eq!(l.people as usize, expected[&l.course_id].len(), "{l:?}");
        assert!(!l.edited);
        let codes: Vec<String> = serde_json::from_str(&l.competencies).unwrap();
        assert!(!codes.is_empty(), "each line says which gaps justify it");
    }
    let mut ordinals: Vec<i32> = drafted.iter().map(|l| l.ordinal).collect();
    ordinals.sort_unstable();
    assert_eq!(ordinals, (1..=drafted.len() as i32).collect::<Vec<_>>());

    // The plan as read: costs from the rates, a session per 30 seats at most.
    let plan = json(app.call(&trainer, "plan/get", &[("year", &y)]).await).await;
    let rates = training_setting::Entity::find_by_id(1)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    for l in plan["lines"].as_array().unwrap() {
        let (sessions, hours) = (
            l["sessions"].as_f64().unwrap(),
            l["hours"].as_f64().unwrap(),
        );
        assert!(
            close(&l["trainer_cost"], sessions * hours * rates.trainer_rate),
            "{l}"
        );
        assert!(
            close(&l["venue_cost"], sessions * hours * rates.venue_rate),
            "{l}"
        );
        if l["mode"] == "online" {
            assert_eq!(sessions, 0.0, "{l}");
        } else {
            let people = l["people"].as_f64().unwrap();
            let seats = l["capacity"].as_f64().unwrap();
            assert_eq!(sessions, (people / seats).ceil(), "{l}");
        }
    }
    assert_eq!(plan["status"], "draft");

    // A trainer edits the first line; a refresh keeps the edit.
    let first = drafted.iter().min_by_key(|l| l.ordinal).unwrap();
    let id = first.id.to_string();
    location(
        app.call(
            &trainer,
            "plan/line",
            &[
                ("id", &id),
                ("people", "61"),
                ("sessions", ""),
                ("month[m3]", "on"),
                ("month[m9]", "on"),
                ("note", "含新入职人员"),
            ],
        )
        .await,
    )
    .await;
    location(app.call(&trainer, "plan/generate", &[("year", &y)]).await).await;
    let kept = training_plan_line::Entity::find_by_id(first.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((kept.people, kept.months.as_str()), (61, "3,9"));
    assert!(kept.edited);
    assert_eq!(kept.note.as_deref(), Some("含新入职人员"));

    // Only planners read or edit it: its per-unit head counts span the office.
    let manager = app.signed_in("M0001").await;
    refused(app.call(&manager, "plan/get", &[("year", &y)]).await, 403).await;
    assert_eq!(
        download(&app, &manager, &format!("/export/plan.csv?year={year}"))
            .await
            .status(),
        403
    );
    refused(
        app.call(&manager, "plan/line", &[("id", &id), ("people", "1")])
            .await,
        403,
    )
    .await;
    let staff = app.signed_in("S0001").await;
    assert_eq!(
        download(&app, &staff, &format!("/export/plan.csv?year={year}"))
            .await
            .status(),
        403
    );

    // The CSV: a header, a row per line, a total.
    let csv = download(&app, &trainer, &format!("/export/plan.csv?year={year}")).await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows[0].contains("course_code") && rows[0].contains("total_cost"));
    assert_eq!(rows.len(), drafted.len() + 2, "{text}");
    assert!(rows.last().unwrap().contains("TOTAL"));
    assert!(text.contains("含新入职人员"));

    // Submitted: locked until reopened.
    refused(
        app.call(&trainer, "plan/state", &[("year", &y), ("step", "submit")])
            .await,
        422,
    )
    .await;
    location(
        app.call(
            &trainer,
            "plan/state",
            &[("year", &y), ("step", "submit"), ("confirm", "yes")],
        )
        .await,
    )
    .await;
    let body = refused(
        app.call(&trainer, "plan/line", &[("id", &id), ("people", "5")])
            .await,
        422,
    )
    .await;
    assert!(
        body.contains("plan_locked") || body.contains("PlanLocked"),
        "{body}"
    );
    refused(
        app.call(&trainer, "plan/generate", &[("year", &y)]).await,
        422,
    )
    .await;
    location(
        app.call(
            &trainer,
            "plan/state",
            &[("year", &y), ("step", "approve"), ("confirm", "yes")],
        )
        .await,
    )
    .await;
    let plan = training_plan::Entity::find()
        .filter(training_plan::Column::Year.eq(year))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(plan.status, PlanStatus::Approved);
    // Approved is final: no reopening.
    refused(
        app.call(
            &trainer,
            "plan/state",
            &[("year", &y), ("step", "reopen"), ("confirm", "yes")],
        )
        .await,
        422,
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn bad_line_input_is_refused_next_to_its_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let year = next_year(&app);
    let trainer = app.signed_in("T0001").await;
    let before = lines(&app, year).await;
    let id = before[0].id.to_string();
    for (field, form) in [
        ("people", vec![("people", "-1")]),
        ("people", vec![("people", "lots")]),
        ("people", vec![("people", "100001")]),
        ("sessions", vec![("people", "10"), ("sessions", "x")]),
        ("sessions", vec![("people", "10"), ("sessions", "1001")]),
    ] {
        let mut form = form;
        form.push(("id", &id));
        let body = refused(app.call(&trainer, "plan/line", &form).await, 422).await;
        assert!(body.contains(&format!("\"{field}\"")), "{field}: {body}");
    }
    let long = "字".repeat(1001);
    let body = refused(
        app.call(
            &trainer,
            "plan/line",
            &[("id", &id), ("people", "3"), ("note", &long)],
        )
        .await,
        422,
    )
    .await;
    assert!(body.contains("\"note\""), "{body}");
    // An unknown line, a nonsense year, an unknown step.
    refused(
        app.call(
            &trainer,
            "plan/line",
            &[
                ("id", "00000000-0000-0000-0000-000000000000"),
                ("people", "3"),
            ],
        )
        .await,
        404,
    )
    .await;
    refused(
        app.call(&trainer, "plan/generate", &[("year", "20x6")])
            .await,
        422,
    )
    .await;
    refused(
        app.call(
            &trainer,
            "plan/state",
            &[
                ("year", &year.to_string()),
                ("step", "burn"),
                ("confirm", "yes"),
            ],
        )
        .await,
        422,
    )
    .await;
    assert_eq!(lines(&app, year).await, before);
    app.stop().await;
}

#[tokio::test]
async fn training_rules_are_checked_whole_and_a_positions_own_requirement_applies() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let before = training_setting::Entity::find_by_id(1)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let clerk = position_id(&app, "CLERK").await;
    let key = format!("position[h{}]", clerk.simple());
    let body = refused(
        app.call(
            &admin,
            "rules/save",
            &[
                ("hours_budget", "-5"),
                ("hours_required", "abc"),
                ("trainer_rate", "300"),
                ("venue_rate", "100"),
                ("class_size", "0"),
                ("anonymity_threshold", "0"),
                (key.as_str(), "9999"),
            ],
        )
        .await,
        422,
    )
    .await;
    for field in [
        "hours_budget",
        "hours_required",
        "class_size",
        "anonymity_threshold",
    ] {
        assert!(body.contains(&format!("\"{field}\"")), "{field}: {body}");
    }
    assert!(body.contains(&format!("h{}", clerk.simple())), "{body}");
    let after = training_setting::Entity::find_by_id(1)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after, before, "nothing written");

    location(
        app.call(
            &admin,
            "rules/save",
            &[
                ("hours_budget", "40"),
                ("hours_required", "40"),
                ("trainer_rate", "500"),
                ("venue_rate", "120"),
                ("class_size", "25"),
                ("anonymity_threshold", "4"),
                (key.as_str(), "72"),
            ],
        )
        .await,
    )
    .await;
    let rules = json(app.call(&admin, "rules/get", &[]).await).await;
    assert!(close(&rules["trainer_rate"], 500.0));
    assert_eq!(rules["class_size"], 25);
    assert_eq!(rules["anonymity_threshold"], 4);
    let clerk_row = rules["positions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "CLERK")
        .unwrap();
    assert!(close(&clerk_row["hours_required"], 72.0));
    // A clerk's transcript measures against 72; the team view says the same.
    let a_clerk = app::entities::person::Entity::find()
        .filter(app::entities::person::Column::PositionId.eq(clerk))
        .filter(app::entities::person::Column::Active.eq(true))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the demo has clerks");
    let own = app.signed_in(&a_clerk.employee_no).await;
    let transcript = json(app.call(&own, "learning/hours", &[]).await).await;
    assert!(close(&transcript["required"], 72.0), "{transcript}");
    let li_na = json(
        app.call(&app.signed_in("S0001").await, "learning/hours", &[])
            .await,
    )
    .await;
    assert!(!close(&li_na["required"], 72.0), "{li_na}");
    app.stop().await;
}
