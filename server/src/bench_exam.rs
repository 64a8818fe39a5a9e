//! The exam-day burst, prepared and checked. `gapwise bench-exam --learners N
//! --out FILE` adds to the demo office N learners, each already signed in (as in
//! an exam room, where people sign in in the minutes before: one session each,
//! its cookie token written to FILE), and a published course with a 20-question
//! quiz; it prints the quiz's id. `end2end/bench-exam.mjs` then drives the exam
//! from another process. `gapwise bench-exam-check --receipts FILE` looks up
//! every answer the driver got a receipt for and checks the database.

use std::io::Write;

use app::auth::session::{new_token, token_hash};
use app::domain::{Counting, CourseMode, QuizPurpose, Review, Role};
use app::entities::{attempt, attempt_item, person_role, quiz, session};
use app::org::people::new_person;
use app::quiz::draw::{By, Rule};
use app::state::AppState;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    Statement,
};
use uuid::Uuid;

use crate::Error;
use crate::synth::{Synth, insert_chunked, published_course};

/// Questions in the exam, and the category they are filed under.
pub const QUESTIONS: usize = 20;
const CATEGORY: &str = "压测/结业考试";

fn exam_gift() -> String {
    (1..=QUESTIONS)
        .map(|i| {
            format!(
                "::考题{i}::第{i}题：办理社保业务时，下列做法正确的是？\
                 {{=按规定一次性告知所需材料 ~让群众多跑几次 ~推给其他窗口 ~不作说明}}\n\n"
            )
        })
        .collect()
}

pub async fn bench_exam(
    state: &AppState,
    learners: usize,
    out: &std::path::Path,
) -> Result<(), Error> {
    let db = &state.db;
    let now = Utc::now();
    let mut synth = Synth::new(2_000);
    let course_id = synth.uuid();
    published_course(
        course_id,
        format!("EXAM-{}", now.timestamp()),
        "结业考试（压测）".into(),
        "考试日压力测试用的课程。",
        1.0,
        CourseMode::Online,
        now,
    )
    .insert(db)
    .await?;
    let mut questions: Vec<_> = app::quiz::gift::parse(&exam_gift())
        .questions
        .into_iter()
        .map(|r| r.question)
        .collect();
    for q in &mut questions {
        q.category = Some(CATEGORY.into());
    }
    app::quiz::import::insert_questions(db, &questions, Some(course_id), None).await?;
    let rules = vec![Rule {
        by: By::Category,
        key: CATEGORY.into(),
        count: None,
    }];
    let quiz_id = synth.uuid();
    quiz::ActiveModel {
        id: Set(quiz_id),
        course_id: Set(course_id),
        purpose: Set(QuizPurpose::Post),
        title: Set("结业考试".into()),
        rules: Set(Some(
            serde_json::to_string(&rules).map_err(|e| Error::Refused(format!("rules: {e}")))?,
        )),
        shuffle_questions: Set(true),
        shuffle_options: Set(true),
        time_limit_minutes: Set(Some(40)),
        attempts_allowed: Set(1),
        counting: Set(Counting::First),
        pass_mark: Set(60.0),
        opens_at: Set(Some(now - Duration::minutes(1))),
        closes_at: Set(None),
        review: Set(Review::AfterClose),
        published: Set(true),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;

    let mut people = Vec::with_capacity(learners);
    let mut roles = Vec::with_capacity(learners);
    let mut sessions = Vec::with_capacity(learners);
    let mut tokens = String::with_capacity(learners * 65);
    for i in 0..learners {
        let id = synth.uuid();
        people.push(new_person(
            id,
            &format!("X{i:05}"),
            &format!("考生{i:05}"),
            None,
            None,
            None,
            None,
        ));
        roles.push(person_role::ActiveModel {
            person_id: Set(id),
            role: Set(Role::Staff),
        });
        let token = new_token();
        sessions.push(session::ActiveModel {
            id: Set(Uuid::now_v7()),
            token_hash: Set(token_hash(&token)),
            person_id: Set(id),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(now + Duration::hours(8)),
            user_agent: Set(Some("bench-exam".into())),
            client_address: Set(None),
            persistent: Set(true),
        });
        tokens.push_str(&token);
        tokens.push('\n');
    }
    insert_chunked(db, people, 1_000).await?;
    insert_chunked(db, roles, 1_000).await?;
    insert_chunked(db, sessions, 1_000).await?;
    std::fs::File::create(out)
        .and_then(|mut f| f.write_all(tokens.as_bytes()))
        .map_err(|e| Error::Refused(format!("{}: {e}", out.display())))?;
    println!("{quiz_id}");
    Ok(())
}

/// Reads `attempt position seq` lines (the receipts the driver got) and checks
/// that each answer is stored with at least that receipt number; prints what it
/// found, the database's integrity check, and the attempts still open.
pub async fn bench_exam_check(
    state: &AppState,
    quiz_id: Uuid,
    receipts: &std::path::Path,
) -> Result<(), Error> {
    let db = &state.db;
    let text = std::fs::read_to_string(receipts)
        .map_err(|e| Error::Refused(format!("{}: {e}", receipts.display())))?;
    let mut wanted: Vec<(Uuid, i32, i32)> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut parts = line.split_whitespace();
        let parsed = (|| {
            Some((
                parts.next()?.parse().ok()?,
                parts.next()?.parse().ok()?,
                parts.next()?.parse().ok()?,
            ))
        })();
        wanted.push(parsed.ok_or_else(|| Error::Refused(format!("bad receipt line: {line}")))?);
    }
    let ids: Vec<Uuid> = attempt::Entity::find()
        .filter(attempt::Column::QuizId.eq(quiz_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let mut stored = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        for item in attempt_item::Entity::find()
            .filter(attempt_item::Column::AttemptId.is_in(chunk.to_vec()))
            .filter(attempt_item::Column::Answer.is_not_null())
            .all(db)
            .await?
        {
            stored.insert((item.attempt_id, item.position), item.seq.unwrap_or(0));
        }
    }
    let missing = wanted
        .iter()
        .filter(|(a, p, seq)| stored.get(&(*a, *p)).is_none_or(|s| s < seq))
        .count();
    let open = attempt::Entity::find()
        .filter(attempt::Column::QuizId.eq(quiz_id))
        .filter(attempt::Column::SubmittedAt.is_null())
        .count(db)
        .await?;
    let backend = db.get_database_backend();
    let integrity = match backend {
        sea_orm::DatabaseBackend::Sqlite => db
            .query_one_raw(Statement::from_string(backend, "PRAGMA integrity_check"))
            .await?
            .and_then(|r| r.try_get_by_index::<String>(0).ok())
            .unwrap_or_else(|| "no answer".into()),
        _ => "not applicable (Postgres keeps its own WAL consistency)".into(),
    };
    println!(
        "attempts {}; answers stored {}; receipts given {}; receipted answers missing {}; \
         attempts still open {}; integrity check: {}",
        ids.len(),
        stored.len(),
        wanted.len(),
        missing,
        open,
        integrity
    );
    Ok(())
}
