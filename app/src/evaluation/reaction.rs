//! Level 1, reaction: each course's reaction form, learners' answers, and the
//! figures trainers read per course and per classroom session.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use chrono_tz::Tz;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::reaction_figures::{
    OVERALL, distribution, group_shown, has_default_wording, mean, reaction_index, sessions_shown,
};
use super::{
    FormState, ItemFigures, MAX_COMMENT, MAX_PROMPT, RECOMMEND, ReactionForm, ReactionFormSetup,
    ReactionItem, ReactionReport, SCALE, SessionReaction, item_field,
};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::common::validate::{self, Fields};
use crate::courses::service::editable;
use crate::domain::{AssignmentStatus, AuditAction, ReactionKind, SeatStatus, Vocabulary};
use crate::entities::{
    class_session, course, reaction, reaction_answer, reaction_item, session_seat,
};
use crate::error::{AppError, Problem};
use crate::learning::progress::{self, active_assignment};
use crate::quiz::import::course_label;

/// Copies the office template into a course that has no items yet. Each copy
/// keeps its template item's key, so concurrent first visits insert each item
/// once (a unique index skips the rest).
pub async fn ensure_items(db: &impl ConnectionTrait, course_id: Uuid) -> Result<(), AppError> {
    let any = reaction_item::Entity::find()
        .filter(reaction_item::Column::CourseId.eq(course_id))
        .one(db)
        .await?;
    if any.is_some() {
        return Ok(());
    }
    let now = Utc::now();
    let rows: Vec<reaction_item::ActiveModel> = super::template::live(db)
        .await?
        .into_iter()
        .enumerate()
        .map(|(i, t)| reaction_item::ActiveModel {
            id: Set(Uuid::new_v4()),
            course_id: Set(course_id),
            position: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
            kind: Set(t.kind),
            builtin: Set(Some(t.item_key)),
            prompt: Set(t.prompt),
            removed_at: Set(None),
            created_at: Set(now),
        })
        .collect();
    reaction_item::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                reaction_item::Column::CourseId,
                reaction_item::Column::Builtin,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The course's items on the form now, in order.
async fn live_items(
    db: &impl ConnectionTrait,
    course_id: Uuid,
) -> Result<Vec<reaction_item::Model>, AppError> {
    ensure_items(db, course_id).await?;
    Ok(reaction_item::Entity::find()
        .filter(reaction_item::Column::CourseId.eq(course_id))
        .filter(reaction_item::Column::RemovedAt.is_null())
        .order_by_asc(reaction_item::Column::Position)
        .all(db)
        .await?)
}

fn item_dto(i: &reaction_item::Model, answers: usize) -> ReactionItem {
    ReactionItem {
        id: i.id,
        kind: i.kind,
        builtin: i.builtin.clone(),
        prompt: i.prompt.clone(),
        default_wording: has_default_wording(i.builtin.as_deref()),
        answers: Some(answers),
    }
}

async fn find_course(db: &impl ConnectionTrait, id: Uuid) -> Result<course::Model, AppError> {
    course::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether the caller may answer now: their live assignment when the form is
/// open to them, else why not.
async fn open_for(
    db: &impl ConnectionTrait,
    me: Uuid,
    c: &course::Model,
) -> Result<Option<crate::entities::assignment::Model>, AppError> {
    let Some(a) = active_assignment(db, me, c.id).await? else {
        return Ok(None);
    };
    let complete = progress::progress_of(db, &[(me, c.id)])
        .await?
        .get(&(me, c.id))
        .is_some_and(|p| p.complete());
    let attended = progress::attended_courses(db, me, &[c.id])
        .await?
        .contains(&c.id);
    Ok(progress::reaction_opens(c, a.status, complete, attended).then_some(a))
}

pub async fn form(
    db: &DatabaseConnection,
    tz: Tz,
    me: &SessionUser,
    course_id: Uuid,
) -> Result<ReactionForm, AppError> {
    let c = find_course(db, course_id).await?;
    let answered = reaction::Entity::find()
        .filter(reaction::Column::CourseId.eq(c.id))
        .filter(reaction::Column::PersonId.eq(me.id))
        .one(db)
        .await?;
    let open = open_for(db, me.id, &c).await?;
    let state = match (&answered, &open) {
        (Some(r), _) => FormState::Answered(clock::local(tz, r.submitted_at, "%Y-%m-%d")),
        (None, Some(_)) => FormState::Open,
        (None, None) => FormState::NotYet,
    };
    // Someone without the course learns nothing about its form.
    if active_assignment(db, me.id, c.id).await?.is_none() && answered.is_none() {
        return Err(AppError::Forbidden);
    }
    Ok(ReactionForm {
        course_id: c.id,
        course: course_label(&c),
        completes: c.reaction_required
            && open.is_some_and(|a| a.status == AssignmentStatus::Assigned),
        state,
        items: live_items(db, c.id)
            .await?
            .iter()
            .map(|i| item_dto(i, 0))
            .collect(),
    })
}

/// The answer checked against its item.
enum Answer {
    Score(i32),
    Comment(Option<String>),
}

fn check(item: &reaction_item::Model, typed: &str) -> Result<Answer, crate::error::FieldError> {
    let field = item_field(item.id);
    if typed.trim().is_empty() && item.kind != ReactionKind::Text {
        return Err(crate::error::FieldError::new(field, Problem::Required));
    }
    match item.kind {
        ReactionKind::Scale => validate::number(&field, typed, SCALE.0, SCALE.1).map(Answer::Score),
        ReactionKind::Recommend => {
            validate::number(&field, typed, RECOMMEND.0, RECOMMEND.1).map(Answer::Score)
        }
        ReactionKind::Text => {
            validate::optional_text(&field, typed, MAX_COMMENT).map(Answer::Comment)
        }
    }
}

/// The session of the course the learner attended last, if any.
async fn last_session(
    db: &impl ConnectionTrait,
    person: Uuid,
    course_id: Uuid,
) -> Result<Option<Uuid>, AppError> {
    let sessions: HashMap<Uuid, chrono::DateTime<Utc>> = class_session::Entity::find()
        .filter(class_session::Column::CourseId.eq(course_id))
        .filter(class_session::Column::CancelledAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.starts_at))
        .collect();
    if sessions.is_empty() {
        return Ok(None);
    }
    Ok(session_seat::Entity::find()
        .filter(session_seat::Column::PersonId.eq(person))
        .filter(session_seat::Column::SessionId.is_in(sessions.keys().copied()))
        .filter(session_seat::Column::Status.eq(SeatStatus::Enrolled))
        .filter(session_seat::Column::Attended.eq(true))
        .all(db)
        .await?
        .into_iter()
        .max_by_key(|s| sessions.get(&s.session_id).copied())
        .map(|s| s.session_id))
}

/// Saves the caller's answers: every rating item answered within its range,
/// comments optional; nothing is written unless all are right. Answering twice
/// is refused by the database. Returns the certificate's code when answering
/// completed the course.
pub async fn submit(
    db: &DatabaseConnection,
    me: &SessionUser,
    course_id: Uuid,
    answers: HashMap<String, String>,
) -> Result<Option<String>, AppError> {
    let c = find_course(db, course_id).await?;
    let answered = reaction::Entity::find()
        .filter(reaction::Column::CourseId.eq(c.id))
        .filter(reaction::Column::PersonId.eq(me.id))
        .one(db)
        .await?;
    if answered.is_some() {
        return Err(AppError::Conflict(Problem::AlreadySubmitted));
    }
    let Some(a) = open_for(db, me.id, &c).await? else {
        return match active_assignment(db, me.id, c.id).await? {
            Some(_) => Err(AppError::Conflict(Problem::NotOpen)),
            None => Err(AppError::Forbidden),
        };
    };
    let items = live_items(db, c.id).await?;
    let mut fields = Fields::new();
    let mut checked = Vec::new();
    for item in &items {
        let typed = answers
            .get(&item_field(item.id))
            .map(String::as_str)
            .unwrap_or("");
        if let Some(answer) = fields.take(check(item, typed)) {
            checked.push((item.id, answer));
        }
    }
    fields.finish()?;
    let session = last_session(db, me.id, c.id).await?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let id = Uuid::new_v4();
    let inserted = reaction::ActiveModel {
        id: Set(id),
        course_id: Set(c.id),
        person_id: Set(me.id),
        session_id: Set(session),
        submitted_at: Set(now),
    }
    .insert(&txn)
    .await;
    if let Err(e) = inserted {
        return Err(if crate::error::is_unique_violation(&e) {
            AppError::Conflict(Problem::AlreadySubmitted)
        } else {
            AppError::internal(e)
        });
    }
    let rows: Vec<reaction_answer::ActiveModel> = checked
        .into_iter()
        .filter_map(|(item_id, answer)| {
            let (score, comment) = match answer {
                Answer::Score(s) => (Some(s), None),
                Answer::Comment(Some(text)) => (None, Some(text)),
                Answer::Comment(None) => return None,
            };
            Some(reaction_answer::ActiveModel {
                reaction_id: Set(id),
                item_id: Set(item_id),
                score: Set(score),
                comment: Set(comment),
            })
        })
        .collect();
    if !rows.is_empty() {
        reaction_answer::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
    }
    let certificate = if c.reaction_required {
        progress::complete_if_met(&txn, &a, now).await?
    } else {
        None
    };
    txn.commit().await?;
    Ok(certificate)
}

/// Every answer to the course's form: the reactions (optionally of one
/// session) and their answers by item.
struct Answers {
    reactions: Vec<reaction::Model>,
    by_item: HashMap<Uuid, Vec<(Uuid, reaction_answer::Model)>>,
}

async fn answers(db: &impl ConnectionTrait, course_id: Uuid) -> Result<Answers, AppError> {
    let reactions = reaction::Entity::find()
        .filter(reaction::Column::CourseId.eq(course_id))
        .all(db)
        .await?;
    let ids: Vec<Uuid> = reactions.iter().map(|r| r.id).collect();
    let mut by_item: HashMap<Uuid, Vec<(Uuid, reaction_answer::Model)>> = HashMap::new();
    if !ids.is_empty() {
        for chunk in ids.chunks(500) {
            for a in reaction_answer::Entity::find()
                .filter(reaction_answer::Column::ReactionId.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                by_item
                    .entry(a.item_id)
                    .or_default()
                    .push((a.reaction_id, a));
            }
        }
    }
    Ok(Answers { reactions, by_item })
}

fn scores_of(
    by_item: &HashMap<Uuid, Vec<(Uuid, reaction_answer::Model)>>,
    item: Uuid,
    among: &HashSet<Uuid>,
) -> Vec<i32> {
    by_item
        .get(&item)
        .into_iter()
        .flatten()
        .filter(|(r, _)| among.contains(r))
        .filter_map(|(_, a)| a.score)
        .collect()
}

pub async fn report(
    db: &DatabaseConnection,
    tz: Tz,
    me: &SessionUser,
    course_id: Uuid,
    session: Option<Uuid>,
) -> Result<ReactionReport, AppError> {
    let (c, among) = super::readers::evaluated(db, me, course_id).await?;
    let threshold = usize::try_from(
        crate::rules::service::settings(db)
            .await?
            .anonymity_threshold,
    )
    .unwrap_or(3);
    let items = live_items(db, c.id).await?;
    let mut all = answers(db, c.id).await?;
    all.reactions.retain(|r| among.counts(r.person_id));
    let sessions: Vec<class_session::Model> = class_session::Entity::find()
        .filter(class_session::Column::CourseId.eq(c.id))
        .order_by_asc(class_session::Column::StartsAt)
        .all(db)
        .await?;
    let label =
        |s: &class_session::Model| format!("{} · {}", clock::shown(tz, s.starts_at), s.place);
    let selected = match session {
        Some(id) => Some(
            sessions
                .iter()
                .find(|s| s.id == id)
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let group: HashSet<Uuid> = all
        .reactions
        .iter()
        .filter(|r| selected.is_none_or(|s| r.session_id == Some(s.id)))
        .map(|r| r.id)
        .collect();
    // Which sessions may show their figures: decided for all of them at once,
    // so that no small group follows from subtracting shown ones.
    let held: Vec<&class_session::Model> = sessions
        .iter()
        .filter(|s| s.cancelled_at.is_none())
        .collect();
    let own_of = |s: &class_session::Model| -> HashSet<Uuid> {
        all.reactions
            .iter()
            .filter(|r| r.session_id == Some(s.id))
            .map(|r| r.id)
            .collect()
    };
    let sizes: Vec<usize> = held.iter().map(|s| own_of(s).len()).collect();
    let visible: HashMap<Uuid, bool> = held
        .iter()
        .map(|s| s.id)
        .zip(sessions_shown(all.reactions.len(), &sizes, threshold))
        .collect();
    let shown = match selected {
        Some(s) => visible.get(&s.id).copied().unwrap_or(false),
        None => group_shown(group.len(), threshold),
    };
    let figures = items
        .iter()
        .map(|item| {
            let answered_here: Vec<&reaction_answer::Model> = all
                .by_item
                .get(&item.id)
                .into_iter()
                .flatten()
                .filter(|(r, _)| group.contains(r))
                .map(|(_, a)| a)
                .collect();
            item_figures(item, &answered_here, shown)
        })
        .collect();
    let overall = items
        .iter()
        .find(|i| i.builtin.as_deref() == Some(OVERALL))
        .or_else(|| items.iter().find(|i| i.kind == ReactionKind::Scale));
    let recommend = items.iter().find(|i| i.kind == ReactionKind::Recommend);
    let per_session = held
        .iter()
        .map(|s| {
            let own = own_of(s);
            let shown = visible.get(&s.id).copied().unwrap_or(false);
            // A small session's figures never leave the server.
            let index_scores = recommend
                .filter(|_| shown)
                .map(|i| scores_of(&all.by_item, i.id, &own))
                .unwrap_or_default();
            SessionReaction {
                session_id: s.id,
                label: label(s),
                answered: own.len(),
                shown,
                overall: overall
                    .filter(|_| shown)
                    .and_then(|i| mean(&scores_of(&all.by_item, i.id, &own))),
                index: reaction_index(&index_scores),
                index_n: index_scores.len(),
            }
        })
        .collect();
    Ok(ReactionReport {
        scoped: among != super::readers::Among::Everyone,
        course_id: c.id,
        course: course_label(&c),
        session: selected.map(|s| (s.id, label(s))),
        answered: group.len(),
        threshold,
        shown,
        items: figures,
        sessions: per_session,
    })
}

/// One item's figures in a group; all of them empty while the group is under
/// the anonymity threshold, so a small group's answers never leave the server.
fn item_figures(
    item: &reaction_item::Model,
    answered: &[&reaction_answer::Model],
    shown: bool,
) -> ItemFigures {
    let scores: Vec<i32> = if shown {
        answered.iter().filter_map(|a| a.score).collect()
    } else {
        Vec::new()
    };
    let mut comments: Vec<String> = if shown {
        answered.iter().filter_map(|a| a.comment.clone()).collect()
    } else {
        Vec::new()
    };
    // Sorted, so the order says nothing about who answered when.
    comments.sort();
    let distribution = match item.kind {
        _ if !shown => Vec::new(),
        ReactionKind::Scale => distribution(&scores, SCALE),
        ReactionKind::Recommend => distribution(&scores, RECOMMEND),
        ReactionKind::Text => Vec::new(),
    };
    // Under the threshold not even an item's count is given: for a written
    // item it would say how many of a small group wrote something.
    let mut dto = item_dto(item, answered.len());
    if !shown {
        dto.answers = None;
    }
    ItemFigures {
        item: dto,
        n: shown.then_some(answered.len()),
        mean: (item.kind != ReactionKind::Text)
            .then(|| mean(&scores))
            .flatten(),
        distribution,
        index: (item.kind == ReactionKind::Recommend)
            .then(|| reaction_index(&scores))
            .flatten(),
        comments,
    }
}

// ---------------------------------------------------------------- the form editor

async fn answer_counts(
    db: &impl ConnectionTrait,
    course_id: Uuid,
) -> Result<HashMap<Uuid, usize>, AppError> {
    Ok(answers(db, course_id)
        .await?
        .by_item
        .into_iter()
        .map(|(item, list)| (item, list.len()))
        .collect())
}

pub async fn setup(
    db: &DatabaseConnection,
    me: &SessionUser,
    course_id: Uuid,
) -> Result<ReactionFormSetup, AppError> {
    let c = editable(db, me, course_id).await?;
    let counts = answer_counts(db, c.id).await?;
    Ok(ReactionFormSetup {
        course_id: c.id,
        course: course_label(&c),
        required: c.reaction_required,
        items: live_items(db, c.id)
            .await?
            .iter()
            .map(|i| item_dto(i, counts.get(&i.id).copied().unwrap_or(0)))
            .collect(),
    })
}

fn record(
    me: &SessionUser,
    c: &course::Model,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> crate::audit::Entry {
    crate::audit::Entry::new(me.id, AuditAction::ReactionForm)
        .on("course", c.id)
        .before(before)
        .after(after)
}

pub async fn add_item(
    db: &DatabaseConnection,
    me: &SessionUser,
    course_id: Uuid,
    kind: &str,
    prompt: &str,
) -> Result<(), AppError> {
    let c = editable(db, me, course_id).await?;
    let (kind, prompt) = validate::all((
        validate::one_of::<ReactionKind>("kind", kind),
        validate::text("prompt", prompt, MAX_PROMPT),
    ))?;
    ensure_items(db, c.id).await?;
    let txn = db.begin().await?;
    let last = reaction_item::Entity::find()
        .filter(reaction_item::Column::CourseId.eq(c.id))
        .order_by_desc(reaction_item::Column::Position)
        .one(&txn)
        .await?
        .map_or(0, |i| i.position);
    reaction_item::ActiveModel {
        id: Set(Uuid::new_v4()),
        course_id: Set(c.id),
        position: Set(last + 1),
        kind: Set(kind),
        builtin: Set(None),
        prompt: Set(prompt.clone()),
        removed_at: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    record(
        me,
        &c,
        None,
        json!({ "added": prompt, "kind": kind.as_str() }),
    )
    .record(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The item and its course, when the caller edits the course.
async fn editable_item(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
) -> Result<(reaction_item::Model, course::Model), AppError> {
    let item = reaction_item::Entity::find_by_id(id)
        .filter(reaction_item::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = editable(db, me, item.course_id).await?;
    Ok((item, c))
}

/// Rewords an item. Once learners answered it, its wording is what they
/// answered: rewording is refused (remove it and add a new one instead).
pub async fn reword(
    db: &DatabaseConnection,
    me: &SessionUser,
    id: Uuid,
    prompt: &str,
) -> Result<Uuid, AppError> {
    let (item, c) = editable_item(db, me, id).await?;
    let prompt = if has_default_wording(item.builtin.as_deref()) {
        validate::optional_text("prompt", prompt, MAX_PROMPT)?.unwrap_or_default()
    } else {
        validate::text("prompt", prompt, MAX_PROMPT)?
    };
    if answer_counts(db, c.id)
        .await?
        .get(&item.id)
        .copied()
        .unwrap_or(0)
        > 0
    {
        return Err(AppError::field("prompt", Problem::AnsweredAsWorded));
    }
    let txn = db.begin().await?;
    reaction_item::ActiveModel {
        id: Set(item.id),
        prompt: Set(prompt.clone()),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    record(
        me,
        &c,
        Some(json!({ "item": item.id, "prompt": item.prompt })),
        json!({ "item": item.id, "prompt": prompt }),
    )
    .record(&txn)
    .await?;
    txn.commit().await?;
    Ok(c.id)
}

/// Takes an item off the form; its answers stay (the report no longer shows
/// them, the records keep them). The form keeps at least one item.
pub async fn remove(db: &DatabaseConnection, me: &SessionUser, id: Uuid) -> Result<Uuid, AppError> {
    let (item, c) = editable_item(db, me, id).await?;
    if live_items(db, c.id).await?.len() <= 1 {
        return Err(AppError::Conflict(Problem::LastItem));
    }
    let txn = db.begin().await?;
    reaction_item::ActiveModel {
        id: Set(item.id),
        removed_at: Set(Some(Utc::now())),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    record(
        me,
        &c,
        Some(json!({ "item": item.id, "builtin": item.builtin, "prompt": item.prompt })),
        json!({ "removed": item.id }),
    )
    .record(&txn)
    .await?;
    txn.commit().await?;
    Ok(c.id)
}

pub async fn set_required(
    db: &DatabaseConnection,
    me: &SessionUser,
    course_id: Uuid,
    required: bool,
) -> Result<(), AppError> {
    let c = editable(db, me, course_id).await?;
    if c.reaction_required == required {
        return Ok(());
    }
    let txn = db.begin().await?;
    course::ActiveModel {
        id: Set(c.id),
        reaction_required: Set(required),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    record(
        me,
        &c,
        Some(json!({ "reaction_required": c.reaction_required })),
        json!({ "reaction_required": required }),
    )
    .record(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}
