//! Admin pages for people, units, positions and the roster; the team directory.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    ImportRoster, PersonDetail, PositionDto, ResetPassword, RosterPreview, RowAction, SavePerson,
    SavePosition, SaveUnit, SetPersonActive, SetPositionActive, SetUnitActive, UnitDto,
    UnlockPerson,
};
use crate::auth::Role;
use crate::components::{
    ConfirmBox, ErrorPage, FieldErrors, FormButtons, FormError, Loaded, Loading, Page, Pager,
    QueryBanner, Text, TextField, UploadForm, action_error, label, problem_text, query_page,
    urlencode,
};
use crate::domain::Vocabulary;
use crate::error::AppError;
use crate::i18n::*;
use crate::islands::ApplyOnChange;
use leptos_i18n::I18nContext;

use super::{ADMIN, PEOPLE_READERS};

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

// ---------------------------------------------------------------- people

/// The people list: searchable, filterable by unit, paged. Admin: everyone, editable.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    let new_person = move || {
        view! {
            <a class="button primary" href="/admin/people/new" data-testid="new-person">
                {t!(i18n, people.new)}
            </a>
        }
        .into_any()
    };
    view! {
        <Page
            title=|i| t_string!(i, people.title)
            roles=ADMIN
            actions=ChildrenFn::to_children(new_person)
        >
            {move || {
                use_query_map()
                    .read()
                    .get("imported")
                    .map(|n| {
                        view! {
                            <div class="banner banner-ok" role="status" data-testid="imported">
                                {t_string!(i18n, roster.imported, n = n)}
                            </div>
                        }
                    })
            }}
            <PeopleList base="/admin/people" editable=true />
        </Page>
    }
}

/// A manager's team (their subtree) or, for trainers, the staff directory.
#[component]
pub fn TeamPage() -> impl IntoView {
    view! {
        <Page title=|i| t_string!(i, people.team_title) roles=PEOPLE_READERS>
            <PeopleList base="/team" editable=false />
        </Page>
    }
}

