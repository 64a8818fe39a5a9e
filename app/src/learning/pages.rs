//! *My learning*: what to learn, why, and by when.

use leptos::prelude::*;

use super::{AssignmentSource, MyCourse};
use crate::components::{Loaded, Page, QueryBanner, query_param, search_key, urlencode};
use crate::courses::pages::mode_name;
use crate::i18n::*;

#[component]
pub fn MyLearningPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(move || search_key().get(), |_| super::my_learning());
    view! {
        <Page title=|i| t_string!(i, learning.title) roles=crate::auth::EVERYONE>
            <QueryBanner key="enrolled" text=|i| t_string!(i, learning.enrolled) />
            <p>
                <a href="/learning/hours">{t!(i18n, hours.link)}</a>
            </p>
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
        <section
            class="card"
            class:overdue=c.overdue
            data-testid="my-course"
            data-code=c.code.clone()
        >
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
            <p class="progress-line" data-testid="progress">
                <progress max=c.lessons_total value=c.lessons_done></progress>
                " "
                {t_string!(i18n, learning.progress, done = c.lessons_done, total = c.lessons_total)}
                " · "
                <span class="muted" data-testid="completion-rule">
                    {if c.needs_attendance {
                        t_string!(i18n, learning.rule_attend, n = c.lessons_total).to_string()
                    } else {
                        t_string!(i18n, learning.rule, n = c.lessons_total).to_string()
                    }}
                    {c.reaction_required.then(|| t_string!(i18n, learning.rule_reaction))}
                </span>
                {(c.needs_attendance && c.certificate.is_none())
                    .then(|| {
                        let (class, text) = if c.attended {
                            ("tag ok", t_string!(i18n, learning.attended))
                        } else {
                            ("tag tag-warn", t_string!(i18n, learning.not_attended))
                        };
                        view! {
                            " "
                            <span class=class data-testid="attendance">
                                {text}
                            </span>
                        }
                    })}
            </p>
            {match (c.certificate.clone(), c.next_lesson) {
                (Some(code), _) => {
                    view! {
                        <p data-testid="completed">
                            <span class="tag ok">{t!(i18n, learning.completed)}</span>
                            " "
                            {c.completed_on.clone().unwrap_or_default()}
                            " · "
                            <a href=format!("/certificates/{code}") data-testid="certificate-link">
                                {t!(i18n, learning.certificate)}
                            </a>
                        </p>
                    }
                        .into_any()
                }
                (None, Some(l)) => {
                    view! {
                        <a
                            class="button primary"
                            href=format!("/courses/{}/lessons/{l}", c.course_id)
                            data-testid="start"
                        >
                            {if c.lessons_done == 0 {
                                t_string!(i18n, learning.start)
                            } else {
                                t_string!(i18n, learning.resume)
                            }}
                        </a>
                    }
                        .into_any()
                }
                (None, None) => ().into_any(),
            }}
            <ReactionLine course_id=c.course_id step=c.reaction />
        </section>
    }
}

/// The reaction form's place on a course: a link while it is open, thanks once
/// answered.
#[component]
fn ReactionLine(course_id: uuid::Uuid, step: super::ReactionStep) -> impl IntoView {
    use super::ReactionStep;
    let i18n = use_i18n();
    let href = format!("/courses/{course_id}/reaction");
    match step {
        ReactionStep::NotYet => ().into_any(),
        ReactionStep::Open { required: true } => view! {
            <p>
                <a class="button primary" href=href data-testid="reaction-link">
                    {t!(i18n, learning.reaction_required)}
                </a>
            </p>
        }
        .into_any(),
        ReactionStep::Open { required: false } => view! {
            <p>
                <a href=href data-testid="reaction-link">
                    {t!(i18n, learning.reaction_open)}
                </a>
            </p>
        }
        .into_any(),
        ReactionStep::Answered => view! {
            <p class="muted" data-testid="reaction-answered">
                {t!(i18n, learning.reaction_answered)}
            </p>
        }
        .into_any(),
    }
}

/// The learning-hours record (学时档案): one person's completed courses in a year
/// against the requirement; printable, and exportable as CSV.
#[component]
pub fn HoursPage() -> impl IntoView {
    let (person, year) = (query_param("person"), query_param("year"));
    let data = Resource::new(
        move || (person(), year()),
        |(person, year)| {
            super::learning_hours(Some(person).filter(|p| !p.is_empty()), year.parse().ok())
        },
    );
    view! {
        <Page title=|i| t_string!(i, hours.title) roles=crate::auth::EVERYONE heading=false>
            <Loaded resource=data let:t>
                <Transcript t=t person=person() />
            </Loaded>
        </Page>
    }
}

#[component]
fn Transcript(t: super::Transcript, person: String) -> impl IntoView {
    let i18n = use_i18n();
    let short = (t.required - t.total).max(0.0);
    let who = if person.is_empty() {
        String::new()
    } else {
        format!("person={}&", urlencode(&person))
    };
    view! {
        <div class="page-head">
            <h1>{t_string!(i18n, hours.heading, year = t.year)}</h1>
            <crate::islands::PrintButton label=t_string!(i18n, certificates.print).to_string() />
        </div>
        <p data-testid="transcript-person">
            <strong>{t.person.clone()}</strong>
            " · "
            {t.employee_no.clone()}
            {t
                .unit
                .clone()
                .map(|u| {
                    view! {
                        " · "
                        {u}
                    }
                })}
        </p>
        <nav class="tabs no-print">
            {t
                .years
                .iter()
                .map(|y| {
                    let here = *y == t.year;
                    view! {
                        <a
                            href=format!("/learning/hours?{who}year={y}")
                            aria-current=here.then_some("page")
                        >
                            {*y}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
        <p class="banner" class:banner-ok=short == 0.0 data-testid="hours-total">
            {t_string!(
                i18n,
                hours.total,
                hours = format!("{}", t.total),
                required = format!("{}", t.required)
            )}
            " "
            {if short > 0.0 {
                t_string!(i18n, hours.short, n = format!("{short}")).to_string()
            } else {
                t_string!(i18n, hours.met).to_string()
            }}
        </p>
        {if t.lines.is_empty() {
            view! {
                <p class="empty" data-testid="transcript-empty">
                    {t!(i18n, hours.empty)}
                    " "
                    <a href="/learning">{t!(i18n, learning.title)}</a>
                </p>
            }
                .into_any()
        } else {
            view! {
                <table class="list" data-testid="transcript">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, hours.completed)}</th>
                            <th scope="col">{t!(i18n, proposals.course)}</th>
                            <th scope="col">{t!(i18n, team.hours)}</th>
                            <th scope="col">{t!(i18n, certificates.code)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {t
                            .lines
                            .into_iter()
                            .map(|l| {
                                view! {
                                    <tr data-testid="transcript-line">
                                        <td>{l.completed_on}</td>
                                        <td>
                                            <a href=format!("/courses/{}", l.course_id)>{l.title}</a>
                                            <span class="muted">" " {l.code}</span>
                                        </td>
                                        <td>{format!("{}", l.hours)}</td>
                                        <td>
                                            {l
                                                .certificate
                                                .map(|c| {
                                                    view! {
                                                        <a href=format!("/certificates/{c}")>{c.clone()}</a>
                                                    }
                                                })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
                .into_any()
        }}
        <p class="no-print">
            <a
                href=format!("/export/learning/hours.csv?{who}year={}", t.year)
                download
                data-testid="transcript-csv"
            >
                {t!(i18n, team.export)}
            </a>
        </p>
    }
}
