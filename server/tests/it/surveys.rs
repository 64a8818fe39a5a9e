//! Survey campaigns over HTTP: state rules, who sees what, reminders, form keys.

use crate::common::TestApp;
use crate::flows::*;
use app::entities::{competency, person, position, rating, survey_task};
use std::collections::HashSet;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_campaign_state_allows_only_its_own_changes() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let manager = app.signed_in("M0001").await;
    let li_na = person_of(&app, "S0001").await;
    let f = build_framework(&app, &trainer, "State rules", &["COMM", "POLICY"]).await;
    let (comm, policy) = (f.competency("COMM"), f.competency("POLICY"));
    let all = [(comm, 3), (policy, 3)];

    // A draft has no tasks, so nobody can answer it.
    let title = "Draft only";
    let draft = draft_campaign(&app, &trainer, f.id, Spec::new(title), &["S0001"]).await;
    assert!(tasks_in(&app, &staff, title).await.is_empty());
    assert!(tasks_in(&app, &manager, title).await.is_empty());
    let tasks = survey_task::Entity::find()
        .filter(survey_task::Column::CampaignId.eq(draft))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(tasks, 0);
    // Even a task row that somehow existed for a draft is not answerable.
    let stray = Uuid::new_v4();
    survey_task::ActiveModel {
        id: Set(stray),
        campaign_id: Set(draft),
        subject_id: Set(li_na.id),
        rater_id: Set(li_na.id),
        rater_type: Set(app::domain::RaterType::SelfRating),
        status: Set(app::domain::TaskStatus::Pending),
        updated_at: Set(Utc::now()),
        submitted_at: Set(None),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    assert!(tasks_in(&app, &staff, title).await.is_empty());
    refused(
        app.call(&staff, "tasks/get", &[("id", &stray.to_string())])
            .await,
        404,
    )
    .await;
    refused(answer(&app, &staff, stray, "submit", &all).await, 404).await;
    survey_task::Entity::delete_by_id(stray)
        .exec(&app.state.db)
        .await
        .unwrap();
    // A draft cannot be closed before it opened, and is still editable.
    refused(set_state(&app, &trainer, draft, "closed").await, 409).await;
    let form = campaign_form(&app, Some(draft), f.id, Spec::new("Draft, renamed"));
    location(app.call(&trainer, "campaigns/save", &borrowed(&form)).await).await;

    // Once open, the set-up is fixed.
    let title = "Open then closed";
    let campaign = open_campaign(&app, &trainer, f.id, Spec::new(title), &["S0001"]).await;
    let form = campaign_form(&app, Some(campaign), f.id, Spec::new("Renamed"));
    let body = refused(
        app.call(&trainer, "campaigns/save", &borrowed(&form)).await,
        409,
    )
    .await;
    assert!(body.contains("not_draft"), "{body}");
    let body = refused(
        app.call(
            &trainer,
            "campaigns/audience",
            &[
                ("campaign_id", &campaign.to_string()),
                ("op", "add"),
                ("kind", "person"),
                ("employee_no", "A0001"),
            ],
        )
        .await,
        409,
    )
    .await;
    assert!(body.contains("not_draft"), "{body}");
    refused(
        app.call(
            &trainer,
            "campaigns/item",
            &[
                ("campaign_id", &campaign.to_string()),
                ("op", "add"),
                ("kind", "text"),
                ("prompt", "Anything else?"),
            ],
        )
        .await,
        409,
    )
    .await;
    refused(set_state(&app, &trainer, campaign, "open").await, 409).await;
    let detail = json(
        app.call(&trainer, "campaigns/get", &[("id", &campaign.to_string())])
            .await,
    )
    .await;
    assert_eq!(detail["title"], title);
    assert_eq!(detail["state"], "open");

    // A submitted task is final.
    let self_task = task_in(&app, &staff, title).await;
    submit(&app, &staff, self_task, &all).await;
    for intent in ["save", "submit"] {
        let body = refused(
            answer(&app, &staff, self_task, intent, &[(comm, 5), (policy, 5)]).await,
            409,
        )
        .await;
        assert!(body.contains("already_submitted"), "{body}");
    }
    let form = json(
        app.call(&staff, "tasks/get", &[("id", &self_task.to_string())])
            .await,
    )
    .await;
    assert_eq!(form["status"], "submitted");
    assert_eq!(form["editable"], false);
    let levels: Vec<i32> = rating::Entity::find()
        .filter(rating::Column::TaskId.eq(self_task))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.level)
        .collect();
    assert_eq!(levels, vec![3, 3], "the refused edits changed nothing");

    // After closing, nobody answers any more.
    let manager_task = task_in(&app, &manager, title).await;
    location(set_state(&app, &trainer, campaign, "closed").await).await;
    for intent in ["save", "submit"] {
        let body = refused(
            answer(&app, &manager, manager_task, intent, &all).await,
            409,
        )
        .await;
        assert!(body.contains("not_open"), "{body}");
    }
    let form = json(
        app.call(&manager, "tasks/get", &[("id", &manager_task.to_string())])
            .await,
    )
    .await;
    assert_eq!(form["editable"], false);
    let listed = tasks_in(&app, &manager, title).await;
    assert_eq!(listed[0]["open"], false);
    assert!(
        rating::Entity::find()
            .filter(rating::Column::TaskId.eq(manager_task))
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
    refused(set_state(&app, &trainer, campaign, "closed").await, 409).await;
    refused(set_state(&app, &trainer, campaign, "open").await, 409).await;
    refused(
        app.call(
            &trainer,
            "campaigns/remind",
            &[("id", &campaign.to_string())],
        )
        .await,
        409,
    )
    .await;
    let form = campaign_form(&app, Some(campaign), f.id, Spec::new("Renamed"));
    refused(
        app.call(&trainer, "campaigns/save", &borrowed(&form)).await,
        409,
    )
    .await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_see_only_their_own_tasks_and_what_their_role_allows() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let manager = app.signed_in("M0001").await;
    let li_na = person_of(&app, "S0001").await;
    let wang = person_of(&app, "M0001").await;
    let admin_person = person_of(&app, "A0001").await;
    let (hall, office) = (unit_id(&app, "HALL").await, unit_id(&app, "ADMIN").await);
    let front_desk = position_id(&app, "FRONT_DESK").await;
    let f = build_framework(&app, &trainer, "Visibility", &["COMM"]).await;
    let clerk = position_id(&app, "CLERK").await;
    for position in [front_desk, clerk] {
        set_targets(&app, &trainer, f.family_id, position, &[("COMM", 4, 1)]).await;
    }
    let comm = f.competency("COMM");

    // About Li Na and about the administrator (outside the hall).
    let title = "Who sees what";
    let campaign = open_campaign(&app, &trainer, f.id, Spec::new(title), &["S0001", "A0001"]).await;
    let self_task = task_in(&app, &staff, title).await;
    let manager_task = task_in(&app, &manager, title).await;
    submit(&app, &staff, self_task, &[(comm, 4)]).await;
    submit(&app, &manager, manager_task, &[(comm, 3)]).await;
    let admin = app.signed_in("A0001").await;
    let admin_task = task_in(&app, &admin, title).await;
    submit(&app, &admin, admin_task, &[(comm, 5)]).await;

    // Tasks belong to their rater alone: others get 404, as if they did not exist.
    let id = manager_task.to_string();
    refused(app.call(&staff, "tasks/get", &[("id", &id)]).await, 404).await;
    refused(
        answer(&app, &staff, manager_task, "save", &[(comm, 1)]).await,
        404,
    )
    .await;
    refused(app.call(&trainer, "tasks/get", &[("id", &id)]).await, 404).await;
    let id = self_task.to_string();
    refused(app.call(&manager, "tasks/get", &[("id", &id)]).await, 404).await;

    // Staff read their own gaps only.
    json(person_gaps(&app, &staff, li_na.id, campaign).await).await;
    for other in [wang.id, admin_person.id] {
        refused(person_gaps(&app, &staff, other, campaign).await, 403).await;
        let res = download(
            &app,
            &staff,
            &format!("/export/gaps/person/{other}?campaign={campaign}"),
        )
        .await;
        assert_eq!(res.status(), 403);
    }
    let body = json(
        app.call(
            &staff,
            "gaps/person",
            &[("campaign", &campaign.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(body["employee_no"], "S0001", "no person means oneself");

    // A manager sees their subtree, not beyond it.
    json(person_gaps(&app, &manager, li_na.id, campaign).await).await;
    refused(
        person_gaps(&app, &manager, admin_person.id, campaign).await,
        403,
    )
    .await;
    let res = download(
        &app,
        &manager,
        &format!(
            "/export/gaps/person/{}?campaign={campaign}",
            admin_person.id
        ),
    )
    .await;
    assert_eq!(res.status(), 403);
    let c = campaign.to_string();
    let map = json(
        app.call(&manager, "gaps/heatmap", &[("campaign", &c)])
            .await,
    )
    .await;
    let units: Vec<&str> = map["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["unit_id"].as_str().unwrap())
        .collect();
    assert_eq!(units, vec![hall.to_string()], "{map}");
    let filter_units: Vec<&str> = map["filters"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u[0].as_str().unwrap())
        .collect();
    assert_eq!(filter_units, vec![hall.to_string()]);
    let outside = office.to_string();
    for endpoint in ["gaps/heatmap", "gaps/priorities"] {
        refused(
            app.call(&manager, endpoint, &[("campaign", &c), ("unit", &outside)])
                .await,
            403,
        )
        .await;
    }
    for path in [
        format!("/export/gaps/heatmap.csv?campaign={c}&unit={outside}"),
        format!("/export/gaps/priorities.csv?campaign={c}&unit={outside}"),
    ] {
        assert_eq!(
            download(&app, &manager, &path).await.status(),
            403,
            "{path}"
        );
    }
    // The manager's priorities count the hall only; the trainer's count both people.
    let mine = json(
        app.call(&manager, "gaps/priorities", &[("campaign", &c)])
            .await,
    )
    .await;
    assert_eq!(row(&mine, "COMM")["n"], 1, "{mine}");
    let everyone = json(
        app.call(&trainer, "gaps/priorities", &[("campaign", &c)])
            .await,
    )
    .await;
    assert_eq!(row(&everyone, "COMM")["n"], 2, "{everyone}");
    // The trainer sees both units' rows, each suppressed.
    let map = json(
        app.call(&trainer, "gaps/heatmap", &[("campaign", &c)])
            .await,
    )
    .await;
    for unit in [hall, office] {
        let c = cell(&map, unit, "COMM");
        assert_eq!(c["n"], 1, "{c}");
        assert_eq!(c["suppressed"], true, "{c}");
    }

    // Campaigns are run by their owner (or trainers and admins).
    for endpoint in ["campaigns/get", "campaigns/progress", "campaigns/remind"] {
        refused(app.call(&manager, endpoint, &[("id", &c)]).await, 403).await;
    }
    let listed = json(app.call(&manager, "campaigns", &[]).await).await;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["id"] != c.as_str()),
        "{listed}"
    );
    // A manager's own campaign reaches only their subtree.
    let form = campaign_form(&app, None, f.id, Spec::new("Hall only"));
    let mine = id_in(
        &location(app.call(&manager, "campaigns/save", &borrowed(&form)).await).await,
        "/campaigns/",
    );
    let mine = mine.to_string();
    let body = refused(
        app.call(
            &manager,
            "campaigns/audience",
            &[
                ("campaign_id", &mine),
                ("op", "add"),
                ("kind", "unit"),
                ("target_id", &outside),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(body.contains("target_id"), "{body}");
    let body = refused(
        app.call(
            &manager,
            "campaigns/audience",
            &[
                ("campaign_id", &mine),
                ("op", "add"),
                ("kind", "person"),
                ("employee_no", "A0001"),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(body.contains("employee_no"), "{body}");
    location(
        app.call(
            &manager,
            "campaigns/audience",
            &[
                ("campaign_id", &mine),
                ("op", "add"),
                ("kind", "unit"),
                ("target_id", &hall.to_string()),
            ],
        )
        .await,
    )
    .await;
    let detail = json(app.call(&manager, "campaigns/get", &[("id", &mine)]).await).await;
    assert_eq!(detail["people"], 42, "the hall: its head and 41 staff");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_reach_raters_with_work_left() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let manager = app.signed_in("M0001").await;
    let f = build_framework(&app, &trainer, "Reminders", &["COMM"]).await;

    let (staff_before, manager_before) = (unread(&app, &staff).await, unread(&app, &manager).await);
    let title = "Please answer";
    let campaign = open_campaign(&app, &trainer, f.id, Spec::new(title), &["S0001"]).await;
    // Opening tells each rater once.
    assert_eq!(unread(&app, &staff).await, staff_before + 1);
    assert_eq!(unread(&app, &manager).await, manager_before + 1);

    let self_task = task_in(&app, &staff, title).await;
    submit(&app, &staff, self_task, &[(f.competency("COMM"), 3)]).await;
    let (staff_before, manager_before) = (unread(&app, &staff).await, unread(&app, &manager).await);
    let to = location(
        app.call(
            &trainer,
            "campaigns/remind",
            &[("id", &campaign.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(to, format!("/campaigns/{campaign}?reminded=1"));
    assert_eq!(
        unread(&app, &manager).await,
        manager_before + 1,
        "pending rater reminded"
    );
    assert_eq!(
        unread(&app, &staff).await,
        staff_before,
        "done: not reminded"
    );

    let list = json(app.call(&manager, "notifications", &[]).await).await;
    let kinds: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["campaign_id"] == campaign.to_string())
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "reminder").count(),
        1,
        "{list}"
    );
    assert!(kinds.contains(&"campaign_opened"), "{list}");
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .filter(|n| n["campaign_id"] == campaign.to_string())
            .all(|n| n["campaign"] == title),
        "{list}"
    );
    location(app.call(&manager, "notifications/read", &[]).await).await;
    assert_eq!(unread(&app, &manager).await, 0);
    app.stop().await;
}

/// Form keys carry uuids; serde_qs reads a bracketed key that starts with a digit
/// as a list index, so keys must not start with the bare uuid. Ids are random, so
/// this test makes ones that start with digits on purpose.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_keys_work_for_ids_that_start_with_a_digit() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let li_na = person_of(&app, "S0001").await;
    let f = build_framework(&app, &trainer, "Digits", &["COMM"]).await;
    let numeric = Uuid::parse_str("12345678-9012-4345-8789-012345678901").unwrap();
    competency::ActiveModel {
        id: Set(numeric),
        framework_id: Set(f.id),
        domain_id: Set(f.domain_id),
        position: Set(1),
        code: Set("NUM".into()),
        name: Set("Numbers".into()),
        description: Set(None),
        level_1: Set("1".into()),
        level_2: Set("2".into()),
        level_3: Set("3".into()),
        level_4: Set("4".into()),
        level_5: Set("5".into()),
        archived: Set(false),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    // Li Na's position, re-keyed to an id that starts with a digit.
    let desk = Uuid::parse_str("01234567-89ab-4def-8123-456789abcdef").unwrap();
    position::ActiveModel {
        id: Set(desk),
        code: Set("DIGIT_DESK".into()),
        name: Set("Digit desk".into()),
        active: Set(true),
        hours_required: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    let mut moved: person::ActiveModel = li_na.clone().into();
    moved.position_id = Set(Some(desk));
    moved.update(&app.state.db).await.unwrap();

    set_targets(
        &app,
        &trainer,
        f.family_id,
        desk,
        &[("NUM", 4, 3), ("COMM", 2, 1)],
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
    let cells: Vec<(&str, &str, u64)> = grid["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["position_id"].as_str().unwrap(),
                c["code"].as_str().unwrap(),
                c["level"].as_u64().unwrap(),
            )
        })
        .collect();
    let desk_text = desk.to_string();
    assert!(cells.contains(&(desk_text.as_str(), "NUM", 4)), "{grid}");

    let title = "Digits campaign";
    let campaign = open_campaign(&app, &trainer, f.id, Spec::new(title), &["S0001"]).await;
    let task = task_in(&app, &staff, title).await;
    submit(
        &app,
        &staff,
        task,
        &[(numeric, 1), (f.competency("COMM"), 2)],
    )
    .await;
    let gaps = json(person_gaps(&app, &staff, li_na.id, campaign).await).await;
    let r = row(&gaps, "NUM");
    assert!(close(&r["current"], 1.0), "{r}");
    assert!(close(&r["weighted_gap"], 9.0), "(4 - 1) x 3: {r}");
    app.stop().await;
}

/// A campaign's audience is whom its owner may see, whoever opens it: a manager's
/// campaign over a position, opened by a trainer (who sees everyone), asks only
/// the manager's own people.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audience_is_bounded_by_the_owner_not_the_opener() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let manager = app.signed_in("M0001").await;
    let framework = build_framework(&app, &trainer, "Owner scope", &["OWN1"]).await;
    let campaign = draft_campaign(&app, &manager, framework.id, Spec::new("Hall only"), &[]).await;
    // Section chiefs head every unit; the hall's is the manager himself.
    let clerk = position_id(&app, "SECTION_CHIEF").await;
    let res = app
        .call(
            &manager,
            "campaigns/audience",
            &[
                ("campaign_id", &campaign.to_string()),
                ("op", "add"),
                ("kind", "position"),
                ("target_id", &clerk.to_string()),
            ],
        )
        .await;
    location(res).await;
    let res = set_state(&app, &trainer, campaign, "open").await;
    assert_eq!(
        location(res).await,
        format!("/campaigns/{campaign}?saved=1")
    );

    let db = &app.state.db;
    let hall = unit_id(&app, "HALL").await;
    let boss = person_of(&app, "M0001").await;
    let tasks = survey_task::Entity::find()
        .filter(survey_task::Column::CampaignId.eq(campaign))
        .all(db)
        .await
        .unwrap();
    let clerks_everywhere = person::Entity::find()
        .filter(person::Column::PositionId.eq(clerk))
        .filter(person::Column::Active.eq(true))
        .count(db)
        .await
        .unwrap();
    let subjects: HashSet<Uuid> = tasks.iter().map(|t| t.subject_id).collect();
    assert!(!subjects.is_empty());
    for s in &subjects {
        let p = person::Entity::find_by_id(*s)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert!(
            p.unit_id == Some(hall) || p.manager_id == Some(boss.id),
            "{} is outside the manager's unit",
            p.employee_no
        );
    }
    assert!(
        (subjects.len() as u64) < clerks_everywhere,
        "clerks elsewhere are left out ({} of {clerks_everywhere})",
        subjects.len()
    );
    app.stop().await;
}

/// Nomination only reaches colleagues in one's own unit, never oneself or one's own
/// line manager, and a number elsewhere in the office gets the same answer as a
/// number nobody has.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nominations_stay_inside_the_unit() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let framework = build_framework(&app, &trainer, "Nominated", &["NOM1"]).await;
    let spec = Spec {
        peer_mode: "nominate",
        peers: "3",
        ..Spec::new("Choose your raters")
    };
    let campaign = open_campaign(&app, &trainer, framework.id, spec, &["S0001"]).await;
    let li_na = person_of(&app, "S0001").await;
    let colleague = person::Entity::find()
        .filter(person::Column::UnitId.eq(li_na.unit_id.unwrap()))
        .filter(person::Column::EmployeeNo.is_not_in(["S0001", "M0001"]))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let id = campaign.to_string();
    let nominate = async |no: &str| {
        app.call(
            &staff,
            "tasks/nominate",
            &[("campaign_id", id.as_str()), ("employee_no", no)],
        )
        .await
    };
    for no in ["S0001", "M0001"] {
        let body = refused(nominate(no).await, 422).await;
        assert!(body.contains("not_a_peer"), "{no}: {body}");
    }
    // 周敏 works in another unit: her number answers like one that does not exist.
    let elsewhere = refused(nominate("A0001").await, 422).await;
    let nowhere = refused(nominate("Z9999").await, 422).await;
    assert_eq!(
        elsewhere.replace("A0001", "?"),
        nowhere.replace("Z9999", "?")
    );
    let peers = tasks_of(&app, campaign, app::domain::RaterType::Peer).await;
    assert!(peers.is_empty(), "nothing was nominated: {peers:?}");

    location(nominate(&colleague.employee_no).await).await;
    let peers = tasks_of(&app, campaign, app::domain::RaterType::Peer).await;
    assert_eq!(peers.len(), 1);
    assert_eq!(peers[0].rater_id, colleague.id);
    app.stop().await;
}

/// The anonymity floor is the database's rule too; each opening draws its peers
/// with a fresh random seed; the audit log keeps the settings that decide whose
/// ratings count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymity_settings_are_enforced_random_and_audited() {
    use app::domain::AuditAction;
    use app::entities::{audit_log, campaign};
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let framework = build_framework(&app, &trainer, "Seeded", &["SEED1"]).await;
    let mut seeds = HashSet::new();
    let mut ids = Vec::new();
    for title in ["First draw", "Second draw"] {
        let spec = Spec {
            peer_mode: "auto",
            peers: "2",
            ..Spec::new(title)
        };
        let id = open_campaign(&app, &trainer, framework.id, spec, &["S0001"]).await;
        let c = campaign::Entity::find_by_id(id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        seeds.insert(c.peer_seed.expect("a seed is stored at opening"));
        ids.push(id);
    }
    assert_eq!(seeds.len(), 2, "each campaign draws with its own seed");

    // Below the floor the database refuses, whoever writes.
    let db = &app.state.db;
    let c = campaign::Entity::find_by_id(ids[0])
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut am: campaign::ActiveModel = c.into();
    am.anonymity_threshold = Set(2);
    assert!(am.update(db).await.is_err(), "threshold 2 stored");
    let kept = campaign::Entity::find_by_id(ids[0])
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.anonymity_threshold, 3);

    for action in [AuditAction::CampaignCreate, AuditAction::CampaignOpen] {
        let entry = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq(action))
            .filter(audit_log::Column::EntityId.eq(ids[1].to_string()))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let after: serde_json::Value = serde_json::from_str(&entry.after.unwrap()).unwrap();
        let settings = if action == AuditAction::CampaignOpen {
            after["settings"].clone()
        } else {
            after
        };
        assert_eq!(settings["anonymity_threshold"], 3, "{action:?}: {settings}");
        assert_eq!(
            settings["weights"],
            serde_json::json!([0.2, 0.5, 0.3, 0.0]),
            "{settings}"
        );
        assert_eq!(settings["include_self"], true, "{settings}");
        assert_eq!(settings["include_manager"], true, "{settings}");
        assert_eq!(settings["peer_mode"], "auto", "{settings}");
        assert_eq!(settings["peers"], 2, "{settings}");
    }
    app.stop().await;
}
