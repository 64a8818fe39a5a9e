//! The before/after report over HTTP, on the demo's follow-up of its baseline:
//! figures recomputed here from the stored results, the trained-against-untrained
//! comparison on a course the test has people complete, the manager's subtree,
//! suppression under the threshold on the page and in the CSV.

use std::collections::{HashMap, HashSet};

use crate::common::TestApp;
use crate::flows::*;
use app::domain::{AssignmentSource, AssignmentStatus};
use app::entities::{assignment, campaign, competency, competency_result, org_unit};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;
use uuid::Uuid;

async fn report(app: &TestApp, who: &reqwest::Client, query: &[(&str, &str)]) -> Value {
    json(app.call(who, "gaps/before-after", query).await).await
}

async fn csv_of(app: &TestApp, who: &reqwest::Client, query: &str) -> Vec<Vec<String>> {
    let res = download(app, who, &format!("/export/gaps/before-after.csv?{query}")).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(reader.headers().unwrap().len(), 17);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// One measured person's figures on one competency code.
#[derive(Debug, Clone, Copy)]
struct Measured {
    person: Uuid,
    unit: Option<Uuid>,
    before: f64,
    after: f64,
    gap_before: f64,
    gap_after: f64,
}

/// The stored results of both campaigns, paired by person and competency code.
async fn measured(app: &TestApp, before: Uuid, after: Uuid) -> HashMap<String, Vec<Measured>> {
    let code: HashMap<Uuid, String> = competency::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    let results = |c: Uuid| async move {
        competency_result::Entity::find()
            .filter(competency_result::Column::CampaignId.eq(c))
            .all(&app.state.db)
            .await
            .unwrap()
    };
    let first: HashMap<(Uuid, String), competency_result::Model> = results(before)
        .await
        .into_iter()
        .map(|r| ((r.person_id, code[&r.competency_id].clone()), r))
        .collect();
    let mut out: HashMap<String, Vec<Measured>> = HashMap::new();
    for r in results(after).await {
        let c = code[&r.competency_id].clone();
        if let Some(b) = first.get(&(r.person_id, c.clone())) {
            out.entry(c).or_default().push(Measured {
                person: r.person_id,
                unit: r.unit_id,
                before: b.current,
                after: r.current,
                gap_before: b.gap,
                gap_after: r.gap,
            });
        }
    }
    out
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = xs.collect();
    v.iter().sum::<f64>() / v.len() as f64
}

fn row<'a>(r: &'a Value, code: &str) -> &'a Value {
    r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == code)
        .unwrap_or_else(|| panic!("no row {code}: {r}"))
}

