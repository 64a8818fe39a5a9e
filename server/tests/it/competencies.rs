//! Competency frameworks over HTTP: versioning once used, and CSV import.

use std::collections::HashSet;

use crate::common::TestApp;
use crate::flows::*;
use app::entities::{competency, framework, rating, upload};
use reqwest::Client;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// Ratings point at the competencies of the version they were given on; editing a
/// version a campaign has opened on makes the next version instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_a_used_framework_makes_a_new_version() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let staff = app.signed_in("S0001").await;
    let li_na = person_of(&app, "S0001").await;
    let v1 = build_framework(&app, &trainer, "Versioned", &["COMM", "POLICY"]).await;
    let (comm, policy) = (v1.competency("COMM"), v1.competency("POLICY"));

    // Unused, it is edited in place.
    let res = save_competency(
        &app,
        &trainer,
        v1.id,
        v1.domain_id,
        Some(comm),
        "COMM",
        "Talking",
    )
    .await;
    assert_eq!(
        location(res).await,
        format!("/frameworks/{}?saved=1", v1.id)
    );
    let (detail, _) = load_framework(&app, &trainer, v1.id).await;
    assert_eq!(detail["locked"], false);
    assert_eq!(detail["versions"].as_array().unwrap().len(), 1);

    let title = "On version one";
    let campaign = open_campaign(&app, &trainer, v1.id, Spec::new(title), &["S0001"]).await;
    let (detail, _) = load_framework(&app, &trainer, v1.id).await;
    assert_eq!(detail["locked"], true);
    let self_task = task_in(&app, &staff, title).await;
    submit(&app, &staff, self_task, &[(comm, 2), (policy, 5)]).await;

    // Editing now lands on a new version.
    let res = save_competency(
        &app,
        &trainer,
        v1.id,
        v1.domain_id,
        Some(comm),
        "COMM",
        "Explaining policy",
    )
    .await;
    let to = location(res).await;
    assert!(to.ends_with("?versioned=1"), "{to}");
    let v2_id = id_in(&to, "/frameworks/");
    assert_ne!(v2_id, v1.id);
    let (detail2, v2) = load_framework(&app, &trainer, v2_id).await;
    assert_eq!(detail2["version"], 2);
    assert_eq!(detail2["locked"], false);
    assert_eq!(v2.family_id, v1.family_id);
    assert_eq!(
        detail2["versions"],
        serde_json::json!([[v1.id.to_string(), 1], [v2_id.to_string(), 2]])
    );
    assert_eq!(
        detail2["domains"][0]["competencies"][0]["name"],
        "Explaining policy"
    );
    let v2_ids: HashSet<Uuid> = v2.competencies.iter().map(|(_, id)| *id).collect();
    assert!(!v2_ids.contains(&comm) && !v2_ids.contains(&policy));
    // Version one is as it was.
    let (detail1, _) = load_framework(&app, &trainer, v1.id).await;
    assert_eq!(detail1["version"], 1);
    assert_eq!(detail1["domains"][0]["competencies"][0]["name"], "Talking");
    assert_eq!(
        framework::Entity::find()
            .filter(framework::Column::FamilyId.eq(v1.family_id))
            .count(&app.state.db)
            .await
            .unwrap(),
        2
    );

    // The ratings still point at version one's competencies.
    let rated: HashSet<Uuid> = rating::Entity::find()
        .filter(rating::Column::TaskId.eq(self_task))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.competency_id)
        .collect();
    assert_eq!(rated, HashSet::from([comm, policy]));
    let on_v1 = competency::Entity::find()
        .filter(competency::Column::Id.is_in(rated.iter().copied()))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(on_v1.iter().all(|c| c.framework_id == v1.id));

    // The gap page says which version the figures are on, with its names.
    let gaps = json(person_gaps(&app, &staff, li_na.id, campaign).await).await;
    assert_eq!(gaps["provenance"]["framework_version"], 1, "{gaps}");
    assert_eq!(gaps["provenance"]["framework"], "Versioned");
    let r = row(&gaps, "COMM");
    assert_eq!(r["competency"], "Talking");
    assert!(close(&r["current"], 2.0), "self only: {r}");
    // The task still shows version one.
    let form = json(
        app.call(&staff, "tasks/get", &[("id", &self_task.to_string())])
            .await,
    )
    .await;
    assert_eq!(form["domains"][0][1][0]["id"], comm.to_string());

    // Version two is not in use: further edits stay on it.
    let res = save_competency(
        &app,
        &trainer,
        v2_id,
        v2.domain_id,
        Some(v2.competency("POLICY")),
        "POLICY",
        "Rules",
    )
    .await;
    assert_eq!(location(res).await, format!("/frameworks/{v2_id}?saved=1"));
    // Targets follow the newest version.
    let grid = json(
        app.call(
            &trainer,
            "targets",
            &[("family_id", &v1.family_id.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(grid["version"], 2);
    // A new campaign can run on version two while version one's stays put.
    let later = open_campaign(
        &app,
        &trainer,
        v2_id,
        Spec::new("On version two"),
        &["S0001"],
    )
    .await;
    let task = task_in(&app, &staff, "On version two").await;
    submit(
        &app,
        &staff,
        task,
        &[(v2.competency("COMM"), 4), (v2.competency("POLICY"), 4)],
    )
    .await;
    let gaps = json(person_gaps(&app, &staff, li_na.id, later).await).await;
    assert_eq!(gaps["provenance"]["framework_version"], 2);
    assert_eq!(row(&gaps, "COMM")["competency"], "Explaining policy");
    let gaps = json(person_gaps(&app, &staff, li_na.id, campaign).await).await;
    assert_eq!(gaps["provenance"]["framework_version"], 1);
    app.stop().await;
}

async fn upload_framework(app: &TestApp, client: &Client, csv: &str) -> Uuid {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("framework.csv"),
    );
    let res = client
        .post(format!("{}/frameworks/upload", app.origin()))
        .header("Origin", app.origin())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    id_in(
        res.headers()["location"].to_str().unwrap(),
        "/frameworks/import/",
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_framework_file_with_bad_rows_writes_nothing() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let db = &app.state.db;
    let frameworks_before = framework::Entity::find().count(db).await.unwrap();
    let competencies_before = competency::Entity::find().count(db).await.unwrap();
    let listed_before = json(app.call(&trainer, "frameworks", &[]).await)
        .await
        .as_array()
        .unwrap()
        .len();

    let bad = "domain,code,name,description,level_1,level_2,level_3,level_4,level_5\n\
        Service,COMM,Communication,,a,b,c,d,e\n\
        Service,bad code,Policy,,a,b,c,d,\n\
        Service,COMM,Again,,a,b,c,d,e\n";
    let upload = upload_framework(&app, &trainer, bad).await;
    let id = upload.to_string();
    let preview = json(
        app.call(&trainer, "frameworks/import/preview", &[("id", &id)])
            .await,
    )
    .await;
    let rows = preview["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "{preview}");
    assert!(rows[0]["errors"].as_array().unwrap().is_empty());
    let errors = rows[1]["errors"].to_string();
    assert!(
        errors.contains("level_5") && errors.contains("bad code"),
        "{errors}"
    );
    assert!(
        rows[2]["errors"].to_string().contains("duplicate"),
        "{preview}"
    );
    assert_eq!(preview["imported"], false);

    let body = refused(
        app.call(
            &trainer,
            "frameworks/import",
            &[("id", &id), ("name", "Half good")],
        )
        .await,
        422,
    )
    .await;
    assert!(body.contains("line 3"), "{body}");
    assert_eq!(
        framework::Entity::find().count(db).await.unwrap(),
        frameworks_before
    );
    assert_eq!(
        competency::Entity::find().count(db).await.unwrap(),
        competencies_before
    );
    let listed_after = json(app.call(&trainer, "frameworks", &[]).await)
        .await
        .as_array()
        .unwrap()
        .len();
    assert_eq!(listed_after, listed_before);
    let stored = upload::Entity::find_by_id(upload)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.imported_at, None, "the upload stays unimported");
    let preview = json(
        app.call(&trainer, "frameworks/import/preview", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(preview["imported"], false);

    // A good file imports whole, once; its export imports again.
    let good = "\u{feff}领域,代码,名称,描述,等级1,等级2,等级3,等级4,等级5\n\
        服务能力,COMM,沟通表达,,一,二,三,四,五\n\
        服务能力,POLICY,政策掌握,,一,二,三,四,五\n\
        服务态度,ATT,服务意识,,一,二,三,四,五\n";
    let upload = upload_framework(&app, &trainer, good).await.to_string();
    let to = location(
        app.call(
            &trainer,
            "frameworks/import",
            &[("id", &upload), ("name", "Imported")],
        )
        .await,
    )
    .await;
    assert!(to.ends_with("?imported=1"), "{to}");
    let imported = id_in(&to, "/frameworks/");
    let detail = json(
        app.call(&trainer, "frameworks/get", &[("id", &imported.to_string())])
            .await,
    )
    .await;
    assert_eq!(detail["name"], "Imported");
    assert_eq!(detail["domains"].as_array().unwrap().len(), 2);
    assert_eq!(
        competency::Entity::find().count(db).await.unwrap(),
        competencies_before + 3
    );
    refused(
        app.call(
            &trainer,
            "frameworks/import",
            &[("id", &upload), ("name", "Twice")],
        )
        .await,
        409,
    )
    .await;
    assert_eq!(
        framework::Entity::find().count(db).await.unwrap(),
        frameworks_before + 1
    );
    let res = download(&app, &trainer, &format!("/export/frameworks/{imported}")).await;
    assert_eq!(res.status(), 200);
    let exported = res.text().await.unwrap();
    assert!(
        exported.contains("POLICY") && exported.contains("服务意识"),
        "{exported}"
    );
    let again = upload_framework(&app, &trainer, &exported)
        .await
        .to_string();
    let preview = json(
        app.call(&trainer, "frameworks/import/preview", &[("id", &again)])
            .await,
    )
    .await;
    assert_eq!(preview["rows"].as_array().unwrap().len(), 3);
    assert!(
        preview["file_problems"].as_array().unwrap().is_empty(),
        "{preview}"
    );
    assert!(
        preview["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["errors"].as_array().unwrap().is_empty()),
        "{preview}"
    );
    app.stop().await;
}
