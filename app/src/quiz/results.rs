//! Who took a quiz and how they did: per learner, the counted attempt's score,
//! pass and time taken, for the quiz's editors on screen and as CSV.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::attempts::seconds_taken;
use super::setup::counted;
use super::{LearnerResult, QuizResults, ResultsSummary};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::courses::service::editable;
use crate::entities::{attempt, quiz};
use crate::error::AppError;
use crate::state::Settings;

/// Learners per page.
pub const PAGE: usize = 50;

/// The median of `xs` (sorted in place); `None` when empty.
fn median(xs: &mut [i64]) -> Option<i64> {
    xs.sort_unstable();
    let n = xs.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(xs[n / 2]),
        _ => Some((xs[n / 2 - 1] + xs[n / 2]) / 2),
    }
}

/// Every learner's row, by name, and the summary over them.
pub async fn all(
    db: &impl ConnectionTrait,
    settings: &Settings,
    me: &SessionUser,
    quiz_id: Uuid,
) -> Result<(quiz::Model, ResultsSummary, Vec<LearnerResult>), AppError> {
    let q = quiz::Entity::find_by_id(quiz_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    editable(db, me, q.course_id).await?;
    let attempts = attempt::Entity::find()
        .filter(attempt::Column::QuizId.eq(q.id))
        .all(db)
        .await?;
    let mut by_person: HashMap<Uuid, Vec<&attempt::Model>> = HashMap::new();
    for a in &attempts {
        by_person.entry(a.person_id).or_default().push(a);
    }
    let people = crate::org::lookup::people_by_id(db, by_person.keys().copied()).await?;
    let units = crate::org::lookup::unit_names(db).await?;
    let mut rows = Vec::new();
    for (person_id, list) in &by_person {
        let Some(p) = people.get(person_id) else {
            continue;
        };
        let submitted: Vec<&attempt::Model> = list
            .iter()
            .copied()
            .filter(|a| a.submitted_at.is_some())
            .collect();
        let chosen = counted(q.counting, &submitted)
            .and_then(|id| submitted.iter().find(|a| a.id == id).copied());
        let percent = chosen
            .filter(|a| a.max_score > 0.0)
            .and_then(|a| a.score.map(|s| s / a.max_score * 100.0));
        rows.push((
            p.name_key.clone(),
            LearnerResult {
                person_id: p.id,
                employee_no: p.employee_no.clone(),
                name: p.name.clone(),
                unit: p
                    .unit_id
                    .and_then(|u| units.get(&u).cloned())
                    .unwrap_or_default(),
                attempts: list.len(),
                in_progress: list.iter().any(|a| a.submitted_at.is_none()),
                counted: chosen.map(|a| a.number),
                score: chosen.and_then(|a| a.score),
                max_score: chosen.map(|a| a.max_score),
                percent,
                passed: chosen.and_then(|a| a.passed),
                waiting: chosen.is_some_and(|a| a.ungraded),
                seconds: chosen.and_then(seconds_taken),
                submitted: chosen
                    .and_then(|a| a.submitted_at)
                    .map(|t| clock::local(settings.timezone, t, "%Y-%m-%d %H:%M")),
                by_deadline: chosen
                    .and_then(|a| a.submitted_by.as_deref())
                    .is_some_and(|b| b == "deadline"),
            },
        ));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.employee_no.cmp(&b.1.employee_no)));
    let rows: Vec<LearnerResult> = rows.into_iter().map(|(_, r)| r).collect();
    let summary = summarise(&rows);
    Ok((q, summary, rows))
}

fn summarise(rows: &[LearnerResult]) -> ResultsSummary {
    let done: Vec<&LearnerResult> = rows.iter().filter(|r| r.counted.is_some()).collect();
    let graded: Vec<&LearnerResult> = done.iter().copied().filter(|r| !r.waiting).collect();
    let percents: Vec<f64> = graded.iter().filter_map(|r| r.percent).collect();
    let mut seconds: Vec<i64> = done.iter().filter_map(|r| r.seconds).collect();
    ResultsSummary {
        learners: rows.len(),
        submitted: done.len(),
        in_progress: rows.iter().filter(|r| r.in_progress).count(),
        waiting: done.len() - graded.len(),
        passed: graded.iter().filter(|r| r.passed == Some(true)).count(),
        mean_percent: (!percents.is_empty())
            .then(|| percents.iter().sum::<f64>() / percents.len() as f64),
        median_seconds: median(&mut seconds),
    }
}

/// One page of the quiz's results.
pub async fn page(
    db: &impl ConnectionTrait,
    settings: &Settings,
    me: &SessionUser,
    quiz_id: Uuid,
    page: u64,
) -> Result<QuizResults, AppError> {
    let (q, summary, rows) = all(db, settings, me, quiz_id).await?;
    let pages = rows.len().div_ceil(PAGE).max(1) as u64;
    let page = page.clamp(1, pages);
    let start = usize::try_from(page - 1).unwrap_or(0) * PAGE;
    Ok(QuizResults {
        quiz_id: q.id,
        title: q.title,
        course_id: q.course_id,
        time_limit_minutes: q.time_limit_minutes,
        pass_mark: q.pass_mark,
        summary,
        rows: rows.into_iter().skip(start).take(PAGE).collect(),
        page,
        pages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        counted: Option<i32>,
        percent: Option<f64>,
        passed: Option<bool>,
        seconds: Option<i64>,
    ) -> LearnerResult {
        LearnerResult {
            person_id: Uuid::nil(),
            employee_no: String::new(),
            name: String::new(),
            unit: String::new(),
            attempts: 1,
            in_progress: counted.is_none(),
            counted,
            score: None,
            max_score: None,
            percent,
            passed,
            waiting: counted.is_some() && passed.is_none(),
            seconds,
            submitted: None,
            by_deadline: false,
        }
    }

    #[test]
    fn the_summary_counts_passes_over_graded_attempts_only() {
        let rows = [
            row(Some(1), Some(80.0), Some(true), Some(600)),
            row(Some(2), Some(40.0), Some(false), Some(300)),
            // Submitted, an essay waiting: counted as submitted, not in the mean.
            row(Some(1), Some(10.0), None, Some(900)),
            // Still answering.
            row(None, None, None, None),
        ];
        let s = summarise(&rows);
        assert_eq!(s.learners, 4);
        assert_eq!(s.submitted, 3);
        assert_eq!(s.in_progress, 1);
        assert_eq!(s.waiting, 1);
        assert_eq!(s.passed, 1);
        assert!((s.mean_percent.unwrap() - 60.0).abs() < 1e-12);
        assert_eq!(s.median_seconds, Some(600));
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [9, 1, 4, 3]), Some(3));
        assert_eq!(median(&mut [3, 1, 2]), Some(2));
    }
}
