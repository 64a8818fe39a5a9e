//! Gap analysis over HTTP: the worked example with hand-computed figures, and
//! peer anonymity below the threshold.

use crate::common::TestApp;
use crate::flows::*;
use app::entities::{competency_result, gap_tally, person};
use app::surveys::answer_key;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

/// Self 4 and manager 2 with the default weights: current = (0.2·4 + 0.5·2) / 0.7
/// = 2.5714…, shown 2.57; target 4 at importance 2 gives gap 1.43, weighted 2.86.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_and_manager_ratings_combine_into_gaps() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let manager = app.signed_in("M0001").await;
    let li_na = person_of(&app, "S0001").await;
    let hall = unit_id(&app, "HALL").await;
    let front_desk = position_id(&app, "FRONT_DESK").await;

    let f = build_framework(&app, &trainer, "Counter skills", &["COMM", "POLICY"]).await;
    set_targets(
        &app,
        &trainer,
        f.family_id,
        front_desk,
        &[("COMM", 4, 2), ("POLICY", 3, 1)],
    )
    .await;
    let grid = json(
        app.call(
            &trainer,
            "targets",
            &[("family_id", &f.family_id.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(grid["cells"].as_array().unwrap().len(), 2, "{grid}");

    let title = "Counter skills check";
    let campaign = open_campaign(&app, &trainer, f.id, Spec::new(title), &["S0001"]).await;
    let progress = json(
        app.call(
            &trainer,
            "campaigns/progress",
            &[("id", &campaign.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(
        progress["overall"]["total"], 2,
        "self and manager: {progress}"
    );
    assert_eq!(progress["overall"]["submitted"], 0);
    assert_eq!(progress["pending_raters"], 2);

    // Li Na rates herself: a partial draft first, then the whole form.
    let own = tasks_in(&app, &staff, title).await;
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!(own[0]["rater_type"], "self");
    assert_eq!(own[0]["subject"], "李娜");
    assert_eq!(own[0]["open"], true);
    let self_task: Uuid = own[0]["id"].as_str().unwrap().parse().unwrap();
    let (comm, policy) = (f.competency("COMM"), f.competency("POLICY"));
    let res = answer(&app, &staff, self_task, "save", &[(comm, 4)]).await;
    assert_eq!(location(res).await, format!("/tasks/{self_task}?saved=1"));
    let form = json(
        app.call(&staff, "tasks/get", &[("id", &self_task.to_string())])
            .await,
    )
    .await;
    assert_eq!(form["status"], "draft");
    assert_eq!(form["editable"], true);
    assert_eq!(form["ratings"], serde_json::json!([[comm.to_string(), 4]]));

    // Submitting with a competency unrated names the missing field.
    let res = answer(&app, &staff, self_task, "submit", &[(comm, 4)]).await;
    let body = refused(res, 422).await;
    assert!(
        body.contains(&format!("rating[{}]", answer_key(policy))),
        "{body}"
    );
    assert!(
        !body.contains(&format!("rating[{}]", answer_key(comm))),
        "{body}"
    );
    // A level off the scale is refused too.
    let res = answer(&app, &staff, self_task, "submit", &[(comm, 6), (policy, 3)]).await;
    let body = refused(res, 422).await;
    assert!(
        body.contains(&format!("rating[{}]", answer_key(comm))),
        "{body}"
    );
    submit(&app, &staff, self_task, &[(comm, 4), (policy, 3)]).await;

    // Her manager rates her.
    let manager_task = task_in(&app, &manager, title).await;
    submit(&app, &manager, manager_task, &[(comm, 2), (policy, 3)]).await;
    let progress = json(
        app.call(
            &trainer,
            "campaigns/progress",
            &[("id", &campaign.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(progress["overall"]["submitted"], 2);
    assert_eq!(progress["pending_raters"], 0);
    // Each submission moved the unit tallies by its difference; they add up.
    tallies_match(&app, campaign).await;

    // Her own page, and her manager's view of it, show the same figures.
    for (who, client) in [
        ("self", &staff),
        ("manager", &manager),
        ("trainer", &trainer),
    ] {
        let gaps = json(person_gaps(&app, client, li_na.id, campaign).await).await;
        let prov = &gaps["provenance"];
        assert_eq!(prov["campaign_id"], campaign.to_string(), "{who}");
        assert_eq!(prov["framework_version"], 1, "{who}");
        assert_eq!(prov["closed"], false, "{who}");
        let r = row(&gaps, "COMM");
        assert!(close(&r["current"], 2.57), "{who}: {r}");
        assert_eq!(r["target"], 4, "{who}");
        assert_eq!(r["importance"], 2, "{who}");
        assert!(close(&r["gap"], 1.43), "{who}: {r}");
        assert!(close(&r["weighted_gap"], 2.86), "{who}: {r}");
        assert!(close(&r["self_level"], 4.0), "{who}: {r}");
        assert!(close(&r["others_level"], 2.0), "{who}: {r}");
        assert_eq!(
            r["sources"],
            serde_json::json!(["manager", "self"]),
            "{who}"
        );
        assert_eq!(r["raters"], 2, "{who}");
        assert_eq!(r["peers"], 0, "{who}");
        assert_eq!(r["discrepancy"], true, "self 4 vs others 2: {who}");
        let r = row(&gaps, "POLICY");
        assert!(close(&r["current"], 3.0), "{who}: {r}");
        assert!(close(&r["gap"], 0.0), "{who}: {r}");
        assert_eq!(r["discrepancy"], false, "{who}");
    }
    // The stored figure keeps full precision; only the page rounds.
    let stored = competency_result::Entity::find()
        .filter(competency_result::Column::CampaignId.eq(campaign))
        .filter(competency_result::Column::CompetencyId.eq(comm))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        (stored.current - 1.8 / 0.7).abs() < 1e-9,
        "{}",
        stored.current
    );
    assert!((stored.weighted_gap - 2.0 * (4.0 - 1.8 / 0.7)).abs() < 1e-9);

    // One person in the hall: the unit's cell is counted but suppressed.
    let query = [("campaign", campaign.to_string())];
    let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for client in [&trainer, &manager] {
        let map = json(app.call(client, "gaps/heatmap", &query).await).await;
        assert_eq!(map["provenance"]["campaign_id"], campaign.to_string());
        for code in ["COMM", "POLICY"] {
            let c = cell(&map, hall, code);
            assert_eq!(c["n"], 1, "{c}");
            assert_eq!(c["suppressed"], true, "{c}");
            assert!(c["mean_gap"].is_null(), "{c}");
        }
    }
    let priorities = json(app.call(&trainer, "gaps/priorities", &query).await).await;
    for r in priorities["rows"].as_array().unwrap() {
        assert_eq!(r["n"], 1, "{r}");
        assert_eq!(r["suppressed"], true, "{r}");
        assert!(close(&r["summed_weighted_gap"], 0.0), "nothing leaks: {r}");
        assert_eq!(r["people_with_gap"], 0, "{r}");
    }

    // The anonymous exports carry no names or employee numbers at all.
    let people = person::Entity::find().all(&app.state.db).await.unwrap();
    for path in [
        format!("/export/gaps/heatmap.csv?campaign={campaign}"),
        format!("/export/gaps/priorities.csv?campaign={campaign}"),
    ] {
        let res = download(&app, &trainer, &path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv"),
            "{path}"
        );
        let csv = res.text().await.unwrap();
        assert!(csv.contains("COMM"), "{path}: {csv}");
        assert!(csv.contains("yes"), "suppressed marked: {path}: {csv}");
        assert!(
            !csv.contains("1.43"),
            "suppressed figure leaked: {path}: {csv}"
        );
        for p in &people {
            assert!(
                !csv.contains(&p.name) && !csv.contains(&p.employee_no),
                "{path} names {} ({}): {csv}",
                p.name,
                p.employee_no
            );
        }
    }
    // Her own export has her figures.
    let res = download(
        &app,
        &staff,
        &format!("/export/gaps/person/{}?campaign={campaign}", li_na.id),
    )
    .await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert!(
        csv.contains("S0001")
            && csv.contains("2.57")
            && csv.contains("1.43")
            && csv.contains("2.86"),
        "{csv}"
    );

    // Closing makes the figures final.
    let res = set_state(&app, &trainer, campaign, "closed").await;
    location(res).await;
    tallies_match(&app, campaign).await;
    let gaps = json(person_gaps(&app, &staff, li_na.id, campaign).await).await;
    assert_eq!(gaps["provenance"]["closed"], true);
    assert!(close(&row(&gaps, "COMM")["current"], 2.57));

    // A new target moves her gap, and the tallies with it.
    set_targets(
        &app,
        &trainer,
        f.family_id,
        front_desk,
        &[("COMM", 5, 2), ("POLICY", 3, 1)],
    )
    .await;
    let gaps = json(person_gaps(&app, &staff, li_na.id, campaign).await).await;
    assert!(close(&row(&gaps, "COMM")["gap"], 2.43), "{gaps}");
    tallies_match(&app, campaign).await;
    app.stop().await;
}

/// Peer anonymity. A threshold under the floor of three is refused. Two peers
/// under a threshold of three are counted, never shown, and left out of the
/// current level. Three peers count, but only once the survey closes: while it
/// is open no figure or count moves with a peer's submission.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peers_are_shown_only_at_the_threshold_and_after_closing() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let manager = app.signed_in("M0001").await;
    let li_na = person_of(&app, "S0001").await;
    let front_desk = position_id(&app, "FRONT_DESK").await;
    let f = build_framework(&app, &trainer, "Peer view", &["COMM"]).await;
    set_targets(&app, &trainer, f.family_id, front_desk, &[("COMM", 5, 1)]).await;
    let comm = f.competency("COMM");

    // The floor holds for every role that runs campaigns, the manager included.
    for (runner, threshold) in [(&trainer, "2"), (&manager, "1"), (&trainer, "0")] {
        let spec = Spec {
            threshold,
            ..Spec::new("Too small a crowd")
        };
        let form = campaign_form(&app, None, f.id, spec);
        let res = app.call(runner, "campaigns/save", &borrowed(&form)).await;
        let body = refused(res, 422).await;
        assert!(body.contains("anonymity_threshold"), "{body}");
    }

    for (title, peers) in [("Peers hidden", 2_usize), ("Peers shown", 3)] {
        let spec = Spec {
            peer_mode: "auto",
            peers: if peers == 2 { "2" } else { "3" },
            threshold: "3",
            ..Spec::new(title)
        };
        let campaign = open_campaign(&app, &trainer, f.id, spec, &["S0001"]).await;
        for (rater, level) in [(&staff, 4), (&manager, 3)] {
            submit(
                &app,
                rater,
                task_in(&app, rater, title).await,
                &[(comm, level)],
            )
            .await;
        }
        let peer_tasks = tasks_of(&app, campaign, app::domain::RaterType::Peer).await;
        assert_eq!(peer_tasks.len(), peers);
        let mut peer_numbers = Vec::new();
        for (task, level) in peer_tasks.iter().zip([1_u8, 5, 3]) {
            assert_eq!(task.subject_id, li_na.id);
            let peer = person::Entity::find_by_id(task.rater_id)
                .one(&app.state.db)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(peer.unit_id, li_na.unit_id, "peers come from her unit");
            assert_ne!(peer.employee_no, "M0001");
            let before = person_gaps(&app, &trainer, li_na.id, campaign)
                .await
                .text()
                .await
                .unwrap();
            let client = app.signed_in(&peer.employee_no).await;
            submit(&app, &client, task.id, &[(comm, level)]).await;
            // While open, a peer's submission changes nothing anyone can read.
            for (who, reader) in [
                ("staff", &staff),
                ("manager", &manager),
                ("trainer", &trainer),
            ] {
                let now = json(person_gaps(&app, reader, li_na.id, campaign).await).await;
                let r = row(&now, "COMM");
                assert_eq!(r["peers"], 0, "{who}: {r}");
                assert_eq!(
                    r["sources"],
                    serde_json::json!(["manager", "self"]),
                    "{who}: {r}"
                );
                // (0.2·4 + 0.5·3) / 0.7 = 3.2857…
                assert!(close(&r["current"], 3.29), "{who}: {r}");
            }
            let after = person_gaps(&app, &trainer, li_na.id, campaign)
                .await
                .text()
                .await
                .unwrap();
            assert_eq!(before, after, "the figure moved with one peer's answer");
            // Neither she nor her manager may open a peer's answers.
            for other in [&staff, &manager] {
                refused(
                    app.call(other, "tasks/get", &[("id", &task.id.to_string())])
                        .await,
                    404,
                )
                .await;
            }
            peer_numbers.push((peer.employee_no, peer.name));
        }
        let stored = competency_result::Entity::find()
            .filter(competency_result::Column::CampaignId.eq(campaign))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            stored.peer_count, 0,
            "nothing of the peers is kept while open"
        );
        assert_eq!(stored.peer_level, None);
        // The export while open carries no peer figure either.
        let csv = download(
            &app,
            &staff,
            &format!("/export/gaps/person/{}?campaign={campaign}", li_na.id),
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(csv.contains("3.29"), "self and manager only: {csv}");

        location(set_state(&app, &trainer, campaign, "closed").await).await;
        for client in [&staff, &manager, &trainer] {
            let res = person_gaps(&app, client, li_na.id, campaign).await;
            let body = res.text().await.unwrap();
            for (no, name) in &peer_numbers {
                assert!(
                    !body.contains(no) && !body.contains(name),
                    "peer named: {body}"
                );
            }
            let gaps: Value = serde_json::from_str(&body).unwrap();
            let r = row(&gaps, "COMM");
            assert_eq!(r["peers"], peers, "{r}");
            assert!(close(&r["self_level"], 4.0), "{r}");
            if peers == 2 {
                // Below the threshold: others = the manager alone.
                assert_eq!(r["sources"], serde_json::json!(["manager", "self"]), "{r}");
                assert!(close(&r["current"], 3.29), "{r}");
                assert!(close(&r["others_level"], 3.0), "{r}");
                assert_eq!(r["raters"], 2, "{r}");
            } else {
                // Peers 1, 5, 3: mean 3. 0.2·4 + 0.5·3 + 0.3·3 = 3.2;
                // others (0.5·3 + 0.3·3) / 0.8 = 3.
                assert_eq!(
                    r["sources"],
                    serde_json::json!(["manager", "self", "peer"]),
                    "{r}"
                );
                assert!(close(&r["current"], 3.2), "{r}");
                assert!(close(&r["others_level"], 3.0), "{r}");
                assert_eq!(r["raters"], 5, "{r}");
            }
            // No single peer's level appears anywhere in the row.
            for key in r.as_object().unwrap().keys() {
                assert!(!key.contains("peer_level"), "{r}");
            }
        }
        let stored = competency_result::Entity::find()
            .filter(competency_result::Column::CampaignId.eq(campaign))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.peer_count, i32::try_from(peers).unwrap());
        tallies_match(&app, campaign).await;
        if peers == 2 {
            assert_eq!(
                stored.peer_level, None,
                "below the threshold nothing is kept"
            );
        } else {
            assert_eq!(stored.peer_level, Some(3.0));
        }
    }
    app.stop().await;
}

/// The stored unit tallies of a campaign are exactly the sums of its stored results
/// (the heatmap, priorities and plan read the tallies).
async fn tallies_match(app: &TestApp, campaign: Uuid) {
    let db = &app.state.db;
    let results = competency_result::Entity::find()
        .filter(competency_result::Column::CampaignId.eq(campaign))
        .all(db)
        .await
        .unwrap();
    let expected = app::gaps::tally::of(&results);
    assert!(!expected.is_empty(), "no results to tally");
    let stored: Vec<gap_tally::Model> = gap_tally::Entity::find()
        .filter(gap_tally::Column::CampaignId.eq(campaign))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.people != 0 || t.with_gap != 0 || t.gap_sum.abs() > 1e-9)
        .collect();
    assert_eq!(stored.len(), expected.len(), "{stored:?}");
    for t in stored {
        let key = app::gaps::tally::Key {
            unit: t.unit_id,
            position: t.position_id,
            competency: t.competency_id,
        };
        let want = expected
            .get(&key)
            .unwrap_or_else(|| panic!("extra tally {t:?}"));
        assert_eq!(
            (t.people, t.with_gap),
            (want.people, want.with_gap),
            "{t:?}"
        );
        assert!((t.gap_sum - want.gap).abs() < 1e-9, "{t:?} vs {want:?}");
        assert!(
            (t.weighted_sum - want.weighted).abs() < 1e-9,
            "{t:?} vs {want:?}"
        );
    }
}

/// The migrations to keyed results and tallies, then to results without foreign
/// keys, carry an existing office's results over unchanged and tally them; undoing
/// both restores the old table with them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_results_storage_migration_keeps_every_result() {
    use migrations::{Migrator, MigratorTrait};
    use sea_orm::{ConnectionTrait, Statement};

    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let mut before = competency_result::Entity::find().all(db).await.unwrap();
    assert!(before.len() > 100, "the demo has results: {}", before.len());
    let campaigns: std::collections::HashSet<Uuid> = before.iter().map(|r| r.campaign_id).collect();

    // Undo every migration from the results storage on, however many came after.
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let from = names
        .iter()
        .position(|n| n == "m20261206_000001_results_storage")
        .unwrap();
    Migrator::down(db, Some(u32::try_from(names.len() - from).unwrap()))
        .await
        .unwrap();
    let count = |sql: &str| {
        let sql = sql.to_owned();
        async move {
            db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .unwrap()
                .unwrap()
                .try_get_by_index::<i64>(0)
                .unwrap()
        }
    };
    // The old shape: a surrogate id per row, every row kept.
    assert_eq!(
        count("SELECT COUNT(DISTINCT id) FROM competency_results").await,
        i64::try_from(before.len()).unwrap()
    );

    Migrator::up(db, None).await.unwrap();
    let mut after = competency_result::Entity::find().all(db).await.unwrap();
    let key = |r: &competency_result::Model| (r.campaign_id, r.person_id, r.competency_id);
    before.sort_by_key(key);
    after.sort_by_key(key);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(key(b), key(a));
        assert_eq!(
            (b.unit_id, b.position_id, b.target_level),
            (a.unit_id, a.position_id, a.target_level)
        );
        assert!((b.gap - a.gap).abs() < 1e-12 && (b.current - a.current).abs() < 1e-12);
    }
    for c in campaigns {
        tallies_match(&app, c).await;
    }
    app.stop().await;
}
