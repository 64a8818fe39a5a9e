//! The demo's quizzes: the pension-policy course's pre-test and post-test,
//! drawn as parallel forms from the bank, taken by the service hall's staff
//! (the post-test after the course, scoring higher), and a practice quiz on
//! window etiquette. 李娜 has taken the pre-test and not yet the post-test.

use app::domain::{Counting, QuizPurpose, Review};
use app::entities::{attempt, attempt_item, course, person, quiz};
use app::error::AppError;
use app::quiz::attempts::{Submitter, begin, submit};
use app::quiz::deliver::{self, Arrangement, Given};
use app::quiz::draw::{By, Rule};
use chrono::{DateTime, Duration, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::synth::Synth;

pub struct Quizzes {
    pub quizzes: usize,
    pub attempts: usize,
}

#[allow(clippy::too_many_arguments)]
async fn add_quiz(
    db: &impl ConnectionTrait,
    synth: &mut Synth,
    course_id: Uuid,
    title: &str,
    purpose: QuizPurpose,
    rules: &[Rule],
    time_limit: Option<i32>,
    attempts_allowed: i32,
    at: DateTime<Utc>,
    trainer: Uuid,
) -> Result<quiz::Model, AppError> {
    Ok(quiz::ActiveModel {
        id: Set(synth.uuid()),
        course_id: Set(course_id),
        purpose: Set(purpose),
        title: Set(title.into()),
        rules: Set(Some(
            serde_json::to_string(rules).map_err(AppError::internal)?,
        )),
        shuffle_questions: Set(true),
        shuffle_options: Set(true),
        time_limit_minutes: Set(time_limit),
        attempts_allowed: Set(attempts_allowed),
        counting: Set(Counting::Best),
        pass_mark: Set(60.0),
        opens_at: Set(Some(at)),
        closes_at: Set(None),
        review: Set(Review::Immediately),
        published: Set(true),
        created_by: Set(Some(trainer)),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await?)
}

/// A wrong answer of the same kind (or none, for an unanswered question).
fn wrong_answer(right: &Given) -> Option<Given> {
    Some(match right {
        Given::Single(p) => Given::Single(if *p == 0 { 1 } else { 0 }),
        Given::Multiple(ps) => Given::Multiple(ps.iter().take(1).copied().collect()),
        Given::TrueFalse(b) => Given::TrueFalse(!b),
        Given::Typed(_) => Given::Typed("不清楚".into()),
        Given::Matching(c) => Given::Matching(c.iter().rev().copied().collect()),
        Given::Ordering(o) => Given::Ordering(o.iter().rev().copied().collect()),
        Given::Essay(_) => return None,
    })
}

/// One attempt taken at `at` and submitted about `minutes` later, each answer
/// right with chance `skill`.
async fn take<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    synth: &mut Synth,
    q: &quiz::Model,
    person: Uuid,
    at: DateTime<Utc>,
    skill: f64,
) -> Result<(), AppError> {
    // Drawn from the demo's own seed, so every demo database is the same.
    let mut rng = StdRng::seed_from_u64(u64::try_from(synth.int(0, i64::MAX)).unwrap_or(0));
    let id = begin(db, q, person, 1, at, &mut rng).await?;
    let items = attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.eq(id))
        .all(db)
        .await?;
    let wanted: Vec<(Uuid, i32)> = items.iter().map(|i| (i.question_id, i.version)).collect();
    let questions = app::quiz::bank::bodies(db, &wanted).await?;
    let mut seq = 0;
    let mut when = at;
    for item in &items {
        let Some(question) = questions.get(&(item.question_id, item.version)) else {
            continue;
        };
        let arranged: Arrangement = serde_json::from_str(&item.arrangement).unwrap_or_default();
        let given = match deliver::right_answer(question, &arranged) {
            Some(right) if synth.chance(skill) => Some(right),
            Some(right) => wrong_answer(&right),
            None => Some(Given::Essay(
                "先倾听，再解释政策依据，最后告知办理时限。".into(),
            )),
        };
        let Some(given) = given else { continue };
        seq += 1;
        when += Duration::seconds(synth.int(25, 110));
        attempt_item::Entity::update_many()
            .col_expr(
                attempt_item::Column::Answer,
                Expr::value(Some(
                    serde_json::to_string(&given).map_err(AppError::internal)?,
                )),
            )
            .col_expr(attempt_item::Column::Seq, Expr::value(Some(seq)))
            .col_expr(attempt_item::Column::SavedAt, Expr::value(Some(when)))
            .filter(attempt_item::Column::AttemptId.eq(id))
            .filter(attempt_item::Column::Position.eq(item.position))
            .exec(db)
            .await?;
    }
    attempt::Entity::update_many()
        .col_expr(attempt::Column::LastSeq, Expr::value(seq))
        .col_expr(attempt::Column::LastSavedAt, Expr::value(Some(when)))
        .filter(attempt::Column::Id.eq(id))
        .exec(db)
        .await?;
    submit(db, id, Submitter::Learner, when + Duration::seconds(20)).await?;
    Ok(())
}

pub async fn insert<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    synth: &mut Synth,
    people: &[person::Model],
    hall: Uuid,
    trainer: Uuid,
    start: DateTime<Utc>,
) -> Result<Quizzes, AppError> {
    let course_of = |code: &'static str| async move {
        course::Entity::find()
            .filter(course::Column::Code.eq(code))
            .one(db)
            .await?
            .ok_or_else(|| AppError::internal(format!("demo course {code} missing")))
    };
    let pension = course_of("POL-PEN-2026").await?;
    let etiquette = course_of("SVC-ETQ-01").await?;
    let policy = [Rule {
        by: By::Competency,
        key: "POLICY".into(),
        count: Some(6),
    }];
    let pre = add_quiz(
        db,
        synth,
        pension.id,
        "课前测：养老保险政策",
        QuizPurpose::Pre,
        &policy,
        Some(20),
        1,
        start,
        trainer,
    )
    .await?;
    let post = add_quiz(
        db,
        synth,
        pension.id,
        "课后测：养老保险政策",
        QuizPurpose::Post,
        &policy,
        Some(20),
        2,
        start,
        trainer,
    )
    .await?;
    let etiquette_rules = [Rule {
        by: By::Category,
        key: "服务/礼仪".into(),
        count: None,
    }];
    add_quiz(
        db,
        synth,
        etiquette.id,
        "练习：窗口服务礼仪",
        QuizPurpose::Practice,
        &etiquette_rules,
        None,
        0,
        start,
        trainer,
    )
    .await?;
    let hall_staff: Vec<&person::Model> = people
        .iter()
        .filter(|p| p.unit_id == Some(hall))
        .take(12)
        .collect();
    let mut attempts = 0;
    for (i, p) in hall_staff.iter().enumerate() {
        let day = i64::try_from(i).unwrap_or(0);
        let skill = synth.real(0.35, 0.65);
        take(
            db,
            synth,
            &pre,
            p.id,
            start + Duration::days(2) + Duration::minutes(day * 7),
            skill,
        )
        .await?;
        attempts += 1;
        // 李娜 has not taken the post-test yet; the others did, after the course.
        if p.employee_no != "S0001" && i < 10 {
            let after = (skill + synth.real(0.15, 0.35)).min(0.95);
            take(
                db,
                synth,
                &post,
                p.id,
                start + Duration::days(30) + Duration::minutes(day * 9),
                after,
            )
            .await?;
            attempts += 1;
        }
    }
    Ok(Quizzes {
        quizzes: 3,
        attempts,
    })
}
