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

/// Person by person: each row's figures follow that person's own stored
/// results over the competencies measured both times; 王建国 gets his hall's
/// people and nobody else's, on the page, page by page, and in the CSV.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_person_row_follows_their_own_results() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let after = campaign::Entity::find()
        .filter(campaign::Column::FollowUpOf.is_not_null())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let pairs = measured(&app, after.follow_up_of.unwrap(), after.id).await;
    let mut by_person: HashMap<Uuid, Vec<Measured>> = HashMap::new();
    for m in pairs.values().flatten().filter(|m| m.unit.is_some()) {
        by_person.entry(m.person).or_default().push(*m);
    }
    let hall = unit_id(&app, "HALL").await;
    let units = org_unit::Entity::find().all(db).await.unwrap();
    let pairs_of: Vec<(Uuid, Option<Uuid>)> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    let subtree = app::org::tree::subtree(&pairs_of, hall);
    let his: HashSet<Uuid> = by_person
        .iter()
        .filter(|(_, ms)| {
            ms.iter()
                .all(|m| m.unit.is_some_and(|u| subtree.contains(&u)))
        })
        .map(|(p, _)| *p)
        .collect();
    assert!(!his.is_empty());

    let people = |who: &'static str, page: &'static str| {
        let app = &app;
        async move {
            let client = app.signed_in(who).await;
            json(
                app.call(&client, "gaps/before-after/people", &[("page", page)])
                    .await,
            )
            .await
        }
    };
    let check = |row: &Value| {
        let id: Uuid = row["person_id"].as_str().unwrap().parse().unwrap();
        let mine = &by_person[&id];
        assert_eq!(row["n"], mine.len(), "{row}");
        assert!(
            close(&row["mean_before"], mean(mine.iter().map(|m| m.before))),
            "{row}"
        );
        assert!(
            close(&row["mean_after"], mean(mine.iter().map(|m| m.after))),
            "{row}"
        );
        let had = mine.iter().filter(|m| m.gap_before > 0.0).count();
        let closed = mine
            .iter()
            .filter(|m| m.gap_before > 0.0 && m.gap_after <= 0.0)
            .count();
        assert_eq!(row["gap_closed"], serde_json::json!([closed, had]), "{row}");
        id
    };

    let first = people("T0001", "1").await;
    assert_eq!(first["total"], by_person.len(), "everyone measured twice");
    let rows = first["rows"].as_array().unwrap();
    assert_eq!(rows.len(), by_person.len().min(50));
    rows.iter().for_each(|r| {
        check(r);
    });
    if by_person.len() > 50 {
        let second = people("T0001", "2").await;
        assert_eq!(
            second["rows"].as_array().unwrap().len(),
            (by_person.len() - 50).min(50)
        );
    }

    let mine = people("M0001", "1").await;
    assert_eq!(mine["total"], his.len(), "{mine}");
    let seen: HashSet<Uuid> = mine["rows"].as_array().unwrap().iter().map(check).collect();
    assert!(seen.is_subset(&his));

    // His export: the same people, and names only of his own.
    let manager = app.signed_in("M0001").await;
    let res = download(&app, &manager, "/export/gaps/before-after-people.csv").await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(reader.headers().unwrap().len(), 10);
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(lines.len(), his.len());
    let numbers: HashSet<String> = app::entities::person::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| his.contains(&p.id))
        .map(|p| p.employee_no)
        .collect();
    assert!(lines.iter().all(|l| numbers.contains(&l[0])), "{text}");

    // The page shows the table; a mistyped survey is told as such.
    let page = app
        .get(&manager, "/gaps/before-after")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"change-people-table\""));
    let res = app
        .call(&manager, "gaps/before-after/people", &[("campaign", "zz")])
        .await;
    assert!(refused(res, 422).await.contains("campaign"));
    app.stop().await;
}

