//! Admin pages for people, units, positions and the roster; the team directory.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    ImportRoster, PersonDetail, PositionDto, ResetPassword, RosterPreview, RowAction, SavePerson,
    SavePosition, SaveUnit, SetPersonActive, SetPositionActive, SetUnitActive, UnitDto,
};
use crate::auth::Role;
use crate::components::{
    ErrorPage, FieldErrors, FormError, Loading, PageTitle, Pager, RequireRole, TextField,
    action_error, problem_text, urlencode,
};
use crate::domain::Vocabulary;
use crate::i18n::*;
use crate::islands::ApplyOnChange;
use leptos_i18n::I18nContext;

use super::{ADMIN, PEOPLE_READERS};

fn label(
    i18n: I18nContext<Locale>,
    key: fn(I18nContext<Locale>) -> &'static str,
) -> Signal<String> {
    Signal::derive(move || key(i18n).to_string())
}

fn role_name(i18n: I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Staff => t_string!(i18n, roles.staff),
        Role::Trainer => t_string!(i18n, roles.trainer),
        Role::Manager => t_string!(i18n, roles.manager),
        Role::Admin => t_string!(i18n, roles.admin),
    }
}

/// A roster column's name in the interface language.
fn column_label(i18n: I18nContext<Locale>, field: &str) -> String {
    match field {
        "employee_no" => t_string!(i18n, people.employee_no),
        "name" => t_string!(i18n, people.name),
        "unit" => t_string!(i18n, people.unit),
        "position" => t_string!(i18n, people.position),
        "manager" => t_string!(i18n, people.manager),
        "roles" => t_string!(i18n, people.roles),
        "email" => t_string!(i18n, people.email),
        other => other,
    }
    .to_owned()
}

#[component]
fn SavedBanner() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    move || {
        query.read().get("saved").map(|_| {
            view! { <div class="banner banner-ok" role="status" data-testid="saved">{t!(i18n, common.saved)}</div> }
        })
    }
}

// ---------------------------------------------------------------- people

/// The people list: searchable, filterable by unit, paged. Admin: everyone, editable.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, people.title).to_string() />
        <RequireRole roles=ADMIN>
            <div class="page-head">
                <h1>{t!(i18n, people.title)}</h1>
                <a class="button primary" href="/admin/people/new" data-testid="new-person">{t!(i18n, people.new)}</a>
            </div>
            {move || {
                use_query_map().read().get("imported").map(|n| {
                    view! { <div class="banner banner-ok" role="status" data-testid="imported">{t_string!(i18n, roster.imported, n = n)}</div> }
                })
            }}
            <PeopleList base="/admin/people" editable=true />
        </RequireRole>
    }
}

/// A manager's team (their subtree) or, for trainers, the staff directory.
#[component]
pub fn TeamPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=move || t_string!(i18n, nav.team).to_string() />
        <RequireRole roles=PEOPLE_READERS>
            <h1>{t!(i18n, people.team_title)}</h1>
            <PeopleList base="/team" editable=false />
        </RequireRole>
    }
}

