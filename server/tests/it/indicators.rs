//! Evaluation, level 4: indicator values from a CSV file (GBK, Chinese headers)
//! are previewed row by row and written all or nothing; the grid checks every
//! cell first; the report marks the course's completions and compares trained
//! with untrained units by difference in differences.

use std::collections::BTreeMap;

use app::domain::AuditAction;
use app::entities::{audit_log, indicator_value, org_unit};
use app::evaluation::indicators::did::{did, month_index};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

use crate::common::TestApp;
use crate::flows::*;

async fn values(app: &TestApp) -> u64 {
    indicator_value::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn value_of(app: &TestApp, unit: Uuid, code: &str, month: &str) -> Option<f64> {
    indicator_value::Entity::find_by_id((unit, code.to_owned(), month.to_owned()))
        .one(&app.state.db)
        .await
        .unwrap()
        .map(|v| v.value)
}

/// Uploads `csv` in GBK, as a spreadsheet on Chinese Windows saves it; returns
/// the upload's id.
async fn upload(app: &TestApp, who: &reqwest::Client, csv: &str) -> String {
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let res = app
        .upload(who, "/indicators/upload", "指标.csv", gbk.into_owned())
        .await;
    let to = location(res).await;
    assert!(to.starts_with("/indicators/import/"), "{to}");
    to.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_file_writes_nothing_and_a_good_one_writes_every_row() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let hall = unit_id(&app, "HALL").await;
    let before = values(&app).await;
    assert!(before >= 6 * 5 * 18, "the demo has 18 months: {before}");
    let was = value_of(&app, hall, "rework_rate", "2026-11")
        .await
        .unwrap();

    // One good row and three bad ones: nothing is written.
    let id = upload(
        &app,
        &admin,
        "单位,月份,指标,数值\n服务大厅,2026年12月,差错返工率,2.8\n\
         不存在的科室,2026-12,rework_rate,3\n\
         HALL,明年,rework_rate,-4\n\
         HALL,2026-12,差错返工率,2.9\n",
    )
    .await;
    let preview = json(
        app.call(&admin, "indicators/preview", &[("id", id.as_str())])
            .await,
    )
    .await;
    let rows = preview["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4, "{preview}");
    let fields = |i: usize| -> Vec<String> {
        rows[i]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(fields(0).is_empty());
    assert_eq!(fields(1), ["unit"]);
    assert_eq!(fields(2), ["month", "value"]);
    assert_eq!(fields(3), ["month"], "the same month twice");
    let body = refused(
        app.call(&admin, "indicators/import", &[("id", id.as_str())])
            .await,
        422,
    )
    .await;
    for field in [
        "line 3: unit",
        "line 4: month",
        "line 4: value",
        "line 5: month",
    ] {
        assert!(body.contains(field), "{field}: {body}");
    }
    assert_eq!(values(&app).await, before);
    assert_eq!(value_of(&app, hall, "rework_rate", "2026-12").await, None);

    // A good file: one new month, one replaced; a second import is refused.
    let id = upload(
        &app,
        &admin,
        "单位,月份,指标,数值\nHALL,2026年12月,差错返工率,2.8\n服务大厅,2026-11,rework_rate,3.1\n",
    )
    .await;
    let to = location(
        app.call(&admin, "indicators/import", &[("id", id.as_str())])
            .await,
    )
    .await;
    assert_eq!(to, "/indicators?imported=2");
    assert_eq!(values(&app).await, before + 1);
    assert_eq!(
        value_of(&app, hall, "rework_rate", "2026-12").await,
        Some(2.8)
    );
    assert_eq!(
        value_of(&app, hall, "rework_rate", "2026-11").await,
        Some(3.1)
    );
    assert_ne!(was, 3.1);
    refused(
        app.call(&admin, "indicators/import", &[("id", id.as_str())])
            .await,
        409,
    )
    .await;
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(AuditAction::IndicatorsImport))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);

    // The export reads back in the import's format.
    let csv = download(&app, &admin, "/export/indicators.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("HALL,2026-12,rework_rate,2.8"),
        "{}",
        &csv[..200.min(csv.len())]
    );

    // Only administrators upload.
    let manager = app.signed_in("M0001").await;
    let res = app
        .upload(
            &manager,
            "/indicators/upload",
            "x.csv",
            b"unit,month,indicator,value\n".to_vec(),
        )
        .await;
    assert_eq!(res.status(), 403);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grid_checks_every_cell_before_saving_the_year() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let hall = unit_id(&app, "HALL").await;
    let h = hall.to_string();
    let grid = json(
        app.call(
            &admin,
            "indicators/grid",
            &[("unit", h.as_str()), ("year", "2026")],
        )
        .await,
    )
    .await;
    assert_eq!(grid["months"].as_array().unwrap().len(), 12);
    assert!(close(
        &grid["values"]["rework_rate_2026-11"],
        value_of(&app, hall, "rework_rate", "2026-11")
            .await
            .unwrap()
    ));
    let before = values(&app).await;
    // A bad cell among good ones: named, nothing changes.
    let body = refused(
        app.call(
            &admin,
            "indicators/save",
            &[
                ("unit", h.as_str()),
                ("year", "2026"),
                ("value[rework_rate_2026-01]", "3.3"),
                ("value[handling_time_2026-02]", "fast"),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(body.contains("handling_time_2026-02"), "{body}");
    assert_eq!(values(&app).await, before);
    // Saved: the year holds exactly what was typed.
    location(
        app.call(
            &admin,
            "indicators/save",
            &[
                ("unit", h.as_str()),
                ("year", "2026"),
                ("value[rework_rate_2026-01]", "3.3"),
                ("value[handling_time_2026-02]", "17.5"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(
        value_of(&app, hall, "rework_rate", "2026-01").await,
        Some(3.3)
    );
    assert_eq!(
        value_of(&app, hall, "rework_rate", "2026-11").await,
        None,
        "blank removes"
    );
    assert!(
        value_of(&app, hall, "rework_rate", "2025-11")
            .await
            .is_some(),
        "other years stay"
    );
    // Only administrators enter values; an unknown unit is not found.
    let trainer = app.signed_in("T0001").await;
    refused(app.call(&trainer, "indicators/grid", &[]).await, 403).await;
    let nil = Uuid::nil().to_string();
    refused(
        app.call(&admin, "indicators/grid", &[("unit", nil.as_str())])
            .await,
        404,
    )
    .await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_compares_trained_and_untrained_units() {
    let app = TestApp::spawn().await;
    let trainer = app.signed_in("T0001").await;
    let it = course_of(&app, "SI-SYS-101").await.id.to_string();
    let r: Value = json(
        app.call(
            &trainer,
            "indicators/report",
            &[("indicator", "rework_rate"), ("course", it.as_str())],
        )
        .await,
    )
    .await;
    let series = r["series"].as_array().unwrap();
    assert_eq!(series.len(), 6, "{r}");
    let hall = series.iter().find(|s| s["unit"] == "服务大厅").unwrap();
    assert_eq!(hall["trained_in"], "2026-10", "{hall}");
    assert!(
        hall["completions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c[0] == "2026-10" && c[1].as_u64().unwrap() >= 14)
    );
    let c = &r["comparison"];
    assert_eq!(c["month"], "2026-10");
    assert_eq!(c["trained"], serde_json::json!(["服务大厅"]));
    let untrained: Vec<&str> = c["untrained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert!(!untrained.is_empty());
    // The same estimate from the stored values, by the pure function.
    let db = &app.state.db;
    let names: std::collections::HashMap<String, Uuid> = org_unit::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.name, u.id))
        .collect();
    let series_of = |unit: Uuid| async move {
        indicator_value::Entity::find()
            .filter(indicator_value::Column::UnitId.eq(unit))
            .filter(indicator_value::Column::Indicator.eq("rework_rate"))
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|v| (month_index(&v.month).unwrap(), v.value))
            .collect::<BTreeMap<i32, f64>>()
    };
    let t = series_of(names["服务大厅"]).await;
    let mut u = Vec::new();
    for name in &untrained {
        u.push(series_of(names[*name]).await);
    }
    let expected = did(
        &[&t],
        &u.iter().collect::<Vec<_>>(),
        month_index("2026-10").unwrap(),
        6,
    )
    .unwrap();
    assert!(close(&c["did"]["estimate"], expected.estimate), "{c}");
    assert_eq!(c["did"]["trained_after"]["n"], expected.trained_after.n);
    // The demo's story: rework fell in the hall more than elsewhere.
    assert!(expected.estimate < 0.0, "{expected:?}");
    // No course, no comparison; an unknown indicator is named.
    let plain = json(app.call(&trainer, "indicators/report", &[]).await).await;
    assert!(plain["comparison"].is_null());
    let body = refused(
        app.call(&trainer, "indicators/report", &[("indicator", "speed")])
            .await,
        422,
    )
    .await;
    assert!(body.contains("indicator"), "{body}");
    refused(
        app.call(&app.signed_in("S0001").await, "indicators/report", &[])
            .await,
        403,
    )
    .await;
    app.stop().await;
}
