//! Level 2, learning: what a course's pre-test and post-test show, with the
//! paired statistics of each group, the tests' pass rates and the trend
//! across the course's runs. The gain itself comes from the quiz engine.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{GroupPaired, LearningReport, PassRate, Run, RunOf, stats};
use crate::auth::guard::SessionUser;
use crate::common::clock;
use crate::domain::SeatStatus;
use crate::entities::{attempt, class_session, quiz, session_seat};
use crate::error::AppError;
use crate::quiz::analysis::{counted_attempts, gain_among};
use crate::quiz::{GainFigures, LearningGain, gain};

pub async fn report(
    db: &impl ConnectionTrait,
    tz: Tz,
    me: &SessionUser,
    course_id: Uuid,
) -> Result<LearningReport, AppError> {
    let (c, among) = super::readers::evaluated(db, me, course_id).await?;
    let g = gain_among(db, &c, |p| among.counts(p)).await?;
    let mut pre = graded(db, g.pre_quiz.as_ref().map(|q| q.0)).await?;
    let mut post = graded(db, g.post_quiz.as_ref().map(|q| q.0)).await?;
    pre.retain(|p, _| among.counts(*p));
    post.retain(|p, _| among.counts(*p));
    let sessions = attended(db, course_id).await?;
    let learners: Vec<Learner> = g
        .people
        .iter()
        .filter_map(|p| {
            let (before, after) = p.total.pre.zip(p.total.post)?;
            let taken = post.get(&p.person_id)?;
            Some(Learner {
                before,
                after,
                passed: taken.passed,
                run: run_of(tz, sessions.get(&p.person_id), taken.submitted_at),
            })
        })
        .collect();
    Ok(LearningReport {
        scoped: among != super::readers::Among::Everyone,
        paired: paired_groups(&g),
        pre_pass: g.pre_quiz.as_ref().map(|_| pass_rate(pre.values())),
        post_pass: g.post_quiz.as_ref().map(|_| pass_rate(post.values())),
        runs: runs(learners),
        gain: g,
    })
}

/// A counted, fully graded attempt: when it was submitted and whether it passed.
struct Taken {
    submitted_at: DateTime<Utc>,
    passed: bool,
}

async fn graded(
    db: &impl ConnectionTrait,
    quiz_id: Option<Uuid>,
) -> Result<HashMap<Uuid, Taken>, AppError> {
    let Some(q) = (match quiz_id {
        Some(id) => quiz::Entity::find_by_id(id).one(db).await?,
        None => None,
    }) else {
        return Ok(HashMap::new());
    };
    Ok(counted_attempts(db, &q)
        .await?
        .into_iter()
        .filter(|a: &attempt::Model| !a.ungraded)
        .filter_map(|a| {
            Some((
                a.person_id,
                Taken {
                    submitted_at: a.submitted_at?,
                    passed: a.passed == Some(true),
                },
            ))
        })
        .collect())
}

fn pass_rate<'a>(taken: impl Iterator<Item = &'a Taken>) -> PassRate {
    let mut rate = PassRate {
        graded: 0,
        passed: 0,
    };
    for t in taken {
        rate.graded += 1;
        rate.passed += usize::from(t.passed);
    }
    rate
}

