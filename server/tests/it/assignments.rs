//! Proposals over HTTP: generated from the demo's gaps with their reasons, seen by
//! role, decided in bulk, kept across regeneration, and accepted once however many
//! accept at the same time.

use crate::common::TestApp;
use crate::flows::*;
use app::assignments::pick_key;
use app::domain::{AuditAction, ProposalStatus};
use app::entities::{assignment, audit_log, person, proposal};
use reqwest::Client;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

async fn proposals(app: &TestApp, client: &Client, form: &[(&str, &str)]) -> Value {
    json(app.call(client, "proposals", form).await).await
}

async fn decide(app: &TestApp, client: &Client, id: Uuid, decision: &str, note: &str) -> u16 {
    let key = format!("pick[{}]", pick_key(id));
    app.call(
        client,
        "proposals/decide",
        &[
            (key.as_str(), "on"),
            ("decision", decision),
            ("note", note),
            ("due", "2027-03-31"),
        ],
    )
    .await
    .status()
    .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proposals_follow_gaps_roles_and_decisions() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let manager = app.signed_in("M0001").await;
    let staff = app.signed_in("S0001").await;
    refused(app.call(&staff, "proposals", &[]).await, 403).await;
    refused(app.call(&manager, "proposals/regenerate", &[]).await, 403).await;
    location(app.call(&trainer, "proposals/regenerate", &[]).await).await;

    let all = proposals(&app, &trainer, &[]).await;
    assert!(all["total"].as_u64().unwrap() > 0, "{all}");
    let first = &all["rows"][0];
    let line = &first["reason"][0];
    assert!(
        line["current"].as_f64().unwrap() < line["target"].as_f64().unwrap(),
        "{line}"
    );
    assert!(line["campaign"].as_str().unwrap().len() > 1, "{line}");
    assert!(line["raters"].as_u64().unwrap() >= 1, "{line}");

    // The manager sees his own people's proposals only.
    let boss = person_of(&app, "M0001").await;
    let mine = proposals(&app, &manager, &[]).await;
    assert!(mine["total"].as_u64().unwrap() > 0);
    assert!(mine["total"].as_u64().unwrap() < all["total"].as_u64().unwrap());
    for row in mine["rows"].as_array().unwrap() {
        let id: Uuid = row["person_id"].as_str().unwrap().parse().unwrap();
        let p = person::Entity::find_by_id(id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        assert!(
            p.unit_id == boss.unit_id || p.manager_id == Some(boss.id) || p.id == boss.id,
            "{} is not his",
            p.employee_no
        );
    }
    // Someone outside his unit: refused, nothing decided.
    let outside = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            !mine["rows"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["id"] == r["id"])
        })
        .map(|r| r["id"].as_str().unwrap().parse::<Uuid>().unwrap());
    if let Some(outside) = outside {
        let p = proposal::Entity::find_by_id(outside)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let theirs = person::Entity::find_by_id(p.person_id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        if theirs.unit_id != boss.unit_id && theirs.manager_id != Some(boss.id) {
            assert_eq!(decide(&app, &manager, outside, "accept", "").await, 403);
        }
    }

    // Reject one, accept another; both survive regeneration as decided.
    let rows = mine["rows"].as_array().unwrap();
    let reject: Uuid = rows[0]["id"].as_str().unwrap().parse().unwrap();
    let accept: Uuid = rows[1]["id"].as_str().unwrap().parse().unwrap();
    assert!(decide(&app, &manager, reject, "reject", "已参加过同类培训").await < 400);
    assert!(decide(&app, &manager, accept, "accept", "").await < 400);
    location(app.call(&trainer, "proposals/regenerate", &[]).await).await;
    let rejected = proposal::Entity::find_by_id(reject)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rejected.status, ProposalStatus::Rejected);
    assert_eq!(rejected.note.as_deref(), Some("已参加过同类培训"));
    let accepted = proposal::Entity::find_by_id(accept)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(accepted.status, ProposalStatus::Accepted);
    assert!(accepted.due_at.is_some());
    // Neither pair is proposed again.
    for p in [&rejected, &accepted] {
        let again = proposal::Entity::find()
            .filter(proposal::Column::PersonId.eq(p.person_id))
            .filter(proposal::Column::CourseId.eq(p.course_id))
            .count(&app.state.db)
            .await
            .unwrap();
        assert_eq!(again, 1);
    }
    let assigned = assignment::Entity::find()
        .filter(assignment::Column::ProposalId.eq(accept))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("an assignment");
    assert_eq!(assigned.person_id, accepted.person_id);
    assert_eq!(
        assigned.reason, accepted.reason,
        "the reason travels with it"
    );
    // Nothing ticked is a clear error next to the list.
    let body = refused(
        app.call(&manager, "proposals/decide", &[("decision", "accept")])
            .await,
        422,
    )
    .await;
    assert!(body.contains("pick"), "{body}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_accepts_create_one_assignment() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let manager = app.signed_in("M0001").await;
    let mine = proposals(&app, &manager, &[]).await;
    let id: Uuid = mine["rows"][0]["id"].as_str().unwrap().parse().unwrap();
    let key = format!("pick[{}]", pick_key(id));
    let mut accepts = tokio::task::JoinSet::new();
    for n in 0..8 {
        let client = if n % 2 == 0 {
            trainer.clone()
        } else {
            manager.clone()
        };
        let (origin, key) = (app.origin(), key.clone());
        accepts.spawn(async move {
            client
                .post(format!("{origin}/api/proposals/decide"))
                .header("Origin", &origin)
                .header("Accept", "application/json")
                .form(&[(key.as_str(), "on"), ("decision", "accept")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let statuses = accepts.join_all().await;
    assert!(statuses.iter().all(|s| *s < 400), "{statuses:?}");
    let assignments = assignment::Entity::find()
        .filter(assignment::Column::ProposalId.eq(id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(assignments, 1);
    let decided = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(AuditAction::ProposalDecide))
        .filter(audit_log::Column::EntityId.eq(id.to_string()))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(decided, 1);
    app.stop().await;
}
