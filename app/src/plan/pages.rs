//! The annual plan page (draft, edit, submit, approve) and its printable form.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::{
    ChangePlanLine, GeneratePlan, MovePlan, PLANNERS, Plan, PlanLine, PlanStatus, RemovePlanLine,
    month_key,
};
use crate::components::{
    ConfirmBox, FieldErrors, FormError, Loaded, Page, action_error, query_param, search_key,
};
use crate::courses::CourseMode;
use crate::i18n::*;

pub fn status_name(i18n: I18nContext<Locale>, s: PlanStatus) -> &'static str {
    match s {
        PlanStatus::Draft => t_string!(i18n, plan.status_draft),
        PlanStatus::Submitted => t_string!(i18n, plan.status_submitted),
        PlanStatus::Approved => t_string!(i18n, plan.status_approved),
    }
}

fn mode_name(i18n: I18nContext<Locale>, m: CourseMode) -> &'static str {
    match m {
        CourseMode::Online => t_string!(i18n, courses.mode_online),
        CourseMode::Classroom => t_string!(i18n, courses.mode_classroom),
        CourseMode::Blended => t_string!(i18n, courses.mode_blended),
    }
}

/// Yuan with thousands separators and no decimals: `12,600`.
pub fn money(v: f64) -> String {
    let whole = format!("{:.0}", v.max(0.0));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Hours to one decimal, without a trailing `.0`.
pub(crate) fn figure(v: f64) -> String {
    format!("{}", (v * 10.0).round() / 10.0)
}

fn months_shown(months: &[u32]) -> String {
    if months.is_empty() {
        "—".into()
    } else {
        months
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// The gaps a line closes, highest priority first, in words.
fn gaps_shown(l: &PlanLine) -> String {
    l.competencies
        .iter()
        .map(|(_, name, rank)| match rank {
            Some(r) => format!("{name} (#{r})"),
            None => name.clone(),
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn plan_resource() -> (
    Resource<Result<Plan, crate::error::AppError>>,
    impl Fn() -> String + Copy,
) {
    let year = query_param("year");
    let data = Resource::new(
        move || (year(), search_key().get()),
        |(year, _)| super::get_plan(Some(year)),
    );
    (data, year)
}

#[component]
pub fn PlanPage() -> impl IntoView {
    let (data, _) = plan_resource();
    view! {
        <Page title=|i| t_string!(i, plan.title) roles=PLANNERS>
            <Loaded resource=data let:p>
                <PlanBody p=p />
            </Loaded>
        </Page>
    }
}

#[component]
fn PlanBody(p: Plan) -> impl IntoView {
    let i18n = use_i18n();
    let drafted = query_param("drafted");
    let year = p.year;
    let notice = move || {
        let n = drafted();
        (!n.is_empty()).then(|| {
            view! {
                <div class="banner banner-ok" role="status" data-testid="drafted-notice">
                    {t_string!(i18n, plan.drafted, n = n)}
                </div>
            }
        })
    };
    let years = p.years.clone();
    let status = p.status;
    let can_edit = p.can_edit;
    view! {
        {notice}
        <form method="get" class="filters" role="search">
            <div class="field">
                <label for="year">{t!(i18n, plan.year)}</label>
                <select id="year" name="year">
                    {years
                        .into_iter()
                        .map(|y| {
                            view! {
                                <option value=y.to_string() selected=y == year>
                                    {y}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit">{t!(i18n, plan.show)}</button>
        </form>
        <p data-testid="plan-status">
            {match status {
                Some(s) => {
                    t_string!(i18n, plan.status_line, year = year, status = status_name(i18n, s))
                        .to_string()
                }
                None => t_string!(i18n, plan.none_yet, year = year).to_string(),
            }}
        </p>
        <p class="muted">
            {t_string!(
                i18n, plan.basis, accepted = p.accepted, year = year, trainer = money(p.trainer_rate), venue = money(p.venue_rate), class = p.class_size
            )} " " <a href="/admin/training">{t!(i18n, plan.rules_link)}</a>
        </p>
        {can_edit.then(|| view! { <Generate year=year exists=status.is_some() /> })}
        {if p.lines.is_empty() {
            view! {
                <p class="empty" data-testid="plan-empty">
                    {t!(i18n, plan.empty)}
                    " "
                    <a href="/proposals">{t!(i18n, team.go_proposals)}</a>
                </p>
            }
                .into_any()
        } else {
            view! {
                <p class="no-print">
                    <a
                        class="button"
                        href=format!("/plan/print?year={year}")
                        data-testid="plan-print"
                    >
                        {t!(i18n, plan.print)}
                    </a>
                    " "
                    <a
                        class="button"
                        href=format!("/export/plan.csv?year={year}")
                        download
                        data-testid="plan-csv"
                    >
                        {t!(i18n, plan.export)}
                    </a>
                </p>
                <PlanTable p=p.clone() editing=can_edit />
            }
                .into_any()
        }}
        {status.map(|s| view! { <Steps year=year status=s /> })}
    }
}

#[component]
fn Generate(year: i32, exists: bool) -> impl IntoView {
    let i18n = use_i18n();
    let generate = ServerAction::<GeneratePlan>::new();
    let error = action_error(generate);
    view! {
        <section class="card no-print">
            <FormError error=error />
            <ActionForm action=generate attr:data-testid="generate-plan">
                <input type="hidden" name="year" value=year.to_string() />
                <p class="muted">
                    {if exists {
                        t!(i18n, plan.refresh_help).into_any()
                    } else {
                        t!(i18n, plan.draft_help).into_any()
                    }}
                </p>
                <button type="submit" class="primary" data-testid="generate">
                    {if exists {
                        t!(i18n, plan.refresh).into_any()
                    } else {
                        t!(i18n, plan.draft).into_any()
                    }}
                </button>
            </ActionForm>
        </section>
    }
}

/// The plan's lines with totals; with `editing`, each line opens a small form.
#[component]
pub fn PlanTable(p: Plan, #[prop(optional)] editing: bool) -> impl IntoView {
    let i18n = use_i18n();
    let totals = (p.people(), p.person_hours(), p.sessions(), p.cost());
    view! {
        <div class="table-wrap">
            <table class="table plan" data-testid="plan-lines">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, plan.no)}</th>
                        <th scope="col">{t!(i18n, plan.course)}</th>
                        <th scope="col">{t!(i18n, plan.gaps)}</th>
                        <th scope="col">{t!(i18n, plan.audience)}</th>
                        <th scope="col" class="num">
                            {t!(i18n, plan.people)}
                        </th>
                        <th scope="col" class="num">
                            {t!(i18n, plan.hours)}
                        </th>
                        <th scope="col" class="num">
                            {t!(i18n, plan.sessions)}
                        </th>
                        <th scope="col">{t!(i18n, plan.months)}</th>
                        <th scope="col" class="num">
                            {t!(i18n, plan.cost)}
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {p
                        .lines
                        .into_iter()
                        .map(|l| view! { <LineRow l=l editing=editing /> })
                        .collect_view()}
                </tbody>
                <tfoot>
                    <tr data-testid="plan-totals">
                        <th scope="row" colspan="4">
                            {t!(i18n, plan.total)}
                        </th>
                        <td class="num">{totals.0}</td>
                        <td class="num">{figure(totals.1)}</td>
                        <td class="num">{totals.2}</td>
                        <td></td>
                        <td class="num">{money(totals.3)}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

#[component]
fn LineRow(l: PlanLine, editing: bool) -> impl IntoView {
    let i18n = use_i18n();
    let justify = format!("/proposals?status=accepted&course={}", l.course_id);
    let audience = format!("{} · {}", l.units.join("、"), l.positions.join("、"));
    let sessions_text = if l.mode == CourseMode::Online {
        "—".to_owned()
    } else {
        t_string!(i18n, plan.sessions_of, n = l.sessions, seats = l.capacity).to_string()
    };
    let cost = l.trainer_cost + l.venue_cost;
    let line = l.clone();
    view! {
        <tr id=format!("line-{}", l.id) data-testid="plan-line">
            <td>{l.ordinal}</td>
            <td>
                <a href=format!("/courses/{}", l.course_id)>{l.course.clone()}</a>
                <br />
                <span class="muted">
                    {l.course_code.clone()} " · " {mode_name(i18n, l.mode)} " · "
                    {t_string!(i18n, plan.hours_each, hours = figure(l.hours))}
                </span>
                {l
                    .note
                    .clone()
                    .map(|n| {
                        view! {
                            <br />
                            <em>{n}</em>
                        }
                    })}
            </td>
            <td>
                {gaps_shown(&l)} <br /> <a class="no-print" href=justify data-testid="plan-justify">
                    {t!(i18n, plan.why)}
                </a>
            </td>
            <td>{audience}</td>
            <td class="num" data-testid="line-people">
                {l.people}
            </td>
            <td class="num">{figure(l.person_hours)}</td>
            <td class="num" data-testid="line-sessions">
                {sessions_text}
            </td>
            <td>{months_shown(&l.months)}</td>
            <td class="num" data-testid="line-cost">
                {money(cost)}
            </td>
        </tr>
        {editing.then(|| view! { <LineEdit l=line /> })}
    }
}

#[component]
fn LineEdit(l: PlanLine) -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePlanLine>::new();
    let remove = ServerAction::<RemovePlanLine>::new();
    let error = action_error(change);
    let remove_error = action_error(remove);
    let (id, remove_id) = (l.id.to_string(), l.id.to_string());
    let key = l.id.simple().to_string();
    let (people_id, sessions_id, note_id, confirm_id) = (
        format!("people-{key}"),
        format!("sessions-{key}"),
        format!("note-{key}"),
        format!("confirm-remove-{key}"),
    );
    let months = l.months.clone();
    let months_view = (1..=12u32)
        .map(|m| {
            let box_id = format!("m{m}-{key}");
            let checked = months.contains(&m);
            view! {
                <span class="month">
                    <input
                        type="checkbox"
                        id=box_id.clone()
                        name=format!("month[{}]", month_key(m))
                        value="on"
                        checked=checked
                    />
                    <label for=box_id>{m}</label>
                </span>
            }
        })
        .collect_view();
    view! {
        <tr class="no-print line-edit">
            <td></td>
            <td colspan="8">
                <details>
                    <summary data-testid="edit-line">
                        {t!(i18n, plan.edit_line)}
                        {l
                            .edited
                            .then(|| {
                                view! {
                                    " · "
                                    <span class="muted">{t!(i18n, plan.edited)}</span>
                                }
                            })}
                    </summary>
                    <FormError error=error />
                    <ActionForm action=change attr:data-testid="line-form">
                        <input type="hidden" name="id" value=id />
                        <div class="grid3">
                            <div class="field">
                                <label for=people_id.clone()>{t!(i18n, plan.people)}</label>
                                <input
                                    id=people_id
                                    name="people"
                                    type="number"
                                    min="0"
                                    value=l.people.to_string()
                                    required
                                />
                                <FieldErrors error=error field="people" />
                            </div>
                            <div class="field">
                                <label for=sessions_id.clone()>{t!(i18n, plan.sessions)}</label>
                                <input
                                    id=sessions_id
                                    name="sessions"
                                    type="number"
                                    min="0"
                                    value=l.sessions.to_string()
                                />
                                <FieldErrors error=error field="sessions" />
                            </div>
                        </div>
                        <p class="muted">{t!(i18n, plan.sessions_help)}</p>
                        <fieldset class="months">
                            <legend>{t!(i18n, plan.months)}</legend>
                            {months_view}
                        </fieldset>
                        <div class="field">
                            <label for=note_id.clone()>{t!(i18n, plan.note)}</label>
                            <input
                                id=note_id
                                name="note"
                                value=l.note.clone().unwrap_or_default()
                            />
                            <FieldErrors error=error field="note" />
                        </div>
                        <button type="submit" class="primary" data-testid="save-line">
                            {t!(i18n, common.save)}
                        </button>
                    </ActionForm>
                    <FormError error=remove_error />
                    <ActionForm action=remove attr:class="inline" attr:data-testid="remove-line">
                        <input type="hidden" name="id" value=remove_id />
                        <ConfirmBox id=confirm_id error=remove_error />
                        <button type="submit" class="danger">
                            {t!(i18n, plan.remove)}
                        </button>
                    </ActionForm>
                </details>
            </td>
        </tr>
    }
}

/// Submit, approve or reopen, as the plan's status allows.
#[component]
fn Steps(year: i32, status: PlanStatus) -> impl IntoView {
    let i18n = use_i18n();
    let step = ServerAction::<MovePlan>::new();
    let error = action_error(step);
    let steps: Vec<(&'static str, &'static str)> = match status {
        PlanStatus::Draft => vec![("submit", t_string!(i18n, plan.submit))],
        PlanStatus::Submitted => vec![
            ("approve", t_string!(i18n, plan.approve)),
            ("reopen", t_string!(i18n, plan.reopen)),
        ],
        PlanStatus::Approved => vec![],
    };
    (!steps.is_empty()).then(|| {
        view! {
            <section class="card no-print">
                <h2>{t!(i18n, plan.approval)}</h2>
                <FormError error=error />
                <ActionForm action=step attr:data-testid="plan-step">
                    <input type="hidden" name="year" value=year.to_string() />
                    {(status == PlanStatus::Draft)
                        .then(|| {
                            view! {
                                <div class="field">
                                    <label for="field-note">{t!(i18n, plan.preamble)}</label>
                                    <textarea id="field-note" name="note" rows="3"></textarea>
                                    <FieldErrors error=error field="note" />
                                </div>
                            }
                        })}
                    <ConfirmBox id="confirm-step" error=error />
                    <FieldErrors error=error field="step" />
                    {steps
                        .into_iter()
                        .map(|(value, label)| {
                            view! {
                                <button
                                    type="submit"
                                    name="step"
                                    value=value
                                    data-testid=format!("step-{value}")
                                >
                                    {label}
                                </button>
                                " "
                            }
                        })
                        .collect_view()}
                </ActionForm>
            </section>
        }
    })
}

/// The plan as the office submits it: heading, preamble, lines, totals, and the
/// lines for the signatures of whoever drafts, checks and approves it.
#[component]
pub fn PlanPrintPage() -> impl IntoView {
    let (data, _) = plan_resource();
    view! {
        <Page
            title=|i| t_string!(i, plan.title)
            roles=PLANNERS
            heading=false
            crumbs=vec![(|i| t_string!(i, plan.title), "/plan")]
        >
            <Loaded resource=data let:p>
                <PrintBody p=p />
            </Loaded>
        </Page>
    }
}

#[component]
fn PrintBody(p: Plan) -> impl IntoView {
    let i18n = use_i18n();
    let status = p.status.map(|s| status_name(i18n, s)).unwrap_or_default();
    view! {
        <p class="no-print">
            <crate::islands::PrintButton label=t_string!(i18n, plan.print).to_string() />
        </p>
        <article class="plan-print" data-testid="plan-print-page">
            <h1>{t_string!(i18n, plan.print_title, office = p.office.clone(), year = p.year)}</h1>
            <p class="muted">{status}</p>
            {p.note.clone().map(|n| view! { <p class="preamble">{n}</p> })}
            <p>
                {t_string!(
                    i18n, plan.basis_print, trainer = money(p.trainer_rate), venue = money(p.venue_rate), class = p.class_size
                )}
            </p>
            <PlanTable p=p.clone() />
            <div class="signatures">
                <span>{t!(i18n, plan.drafted_by)} "：________"</span>
                <span>{t!(i18n, plan.checked_by)} "：________"</span>
                <span>{t!(i18n, plan.approved_by)} "：________"</span>
                <span>{t!(i18n, plan.date)} "：____年__月__日"</span>
            </div>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(0.0), "0");
        assert_eq!(money(999.4), "999");
        assert_eq!(money(12_600.0), "12,600");
        assert_eq!(money(1_234_567.0), "1,234,567");
    }
}
