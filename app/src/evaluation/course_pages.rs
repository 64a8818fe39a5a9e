//! One course's evaluation on one page: each level's headline figures with
//! their n, side by side, each linking down to its detail.

use leptos::prelude::*;

use super::indicators::CourseResult;
use super::indicators::pages::did_sentence;
use super::learning_pages::{p_value, paired_sentence, pass_rate};
use super::{BehaviourSummary, LearningSummary, READERS, ReactionSummary};
use crate::components::{Loaded, Page, route_param};
use crate::i18n::*;

#[component]
pub fn CourseEvaluationPage() -> impl IntoView {
    let id = route_param("id");
    let evaluation = Resource::new(id, super::get_course_evaluation);
    view! {
        <Page
            title=|i| t_string!(i, evaluation.title)
            roles=READERS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
        >
            <Loaded resource=evaluation let:e>
                <p>
                    {if e.scoped {
                        view! { <span>{e.course.clone()}</span> }.into_any()
                    } else {
                        view! {
                            <a href=format!(
                                "/courses/{}/quizzes",
                                e.course_id,
                            )>{e.course.clone()}</a>
                        }
                            .into_any()
                    }}
                </p>
                <ScopedNote scoped=e.scoped />
                <div class="grid2">
                    <Reaction course_id=e.course_id r=e.reaction.clone() />
                    <Learning course_id=e.course_id l=e.learning.clone() />
                    <Behaviour course_id=e.course_id b=e.behaviour.clone() />
                    <Results course_id=e.course_id results=e.results.clone() />
                </div>
            </Loaded>
        </Page>
    }
}

/// Tells a manager the figures count only their own people.
#[component]
pub fn ScopedNote(scoped: bool) -> impl IntoView {
    let i18n = use_i18n();
    scoped.then(|| {
        view! {
            <p class="muted" data-testid="evaluation-scoped">
                {t!(i18n, evaluation.scoped)}
            </p>
        }
    })
}

fn with_n(x: Option<(f64, usize)>, digits: usize) -> String {
    x.map_or_else(
        || "—".to_owned(),
        |(v, n)| {
            format!("{v:+.digits$} (n = {n})")
                .trim_start_matches('+')
                .to_owned()
        },
    )
}

#[component]
fn Reaction(course_id: uuid::Uuid, r: ReactionSummary) -> impl IntoView {
    let i18n = use_i18n();
    let index = r
        .index
        .map_or_else(|| "—".to_owned(), |(v, n)| format!("{v:+.0} (n = {n})"));
    view! {
        <section class="card" data-testid="evaluation-l1">
            <h2>{t!(i18n, evaluation.level1)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, reaction.answered)}</dt>
                <dd>{r.answered}</dd>
                <dt>{t!(i18n, reaction.overall)}</dt>
                <dd>{with_n(r.overall, 1)}</dd>
                <dt>{t!(i18n, reaction.index)}</dt>
                <dd data-testid="evaluation-index">{index}</dd>
            </dl>
            {r
                .below_threshold
                .map(|k| {
                    view! {
                        <p class="muted" data-testid="evaluation-l1-hidden">
                            {t_string!(i18n, reaction.figures_hidden, k = k, n = r.answered)}
                        </p>
                    }
                })}
            <p>
                <a href=format!(
                    "/courses/{course_id}/evaluation/reaction",
                )>{t!(i18n, evaluation.details)}</a>
            </p>
        </section>
    }
}

#[component]
fn Learning(course_id: uuid::Uuid, l: LearningSummary) -> impl IntoView {
    let i18n = use_i18n();
    let whole = t_string!(i18n, gain.whole_test);
    view! {
        <section class="card" data-testid="evaluation-l2">
            <h2>{t!(i18n, evaluation.level2)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, quiz.purpose_pre)}</dt>
                <dd>{pass_rate(i18n, l.pre_pass)}</dd>
                <dt>{t!(i18n, quiz.purpose_post)}</dt>
                <dd>{pass_rate(i18n, l.post_pass)}</dd>
                <dt>{t!(i18n, gain.g)}</dt>
                <dd>{l.normalised.map_or_else(|| "—".to_owned(), |g| format!("{g:.2}"))}</dd>
                <dt>{t!(i18n, l2.p_t)}</dt>
                <dd>
                    {l
                        .paired
                        .and_then(|p| p.t_test)
                        .map_or_else(|| "—".to_owned(), |t| p_value(t.p))}
                </dd>
                <dt>{t!(i18n, l2.runs)}</dt>
                <dd>{l.runs}</dd>
            </dl>
            <p data-testid="evaluation-l2-sentence">
                {l
                    .paired
                    .map_or_else(
                        || t_string!(i18n, gain.empty).to_owned(),
                        |p| paired_sentence(i18n, whole, &p),
                    )}
            </p>
            <p>
                <a href=format!(
                    "/courses/{course_id}/evaluation/learning",
                )>{t!(i18n, evaluation.details)}</a>
            </p>
        </section>
    }
}

#[component]
fn Behaviour(course_id: uuid::Uuid, b: BehaviourSummary) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="evaluation-l3">
            <h2>{t!(i18n, evaluation.level3)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, behaviour.sent)}</dt>
                <dd>{b.sent}</dd>
                <dt>{t!(i18n, behaviour.answered)}</dt>
                <dd>{b.answered}</dd>
                {b
                    .changes
                    .into_iter()
                    .map(|(what, wave, p)| {
                        view! {
                            <dt>
                                {format!("{what} · {}", t_string!(i18n, behaviour.days, n = wave))}
                            </dt>
                            <dd>{super::behaviour::pages::change_text(&p)}</dd>
                        }
                    })
                    .collect_view()}
            </dl>
            <p>
                <a href=format!(
                    "/courses/{course_id}/evaluation/behaviour",
                )>{t!(i18n, evaluation.details)}</a>
            </p>
        </section>
    }
}

#[component]
fn Results(course_id: uuid::Uuid, results: Vec<CourseResult>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = results
        .into_iter()
        .map(|r| {
            let i = r.indicator;
            let text = match &r.comparison {
                Some(c) => match &c.did {
                    Some(d) => did_sentence(i18n, &c.month, d, &i.measure, i.higher_is_better),
                    None => t_string!(i18n, outcomes.did_missing).to_string(),
                },
                None => t_string!(i18n, outcomes.no_comparison).to_string(),
            };
            let href = format!("/indicators?indicator={}&course={course_id}", i.code);
            view! {
                <li data-testid="evaluation-l4-row">
                    <a href=href>{i.name.clone()}</a>
                    " · "
                    {text}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" data-testid="evaluation-l4">
            <h2>{t!(i18n, evaluation.level4)}</h2>
            <ul class="sentences">{rows}</ul>
            <p class="muted">{t!(i18n, evaluation.level4_note)}</p>
        </section>
    }
}