/// The sessions of the course each learner held a seat in (not withdrawn, the
/// session not cancelled), oldest first.
async fn attended(
    db: &impl ConnectionTrait,
    course_id: Uuid,
) -> Result<HashMap<Uuid, Vec<class_session::Model>>, AppError> {
    let sessions: HashMap<Uuid, class_session::Model> = class_session::Entity::find()
        .filter(class_session::Column::CourseId.eq(course_id))
        .filter(class_session::Column::CancelledAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    if sessions.is_empty() {
        return Ok(HashMap::new());
    }
    let seats = session_seat::Entity::find()
        .filter(session_seat::Column::SessionId.is_in(sessions.keys().copied()))
        .filter(session_seat::Column::Status.eq(SeatStatus::Enrolled))
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<class_session::Model>> = HashMap::new();
    for seat in seats {
        if let Some(s) = sessions.get(&seat.session_id) {
            out.entry(seat.person_id).or_default().push(s.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|s| s.starts_at);
    }
    Ok(out)
}

/// Where a run starts, to put runs in order, and what it is.
type RunKey = (DateTime<Utc>, RunOf);

/// The learner's run: the latest of their sessions that began before they took
/// the post-test; without one, the quarter (office time) they took it in.
fn run_of(tz: Tz, sessions: Option<&Vec<class_session::Model>>, post_at: DateTime<Utc>) -> RunKey {
    if let Some(s) = sessions
        .into_iter()
        .flatten()
        .rev()
        .find(|s| s.starts_at <= post_at)
    {
        return (
            s.starts_at,
            RunOf::Session {
                starts: clock::shown(tz, s.starts_at),
                place: s.place.clone(),
            },
        );
    }
    let local = post_at.with_timezone(&tz);
    let quarter = local.month0() / 3 + 1;
    let first_month = (quarter - 1) * 3 + 1;
    let starts = chrono::NaiveDate::from_ymd_opt(local.year(), first_month, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|d| d.and_local_timezone(tz).earliest())
        .map_or(post_at, |d| d.with_timezone(&Utc));
    (
        starts,
        RunOf::Quarter {
            year: local.year(),
            quarter,
        },
    )
}

/// One learner with both tests.
struct Learner {
    before: f64,
    after: f64,
    passed: bool,
    run: RunKey,
}

/// The whole test's paired figures per run, oldest run first.
fn runs(mut learners: Vec<Learner>) -> Vec<Run> {
    learners.sort_by_key(|l| l.run.0);
    let mut out: Vec<Run> = Vec::new();
    let mut i = 0;
    while i < learners.len() {
        let key = &learners[i].run;
        let same: Vec<&Learner> = learners[i..]
            .iter()
            .take_while(|l| l.run.0 == key.0 && l.run.1 == key.1)
            .collect();
        let pairs: Vec<(f64, f64)> = same.iter().map(|l| (l.before, l.after)).collect();
        if let Some(paired) = stats::paired(&pairs) {
            out.push(Run {
                run: key.1.clone(),
                normalised: gain::normalised(paired.mean_before, paired.mean_after),
                post_pass: PassRate {
                    graded: same.len(),
                    passed: same.iter().filter(|l| l.passed).count(),
                },
                paired,
            });
        }
        i += same.len();
    }
    out
}

/// The paired statistics over the same pairs as each of the gain's groups.
fn paired_groups(g: &LearningGain) -> Vec<GroupPaired> {
    let both = |f: &GainFigures| f.pre.zip(f.post);
    g.groups
        .iter()
        .filter_map(|group| {
            let pairs: Vec<(f64, f64)> = g
                .people
                .iter()
                .filter_map(|p| {
                    if group.code.is_empty() {
                        both(&p.total)
                    } else {
                        p.competencies
                            .iter()
                            .find(|(c, _)| *c == group.code)
                            .and_then(|(_, f)| both(f))
                    }
                })
                .collect();
            Some(GroupPaired {
                code: group.code.clone(),
                paired: stats::paired(&pairs)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const TZ: Tz = chrono_tz::Asia::Shanghai;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        TZ.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .expect("a valid office time")
    }

    fn session(starts_at: DateTime<Utc>, place: &str) -> class_session::Model {
        class_session::Model {
            id: Uuid::new_v4(),
            course_id: Uuid::nil(),
            starts_at,
            ends_at: starts_at,
            place: place.into(),
            capacity: 20,
            seats_taken: 0,
            trainer_id: None,
            created_at: starts_at,
            cancelled_at: None,
        }
    }

    #[test]
    fn a_quarter_is_read_in_office_time() {
        // 1 April 00:30 in Shanghai is still 31 March in UTC: the second quarter.
        let (starts, run) = run_of(TZ, None, at(2026, 4, 1, 0) + chrono::Duration::minutes(30));
        assert_eq!(
            run,
            RunOf::Quarter {
                year: 2026,
                quarter: 2
            }
        );
        assert_eq!(starts, at(2026, 4, 1, 0));
        let (_, run) = run_of(TZ, None, at(2026, 12, 31, 23));
        assert_eq!(
            run,
            RunOf::Quarter {
                year: 2026,
                quarter: 4
            }
        );
    }

    #[test]
    fn the_run_is_the_last_session_before_the_post_test() {
        let sessions = vec![
            session(at(2026, 3, 2, 9), "一楼培训室"),
            session(at(2026, 5, 11, 9), "二楼会议室"),
        ];
        let (starts, run) = run_of(TZ, Some(&sessions), at(2026, 5, 20, 10));
        assert_eq!(starts, at(2026, 5, 11, 9));
        assert_eq!(
            run,
            RunOf::Session {
                starts: "2026-05-11 09:00".into(),
                place: "二楼会议室".into()
            }
        );
        // A post-test before any session falls back to its quarter.
        let (_, run) = run_of(TZ, Some(&sessions), at(2026, 2, 1, 10));
        assert_eq!(
            run,
            RunOf::Quarter {
                year: 2026,
                quarter: 1
            }
        );
    }

    #[test]
    fn runs_are_grouped_and_ordered_with_their_pass_rates() {
        let q = |m| run_of(TZ, None, at(2026, m, 10, 10));
        let learner = |before, after, passed, m| Learner {
            before,
            after,
            passed,
            run: q(m),
        };
        let out = runs(vec![
            learner(50.0, 80.0, true, 11),
            learner(40.0, 60.0, false, 2),
            learner(60.0, 90.0, true, 12),
            learner(30.0, 70.0, true, 1),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(
            out[0].run,
            RunOf::Quarter {
                year: 2026,
                quarter: 1
            }
        );
        assert_eq!(out[0].paired.n, 2);
        assert!((out[0].paired.mean_before - 35.0).abs() < 1e-12);
        assert!((out[0].paired.mean_after - 65.0).abs() < 1e-12);
        // g of the means: 30 of 65 points of room.
        assert!((out[0].normalised.expect("room") - 30.0 / 65.0).abs() < 1e-12);
        assert_eq!(
            out[0].post_pass,
            PassRate {
                graded: 2,
                passed: 1
            }
        );
        assert_eq!(out[1].paired.n, 2);
        assert_eq!(out[1].post_pass.passed, 2);
        // Two pairs a run: figures only, no test.
        assert!(out.iter().all(|r| r.paired.t_test.is_none()));
    }
}
