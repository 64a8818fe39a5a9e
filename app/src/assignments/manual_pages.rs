//! Assigning a course by hand, and one assignment's page: its reason, progress,
//! history, and the forms to change its due date or withdraw it.

use leptos::prelude::*;

use super::{
    AssignmentDetail, AssignmentSource, AssignmentStatus, ChangeAssignment, CreateAssignments,
    HistoryLine, REVIEWERS,
};
use crate::components::{
    ChoiceFilter, ConfirmBox, FieldErrors, FormError, Loaded, Page, action_error, query_param,
    route_param, search_key,
};
use crate::i18n::*;

#[component]
pub fn AssignPage() -> impl IntoView {
    let i18n = use_i18n();
    let options = Resource::new(|| (), |_| super::assignment_options());
    let course = query_param("course");
    let create = ServerAction::<CreateAssignments>::new();
    let error = action_error(create);
    view! {
        <Page
            title=|i| t_string!(i, assign.title)
            roles=REVIEWERS
            crumbs=vec![(|i| t_string!(i, team.progress_title), "/team/progress")]
        >
            <p class="muted">{t!(i18n, assign.intro)}</p>
            <Loaded resource=options let:o>
                <section class="card">
                    <FormError error=error />
                    <ActionForm action=create attr:data-testid="assign-form">
                        <ChoiceFilter
                            name="course"
                            label=|i| t_string!(i, proposals.course)
                            any=|i| t_string!(i, assign.choose)
                            options=o.courses.clone()
                            chosen=course()
                            error=error
                        />
                        <fieldset>
                            <legend>{t!(i18n, assign.who)}</legend>
                            <div class="field checkbox">
                                <input
                                    type="radio"
                                    id="t-person"
                                    name="target"
                                    value="person"
                                    checked
                                />
                                <label for="t-person">{t!(i18n, assign.one_person)}</label>
                            </div>
                            <div class="field">
                                <label for="field-person">{t!(i18n, assign.employee_no)}</label>
                                <input id="field-person" name="person" autocomplete="off" />
                                <FieldErrors error=error field="person" />
                            </div>
                            <div class="field checkbox">
                                <input type="radio" id="t-unit" name="target" value="unit" />
                                <label for="t-unit">{t!(i18n, assign.a_unit)}</label>
                            </div>
                            <ChoiceFilter
                                name="unit"
                                label=|i| t_string!(i, team.unit)
                                any=|i| t_string!(i, assign.choose)
                                options=o.units.clone()
                                chosen=String::new()
                                error=error
                            />
                            <div class="field checkbox">
                                <input
                                    type="radio"
                                    id="t-position"
                                    name="target"
                                    value="position"
                                />
                                <label for="t-position">{t!(i18n, assign.a_position)}</label>
                            </div>
                            <ChoiceFilter
                                name="position"
                                label=|i| t_string!(i, assign.position)
                                any=|i| t_string!(i, assign.choose)
                                options=o.positions.clone()
                                chosen=String::new()
                                error=error
                            />
                            <FieldErrors error=error field="target" />
                        </fieldset>
                        <div class="grid2">
                            <div class="field">
                                <label for="field-due">{t!(i18n, assign.due)}</label>
                                <input id="field-due" name="due" type="date" />
                                <FieldErrors error=error field="due" />
                            </div>
                        </div>
                        <div class="field">
                            <label for="field-note">{t!(i18n, assign.note)}</label>
                            <textarea id="field-note" name="note" rows="2" required></textarea>
                            <FieldErrors error=error field="note" />
                        </div>
                        <button type="submit" class="primary" data-testid="assign">
                            {t!(i18n, assign.submit)}
                        </button>
                    </ActionForm>
                </section>
            </Loaded>
        </Page>
    }
}

#[component]
pub fn AssignmentPage() -> impl IntoView {
    let id = route_param("id");
    let detail = Resource::new(
        move || (id(), search_key().get()),
        |(id, _)| super::get_assignment(id),
    );
    view! {
        <Page
            title=|i| t_string!(i, assign.one_title)
            roles=crate::auth::EVERYONE
            crumbs=vec![(|i| t_string!(i, team.progress_title), "/team/progress")]
            heading=false
        >
            <Loaded resource=detail let:a>
                <Assignment a=a />
            </Loaded>
        </Page>
    }
}