/// The other sources: each competency's behaviour follow-ups (answered after
/// the baseline closed, against the baseline level) and quizzes (pre-test
/// against post-test on the competency's questions) count the people they
/// measured, with the figures recomputed here; under the threshold a source
/// shows its count only, on the page's function and in the CSV.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_ups_and_quizzes_are_sources_with_their_own_n() {
    use app::domain::FollowUpStatus;
    use app::entities::{course_competency, follow_up, follow_up_answer};
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let admin = app.signed_in("A0001").await;
    let after = campaign::Entity::find()
        .filter(campaign::Column::FollowUpOf.is_not_null())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let before = campaign::Entity::find_by_id(after.follow_up_of.unwrap())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let since = before.closed_at.unwrap_or(before.closes_at);
    let r = report(&app, &admin, &[]).await;
    let source_of = |code: &str, which: &str| -> Option<Value> {
        row(&r, code)["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["source"] == which)
            .cloned()
    };

    // Follow-ups: who answered on a code since the baseline, with a baseline
    // result on it in some unit.
    let code_of: HashMap<Uuid, String> = competency::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    let baseline: HashMap<(Uuid, String), f64> = competency_result::Entity::find()
        .filter(competency_result::Column::CampaignId.eq(before.id))
        .filter(competency_result::Column::UnitId.is_not_null())
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|x| ((x.person_id, code_of[&x.competency_id].clone()), x.current))
        .collect();
    // Colleagues' answers are pooled in the course's report, not a person's measure.
    let answered: HashMap<Uuid, Uuid> = follow_up::Entity::find()
        .filter(follow_up::Column::Status.eq(FollowUpStatus::Submitted))
        .filter(follow_up::Column::RaterType.ne(app::domain::RaterType::Peer))
        .filter(follow_up::Column::SubmittedAt.gt(since))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.id, f.subject_id))
        .collect();
    let mut followed: HashMap<String, HashSet<Uuid>> = HashMap::new();
    for a in follow_up_answer::Entity::find().all(db).await.unwrap() {
        if let Some(subject) = answered.get(&a.follow_up_id)
            && baseline.contains_key(&(*subject, a.code.clone()))
        {
            followed.entry(a.code).or_default().insert(*subject);
        }
    }
    assert!(
        !followed.is_empty(),
        "the demo answers follow-ups after its baseline"
    );
    for (code, people) in &followed {
        let s = source_of(code, "FollowUps").unwrap_or_else(|| panic!("{code}: {r}"));
        assert_eq!(s["n"], people.len(), "{code}: {s}");
        if people.len() >= after.anonymity_threshold as usize {
            let expected = mean(people.iter().map(|p| baseline[&(*p, code.clone())]));
            assert!(close(&s["paired"]["mean_before"], expected), "{code}: {s}");
            let level = s["paired"]["mean_after"].as_f64().unwrap();
            assert!((1.0..=5.0).contains(&level), "{s}");
        } else {
            assert!(s["paired"].is_null(), "{s}");
        }
    }

    // Quizzes: the learners with both tests on the code, from each course
    // raising it, counted once.
    let mut quizzed = 0;
    for x in r["rows"].as_array().unwrap() {
        let code = x["code"].as_str().unwrap();
        let Some(s) = source_of(code, "Quizzes") else {
            continue;
        };
        quizzed += 1;
        let mut people: HashSet<String> = HashSet::new();
        let mut pres = Vec::new();
        for cc in course_competency::Entity::find()
            .filter(course_competency::Column::Code.eq(code))
            .all(db)
            .await
            .unwrap()
        {
            let l2 = json(
                app.call(
                    &admin,
                    "evaluation/learning",
                    &[("course_id", &cc.course_id.to_string())],
                )
                .await,
            )
            .await;
            for p in l2["gain"]["people"].as_array().unwrap() {
                for c in p["competencies"].as_array().unwrap() {
                    if c[0] == code && !c[1]["pre"].is_null() && !c[1]["post"].is_null() {
                        people.insert(p["person_id"].as_str().unwrap().to_owned());
                        pres.push(c[1]["pre"].as_f64().unwrap());
                    }
                }
            }
        }
        assert_eq!(s["n"], people.len(), "{code}: {s}");
        if pres.len() == people.len() && people.len() >= after.anonymity_threshold as usize {
            assert!(
                close(&s["paired"]["mean_before"], mean(pres.into_iter())),
                "{s}"
            );
        }
    }
    assert!(
        quizzed > 0,
        "the demo's pension course tests its competencies: {r}"
    );

    // Under a threshold above every source, counts only; the CSV agrees.
    let mut c: campaign::ActiveModel = after.clone().into();
    c.anonymity_threshold = Set(10_000);
    c.update(db).await.unwrap();
    let hidden = report(&app, &admin, &[]).await;
    for x in hidden["rows"].as_array().unwrap() {
        for s in x["sources"].as_array().unwrap() {
            assert!(s["paired"].is_null() && s["n"].as_u64().unwrap() > 0, "{s}");
        }
    }
    let csv = csv_of(&app, &admin, "").await;
    let sourced: Vec<&Vec<String>> = csv
        .iter()
        .filter(|l| l[3] == "follow-ups" || l[3] == "quizzes")
        .collect();
    assert!(!sourced.is_empty());
    for line in sourced {
        assert!(line[6..15].iter().all(String::is_empty), "{line:?}");
        assert_eq!(line[15], "yes");
    }
    app.stop().await;
}
