//! A rater's side: their tasks, nominating peers, the questionnaire and its answers.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::campaigns::*;
use super::opening::insert_task;
use super::{
    CampaignState, ItemDto, ItemKind, MyTasks, Nomination, PeerMode, RaterType, TaskForm,
    TaskStatus, TaskSummary,
};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::competencies::frameworks::get_framework;
use crate::domain::{AuditAction, NotificationKind};
use crate::entities::{campaign, item_answer, person, rating, survey_task};
use crate::error::{AppError, FieldError, Problem};
use crate::notifications;
use crate::state::AppState;

pub async fn my_tasks(state: &AppState, me: &SessionUser) -> Result<MyTasks, AppError> {
    let db = &state.db;
    let tasks = survey_task::Entity::find()
        .filter(survey_task::Column::RaterId.eq(me.id))
        .all(db)
        .await?;
    let campaign_ids: HashSet<Uuid> = tasks.iter().map(|t| t.campaign_id).collect();
    let now = Utc::now();
    let open_nominations = campaign::Entity::find()
        .filter(campaign::Column::State.eq(CampaignState::Open))
        .filter(campaign::Column::PeerMode.eq(PeerMode::Nominate))
        .all(db)
        .await?;
    let mut ids: HashSet<Uuid> = campaign_ids.clone();
    ids.extend(open_nominations.iter().map(|c| c.id));
    let campaigns: HashMap<Uuid, campaign::Model> = campaign::Entity::find()
        .filter(campaign::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let names: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(tasks.iter().map(|t| t.subject_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut out: Vec<TaskSummary> = tasks
        .iter()
        .filter_map(|t| {
            let c = campaigns.get(&t.campaign_id)?;
            if c.state == CampaignState::Draft {
                return None;
            }
            Some(TaskSummary {
                id: t.id,
                campaign: c.title.clone(),
                subject: names.get(&t.subject_id).cloned().unwrap_or_default(),
                rater_type: t.rater_type,
                status: t.status,
                closes_at: clock::shown(state.settings.timezone, c.closes_at),
                open: accepts_answers(c, now),
            })
        })
        .collect();
    // Unfinished open work first, then by campaign, self-assessment first.
    out.sort_by_key(|t| {
        (
            !(t.open && t.status != TaskStatus::Submitted),
            t.campaign.clone(),
            t.rater_type != RaterType::SelfRating,
            t.subject.clone(),
        )
    });
    let mut nominations = Vec::new();
    for c in open_nominations {
        // Only the people the campaign is about nominate: they have a self task or
        // someone rates them.
        let mine = survey_task::Entity::find()
            .filter(survey_task::Column::CampaignId.eq(c.id))
            .filter(survey_task::Column::SubjectId.eq(me.id))
            .all(db)
            .await?;
        if mine.is_empty() || !accepts_answers(&c, now) {
            continue;
        }
        let peer_ids: Vec<Uuid> = mine
            .iter()
            .filter(|t| t.rater_type == RaterType::Peer)
            .map(|t| t.rater_id)
            .collect();
        let chosen = person::Entity::find()
            .filter(person::Column::Id.is_in(peer_ids))
            .order_by_asc(person::Column::NameKey)
            .all(db)
            .await?
            .into_iter()
            .map(|p| format!("{} ({})", p.name, p.employee_no))
            .collect();
        nominations.push(Nomination {
            campaign_id: c.id,
            campaign: c.title,
            wanted: c.peers_per_person,
            chosen,
        });
    }
    Ok(MyTasks {
        tasks: out,
        nominations,
    })
}

pub async fn nominate(
    state: &AppState,
    me: &SessionUser,
    campaign_id: Uuid,
    employee_no: &str,
) -> Result<(), AppError> {
    let txn = state.db.begin().await?;
    let c = campaign::Entity::find_by_id(campaign_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.peer_mode != PeerMode::Nominate {
        return Err(AppError::NotFound);
    }
    if !accepts_answers(&c, Utc::now()) {
        return Err(AppError::Conflict(Problem::NotOpen));
    }
    let mine = survey_task::Entity::find()
        .filter(survey_task::Column::CampaignId.eq(c.id))
        .filter(survey_task::Column::SubjectId.eq(me.id))
        .all(&txn)
        .await?;
    if mine.is_empty() {
        return Err(AppError::Forbidden);
    }
    let peers = mine
        .iter()
        .filter(|t| t.rater_type == RaterType::Peer)
        .count();
    let max = usize::try_from(c.peers_per_person).unwrap_or(0);
    if peers >= max {
        return Err(AppError::field("employee_no", Problem::Limit { max }));
    }
    // Only colleagues in one's own unit: the answer for a number elsewhere is the
    // same as for a number nobody has, so the lookup tells nothing about the rest
    // of the office.
    let subject = person::Entity::find_by_id(me.id)
        .one(&txn)
        .await?
        .ok_or(AppError::Forbidden)?;
    let peer = person::Entity::find()
        .filter(person::Column::EmployeeNo.eq(employee_no))
        .filter(person::Column::Active.eq(true))
        .one(&txn)
        .await?;
    if peer
        .as_ref()
        .is_some_and(|p| p.id == me.id || Some(p.id) == subject.manager_id)
    {
        return Err(AppError::field("employee_no", Problem::NotAPeer));
    }
    let peer = peer
        .filter(|p| p.unit_id.is_some() && p.unit_id == subject.unit_id)
        .ok_or_else(|| {
            AppError::field(
                "employee_no",
                if employee_no.is_empty() {
                    Problem::Required
                } else {
                    Problem::Unknown {
                        value: employee_no.to_owned(),
                    }
                },
            )
        })?;
    if mine.iter().any(|t| t.rater_id == peer.id) {
        return Err(AppError::field(
            "employee_no",
            Problem::Duplicate {
                value: employee_no.to_owned(),
            },
        ));
    }
    insert_task(&txn, c.id, me.id, peer.id, RaterType::Peer).await?;
    notifications::service::notify(&txn, [peer.id], NotificationKind::PeerNominated, c.id).await?;
    crate::audit::Entry::new(me.id, AuditAction::CampaignNominate)
        .on("campaign", c.id)
        .after(json!({ "peer": peer.employee_no }))
        .record(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// A task, only ever for its own rater: nobody reads another rater's answers.
async fn own_task(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    id: Uuid,
) -> Result<(survey_task::Model, campaign::Model), AppError> {
    let task = survey_task::Entity::find_by_id(id)
        .filter(survey_task::Column::RaterId.eq(me.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = campaign::Entity::find_by_id(task.campaign_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.state == CampaignState::Draft {
        return Err(AppError::NotFound);
    }
    Ok((task, c))
}

pub async fn get_task(state: &AppState, me: &SessionUser, id: Uuid) -> Result<TaskForm, AppError> {
    let db = &state.db;
    let (task, c) = own_task(db, me, id).await?;
    let framework = get_framework(db, c.framework_id).await?;
    let subject = person::Entity::find_by_id(task.subject_id)
        .one(db)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let ratings = rating::Entity::find()
        .filter(rating::Column::TaskId.eq(task.id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.competency_id, u8::try_from(r.level).unwrap_or(0)))
        .collect();
    let answers = item_answer::Entity::find()
        .filter(item_answer::Column::TaskId.eq(task.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.item_id, a.value))
        .collect();
    let status = task.status;
    Ok(TaskForm {
        id: task.id,
        campaign: c.title.clone(),
        instructions: c.instructions.clone().unwrap_or_default(),
        subject,
        rater_type: task.rater_type,
        status,
        editable: status != TaskStatus::Submitted && accepts_answers(&c, Utc::now()),
        closes_at: clock::shown(state.settings.timezone, c.closes_at),
        domains: framework
            .domains
            .into_iter()
            .filter(|d| !d.archived)
            .map(|d| {
                (
                    d.name,
                    d.competencies.into_iter().filter(|c| !c.archived).collect(),
                )
            })
            .filter(|(_, cs): &(String, Vec<_>)| !cs.is_empty())
            .collect(),
        items: item_dtos(db, c.id).await?,
        ratings,
        answers,
    })
}

/// Valid answers: (competency, level) ratings and (item, value) answers.
pub type CheckedAnswers = (Vec<(Uuid, i32)>, Vec<(Uuid, String)>);

/// Checks the answers; on submit, everything required must be there.
pub fn check_answers(
    competencies: &[Uuid],
    items: &[ItemDto],
    ratings: &HashMap<String, String>,
    answers: &HashMap<String, String>,
    submit: bool,
) -> Result<CheckedAnswers, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut levels = Vec::new();
    for c in competencies {
        let key = super::answer_key(*c);
        let field = format!("rating[{key}]");
        match ratings
            .get(&key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        {
            None if submit => errors.push(FieldError::new(field, Problem::Required)),
            None => {}
            Some(v) => match v.parse::<i32>() {
                Ok(l @ 1..=5) => levels.push((*c, l)),
                _ => errors.push(FieldError::new(
                    field,
                    Problem::OutOfRange {
                        min: "1".into(),
                        max: "5".into(),
                    },
                )),
            },
        }
    }
    let mut values = Vec::new();
    for item in items {
        let key = super::answer_key(item.id);
        let field = format!("item[{key}]");
        match answers
            .get(&key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        {
            None if submit && item.required => {
                errors.push(FieldError::new(field, Problem::Required));
            }
            None => {}
            Some(v) => {
                let ok = match item.kind {
                    ItemKind::Likert => matches!(v.parse::<u8>(), Ok(1..=5)),
                    ItemKind::Choice => item.options.iter().any(|o| o == v),
                    ItemKind::Text => v.chars().count() <= 4000,
                };
                if ok {
                    values.push((item.id, v.to_owned()));
                } else {
                    errors.push(FieldError::new(
                        field,
                        Problem::Invalid {
                            value: v.chars().take(40).collect(),
                        },
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok((levels, values))
    } else {
        Err(errors)
    }
}

pub async fn answer(
    state: &AppState,
    me: &SessionUser,
    id: Uuid,
    submit: bool,
    ratings: &HashMap<String, String>,
    answers: &HashMap<String, String>,
) -> Result<(), AppError> {
    let txn = state.db.begin().await?;
    let (task, c) = own_task(&txn, me, id).await?;
    if task.status == TaskStatus::Submitted {
        return Err(AppError::Conflict(Problem::AlreadySubmitted));
    }
    if !accepts_answers(&c, Utc::now()) {
        return Err(AppError::Conflict(Problem::NotOpen));
    }
    let framework = get_framework(&txn, c.framework_id).await?;
    let competencies: Vec<Uuid> = framework.active_competencies().map(|c| c.id).collect();
    let items = item_dtos(&txn, c.id).await?;
    let (levels, values) = check_answers(&competencies, &items, ratings, answers, submit)
        .map_err(AppError::Validation)?;
    rating::Entity::delete_many()
        .filter(rating::Column::TaskId.eq(task.id))
        .exec(&txn)
        .await?;
    item_answer::Entity::delete_many()
        .filter(item_answer::Column::TaskId.eq(task.id))
        .exec(&txn)
        .await?;
    for (competency_id, level) in &levels {
        rating::ActiveModel {
            id: Set(Uuid::new_v4()),
            task_id: Set(task.id),
            competency_id: Set(*competency_id),
            level: Set(*level),
        }
        .insert(&txn)
        .await?;
    }
    for (item_id, value) in values {
        item_answer::ActiveModel {
            id: Set(Uuid::new_v4()),
            task_id: Set(task.id),
            item_id: Set(item_id),
            value: Set(value),
        }
        .insert(&txn)
        .await?;
    }
    let now = Utc::now();
    let status = if submit {
        TaskStatus::Submitted
    } else {
        TaskStatus::Draft
    };
    // Guarded on the status, so two submits racing change the task once.
    let updated = survey_task::Entity::update_many()
        .col_expr(survey_task::Column::Status, Expr::value(status))
        .col_expr(survey_task::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            survey_task::Column::SubmittedAt,
            Expr::value(submit.then_some(now)),
        )
        .filter(survey_task::Column::Id.eq(task.id))
        .filter(survey_task::Column::Status.ne(TaskStatus::Submitted))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict(Problem::AlreadySubmitted));
    }
    if submit {
        // Ratings are audited as a whole on submission; drafts are the rater's own.
        crate::audit::Entry::new(me.id, AuditAction::RatingSubmit)
            .on("survey_task", task.id)
            .after(json!({ "campaign": c.id, "subject": task.subject_id,
                "rater_type": task.rater_type, "ratings": levels.len() }))
            .record(&txn)
            .await?;
        crate::gaps::service::recompute_subject(&txn, &c, task.subject_id).await?;
    }
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::answer_key;

    fn item(kind: ItemKind, required: bool) -> ItemDto {
        ItemDto {
            id: Uuid::new_v4(),
            kind,
            prompt: "q".into(),
            options: vec!["A".into(), "B".into()],
            competency: None,
            required,
        }
    }

    #[test]
    fn drafts_may_be_partial_submissions_may_not() {
        let (c1, c2) = (Uuid::new_v4(), Uuid::new_v4());
        let text = item(ItemKind::Text, true);
        let ratings: HashMap<String, String> =
            [(answer_key(c1), "4".to_owned())].into_iter().collect();
        let none = HashMap::new();
        let (levels, _) = check_answers(
            &[c1, c2],
            std::slice::from_ref(&text),
            &ratings,
            &none,
            false,
        )
        .unwrap();
        assert_eq!(levels, vec![(c1, 4)]);
        let errors = check_answers(
            &[c1, c2],
            std::slice::from_ref(&text),
            &ratings,
            &none,
            true,
        )
        .unwrap_err();
        let fields: Vec<String> = errors.into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                format!("rating[{}]", answer_key(c2)),
                format!("item[{}]", answer_key(text.id))
            ]
        );
    }

    #[test]
    fn values_are_checked_against_their_item() {
        let c = Uuid::new_v4();
        let likert = item(ItemKind::Likert, false);
        let choice = item(ItemKind::Choice, false);
        let ratings: HashMap<String, String> =
            [(answer_key(c), "6".to_owned())].into_iter().collect();
        let answers: HashMap<String, String> = [
            (answer_key(likert.id), "0".to_owned()),
            (answer_key(choice.id), "C".to_owned()),
        ]
        .into_iter()
        .collect();
        let errors = check_answers(&[c], &[likert, choice], &ratings, &answers, false).unwrap_err();
        assert_eq!(errors.len(), 3);
    }
}
