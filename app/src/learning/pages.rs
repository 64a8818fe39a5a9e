//! *My learning*: what to learn, why, and by when.

use leptos::prelude::*;

use super::{AssignmentSource, MyCourse};
use crate::components::{Loaded, Page, QueryBanner, search_key};
use crate::courses::pages::mode_name;
use crate::i18n::*;

#[component]
pub fn MyLearningPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(move || search_key().get(), |_| super::my_learning());
    view! {
        <Page title=|i| t_string!(i, learning.title) roles=crate::auth::EVERYONE>
            <QueryBanner key="enrolled" text=|i| t_string!(i, learning.enrolled) />
            <Loaded resource=list let:l>
                {if l.courses.is_empty() {
                    view! {
                        <p class="empty" data-testid="learning-empty">
                            {t!(i18n, learning.empty)}
                            " "
                            <a href="/courses">{t!(i18n, learning.browse)}</a>
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="muted">
                            {t_string!(
                                i18n, learning.summary, n = l.courses.len(), hours = format!("{}", l.hours_assigned)
                            )}
                        </p>
                        <div data-testid="my-courses">
                            {l
                                .courses
                                .into_iter()
                                .map(|c| view! { <CourseCard course=c /> })
                                .collect_view()}
                        </div>
                    }
                        .into_any()
                }}
            </Loaded>
        </Page>
    }
}

#[component]
fn CourseCard(course: MyCourse) -> impl IntoView {
    let i18n = use_i18n();
    let c = course;
    let why = match c.source {
        AssignmentSource::Proposal => None,
        AssignmentSource::SelfEnrolled => Some(t_string!(i18n, learning.self_enrolled).to_string()),
        AssignmentSource::Manual => Some(
            c.note
                .clone()
                .unwrap_or_else(|| t_string!(i18n, learning.manual).to_string()),
        ),
    };
    view! {
        <section class="card" class:overdue=c.overdue data-testid="my-course">
            <h2>
                <a href=format!("/courses/{}", c.course_id)>{c.title.clone()}</a>
                {c
                    .overdue
                    .then(|| {
                        view! {
                            " "
                            <span class="tag danger" data-testid="overdue">
                                {t!(i18n, learning.overdue)}
                            </span>
                        }
                    })}
            </h2>
            <p class="muted">
                {c.code.clone()} " · " {mode_name(i18n, c.mode)} " · "
                {t_string!(i18n, courses.hours_n, n = format!("{}", c.hours))}
                {c
                    .due
                    .clone()
                    .map(|d| {
                        view! {
                            " · "
                            <span data-testid="due">{t_string!(i18n, learning.due, date = d)}</span>
                        }
                    })}
            </p>
            <p data-testid="why">
                <strong>{t!(i18n, learning.why)}</strong>
                " "
                {why}
            </p>
            {(!c.reason.is_empty())
                .then(|| {
                    view! {
                        <ul class="reason">
                            {c
                                .reason
                                .iter()
                                .map(|r| {
                                    view! {
                                        <li>
                                            {t_string!(
                                                i18n,
                                                learning.reason,
                                                name = r.name.clone(),
                                                current = format!("{:.1}", r.current),
                                                target = r.target,
                                                campaign = r.campaign.clone(),
                                                expected = r.expected
                                            )}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <p class="muted">
                {t_string!(
                    i18n,
                    learning.assigned,
                    date = c.assigned_on.clone(),
                    by = c.assigned_by.clone().unwrap_or_else(|| "—".into())
                )}
            </p>
            {c
                .first_lesson
                .map(|l| {
                    view! {
                        <a
                            class="button primary"
                            href=format!("/courses/{}/lessons/{l}", c.course_id)
                            data-testid="start"
                        >
                            {t!(i18n, learning.start)}
                        </a>
                    }
                })}
        </section>
    }
}