#[component]
fn PeopleList(base: &'static str, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let unit = move || query.read().get("unit").unwrap_or_default();
    let page = query_page();
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
                    <Suspense fallback=move || {
                        view! {
                            <select id="unit" name="unit">
                                <option value="">{t!(i18n, people.all_units)}</option>
                            </select>
                        }
                    }>
                        {move || Suspend::new(async move {
                            let selected = unit();
                            let options = units
                                .await
                                .unwrap_or_default()
                                .into_iter()
                                .map(|u| {
                                    let id = u.id.to_string();
                                    let is_selected = id == selected;
                                    view! {
                                        <option value=id selected=is_selected>
                                            {"\u{a0}\u{a0}".repeat(u.depth)}
                                            {u.name}
                                        </option>
                                    }
                                })
                                .collect_view();
                            view! {
                                <select id="unit" name="unit">
                                    <option value="">{t!(i18n, people.all_units)}</option>
                                    {options}
                                </select>
                            }
                        })}
                    </Suspense>
                </div>
                {editable
                    .then(|| {
                        view! {
                            <div class="field checkbox">
                                <input
                                    id="inactive"
                                    name="inactive"
                                    type="checkbox"
                                    value="true"
                                    checked=inactive
                                />
                                <label for="inactive">{t!(i18n, people.show_inactive)}</label>
                            </div>
                        }
                    })}
                <button type="submit">{t!(i18n, people.filter)}</button>
            </form>
        </ApplyOnChange>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match people.await {
                    Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                    Ok(p) if p.rows.is_empty() => {
                        view! {
                            <p class="empty" data-testid="people-empty">
                                {t!(i18n, people.empty)}
                            </p>
                        }
                            .into_any()
                    }
                    Ok(p) => {
                        let (q, unit) = (q(), unit());
                        let href = move |n: u64| {
                            format!("{base}?q={}&unit={}&page={n}", urlencode(&q), unit)
                        };
                        view! {
                            <p class="muted">
                                {t_string!(i18n, people.count, n = p.total)} " · "
                                <a
                                    href="/export/people.csv"
                                    rel="external"
                                    download
                                    data-testid="export-people"
                                >
                                    {t!(i18n, people.export)}
                                </a>
                            </p>
                            <table class="list" data-testid="people-table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, people.employee_no)}</th>
                                        <th scope="col">{t!(i18n, people.name)}</th>
                                        <th scope="col">{t!(i18n, people.unit)}</th>
                                        <th scope="col">{t!(i18n, people.position)}</th>
                                        <th scope="col">{t!(i18n, people.manager)}</th>
                                        <th scope="col">{t!(i18n, people.roles)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p
                                        .rows
                                        .into_iter()
                                        .map(|r| {
                                            let roles = r
                                                .roles
                                                .iter()
                                                .map(|x| role_name(i18n, *x))
                                                .collect::<Vec<_>>()
                                                .join(", ");
                                            let name = if editable {
                                                view! {
                                                    <a href=format!(
                                                        "/admin/people/{}",
                                                        r.id,
                                                    )>{r.name.clone()}</a>
                                                }
                                                    .into_any()
                                            } else {
                                                view! {
                                                    <a href=format!(
                                                        "/gaps/person/{}",
                                                        r.id,
                                                    )>{r.name.clone()}</a>
                                                }
                                                    .into_any()
                                            };
                                            view! {
                                                <tr class:inactive=!r.active>
                                                    <td>{r.employee_no}</td>
                                                    <td>
                                                        {name}
                                                        {(!r.active)
                                                            .then(|| {
                                                                view! {
                                                                    " "
                                                                    <span class="tag">{t!(i18n, common.inactive)}</span>
                                                                }
                                                            })}
                                                    </td>
                                                    <td>{r.unit}</td>
                                                    <td>{r.position}</td>
                                                    <td>{r.manager}</td>
                                                    <td>{roles}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            <Pager page=p.page pages=p.pages href=href />
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    // The person (none for a new one) and the choices their form offers.
    let form = Resource::new(
        move || (id(), use_query_map().read().get("saved")),
        |(id, _)| async move {
            let person = if id == "new" {
                None
            } else {
                Some(super::get_person(id).await?)
            };
            Ok((
                person,
                super::list_units().await?,
                super::list_positions().await?,
            ))
        },
    );
    view! {
        <Page
            title=|i| t_string!(i, people.edit_title)
            roles=ADMIN
            crumbs=vec![(|i| t_string!(i, people.title), "/admin/people")]
            heading=false
        >
            <Loaded resource=form let:form>
                <PersonForms person=form.0 units=form.1 positions=form.2 />
            </Loaded>
        </Page>
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
        {person
            .as_ref()
            .filter(|p| !p.can_sign_in)
            .map(|_| {
                view! {
                    <div class="banner" role="status">
                        {t!(i18n, people.no_password)}
                    </div>
                }
            })}
        <section class="card">
            <FormError error=error />
            <ActionForm action=save attr:data-testid="person-form">
                <input
                    type="hidden"
                    name="id"
                    value=person.as_ref().map(|p| p.id.to_string()).unwrap_or_default()
                />
                <div class="grid2">
                    <TextField
                        name="employee_no"
                        label=label(i18n, |i| t_string!(i, people.employee_no))
                        error=error
                        value=person.as_ref().map(|p| p.employee_no.clone()).unwrap_or_default()
                        required=true
                    />
                    <TextField
                        name="name"
                        label=label(i18n, |i| t_string!(i, people.name))
                        error=error
                        value=person.as_ref().map(|p| p.name.clone()).unwrap_or_default()
                        required=true
                    />
                    <TextField
                        name="email"
                        kind="email"
                        label=label(i18n, |i| t_string!(i, people.email))
                        error=error
                        value=person.as_ref().and_then(|p| p.email.clone()).unwrap_or_default()
                    />
                    <TextField
                        name="manager_no"
                        label=label(i18n, |i| t_string!(i, people.manager_no))
                        error=error
                        value=person.as_ref().and_then(|p| p.manager_no.clone()).unwrap_or_default()
                    />
                    <div class="field">
                        <label for="field-unit_id">{t!(i18n, people.unit)}</label>
                        <select id="field-unit_id" name="unit_id">
                            <option value="">"—"</option>
                            {units
                                .into_iter()
                                .map(|u| {
                                    view! {
                                        <option
                                            value=u.id.to_string()
                                            selected=Some(u.id) == unit_id
                                        >
                                            {"\u{a0}\u{a0}".repeat(u.depth)}
                                            {u.name}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <FieldErrors error=error field="unit_id" />
                    </div>
                    <div class="field">
                        <label for="field-position_id">{t!(i18n, people.position)}</label>
                        <select id="field-position_id" name="position_id">
                            <option value="">"—"</option>
                            {positions
                                .into_iter()
                                .map(|p| {
                                    view! {
                                        <option
                                            value=p.id.to_string()
                                            selected=Some(p.id) == position_id
                                        >
                                            {p.name}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <FieldErrors error=error field="position_id" />
                    </div>
                </div>
                <fieldset>
                    <legend>{t!(i18n, people.roles)}</legend>
                    {crate::auth::EVERYONE
                        .iter()
                        .copied()
                        .map(|r| {
                            let id = format!("role_{}", r.as_str());
                            view! {
                                <span class="checkbox">
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        name=id.clone()
                                        value="on"
                                        checked=has_role(r)
                                    />
                                    <label for=id>{role_name(i18n, r)}</label>
                                </span>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <button type="submit" class="primary" data-testid="save-person">
                    {t!(i18n, common.save)}
                </button>
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
    let unlock = ServerAction::<UnlockPerson>::new();
    let unlock_error = action_error(unlock);
    let id = person.id.to_string();
    let unlock_id = id.clone();
    let toggle_id = id.clone();
    view! {
        <section class="card">
            <h2>{t!(i18n, people.reset_password)}</h2>
            {move || {
                reset_done()
                    .then(|| {
                        view! {
                            <div class="banner banner-ok" role="status">
                                {t!(i18n, people.password_set)}
                            </div>
                        }
                    })
            }}
            <QueryBanner key="unlocked" text=|i| t_string!(i, people.unlocked) />
            {person
                .locked
                .then(|| {
                    view! {
                        <p class="muted" data-testid="locked">
                            {t!(i18n, people.locked)}
                        </p>
                        <FormError error=unlock_error />
                        <ActionForm action=unlock>
                            <input type="hidden" name="id" value=unlock_id />
                            <button type="submit" data-testid="unlock">
                                {t!(i18n, people.unlock)}
                            </button>
                        </ActionForm>
                    }
                })}
            <FormError error=reset_error />
            <ActionForm action=reset>
                <input type="hidden" name="id" value=id.clone() />
                <div class="grid2">
                    <TextField
                        name="new_password"
                        kind="password"
                        label=label(i18n, |i| t_string!(i, account.new_password))
                        error=reset_error
                        required=true
                        autocomplete="new-password"
                    />
                    <TextField
                        name="confirm"
                        kind="password"
                        label=label(i18n, |i| t_string!(i, account.confirm))
                        error=reset_error
                        required=true
                        autocomplete="new-password"
                    />
                </div>
                <button type="submit">{t!(i18n, people.set_password)}</button>
            </ActionForm>
        </section>
        <section class="card danger-zone">
            <h2>
                {if person.active {
                    t_string!(i18n, people.deactivate)
                } else {
                    t_string!(i18n, people.reactivate)
                }}
            </h2>
            <FormError error=active_error />
            <ActionForm action=active>
                <input type="hidden" name="id" value=toggle_id />
                <input type="hidden" name="active" value=(!person.active).to_string() />
                {person
                    .active
                    .then(|| {
                        view! {
                            <p>{t!(i18n, people.deactivate_help)}</p>
                            <div class="field checkbox">
                                <input
                                    type="checkbox"
                                    id="confirm-deactivate"
                                    name="confirm"
                                    value="yes"
                                />
                                <label for="confirm-deactivate">
                                    {t!(i18n, common.confirm_check)}
                                </label>
                                <FieldErrors error=active_error field="confirm" />
                            </div>
                        }
                    })}
                <button type="submit" class:danger=person.active data-testid="toggle-active">
                    {if person.active {
                        t_string!(i18n, people.deactivate)
                    } else {
                        t_string!(i18n, people.reactivate)
                    }}
                </button>
            </ActionForm>
        </section>
    }
}

// ---------------------------------------------------------------- units and positions

/// A unit or a position, as their shared list and editor show it.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    id: uuid::Uuid,
    code: String,
    name: String,
    active: bool,
    people: u64,
    /// Nesting in the unit tree; 0 for positions.
    depth: usize,
}

impl From<&UnitDto> for Entry {
    fn from(u: &UnitDto) -> Self {
        Self {
            id: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            active: u.active,
            people: u.people,
            depth: u.depth,
        }
    }
}

impl From<&PositionDto> for Entry {
    fn from(p: &PositionDto) -> Self {
        Self {
            id: p.id,
            code: p.code.clone(),
            name: p.name.clone(),
            active: p.active,
            people: p.people,
            depth: 0,
        }
    }
}

/// What differs between the units page and the positions page: words and links.
#[derive(Clone, Copy)]
struct Registry {
    base: &'static str,
    /// `unit` or `position`, for test ids and element ids.
    kind: &'static str,
    title: Text,
    empty: Text,
    name: Text,
    code: Text,
    new: Text,
    edit: Text,
    deactivate: Text,
    reactivate: Text,
}

const UNITS: Registry = Registry {
    base: "/admin/units",
    kind: "unit",
    title: |i| t_string!(i, units.title),
    empty: |i| t_string!(i, units.empty),
    name: |i| t_string!(i, units.name),
    code: |i| t_string!(i, units.code),
    new: |i| t_string!(i, units.new),
    edit: |i| t_string!(i, units.edit),
    deactivate: |i| t_string!(i, units.deactivate),
    reactivate: |i| t_string!(i, units.reactivate),
};

const POSITIONS: Registry = Registry {
    base: "/admin/positions",
    kind: "position",
    title: |i| t_string!(i, positions.title),
    empty: |i| t_string!(i, positions.empty),
    name: |i| t_string!(i, positions.name),
    code: |i| t_string!(i, positions.code),
    new: |i| t_string!(i, positions.new),
    edit: |i| t_string!(i, positions.edit),
    deactivate: |i| t_string!(i, positions.deactivate),
    reactivate: |i| t_string!(i, positions.reactivate),
};

/// The entry named by `?edit=`, if any.
fn editing(entries: &[Entry]) -> Option<Entry> {
    let wanted = use_query_map().read_untracked().get("edit")?;
    entries.iter().find(|e| e.id.to_string() == wanted).cloned()
}

/// The list of units or positions, each with its people count and an edit link.
#[component]
fn RegistryTable(registry: Registry, entries: Vec<Entry>) -> impl IntoView {
    let i18n = use_i18n();
    let r = registry;
    if entries.is_empty() {
        return view! { <p class="empty">{move || (r.empty)(i18n)}</p> }.into_any();
    }
    view! {
        <table class="list" data-testid=format!("{}s-table", r.kind)>
            <thead>
                <tr>
                    <th scope="col">{move || (r.name)(i18n)}</th>
                    <th scope="col">{move || (r.code)(i18n)}</th>
                    <th scope="col" class="num">
                        {t!(i18n, dashboard.people)}
                    </th>
                    <th scope="col">
                        <span class="sr-only">{t!(i18n, common.actions)}</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {entries
                    .into_iter()
                    .map(|e| {
                        view! {
                            <tr class:inactive=!e.active>
                                <td class=format!(
                                    "depth-{}",
                                    e.depth.min(6),
                                )>
                                    {e.name}
                                    {(!e.active)
                                        .then(|| {
                                            view! {
                                                " "
                                                <span class="tag">{t!(i18n, common.inactive)}</span>
                                            }
                                        })}
                                </td>
                                <td>
                                    <code>{e.code}</code>
                                </td>
                                <td class="num">{e.people}</td>
                                <td>
                                    <a href=format!(
                                        "{}?edit={}",
                                        r.base,
                                        e.id,
                                    )>{t!(i18n, common.edit)}</a>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The id, code and name fields of a unit or position form.
#[component]
fn CodeAndName(
    registry: Registry,
    edit: Option<Entry>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = edit.as_ref().map(|e| e.id.to_string()).unwrap_or_default();
    let (code, name) = edit.map(|e| (e.code, e.name)).unwrap_or_default();
    view! {
        <input type="hidden" name="id" value=id />
        <TextField
            name="code"
            label=label(i18n, registry.code)
            error=error
            value=code
            required=true
        />
        <TextField
            name="name"
            label=label(i18n, registry.name)
            error=error
            value=name
            required=true
        />
    }
}

/// The fields of the (de)activation form: deactivating asks for a ticked box.
#[component]
fn ActiveSwitch(
    registry: Registry,
    entry: Entry,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let r = registry;
    let words = if entry.active {
        r.deactivate
    } else {
        r.reactivate
    };
    let confirm_id: &'static str = if r.kind == "unit" {
        "confirm-unit"
    } else {
        "confirm-position"
    };
    view! {
        <input type="hidden" name="id" value=entry.id.to_string() />
        <input type="hidden" name="active" value=(!entry.active).to_string() />
        {entry.active.then(|| view! { <ConfirmBox id=confirm_id error=error /> })}
        <button type="submit" class:danger=entry.active>
            {move || words(i18n)}
        </button>
    }
}

/// The heading and cancel link of a unit or position editor.
fn editor_heading(registry: Registry, editing: bool) -> impl IntoView {
    let i18n = use_i18n();
    let words = if editing { registry.edit } else { registry.new };
    view! { <h2>{move || words(i18n)}</h2> }
}

#[component]
pub fn UnitsPage() -> impl IntoView {
    let query = use_query_map();
    let units = Resource::new(move || query.read().get("saved"), |_| super::list_units());
    view! {
        <Page title=UNITS.title roles=ADMIN>
            <Loaded resource=units let:units>
                {
                    let entries: Vec<Entry> = units.iter().map(Entry::from).collect();
                    let edit = editing(&entries);
                    view! {
                        <RegistryTable registry=UNITS entries=entries />
                        <UnitForm units=units edit=edit />
                    }
                }
            </Loaded>
        </Page>
    }
}

#[component]
fn UnitForm(units: Vec<UnitDto>, edit: Option<Entry>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveUnit>::new();
    let error = action_error(save);
    let toggle = ServerAction::<SetUnitActive>::new();
    let toggle_error = action_error(toggle);
    let (is_edit, fields) = (edit.is_some(), edit.clone());
    let editing_id = edit.as_ref().map(|u| u.id);
    let parent = units
        .iter()
        .find(|u| Some(u.id) == editing_id)
        .and_then(|u| u.parent_id);
    view! {
        <section class="card" data-testid="unit-form">
            {editor_heading(UNITS, is_edit)}
            <FormError error=error />
            <ActionForm action=save>
                <div class="grid2">
                    <CodeAndName registry=UNITS edit=fields error=error />
                    <div class="field">
                        <label for="field-parent_id">{t!(i18n, units.parent)}</label>
                        <select id="field-parent_id" name="parent_id">
                            <option value="">{t!(i18n, units.no_parent)}</option>
                            {units
                                .into_iter()
                                .filter(|u| Some(u.id) != editing_id)
                                .map(|u| {
                                    view! {
                                        <option
                                            value=u.id.to_string()
                                            selected=Some(u.id) == parent
                                        >
                                            {"\u{a0}\u{a0}".repeat(u.depth)}
                                            {u.name}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <FieldErrors error=error field="parent_id" />
                    </div>
                </div>
                <FormButtons base=UNITS.base editing=is_edit />
            </ActionForm>
            {edit
                .map(|u| {
                    view! {
                        <FormError error=toggle_error />
                        <ActionForm action=toggle attr:class="danger-zone">
                            <ActiveSwitch registry=UNITS entry=u error=toggle_error />
                        </ActionForm>
                    }
                })}
        </section>
    }
}

#[component]
pub fn PositionsPage() -> impl IntoView {
    let query = use_query_map();
    let positions = Resource::new(
        move || query.read().get("saved"),
        |_| super::list_positions(),
    );
    view! {
        <Page title=POSITIONS.title roles=ADMIN>
            <Loaded resource=positions let:positions>
                {
                    let entries: Vec<Entry> = positions.iter().map(Entry::from).collect();
                    let edit = editing(&entries);
                    view! {
                        <RegistryTable registry=POSITIONS entries=entries />
                        <PositionForm edit=edit />
                    }
                }
            </Loaded>
        </Page>
    }
}

#[component]
fn PositionForm(edit: Option<Entry>) -> impl IntoView {
    let save = ServerAction::<SavePosition>::new();
    let error = action_error(save);
    let toggle = ServerAction::<SetPositionActive>::new();
    let toggle_error = action_error(toggle);
    let (is_edit, fields) = (edit.is_some(), edit.clone());
    view! {
        <section class="card" data-testid="position-form">
            {editor_heading(POSITIONS, is_edit)}
            <FormError error=error />
            <ActionForm action=save>
                <div class="grid2">
                    <CodeAndName registry=POSITIONS edit=fields error=error />
                </div>
                <FormButtons base=POSITIONS.base editing=is_edit />
            </ActionForm>
            {edit
                .map(|p| {
                    view! {
                        <FormError error=toggle_error />
                        <ActionForm action=toggle attr:class="danger-zone">
                            <ActiveSwitch registry=POSITIONS entry=p error=toggle_error />
                        </ActionForm>
                    }
                })}
        </section>
    }
}

// ---------------------------------------------------------------- roster

#[component]
pub fn RosterPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title=|i| t_string!(i, roster.title) roles=ADMIN>
            <section class="card">
                <p>{t!(i18n, roster.intro)}</p>
                <pre class="sample">
                    "employee_no,name,unit,position,manager,roles,email\nE0301,陈静,HALL,CLERK,E0101,staff,\nE0302,Li Na,HALL,CLERK,E0101,staff;trainer,li.na@example.org"
                </pre>
                <p class="muted">{t!(i18n, roster.columns)}</p>
                <p>
                    <a href="/roster-sample.csv" download>
                        {t!(i18n, roster.sample)}
                    </a>
                </p>
                // Multipart upload to a plain endpoint: works without JavaScript.
                <UploadForm
                    action="/admin/roster/upload"
                    testid="roster-form"
                    input_id="roster-file"
                    button=|i| t_string!(i, roster.preview)
                />
            </section>
        </Page>
    }
}

#[component]
pub fn RosterPreviewPage() -> impl IntoView {
    let params = use_params_map();
    let preview = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        super::preview_roster,
    );
    view! {
        <Page
            title=|i| t_string!(i, roster.preview_title)
            roles=ADMIN
            crumbs=vec![(|i| t_string!(i, roster.title), "/admin/roster")]
            heading=false
        >
            <Loaded resource=preview let:preview>
                <RosterPreviewView preview=preview />
            </Loaded>
        </Page>
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
        {preview
            .file_problems
            .iter()
            .map(|p| {
                view! {
                    <div class="banner banner-error" role="alert" data-testid="file-problem">
                        {problem_text(i18n, p)}
                    </div>
                }
            })
            .collect_view()}
        {(!preview.rows.is_empty())
            .then(|| view! { <p data-testid="roster-summary">{summary}</p> })}
        {(bad_rows > 0)
            .then(|| {
                view! {
                    <div class="banner banner-error" role="alert" data-testid="roster-invalid">
                        {t_string!(i18n, roster.invalid, n = bad_rows)}
                    </div>
                }
            })}
        <table class="list" data-testid="roster-table">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, roster.line)}</th>
                    <th scope="col">{t!(i18n, people.employee_no)}</th>
                    <th scope="col">{t!(i18n, people.name)}</th>
                    <th scope="col">{t!(i18n, people.unit)}</th>
                    <th scope="col">{t!(i18n, people.position)}</th>
                    <th scope="col">{t!(i18n, people.manager)}</th>
                    <th scope="col">{t!(i18n, people.roles)}</th>
                    <th scope="col">{t!(i18n, roster.result)}</th>
                </tr>
            </thead>
            <tbody>
                {preview
                    .rows
                    .into_iter()
                    .map(|r| {
                        let ok = r.errors.is_empty();
                        let result = if ok {
                            match r.action {
                                RowAction::New => t_string!(i18n, roster.new).to_string(),
                                RowAction::Update => t_string!(i18n, roster.update).to_string(),
                                RowAction::Unchanged => {
                                    t_string!(i18n, roster.unchanged).to_string()
                                }
                            }
                        } else {
                            r.errors
                                .iter()
                                .map(|e| {
                                    format!(
                                        "{}: {}",
                                        column_label(i18n, &e.field),
                                        problem_text(i18n, &e.problem),
                                    )
                                })
                                .collect::<Vec<_>>()
                                .join(" ")
                        };
                        view! {
                            <tr class:row-error=!ok data-testid=format!("roster-row-{}", r.line)>
                                <td>{r.line}</td>
                                <td>{r.employee_no}</td>
                                <td>{r.name}</td>
                                <td>{r.unit}</td>
                                <td>{r.position}</td>
                                <td>{r.manager}</td>
                                <td>{r.roles}</td>
                                <td class:error-text=!ok>{result}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <FormError error=error />
        {if preview.imported {
            view! {
                <p class="banner" role="status">
                    {t!(i18n, roster.already)}
                </p>
            }
                .into_any()
        } else if valid {
            view! {
                <ActionForm action=import>
                    <input type="hidden" name="id" value=preview.id.to_string() />
                    <button type="submit" class="primary" data-testid="roster-import">
                        {t!(i18n, roster.import)}
                    </button>
                </ActionForm>
            }
                .into_any()
        } else {
            view! { <p class="muted">{t!(i18n, roster.fix_first)}</p> }.into_any()
        }}
    }
}
