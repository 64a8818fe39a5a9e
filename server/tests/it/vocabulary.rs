//! The database's own guards: every vocabulary refuses a value outside it, codes
//! are unique regardless of case, a unique index turns a double submit into a clear
//! answer, and an upload is imported once however many confirms race.

use app::domain::{
    AssignmentSource, AssignmentStatus, AudienceKind, AuditAction, CampaignState, Counting,
    CourseMode, CourseStatus, FollowUpStatus, ItemKind, NotificationKind, PeerMode, PlanStatus,
    ProposalStatus, QuestionKind, QuizPurpose, RaterType, ReactionKind, Review, Role, SeatStatus,
    TaskStatus, UploadKind, Vocabulary,
};
use app::entities::{audit_log, competency, framework};
use migrations::vocabularies;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde_json::Value;
use uuid::Uuid;

use crate::common::TestApp;

fn spelling<T: Vocabulary>() -> Vec<&'static str> {
    T::ALL.iter().map(|v| v.as_str()).collect()
}

/// The migration's lists and the app's enums name the same values.
#[test]
fn the_database_and_the_app_share_each_vocabulary() {
    let app_side: [(&str, &str, Vec<&str>); 25] = [
        ("person_roles", "role", spelling::<Role>()),
        ("campaigns", "state", spelling::<CampaignState>()),
        ("campaigns", "peer_mode", spelling::<PeerMode>()),
        ("survey_tasks", "rater_type", spelling::<RaterType>()),
        ("survey_tasks", "status", spelling::<TaskStatus>()),
        ("campaign_audience", "kind", spelling::<AudienceKind>()),
        ("campaign_items", "kind", spelling::<ItemKind>()),
        ("notifications", "kind", spelling::<NotificationKind>()),
        ("uploads", "kind", spelling::<UploadKind>()),
        ("audit_log", "action", spelling::<AuditAction>()),
        ("courses", "mode", spelling::<CourseMode>()),
        ("courses", "status", spelling::<CourseStatus>()),
        ("proposals", "status", spelling::<ProposalStatus>()),
        ("assignments", "source", spelling::<AssignmentSource>()),
        ("assignments", "status", spelling::<AssignmentStatus>()),
        ("session_seats", "status", spelling::<SeatStatus>()),
        ("training_plans", "status", spelling::<PlanStatus>()),
        ("questions", "kind", spelling::<QuestionKind>()),
        ("quizzes", "purpose", spelling::<QuizPurpose>()),
        ("quizzes", "counting", spelling::<Counting>()),
        ("quizzes", "review", spelling::<Review>()),
        ("reaction_items", "kind", spelling::<ReactionKind>()),
        (
            "reaction_template_items",
            "kind",
            spelling::<ReactionKind>(),
        ),
        ("follow_ups", "status", spelling::<FollowUpStatus>()),
        ("follow_ups", "rater_type", spelling::<RaterType>()),
    ];
    let vocabularies = vocabularies();
    assert_eq!(vocabularies.len(), app_side.len());
    for (table, column, values) in app_side {
        let (_, _, stored) = vocabularies
            .iter()
            .find(|(t, c, _)| *t == table && *c == column)
            .unwrap_or_else(|| panic!("{table}.{column} has no database rule"));
        let mut stored = stored.to_vec();
        let mut values = values;
        stored.sort_unstable();
        values.sort_unstable();
        assert_eq!(stored, values, "{table}.{column}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_vocabulary_refuses_an_unknown_value() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    // The demo has no upload; make one so every table has a row to change.
    let admin = app.signed_in("A0001").await;
    crate::org::upload(&app, &admin, "工号,姓名,部门,岗位\n").await;
    for (table, column, _) in vocabularies() {
        let rows = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        assert!(rows > 0, "{table} needs a row for this test");
        let bogus = format!("UPDATE {table} SET {column} = 'not-a-{column}'");
        assert!(
            db.execute_unprepared(&bogus).await.is_err(),
            "{table}.{column} took a value outside its vocabulary"
        );
        // Every value the demo stored passes the same rule.
        db.execute_unprepared(&format!("UPDATE {table} SET {column} = {column}"))
            .await
            .unwrap_or_else(|e| panic!("{table}.{column} refused its own values: {e}"));
    }
    // An audit entry for each action the app knows is accepted.
    for action in AuditAction::ALL {
        app::audit::Entry::new(None, *action)
            .on("test", None)
            .record(db)
            .await
            .unwrap_or_else(|e| panic!("{action}: {e:?}"));
    }
    let recorded = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("test"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(recorded, AuditAction::ALL.len() as u64);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn competency_codes_are_unique_regardless_of_case() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let existing = competency::Entity::find().one(db).await.unwrap().unwrap();
    let mut copy: competency::ActiveModel = existing.clone().into();
    copy.id = Set(Uuid::new_v4());
    copy.code = Set(existing.code.to_lowercase());
    assert_ne!(
        existing.code,
        existing.code.to_lowercase(),
        "demo codes are upper case"
    );
    let err = copy
        .insert(db)
        .await
        .expect_err("a case variant of a code is refused");
    assert!(app::common::conflict::is_unique_violation(&err), "{err}");

    // Over HTTP, the trainer is told next to the field.
    let trainer = app.signed_in("T0001").await;
    let f = framework::Entity::find_by_id(existing.framework_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let res = app
        .call(
            &trainer,
            "frameworks/competency/save",
            &[
                ("framework_id", &f.id.to_string()),
                ("domain_id", &existing.domain_id.to_string()),
                ("code", &existing.code.to_lowercase()),
                ("name", "Same code, other case"),
                ("description", ""),
                ("level_1", "a"),
                ("level_2", "b"),
                ("level_3", "c"),
                ("level_4", "d"),
                ("level_5", "e"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "code", "{body}");
    assert_eq!(body["Validation"][0]["problem"]["code"], "taken", "{body}");
    app.stop().await;
}

/// Two saves of the same new position (a double click with JavaScript off): one is
/// created, the other is told the code is taken, and nothing reaches the user as an
/// internal error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_submit_is_told_the_code_is_taken() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let form = [("code", "DOUBLE"), ("name", "重复提交")];
    let (a, b) = tokio::join!(
        app.call(&admin, "org/positions/save", &form),
        app.call(&admin, "org/positions/save", &form)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert!(
        statuses[0] < 400 && statuses[1] == 422,
        "one saved, one refused: {statuses:?}"
    );
    let again = app.call(&admin, "org/positions/save", &form).await;
    assert_eq!(again.status(), 422);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "code");
    assert_eq!(body["Validation"][0]["problem"]["code"], "taken");
    app.stop().await;
}

/// Eight confirms of one roster upload at once import it once: one succeeds, the
/// rest are told it was imported, and each new person exists once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_confirms_import_a_roster_once() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("A0001").await;
    let csv = "工号,姓名,部门,岗位,上级,角色\nRACE1,并发甲,HALL,FRONT_DESK,M0001,staff\nRACE2,并发乙,HALL,FRONT_DESK,M0001,staff\n";
    let id = crate::org::upload(&app, &admin, csv).await;
    let mut confirms = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (client, origin, id) = (admin.clone(), app.origin(), id.clone());
        confirms.spawn(async move {
            client
                .post(format!("{origin}/api/org/roster/import"))
                .header("Origin", &origin)
                .header("Accept", "application/json")
                .form(&[("id", id)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let statuses = confirms.join_all().await;
    let ok = statuses.iter().filter(|s| **s < 400).count();
    let conflict = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((ok, conflict), (1, 7), "{statuses:?}");
    let people = app::entities::person::Entity::find()
        .filter(app::entities::person::Column::EmployeeNo.is_in(["RACE1", "RACE2"]))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(people, 2);
    let imports = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(AuditAction::RosterImport))
        .filter(audit_log::Column::EntityId.eq(id.clone()))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(imports, 1);
    app.stop().await;
}