/// Marks `people` as having completed `course` yesterday.
async fn complete(app: &TestApp, course: Uuid, people: &[Uuid]) {
    let db = &app.state.db;
    let done = Utc::now() - Duration::days(1);
    for p in people {
        let existing = assignment::Entity::find()
            .filter(assignment::Column::PersonId.eq(*p))
            .filter(assignment::Column::CourseId.eq(course))
            .one(db)
            .await
            .unwrap();
        match existing {
            Some(a) => {
                let mut a: assignment::ActiveModel = a.into();
                a.status = Set(AssignmentStatus::Completed);
                a.completed_at = Set(Some(done));
                a.update(db).await.unwrap();
            }
            None => {
                assignment::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    person_id: Set(*p),
                    course_id: Set(course),
                    source: Set(AssignmentSource::Manual),
                    proposal_id: Set(None),
                    reason: Set("test".into()),
                    assigned_by: Set(None),
                    assigned_at: Set(done - Duration::days(20)),
                    due_at: Set(None),
                    status: Set(AssignmentStatus::Completed),
                    completed_at: Set(Some(done)),
                }
                .insert(db)
                .await
                .unwrap();
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_pairs_the_same_people_and_hides_small_groups() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let trainer = app.signed_in("T0001").await;
    let after = campaign::Entity::find()
        .filter(campaign::Column::FollowUpOf.is_not_null())
        .one(db)
        .await
        .unwrap()
        .expect("the demo has a follow-up");
    let before_id = after.follow_up_of.unwrap();
    let k = after.anonymity_threshold as usize;

    // A mistyped survey is told as such, an unknown one is not found, on the
    // page's function and on the export alike.
    let res = app
        .call(&trainer, "gaps/before-after", &[("campaign", "zz")])
        .await;
    assert!(refused(res, 422).await.contains("campaign"));
    let nobody = Uuid::nil().to_string();
    let res = app
        .call(
            &trainer,
            "gaps/before-after",
            &[("campaign", nobody.as_str())],
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = download(&app, &trainer, "/export/gaps/before-after.csv?unit=zz").await;
    assert_eq!(res.status(), 422);

    let r = report(&app, &trainer, &[]).await;
    assert_eq!(r["provenance"]["campaign_id"], after.id.to_string(), "{r}");
    assert_eq!(r["baseline"]["campaign_id"], before_id.to_string());
    let pairs = measured(&app, before_id, after.id).await;
    let mut shown = 0;
    for x in r["rows"].as_array().unwrap() {
        let code = x["code"].as_str().unwrap();
        let mine: Vec<Measured> = pairs
            .get(code)
            .map(|v| v.iter().filter(|m| m.unit.is_some()).copied().collect())
            .unwrap_or_default();
        assert_eq!(x["n"], mine.len(), "{code}: {x}");
        if mine.len() < k {
            assert!(x["paired"].is_null() && x["gap_closed"].is_null(), "{x}");
            continue;
        }
        shown += 1;
        let p = &x["paired"];
        assert!(
            close(&p["mean_before"], mean(mine.iter().map(|m| m.before))),
            "{x}"
        );
        assert!(
            close(&p["mean_after"], mean(mine.iter().map(|m| m.after))),
            "{x}"
        );
        let had = mine.iter().filter(|m| m.gap_before > 0.0).count();
        let closed = mine
            .iter()
            .filter(|m| m.gap_before > 0.0 && m.gap_after <= 0.0)
            .count();
        assert_eq!(x["gap_closed"], serde_json::json!([closed, had]), "{x}");
    }
    assert!(shown > 0, "the demo's hall was measured twice: {r}");
    // The demo's story: October's IT class rose more on IT literacy than
    // the hall colleagues who did not take it.
    let class = row(&r, "IT_LITERACY")["courses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "SI-SYS-101")
        .cloned()
        .unwrap_or_else(|| panic!("{r}"));
    assert!(
        class["groups"]["difference"].as_f64().unwrap() > 0.2,
        "{class}"
    );

    // Half of those measured on IT literacy complete one more IT course now;
    // they are compared with the other half.
    let it = pairs["IT_LITERACY"].clone();
    let mut people: Vec<Uuid> = it.iter().map(|m| m.person).collect();
    people.sort();
    let joining: Vec<Uuid> = people[..people.len() / 2].to_vec();
    let course = course_of(&app, "IT-OFF-01").await;
    complete(&app, course.id, &joining).await;
    let took: HashSet<Uuid> = joining.iter().copied().collect();
    let change = |m: &Measured| m.after - m.before;
    let trained_mean = mean(it.iter().filter(|m| took.contains(&m.person)).map(change));
    let untrained_mean = mean(it.iter().filter(|m| !took.contains(&m.person)).map(change));
    let r = report(&app, &trainer, &[]).await;
    let effect = row(&r, "IT_LITERACY")["courses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "IT-OFF-01")
        .cloned()
        .unwrap_or_else(|| panic!("{r}"));
    assert_eq!(effect["trained"], took.len());
    assert_eq!(effect["untrained"], people.len() - took.len());
    assert!(
        took.len() >= k && people.len() - took.len() >= k,
        "{effect}"
    );
    let g = &effect["groups"];
    assert!(
        close(&g["difference"], trained_mean - untrained_mean),
        "{effect}"
    );
    assert!(g["welch"]["p"].as_f64().unwrap() <= 1.0);

    // The CSV carries the same figures.
    let query = format!("campaign={}", after.id);
    let csv = csv_of(&app, &trainer, &query).await;
    for x in r["rows"].as_array().unwrap() {
        let line = csv
            .iter()
            .find(|l| l[1] == x["code"].as_str().unwrap() && l[3] == "all")
            .unwrap();
        assert_eq!(line[4], x["n"].to_string());
        if let Some(b) = x["paired"]["mean_before"].as_f64() {
            assert_eq!(line[6], format!("{b:.2}"));
            assert_eq!(line[15], "no");
        }
    }
    let line = csv
        .iter()
        .find(|l| l[1] == "IT_LITERACY" && l[3] == "IT-OFF-01")
        .unwrap();
    assert_eq!(line[8], format!("{:.2}", g["difference"].as_f64().unwrap()));

    // 王建国 sees his hall only, and no other unit.
    let manager = app.signed_in("M0001").await;
    let hall = unit_id(&app, "HALL").await;
    let units = org_unit::Entity::find().all(db).await.unwrap();
    let pairs_of: Vec<(Uuid, Option<Uuid>)> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    let subtree = app::org::tree::subtree(&pairs_of, hall);
    let his = report(&app, &manager, &[]).await;
    let in_hall = it
        .iter()
        .filter(|m| m.unit.is_some_and(|u| subtree.contains(&u)))
        .count();
    assert_eq!(row(&his, "IT_LITERACY")["n"], in_hall, "{his}");
    let elsewhere = units.iter().find(|u| !subtree.contains(&u.id)).unwrap();
    let res = app
        .call(
            &manager,
            "gaps/before-after",
            &[("unit", &elsewhere.id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = download(
        &app,
        &manager,
        &format!("/export/gaps/before-after.csv?unit={}", elsewhere.id),
    )
    .await;
    assert_eq!(res.status(), 403);

    // Above the largest group, every figure is withheld, on the page and in
    // the CSV, and only the counts remain.
    let largest = pairs.values().map(Vec::len).max().unwrap();
    let mut c: campaign::ActiveModel = after.clone().into();
    c.anonymity_threshold = Set(i32::try_from(largest).unwrap() + 1);
    c.update(db).await.unwrap();
    let hidden = report(&app, &trainer, &[]).await;
    for x in hidden["rows"].as_array().unwrap() {
        assert!(x["paired"].is_null() && x["gap_closed"].is_null(), "{x}");
        assert!(x["courses"].as_array().unwrap().is_empty(), "{x}");
    }
    let csv = csv_of(&app, &trainer, &query).await;
    for line in &csv {
        assert!(line[6..15].iter().all(String::is_empty), "{line:?}");
        if line[4] != "0" {
            assert_eq!(line[15], "yes", "{line:?}");
        }
    }
    // The page says so rather than showing figures.
    let page = app
        .get(&trainer, "/gaps/before-after")
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("data-testid=\"change-sentence\""));
    assert!(page.contains("data-testid=\"change-row\" class=\"suppressed\""));
    app.stop().await;
}