fn status_text(i18n: leptos_i18n::I18nContext<Locale>, s: AssignmentStatus) -> &'static str {
    match s {
        AssignmentStatus::Assigned => t_string!(i18n, assign.open),
        AssignmentStatus::Completed => t_string!(i18n, team.completed),
        AssignmentStatus::Withdrawn => t_string!(i18n, assign.withdrawn),
    }
}

#[component]
fn Assignment(a: AssignmentDetail) -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangeAssignment>::new();
    let error = action_error(change);
    let why = match a.source {
        AssignmentSource::Proposal => a
            .reason
            .iter()
            .map(|r| super::pages::reason_line(i18n, r))
            .collect::<Vec<_>>(),
        AssignmentSource::SelfEnrolled => vec![t_string!(i18n, learning.self_enrolled).to_string()],
        AssignmentSource::Manual => vec![a.note.clone().unwrap_or_default()],
    };
    let open = a.status == AssignmentStatus::Assigned;
    view! {
        <div class="page-head">
            <h1 data-testid="assignment-title">{a.person.clone()} " · " {a.course.clone()}</h1>
        </div>
        <p class="muted">
            {a.employee_no.clone()} " · " {a.course_code.clone()} " · "
            <span data-testid="assignment-status">{status_text(i18n, a.status)}</span> " · "
            {t_string!(i18n, learning.progress, done = a.lessons_done, total = a.lessons_total)}
        </p>
        <section class="card">
            <h2>{t!(i18n, proposals.why)}</h2>
            <ul class="reason">{why.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            <p class="muted">
                {t_string!(
                    i18n,
                    learning.assigned,
                    date = a.assigned_on.clone(),
                    by = a.assigned_by.clone().unwrap_or_else(|| "—".into())
                )}
                {a
                    .due
                    .clone()
                    .map(|d| {
                        view! {
                            " · "
                            {t_string!(i18n, learning.due, date = d)}
                        }
                    })}
                {a
                    .completed_on
                    .clone()
                    .map(|d| {
                        view! {
                            " · "
                            {t!(i18n, team.completed)}
                            " "
                            {d}
                        }
                    })}
            </p>
        </section>
        {open
            .then(|| {
                view! {
                    <section class="card" data-testid="change-box">
                        <h2>{t!(i18n, assign.change)}</h2>
                        <FormError error=error />
                        <ActionForm action=change attr:data-testid="change-form">
                            <input type="hidden" name="id" value=a.id.to_string() />
                            <div class="grid2">
                                <div class="field">
                                    <label for="field-due">{t!(i18n, assign.due)}</label>
                                    <input
                                        id="field-due"
                                        name="due"
                                        type="date"
                                        value=a.due.clone().unwrap_or_default()
                                    />
                                    <FieldErrors error=error field="due" />
                                </div>
                                <div class="field">
                                    <label for="field-note">{t!(i18n, assign.change_note)}</label>
                                    <input id="field-note" name="note" />
                                    <FieldErrors error=error field="note" />
                                </div>
                            </div>
                            <button type="submit" data-testid="save-due">
                                {t!(i18n, common.save)}
                            </button>
                            <details class="danger-zone">
                                <summary>{t!(i18n, assign.withdraw)}</summary>
                                <p class="muted">{t!(i18n, assign.withdraw_note)}</p>
                                <ConfirmBox id="confirm-withdraw" error=error />
                                <button
                                    type="submit"
                                    class="danger"
                                    name="withdraw"
                                    value="on"
                                    data-testid="withdraw"
                                >
                                    {t!(i18n, assign.withdraw)}
                                </button>
                            </details>
                        </ActionForm>
                    </section>
                }
            })}
        <section class="card">
            <h2>{t!(i18n, assign.history)}</h2>
            {if a.history.is_empty() {
                view! { <p class="empty">{t!(i18n, assign.no_history)}</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="history">
                        {a.history.into_iter().map(|h| view! { <History h=h /> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn History(h: HistoryLine) -> impl IntoView {
    let i18n = use_i18n();
    let what = crate::dashboard::action_text(i18n, h.action);
    view! {
        <li>
            {h.at} " · " {h.by.unwrap_or_else(|| "—".into())} " · " {what}
            {h
                .due
                .map(|d| {
                    view! {
                        " · "
                        {t_string!(i18n, learning.due, date = d)}
                    }
                })}
            {h
                .withdrawn
                .then(|| {
                    view! {
                        " · "
                        {t!(i18n, assign.withdrawn)}
                    }
                })}
            {h
                .note
                .map(|n| {
                    view! {
                        " · “"
                        {n}
                        "”"
                    }
                })}
        </li>
    }
}