#[component]
fn PeopleList(base: &'static str, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let unit = move || query.read().get("unit").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
    };
    let inactive = move || query.read().get("inactive").is_some();
    let people = Resource::new(
        move || (q(), unit(), page(), inactive()),
        |(q, unit, page, inactive)| {
            super::list_people(Some(q), Some(unit), Some(page), Some(inactive))
        },
    );
    let units = Resource::new(|| (), |_| super::list_units());
    view! {
        <ApplyOnChange>
        <form method="get" class="filters" role="search">
            <div class="field">
                <label for="q">{t!(i18n, people.search)}</label>
                <input id="q" name="q" type="search" value=q />
            </div>
            <div class="field">
                <label for="unit">{t!(i18n, people.unit)}</label>
                // The whole <select> renders once its units are there: suspense
                // markers inside a <select> do not survive the HTML parser, and
                // hydration then fails.
                <Suspense fallback=move || view! {
                    <select id="unit" name="unit"><option value="">{t!(i18n, people.all_units)}</option></select>
                }>
                    {move || Suspend::new(async move {
                        let selected = unit();
                        let options = units.await.unwrap_or_default().into_iter().map(|u| {
                            let id = u.id.to_string();
                            let is_selected = id == selected;
                            view! { <option value=id selected=is_selected>{"\u{a0}\u{a0}".repeat(u.depth)}{u.name}</option> }
                        }).collect_view();
                        view! {
                            <select id="unit" name="unit">
                                <option value="">{t!(i18n, people.all_units)}</option>
                                {options}
                            </select>
                        }
                    })}
                </Suspense>
            </div>
            {editable.then(|| view! {
                <div class="field checkbox">
                    <input id="inactive" name="inactive" type="checkbox" value="true" checked=inactive />
                    <label for="inactive">{t!(i18n, people.show_inactive)}</label>
                </div>
            })}
            <button type="submit">{t!(i18n, people.filter)}</button>
        </form>
        </ApplyOnChange>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match people.await {
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                    Ok(p) if p.rows.is_empty() => view! {
                        <p class="empty" data-testid="people-empty">{t!(i18n, people.empty)}</p>
                    }.into_any(),
                    Ok(p) => {
                        let (q, unit) = (q(), unit());
                        let href = move |n: u64| format!("{base}?q={}&unit={}&page={n}", urlencode(&q), unit);
                        view! {
                            <p class="muted">
                {t_string!(i18n, people.count, n = p.total)} " · "
                <a href="/export/people.csv" rel="external" download data-testid="export-people">{t!(i18n, people.export)}</a>
            </p>
                            <table class="list" data-testid="people-table">
                                <thead><tr>
                                    <th scope="col">{t!(i18n, people.employee_no)}</th>
                                    <th scope="col">{t!(i18n, people.name)}</th>
                                    <th scope="col">{t!(i18n, people.unit)}</th>
                                    <th scope="col">{t!(i18n, people.position)}</th>
                                    <th scope="col">{t!(i18n, people.manager)}</th>
                                    <th scope="col">{t!(i18n, people.roles)}</th>
                                </tr></thead>
                                <tbody>
                                    {p.rows.into_iter().map(|r| {
                                        let roles = r.roles.iter().map(|x| role_name(i18n, *x)).collect::<Vec<_>>().join(", ");
                                        let name = if editable {
                                            view! { <a href=format!("/admin/people/{}", r.id)>{r.name.clone()}</a> }.into_any()
                                        } else {
                                            view! { <a href=format!("/gaps/person/{}", r.id)>{r.name.clone()}</a> }.into_any()
                                        };
                                        view! {
                                            <tr class:inactive=!r.active>
                                                <td>{r.employee_no}</td>
                                                <td>{name}{(!r.active).then(|| view! { " " <span class="tag">{t!(i18n, common.inactive)}</span> })}</td>
                                                <td>{r.unit}</td>
                                                <td>{r.position}</td>
                                                <td>{r.manager}</td>
                                                <td>{roles}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page=p.page pages=p.pages href=href />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let person = Resource::new(
        move || (id(), use_query_map().read().get("saved")),
        |(id, _)| async move {
            if id == "new" {
                Ok(None)
            } else {
                super::get_person(id).await.map(Some)
            }
        },
    );
    let units = Resource::new(|| (), |_| super::list_units());
    let positions = Resource::new(|| (), |_| super::list_positions());
    view! {
        <PageTitle text=move || t_string!(i18n, people.edit_title).to_string() />
        <RequireRole roles=ADMIN>
            <p><a href="/admin/people">{t!(i18n, people.back)}</a></p>
            <SavedBanner />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match (person.await, units.await, positions.await) {
                        (Ok(p), Ok(u), Ok(pos)) => view! { <PersonForms person=p units=u positions=pos /> }.into_any(),
                        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => view! { <ErrorPage error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

#[component]
fn PersonForms(
    person: Option<PersonDetail>,
    units: Vec<UnitDto>,
    positions: Vec<PositionDto>,
) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SavePerson>::new();
    let error = action_error(save);
    let p = person.clone();
    let has_role = move |r: Role| {
        p.as_ref()
            .map(|p| p.roles.contains(&r))
            .unwrap_or(r == Role::Staff)
    };
    let unit_id = person.as_ref().and_then(|p| p.unit_id);
    let position_id = person.as_ref().and_then(|p| p.position_id);
    let access = person.clone();
    let title = match &person {
        Some(p) => format!("{} ({})", p.name, p.employee_no),
        None => t_string!(i18n, people.new).to_string(),
    };
    view! {
        <h1>{title}</h1>
        {person.as_ref().filter(|p| !p.can_sign_in).map(|_| view! {
            <div class="banner" role="status">{t!(i18n, people.no_password)}</div>
        })}
        <section class="card">
            <FormError error=error />
            <ActionForm action=save attr:data-testid="person-form">
                <input type="hidden" name="id" value=person.as_ref().map(|p| p.id.to_string()).unwrap_or_default() />
                <div class="grid2">
                    <TextField name="employee_no" label=label(i18n, |i| t_string!(i, people.employee_no)) error=error value=person.as_ref().map(|p| p.employee_no.clone()).unwrap_or_default() required=true />
                    <TextField name="name" label=label(i18n, |i| t_string!(i, people.name)) error=error value=person.as_ref().map(|p| p.name.clone()).unwrap_or_default() required=true />
                    <TextField name="email" kind="email" label=label(i18n, |i| t_string!(i, people.email)) error=error value=person.as_ref().and_then(|p| p.email.clone()).unwrap_or_default() />
                    <TextField name="manager_no" label=label(i18n, |i| t_string!(i, people.manager_no)) error=error value=person.as_ref().and_then(|p| p.manager_no.clone()).unwrap_or_default() />
                    <div class="field">
                        <label for="field-unit_id">{t!(i18n, people.unit)}</label>
                        <select id="field-unit_id" name="unit_id">
                            <option value="">"—"</option>
                            {units.into_iter().map(|u| view! {
                                <option value=u.id.to_string() selected=Some(u.id) == unit_id>{"\u{a0}\u{a0}".repeat(u.depth)}{u.name}</option>
                            }).collect_view()}
                        </select>
                        <FieldErrors error=error field="unit_id" />
                    </div>
                    <div class="field">
                        <label for="field-position_id">{t!(i18n, people.position)}</label>
                        <select id="field-position_id" name="position_id">
                            <option value="">"—"</option>
                            {positions.into_iter().map(|p| view! {
                                <option value=p.id.to_string() selected=Some(p.id) == position_id>{p.name}</option>
                            }).collect_view()}
                        </select>
                        <FieldErrors error=error field="position_id" />
                    </div>
                </div>
                <fieldset>
                    <legend>{t!(i18n, people.roles)}</legend>
                    {crate::auth::EVERYONE.iter().copied().map(|r| {
                        let id = format!("role_{}", r.as_str());
                        view! {
                            <span class="checkbox">
                                <input type="checkbox" id=id.clone() name=id.clone() value="on" checked=has_role(r) />
                                <label for=id>{role_name(i18n, r)}</label>
                            </span>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="primary" data-testid="save-person">{t!(i18n, common.save)}</button>
            </ActionForm>
        </section>
        {access.map(|p| view! { <PersonAccess person=p /> })}
    }
}

/// Password reset and (de)activation: separate forms, each confirmed.
#[component]
fn PersonAccess(person: PersonDetail) -> impl IntoView {
    let i18n = use_i18n();
    let reset = ServerAction::<ResetPassword>::new();
    let reset_error = action_error(reset);
    let active = ServerAction::<SetPersonActive>::new();
    let active_error = action_error(active);
    let reset_done = move || use_query_map().read().get("password").is_some();
    let id = person.id.to_string();
    let toggle_id = id.clone();
    view! {
        <section class="card">
            <h2>{t!(i18n, people.reset_password)}</h2>
            {move || reset_done().then(|| view! { <div class="banner banner-ok" role="status">{t!(i18n, people.password_set)}</div> })}
            {person.locked.then(|| view! { <p class="muted">{t!(i18n, people.locked)}</p> })}
            <FormError error=reset_error />
            <ActionForm action=reset>
                <input type="hidden" name="id" value=id.clone() />
                <div class="grid2">
                    <TextField name="new_password" kind="password" label=label(i18n, |i| t_string!(i, account.new_password)) error=reset_error required=true autocomplete="new-password" />
                    <TextField name="confirm" kind="password" label=label(i18n, |i| t_string!(i, account.confirm)) error=reset_error required=true autocomplete="new-password" />
                </div>
                <button type="submit">{t!(i18n, people.set_password)}</button>
            </ActionForm>
        </section>
        <section class="card danger-zone">
            <h2>{if person.active { t_string!(i18n, people.deactivate) } else { t_string!(i18n, people.reactivate) }}</h2>
            <FormError error=active_error />
            <ActionForm action=active>
                <input type="hidden" name="id" value=toggle_id />
                <input type="hidden" name="active" value=(!person.active).to_string() />
                {person.active.then(|| view! {
                    <p>{t!(i18n, people.deactivate_help)}</p>
                    <div class="field checkbox">
                        <input type="checkbox" id="confirm-deactivate" name="confirm" value="yes" />
                        <label for="confirm-deactivate">{t!(i18n, common.confirm_check)}</label>
                        <FieldErrors error=active_error field="confirm" />
                    </div>
                })}
                <button type="submit" class:danger=person.active data-testid="toggle-active">
                    {if person.active { t_string!(i18n, people.deactivate) } else { t_string!(i18n, people.reactivate) }}
                </button>
            </ActionForm>
        </section>
    }
}

// ---------------------------------------------------------------- units

#[component]
pub fn UnitsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let units = Resource::new(move || query.read().get("saved"), |_| super::list_units());
    let editing = move || query.read().get("edit");
    view! {
        <PageTitle text=move || t_string!(i18n, units.title).to_string() />
        <RequireRole roles=ADMIN>
            <h1>{t!(i18n, units.title)}</h1>
            <SavedBanner />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match units.await {
                        Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                        Ok(units) => {
                            let edit = editing().and_then(|id| units.iter().find(|u| u.id.to_string() == id).cloned());
                            view! {
                                {if units.is_empty() {
                                    view! { <p class="empty">{t!(i18n, units.empty)}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="list" data-testid="units-table">
                                            <thead><tr>
                                                <th scope="col">{t!(i18n, units.name)}</th>
                                                <th scope="col">{t!(i18n, units.code)}</th>
                                                <th scope="col" class="num">{t!(i18n, dashboard.people)}</th>
                                                <th scope="col"><span class="sr-only">{t!(i18n, common.actions)}</span></th>
                                            </tr></thead>
                                            <tbody>
                                                {units.iter().cloned().map(|u| view! {
                                                    <tr class:inactive=!u.active>
                                                        <td class=format!("depth-{}", u.depth.min(6))>{u.name}{(!u.active).then(|| view! { " " <span class="tag">{t!(i18n, common.inactive)}</span> })}</td>
                                                        <td><code>{u.code}</code></td>
                                                        <td class="num">{u.people}</td>
                                                        <td><a href=format!("/admin/units?edit={}", u.id)>{t!(i18n, common.edit)}</a></td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                                <UnitForm units=units edit=edit />
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </RequireRole>
    }
}

#[component]
fn UnitForm(units: Vec<UnitDto>, edit: Option<UnitDto>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveUnit>::new();
    let error = action_error(save);
    let toggle = ServerAction::<SetUnitActive>::new();
    let toggle_error = action_error(toggle);
    let parent = edit.as_ref().and_then(|u| u.parent_id);
    let (is_edit, toggle_target) = (edit.is_some(), edit.clone());
    let editing_id = edit.as_ref().map(|u| u.id);
    view! {
        <section class="card" data-testid="unit-form">
            <h2>{if edit.is_some() { t_string!(i18n, units.edit) } else { t_string!(i18n, units.new) }}</h2>
            <FormError error=error />
            <ActionForm action=save>
                <input type="hidden" name="id" value=editing_id.map(|i| i.to_string()).unwrap_or_default() />
                <div class="grid2">
                    <TextField name="code" label=label(i18n, |i| t_string!(i, units.code)) error=error value=edit.as_ref().map(|u| u.code.clone()).unwrap_or_default() required=true />
                    <TextField name="name" label=label(i18n, |i| t_string!(i, units.name)) error=error value=edit.as_ref().map(|u| u.name.clone()).unwrap_or_default() required=true />
                    <div class="field">
                        <label for="field-parent_id">{t!(i18n, units.parent)}</label>
                        <select id="field-parent_id" name="parent_id">
                            <option value="">{t!(i18n, units.no_parent)}</option>
                            {units.into_iter().filter(|u| Some(u.id) != editing_id).map(|u| view! {
                                <option value=u.id.to_string() selected=Some(u.id) == parent>{"\u{a0}\u{a0}".repeat(u.depth)}{u.name}</option>
                            }).collect_view()}
                        </select>
                        <FieldErrors error=error field="parent_id" />
                    </div>
                </div>
                <button type="submit" class="primary">{t!(i18n, common.save)}</button>
                {is_edit.then(|| view! { " " <a href="/admin/units">{t!(i18n, common.cancel)}</a> })}
            </ActionForm>
            {toggle_target.map(|u| view! {
                <FormError error=toggle_error />
                <ActionForm action=toggle attr:class="danger-zone">
                    <input type="hidden" name="id" value=u.id.to_string() />
                    <input type="hidden" name="active" value=(!u.active).to_string() />
                    {u.active.then(|| view! {
                        <div class="field checkbox">
                            <input type="checkbox" id="confirm-unit" name="confirm" value="yes" />
                            <label for="confirm-unit">{t!(i18n, common.confirm_check)}</label>
                            <FieldErrors error=toggle_error field="confirm" />
                        </div>
                    })}
                    <button type="submit" class:danger=u.active>{if u.active { t_string!(i18n, units.deactivate) } else { t_string!(i18n, units.reactivate) }}</button>
                </ActionForm>
            })}
        </section>
    }
}

// ---------------------------------------------------------------- positions

#[component]
pub fn PositionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let positions = Resource::new(
        move || query.read().get("saved"),
        |_| super::list_positions(),
    );
    let editing = move || query.read().get("edit");
    view! {
        <PageTitle text=move || t_string!(i18n, positions.title).to_string() />
        <RequireRole roles=ADMIN>
            <h1>{t!(i18n, positions.title)}</h1>
            <SavedBanner />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match positions.await {
                        Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                        Ok(list) => {
                            let edit = editing().and_then(|id| list.iter().find(|p| p.id.to_string() == id).cloned());
                            view! {
                                {if list.is_empty() {
                                    view! { <p class="empty">{t!(i18n, positions.empty)}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="list" data-testid="positions-table">
                                            <thead><tr>
                                                <th scope="col">{t!(i18n, positions.name)}</th>
                                                <th scope="col">{t!(i18n, positions.code)}</th>
                                                <th scope="col" class="num">{t!(i18n, dashboard.people)}</th>
                                                <th scope="col"><span class="sr-only">{t!(i18n, common.actions)}</span></th>
                                            </tr></thead>
                                            <tbody>
                                                {list.into_iter().map(|p| view! {
                                                    <tr class:inactive=!p.active>
                                                        <td>{p.name}{(!p.active).then(|| view! { " " <span class="tag">{t!(i18n, common.inactive)}</span> })}</td>
                                                        <td><code>{p.code}</code></td>
                                                        <td class="num">{p.people}</td>
                                                        <td><a href=format!("/admin/positions?edit={}", p.id)>{t!(i18n, common.edit)}</a></td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                                <PositionForm edit=edit />
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </RequireRole>
    }
}

#[component]
fn PositionForm(edit: Option<PositionDto>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SavePosition>::new();
    let error = action_error(save);
    let toggle = ServerAction::<SetPositionActive>::new();
    let toggle_error = action_error(toggle);
    let (is_edit, toggle_target) = (edit.is_some(), edit.clone());
    view! {
        <section class="card" data-testid="position-form">
            <h2>{if edit.is_some() { t_string!(i18n, positions.edit) } else { t_string!(i18n, positions.new) }}</h2>
            <FormError error=error />
            <ActionForm action=save>
                <input type="hidden" name="id" value=edit.as_ref().map(|p| p.id.to_string()).unwrap_or_default() />
                <div class="grid2">
                    <TextField name="code" label=label(i18n, |i| t_string!(i, positions.code)) error=error value=edit.as_ref().map(|p| p.code.clone()).unwrap_or_default() required=true />
                    <TextField name="name" label=label(i18n, |i| t_string!(i, positions.name)) error=error value=edit.as_ref().map(|p| p.name.clone()).unwrap_or_default() required=true />
                </div>
                <button type="submit" class="primary">{t!(i18n, common.save)}</button>
                {is_edit.then(|| view! { " " <a href="/admin/positions">{t!(i18n, common.cancel)}</a> })}
            </ActionForm>
            {toggle_target.map(|p| view! {
                <FormError error=toggle_error />
                <ActionForm action=toggle attr:class="danger-zone">
                    <input type="hidden" name="id" value=p.id.to_string() />
                    <input type="hidden" name="active" value=(!p.active).to_string() />
                    {p.active.then(|| view! {
                        <div class="field checkbox">
                            <input type="checkbox" id="confirm-position" name="confirm" value="yes" />
                            <label for="confirm-position">{t!(i18n, common.confirm_check)}</label>
                            <FieldErrors error=toggle_error field="confirm" />
                        </div>
                    })}
                    <button type="submit" class:danger=p.active>{if p.active { t_string!(i18n, positions.deactivate) } else { t_string!(i18n, positions.reactivate) }}</button>
                </ActionForm>
            })}
        </section>
    }
}

// ---------------------------------------------------------------- roster

#[component]
pub fn RosterPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let upload_error = move || {
        query.read().get("error").map(|e| match e.as_str() {
            "too_large" => t_string!(i18n, roster.too_large),
            "no_file" => t_string!(i18n, roster.no_file),
            _ => t_string!(i18n, roster.unreadable),
        })
    };
    view! {
        <PageTitle text=move || t_string!(i18n, roster.title).to_string() />
        <RequireRole roles=ADMIN>
            <h1>{t!(i18n, roster.title)}</h1>
            <section class="card">
                <p>{t!(i18n, roster.intro)}</p>
                <pre class="sample">"employee_no,name,unit,position,manager,roles,email\nE0301,陈静,HALL,CLERK,E0101,staff,\nE0302,Li Na,HALL,CLERK,E0101,staff;trainer,li.na@example.org"</pre>
                <p class="muted">{t!(i18n, roster.columns)}</p>
                <p><a href="/roster-sample.csv" download>{t!(i18n, roster.sample)}</a></p>
                {move || upload_error().map(|e| view! { <div class="banner banner-error" role="alert">{e}</div> })}
                // Multipart upload to a plain endpoint: works without JavaScript.
                <form method="post" action="/admin/roster/upload" enctype="multipart/form-data" data-testid="roster-form">
                    <div class="field">
                        <label for="roster-file">{t!(i18n, roster.file)}</label>
                        <input id="roster-file" name="file" type="file" accept=".csv,text/csv" required />
                    </div>
                    <button type="submit" class="primary">{t!(i18n, roster.preview)}</button>
                </form>
            </section>
        </RequireRole>
    }
}

#[component]
pub fn RosterPreviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let preview = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        super::preview_roster,
    );
    view! {
        <PageTitle text=move || t_string!(i18n, roster.preview_title).to_string() />
        <RequireRole roles=ADMIN>
            <p><a href="/admin/roster">{t!(i18n, roster.back)}</a></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(p) => view! { <RosterPreviewView preview=p /> }.into_any(),
                        Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

#[component]
fn RosterPreviewView(preview: RosterPreview) -> impl IntoView {
    let i18n = use_i18n();
    let import = ServerAction::<ImportRoster>::new();
    let error = action_error(import);
    let valid = preview.is_valid();
    let bad_rows = preview.rows.iter().filter(|r| !r.errors.is_empty()).count();
    let summary = t_string!(
        i18n,
        roster.summary,
        new = preview.count(RowAction::New),
        update = preview.count(RowAction::Update),
        unchanged = preview.count(RowAction::Unchanged)
    );
    view! {
        <h1>{t_string!(i18n, roster.preview_of, file = preview.file_name.clone())}</h1>
        {preview.file_problems.iter().map(|p| view! {
            <div class="banner banner-error" role="alert" data-testid="file-problem">{problem_text(i18n, p)}</div>
        }).collect_view()}
        {(!preview.rows.is_empty()).then(|| view! { <p data-testid="roster-summary">{summary}</p> })}
        {(bad_rows > 0).then(|| view! {
            <div class="banner banner-error" role="alert" data-testid="roster-invalid">{t_string!(i18n, roster.invalid, n = bad_rows)}</div>
        })}
        <table class="list" data-testid="roster-table">
            <thead><tr>
                <th scope="col">{t!(i18n, roster.line)}</th>
                <th scope="col">{t!(i18n, people.employee_no)}</th>
                <th scope="col">{t!(i18n, people.name)}</th>
                <th scope="col">{t!(i18n, people.unit)}</th>
                <th scope="col">{t!(i18n, people.position)}</th>
                <th scope="col">{t!(i18n, people.manager)}</th>
                <th scope="col">{t!(i18n, people.roles)}</th>
                <th scope="col">{t!(i18n, roster.result)}</th>
            </tr></thead>
            <tbody>
                {preview.rows.into_iter().map(|r| {
                    let ok = r.errors.is_empty();
                    let result = if ok {
                        match r.action {
                            RowAction::New => t_string!(i18n, roster.new).to_string(),
                            RowAction::Update => t_string!(i18n, roster.update).to_string(),
                            RowAction::Unchanged => t_string!(i18n, roster.unchanged).to_string(),
                        }
                    } else {
                        r.errors.iter().map(|e| format!("{}: {}", column_label(i18n, &e.field), problem_text(i18n, &e.problem))).collect::<Vec<_>>().join(" ")
                    };
                    view! {
                        <tr class:row-error=!ok data-testid=format!("roster-row-{}", r.line)>
                            <td>{r.line}</td><td>{r.employee_no}</td><td>{r.name}</td><td>{r.unit}</td>
                            <td>{r.position}</td><td>{r.manager}</td><td>{r.roles}</td>
                            <td class:error-text=!ok>{result}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <FormError error=error />
        {if preview.imported {
            view! { <p class="banner" role="status">{t!(i18n, roster.already)}</p> }.into_any()
        } else if valid {
            view! {
                <ActionForm action=import>
                    <input type="hidden" name="id" value=preview.id.to_string() />
                    <button type="submit" class="primary" data-testid="roster-import">{t!(i18n, roster.import)}</button>
                </ActionForm>
            }.into_any()
        } else {
            view! { <p class="muted">{t!(i18n, roster.fix_first)}</p> }.into_any()
        }}
    }
}
