//! The proposal review: each proposal with its reason, accepted or rejected one by
//! one or in bulk.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{ProposalRow, ProposalStatus, ReasonText, pick_key};
use crate::components::{ChoiceFilter, Loaded, Page, Pager, query_page, query_param, urlencode};
use crate::courses::pages::CompetencyFilter;
use crate::domain::Vocabulary;
use crate::i18n::*;
use leptos::server_fn::ServerFn;
use leptos_i18n::I18nContext;

/// One reason line in plain words, with its evidence.
pub fn reason_line(i18n: I18nContext<Locale>, r: &ReasonText) -> String {
    t_string!(
        i18n,
        proposals.reason,
        name = r.name.clone(),
        current = format!("{:.1}", r.current),
        target = r.target,
        expected = r.expected,
        campaign = r.campaign.clone(),
        date = r.date.clone(),
        sources = crate::components::sources_text(i18n, &r.sources),
        raters = r.raters,
        version = r.framework_version
    )
    .to_string()
}

fn status_name(i18n: I18nContext<Locale>, s: ProposalStatus) -> &'static str {
    match s {
        ProposalStatus::Proposed => t_string!(i18n, proposals.status_proposed),
        ProposalStatus::Accepted => t_string!(i18n, proposals.status_accepted),
        ProposalStatus::Rejected => t_string!(i18n, proposals.status_rejected),
    }
}

#[component]
pub fn ProposalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = query_param;
    let (status, course, competency, unit) =
        (get("status"), get("course"), get("competency"), get("unit"));
    let page = query_page();
    let list = Resource::new(
        move || (status(), course(), competency(), unit(), page()),
        |(status, course, competency, unit, page)| {
            super::list_proposals(
                Some(status),
                Some(unit),
                Some(course),
                Some(competency),
                Some(page),
            )
        },
    );
    let notice = move || {
        let q = query.read();
        q.get("decided")
            .map(|n| t_string!(i18n, proposals.decided, n = n).to_string())
            .or_else(|| {
                q.get("generated")
                    .map(|n| t_string!(i18n, proposals.generated, n = n).to_string())
            })
            .map(|text| {
                view! {
                    <div class="banner banner-ok" role="status" data-testid="proposals-notice">
                        {text}
                    </div>
                }
            })
    };
    view! {
        <Page title=|i| t_string!(i, proposals.title) roles=super::REVIEWERS>
            {notice}
            <p class="muted">{t!(i18n, proposals.intro)}</p>
            <Loaded resource=list let:p>
                {p
                    .can_regenerate
                    .then(|| {
                        view! {
                            <form
                                method="post"
                                action=super::RegenerateProposals::url()
                                class="inline"
                            >
                                <button type="submit" data-testid="regenerate">
                                    {t!(i18n, proposals.regenerate)}
                                </button>
                            </form>
                        }
                    })}
                <form method="get" class="filters" role="search">
                    <div class="field">
                        <label for="status">{t!(i18n, proposals.status)}</label>
                        <select id="status" name="status">
                            {ProposalStatus::ALL
                                .iter()
                                .map(|s| {
                                    let v = s.as_str();
                                    let chosen = v == status()
                                        || (status().is_empty() && *s == ProposalStatus::Proposed);
                                    view! {
                                        <option value=v selected=chosen>
                                            {status_name(i18n, *s)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <ChoiceFilter
                        name="course"
                        label=|i| t_string!(i, proposals.course)
                        any=|i| t_string!(i, courses.any)
                        options=p.courses.clone()
                        chosen=course()
                    />
                    <CompetencyFilter competencies=p.competencies.clone() chosen=competency() />
                    <input type="hidden" name="unit" value=unit() />
                    <button type="submit">{t!(i18n, courses.filter)}</button>
                </form>
                {if p.rows.is_empty() {
                    view! {
                        <p class="empty" data-testid="proposals-empty">
                            {t!(i18n, proposals.empty)}
                        </p>
                    }
                        .into_any()
                } else {
                    let href = move |n: u64| {
                        format!(
                            "/proposals?status={}&course={}&competency={}&unit={}&page={n}",
                            urlencode(&status()),
                            urlencode(&course()),
                            urlencode(&competency()),
                            urlencode(&unit()),
                        )
                    };
                    let open = p.rows.iter().any(|r| r.status == ProposalStatus::Proposed);
                    view! {
                        <p class="muted">{t_string!(i18n, proposals.count, n = p.total)}</p>
                        <form
                            method="post"
                            action=super::DecideProposals::url()
                            data-testid="decide-form"
                        >
                            <table class="list" data-testid="proposals">
                                <thead>
                                    <tr>
                                        <th scope="col"></th>
                                        <th scope="col">{t!(i18n, proposals.person)}</th>
                                        <th scope="col">{t!(i18n, proposals.course)}</th>
                                        <th scope="col">{t!(i18n, proposals.why)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p
                                        .rows
                                        .into_iter()
                                        .map(|r| view! { <ProposalLine row=r /> })
                                        .collect_view()}
                                </tbody>
                            </table>
                            {open
                                .then(|| {
                                    view! {
                                        <div class="grid2">
                                            <div class="field">
                                                <label for="due">{t!(i18n, proposals.due)}</label>
                                                <input id="due" name="due" type="date" />
                                            </div>
                                            <div class="field">
                                                <label for="note">{t!(i18n, proposals.note)}</label>
                                                <input id="note" name="note" />
                                            </div>
                                        </div>
                                        <button
                                            type="submit"
                                            name="decision"
                                            value="accept"
                                            class="primary"
                                            data-testid="accept"
                                        >
                                            {t!(i18n, proposals.accept)}
                                        </button>
                                        " "
                                        <button
                                            type="submit"
                                            name="decision"
                                            value="reject"
                                            data-testid="reject"
                                        >
                                            {t!(i18n, proposals.reject)}
                                        </button>
                                    }
                                })}
                        </form>
                        <Pager page=p.page pages=p.pages href=href />
                    }
                        .into_any()
                }}
            </Loaded>
        </Page>
    }
}

#[component]
fn ProposalLine(row: ProposalRow) -> impl IntoView {
    let i18n = use_i18n();
    let r = row;
    let key = format!("pick[{}]", pick_key(r.id));
    let box_id = format!("pick-{}", r.id);
    view! {
        <tr data-testid="proposal">
            <td>
                {(r.status == ProposalStatus::Proposed)
                    .then(|| {
                        view! {
                            <input
                                type="checkbox"
                                id=box_id.clone()
                                name=key.clone()
                                value="on"
                                aria-label=t_string!(i18n, proposals.pick)
                            />
                        }
                    })}
            </td>
            <td>
                <a href=format!("/gaps/person/{}", r.person_id)>{r.person.clone()}</a>
                <div class="muted">
                    {r.employee_no.clone()} " · " {r.unit.clone().unwrap_or_else(|| "—".into())}
                </div>
            </td>
            <td>
                <a href=format!("/courses/{}", r.course_id)>{r.course.clone()}</a>
                <div class="muted">
                    {t_string!(i18n, courses.hours_n, n = format!("{}", r.hours))} " · #" {r.rank}
                </div>
            </td>
            <td>
                <ul class="reason">
                    {r
                        .reason
                        .iter()
                        .map(|line| view! { <li>{reason_line(i18n, line)}</li> })
                        .collect_view()}
                </ul>
                {r.note.clone().map(|n| view! { <p class="muted">{n}</p> })}
                {r
                    .due
                    .clone()
                    .map(|d| {
                        view! { <p class="muted">{t_string!(i18n, proposals.due_on, date = d)}</p> }
                    })}
            </td>
        </tr>
    }
}
