//! Team progress (per person and course, with the unit summary) and people's
//! learning hours against the yearly requirement.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::{HoursRow, ProgressRow, Stage, TEAM_READERS, UnitSummary};
use crate::components::{ChoiceFilter, Loaded, Page, Pager, query_page, query_param, urlencode};
use crate::i18n::*;

pub fn stage_name(i18n: I18nContext<Locale>, s: Stage) -> &'static str {
    match s {
        Stage::NotStarted => t_string!(i18n, team.not_started),
        Stage::InProgress => t_string!(i18n, team.in_progress),
        Stage::Completed => t_string!(i18n, team.completed),
        Stage::Overdue => t_string!(i18n, team.overdue),
    }
}

fn hours(h: f64) -> String {
    format!("{}", (h * 10.0).round() / 10.0)
}

/// The two views' tabs.
#[component]
fn Tabs(here: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let tab = move |href: &'static str, label: &'static str| {
        view! {
            <a href=href aria-current=(href == here).then_some("page")>
                {label}
            </a>
        }
    };
    view! {
        <nav class="tabs">
            {tab("/team/progress", t_string!(i18n, team.progress_tab))}
            {tab("/team/hours", t_string!(i18n, team.hours_tab))}
        </nav>
    }
}

#[component]
pub fn TeamProgressPage() -> impl IntoView {
    let i18n = use_i18n();
    let (unit, course, stage) = (
        query_param("unit"),
        query_param("course"),
        query_param("stage"),
    );
    let page = query_page();
    let data = Resource::new(
        move || (unit(), course(), stage(), page()),
        |(unit, course, stage, page)| {
            super::list_team_progress(Some(unit), Some(course), Some(stage), Some(page))
        },
    );
    let filters = move || {
        format!(
            "unit={}&course={}&stage={}",
            urlencode(&unit()),
            urlencode(&course()),
            urlencode(&stage())
        )
    };
    let notice = move || {
        let n = query_param("assigned")();
        (!n.is_empty()).then(|| {
            let skipped = query_param("skipped")();
            view! {
                <div class="banner banner-ok" role="status" data-testid="assigned-notice">
                    {t_string!(i18n, assign.done, n = n, skipped = skipped)}
                </div>
            }
        })
    };
    let assign = move || {
        view! {
            <a class="button primary" href="/assignments/new" data-testid="assign-course">
                {t!(i18n, assign.new)}
            </a>
        }
        .into_any()
    };
    view! {
        <Page
            title=|i| t_string!(i, team.progress_title)
            roles=TEAM_READERS
            actions=ChildrenFn::to_children(assign)
        >
            {notice}
            <Tabs here="/team/progress" />
            <Loaded resource=data let:d>
                <form method="get" class="filters" role="search">
                    <ChoiceFilter
                        name="unit"
                        label=|i| t_string!(i, team.unit)
                        any=|i| t_string!(i, team.all_units)
                        options=d.units.clone()
                        chosen=unit()
                    />
                    <ChoiceFilter
                        name="course"
                        label=|i| t_string!(i, proposals.course)
                        any=|i| t_string!(i, courses.any)
                        options=d.courses.clone()
                        chosen=course()
                    />
                    <div class="field">
                        <label for="stage">{t!(i18n, team.stage)}</label>
                        <select id="stage" name="stage">
                            <option value="">{t!(i18n, courses.any)}</option>
                            {Stage::ALL
                                .iter()
                                .map(|s| {
                                    let v = s.as_str();
                                    view! {
                                        <option value=v selected=v == stage()>
                                            {stage_name(i18n, *s)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <button type="submit">{t!(i18n, courses.filter)}</button>
                </form>
                <Summary rows=d.summary.clone() year=d.year />
                <h2>{t!(i18n, team.people_heading)}</h2>
                {if d.rows.is_empty() {
                    view! {
                        <p class="empty" data-testid="team-empty">
                            {t!(i18n, team.empty)}
                            " "
                            <a href="/proposals">{t!(i18n, team.go_proposals)}</a>
                        </p>
                    }
                        .into_any()
                } else {
                    let href = move |n: u64| format!("/team/progress?{}&page={n}", filters());
                    view! {
                        <p class="muted">
                            {t_string!(i18n, team.count, n = d.total)} " · "
                            <a
                                href=format!("/export/team/progress.csv?{}", filters())
                                download
                                data-testid="progress-csv"
                            >
                                {t!(i18n, team.export)}
                            </a>
                        </p>
                        <table class="list" data-testid="team-progress">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, proposals.person)}</th>
                                    <th scope="col">{t!(i18n, team.unit)}</th>
                                    <th scope="col">{t!(i18n, proposals.course)}</th>
                                    <th scope="col">{t!(i18n, team.stage)}</th>
                                    <th scope="col">{t!(i18n, team.progress)}</th>
                                    <th scope="col">{t!(i18n, team.due)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {d
                                    .rows
                                    .into_iter()
                                    .map(|r| view! { <ProgressLine row=r /> })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <Pager page=d.page pages=d.pages href=href />
                    }
                        .into_any()
                }}
            </Loaded>
        </Page>
    }
}

#[component]
fn ProgressLine(row: ProgressRow) -> impl IntoView {
    let i18n = use_i18n();
    let r = row;
    let tag = match r.stage {
        Stage::Completed => "tag ok",
        Stage::Overdue => "tag danger",
        _ => "tag",
    };
    view! {
        <tr
            data-testid="progress-row"
            data-person=r.employee_no.clone()
            data-code=r.course_code.clone()
        >
            <td>
                <a href=format!("/learning/hours?person={}", r.person_id)>{r.person.clone()}</a>
                <span class="muted">" " {r.employee_no.clone()}</span>
            </td>
            <td>{r.unit.clone().unwrap_or_default()}</td>
            <td>
                <a href=format!("/courses/{}", r.course_id)>{r.course.clone()}</a>
            </td>
            <td>
                <a href=format!("/assignments/{}", r.assignment_id) class=tag data-testid="stage">
                    {stage_name(i18n, r.stage)}
                </a>
            </td>
            <td data-testid="percent">
                <progress max=100 value=r.percent></progress>
                " "
                {t_string!(i18n, learning.progress, done = r.lessons_done, total = r.lessons_total)}
            </td>
            <td>{r.completed_on.clone().or(r.due.clone()).unwrap_or_default()}</td>
        </tr>
    }
}

#[component]
fn Summary(rows: Vec<UnitSummary>, year: i32) -> impl IntoView {
    let i18n = use_i18n();
    (!rows.is_empty()).then(|| {
        view! {
            <h2>{t!(i18n, team.summary_heading)}</h2>
            <table class="list" data-testid="unit-summary">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, team.unit)}</th>
                        <th scope="col">{t!(i18n, team.people)}</th>
                        <th scope="col">{t!(i18n, team.assigned)}</th>
                        <th scope="col">{t!(i18n, team.in_progress)}</th>
                        <th scope="col">{t!(i18n, team.completed)}</th>
                        <th scope="col">{t!(i18n, team.overdue)}</th>
                        <th scope="col">{t_string!(i18n, team.hours_year, year = year)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|s| {
                            view! {
                                <tr data-testid="summary-row">
                                    <td>
                                        <a href=format!(
                                            "/team/progress?unit={}",
                                            s.unit_id,
                                        )>{s.unit.clone()}</a>
                                    </td>
                                    <td>{s.people}</td>
                                    <td>{s.assigned}</td>
                                    <td>{s.in_progress}</td>
                                    <td>{s.completed}</td>
                                    <td class:danger=s.overdue.gt(&0)>{s.overdue}</td>
                                    <td>
                                        {t_string!(
                                            i18n, team.hours_of, hours = hours(s.hours), required = hours(s.hours_required)
                                        )}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
    })
}

#[component]
pub fn TeamHoursPage() -> impl IntoView {
    let i18n = use_i18n();
    let (unit, year) = (query_param("unit"), query_param("year"));
    let page = query_page();
    let data = Resource::new(
        move || (unit(), year(), page()),
        |(unit, year, page)| super::list_team_hours(Some(unit), year.parse().ok(), Some(page)),
    );
    view! {
        <Page title=|i| t_string!(i, team.hours_title) roles=TEAM_READERS>
            <Tabs here="/team/hours" />
            <Loaded resource=data let:d>
                <form method="get" class="filters" role="search">
                    <ChoiceFilter
                        name="unit"
                        label=|i| t_string!(i, team.unit)
                        any=|i| t_string!(i, team.all_units)
                        options=d.units.clone()
                        chosen=unit()
                    />
                    <div class="field">
                        <label for="year">{t!(i18n, team.year)}</label>
                        <input
                            id="year"
                            name="year"
                            type="number"
                            min="2000"
                            max="2100"
                            value=d.year
                        />
                    </div>
                    <button type="submit">{t!(i18n, courses.filter)}</button>
                </form>
                <p data-testid="hours-summary">
                    {t_string!(
                        i18n,
                        team.behind_summary,
                        behind = d.behind,
                        total = d.total,
                        required = hours(d.required),
                        year = d.year
                    )} " · "
                    <a
                        href=format!(
                            "/export/team/hours.csv?unit={}&year={}",
                            urlencode(&unit()),
                            d.year,
                        )
                        download
                        data-testid="hours-csv"
                    >
                        {t!(i18n, team.export)}
                    </a>
                </p>
                {if d.rows.is_empty() {
                    view! { <p class="empty">{t!(i18n, team.no_people)}</p> }.into_any()
                } else {
                    let y = d.year;
                    let href = move |n: u64| {
                        format!("/team/hours?unit={}&year={y}&page={n}", urlencode(&unit()))
                    };
                    view! {
                        <table class="list" data-testid="team-hours">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, proposals.person)}</th>
                                    <th scope="col">{t!(i18n, team.unit)}</th>
                                    <th scope="col">{t!(i18n, team.courses_done)}</th>
                                    <th scope="col">{t!(i18n, team.hours)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {d
                                    .rows
                                    .into_iter()
                                    .map(|r| {
                                        view! { <HoursLine row=r year=y required=d.required /> }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <Pager page=d.page pages=d.pages href=href />
                    }
                        .into_any()
                }}
            </Loaded>
        </Page>
    }
}

#[component]
fn HoursLine(row: HoursRow, year: i32, required: f64) -> impl IntoView {
    let i18n = use_i18n();
    let r = row;
    view! {
        <tr data-testid="hours-row" data-person=r.employee_no.clone()>
            <td>
                <a href=format!(
                    "/learning/hours?person={}&year={year}",
                    r.person_id,
                )>{r.person.clone()}</a>
                <span class="muted">" " {r.employee_no.clone()}</span>
            </td>
            <td>{r.unit.clone().unwrap_or_default()}</td>
            <td>{r.courses}</td>
            <td>
                {t_string!(i18n, team.hours_of, hours = hours(r.hours), required = hours(required))}
                {r
                    .behind
                    .then(|| {
                        view! {
                            " "
                            <span class="tag danger" data-testid="behind">
                                {t!(i18n, team.behind)}
                            </span>
                        }
                    })}
            </td>
        </tr>
    }
}
