//! Framework list and editor, framework CSV import, and the target-profile grid.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{
    ArchiveFramework, ArrangeFramework, CompetencyDto, CopyTargets, CreateFramework, DomainDto,
    FrameworkDetail, ImportFramework, SaveCompetency, SaveDomain, SaveFramework, SaveTargets,
    TargetGrid, cell_key,
};
use crate::components::{
    ConfirmBox, FieldErrors, FormError, Loaded, Page, QueryBanner, TextField, UploadForm,
    action_error, label, mutation, problem_text, search_key, use_user,
};
use crate::i18n::*;

const EDITORS: &[crate::auth::Role] = super::EDITORS;
const READERS: &[crate::auth::Role] = super::READERS;

/// Whether the signed-in person may edit frameworks (others see them read-only).
fn can_edit() -> Signal<bool> {
    let user = use_user().0;
    Signal::derive(move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.has_any(EDITORS))
    })
}

#[component]
pub fn FrameworksPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(move || search_key().get(), |_| super::list_frameworks());
    let create = mutation::<CreateFramework>();
    let error = action_error(create);
    let editor = can_edit();
    let import_link = move || {
        view! {
            {move || {
                editor
                    .get()
                    .then(|| {
                        view! {
                            <a
                                class="button"
                                href="/frameworks/import"
                                data-testid="import-framework"
                            >
                                {t!(i18n, fw.import)}
                            </a>
                        }
                    })
            }}
        }
        .into_any()
    };
    view! {
        <Page
            title=|i| t_string!(i, fw.title)
            roles=READERS
            actions=ChildrenFn::to_children(import_link)
        >
            <p class="muted">{t!(i18n, fw.intro)}</p>
            <Loaded resource=list let:list>
                {if list.is_empty() {
                    view! {
                        <p class="empty" data-testid="frameworks-empty">
                            {t!(i18n, fw.empty)}
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <table class="list" data-testid="frameworks-table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, fw.name)}</th>
                                    <th scope="col">{t!(i18n, fw.version)}</th>
                                    <th scope="col" class="num">
                                        {t!(i18n, fw.competencies)}
                                    </th>
                                    <th scope="col">{t!(i18n, fw.status)}</th>
                                    <th scope="col">{t!(i18n, targets.title)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|f| {
                                        view! {
                                            <tr class:inactive=f.archived>
                                                <td>
                                                    <a href=format!("/frameworks/{}", f.id)>{f.name}</a>
                                                </td>
                                                <td>"v"{f.version}</td>
                                                <td class="num">{f.competencies}</td>
                                                <td>
                                                    {f
                                                        .archived
                                                        .then(|| {
                                                            view! { <span class="tag">{t!(i18n, fw.archived)}</span> }
                                                        })}
                                                    {f
                                                        .locked
                                                        .then(|| {
                                                            view! {
                                                                <span class="tag tag-info">{t!(i18n, fw.in_use)}</span>
                                                            }
                                                        })}
                                                    {(!f.latest)
                                                        .then(|| {
                                                            view! { <span class="tag">{t!(i18n, fw.superseded)}</span> }
                                                        })}
                                                </td>
                                                <td>
                                                    {f
                                                        .latest
                                                        .then(|| {
                                                            view! {
                                                                <a href=format!(
                                                                    "/targets/{}",
                                                                    f.family_id,
                                                                )>{t!(i18n, targets.open)}</a>
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
            </Loaded>
            {move || {
                editor
                    .get()
                    .then(|| {
                        view! {
                            <section class="card">
                                <h2>{t!(i18n, fw.new)}</h2>
                                <FormError error=error />
                                <ActionForm action=create attr:data-testid="framework-create">
                                    <TextField
                                        name="name"
                                        label=label(i18n, |i| t_string!(i, fw.name))
                                        error=error
                                        required=true
                                    />
                                    <div class="field">
                                        <label for="field-description">
                                            {t!(i18n, fw.description)}
                                        </label>
                                        <textarea
                                            id="field-description"
                                            name="description"
                                            rows="2"
                                        ></textarea>
                                    </div>
                                    <button type="submit" class="primary">
                                        {t!(i18n, fw.create)}
                                    </button>
                                </ActionForm>
                            </section>
                        }
                    })
            }}
        </Page>
    }
}

#[component]
pub fn FrameworkPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let framework = Resource::new(
        move || (id(), search_key().get()),
        |(id, _)| super::get_framework(id),
    );
    view! {
        <Page
            title=|i| t_string!(i, fw.title)
            roles=READERS
            crumbs=vec![(|i| t_string!(i, fw.title), "/frameworks")]
            heading=false
        >
            <QueryBanner key="imported" text=|i| t_string!(i, fw.imported) />
            <QueryBanner key="versioned" text=|i| t_string!(i, fw.versioned) />
            <Loaded resource=framework let:framework>
                <FrameworkEditor framework=framework />
            </Loaded>
        </Page>
    }
}

#[component]
fn FrameworkEditor(framework: FrameworkDetail) -> impl IntoView {
    let i18n = use_i18n();
    let editor = can_edit();
    let save = mutation::<SaveFramework>();
    let save_error = action_error(save);
    let add_domain = mutation::<SaveDomain>();
    let domain_error = action_error(add_domain);
    let archive = mutation::<ArchiveFramework>();
    let archive_error = action_error(archive);
    let f = framework.clone();
    let fid = f.id.to_string();
    view! {
        <div class="page-head">
            <h1 data-testid="framework-title">
                {f.name.clone()} " " <span class="muted">"v"{f.version}</span>
            </h1>
            <a
                class="button"
                href=format!("/export/frameworks/{}", f.id)
                rel="external"
                download
                data-testid="export-framework"
            >
                {t!(i18n, fw.export)}
            </a>
        </div>
        <p class="muted">
            {t!(i18n, fw.versions)} ": "
            {f
                .versions
                .iter()
                .map(|(vid, v)| {
                    let current = *vid == f.id;
                    view! {
                        <a href=format!("/frameworks/{vid}") aria-current=current.then_some("page")>
                            "v"
                            {*v}
                        </a>
                        " "
                    }
                })
                .collect_view()} " · "
            <a href=format!("/targets/{}", f.family_id)>{t!(i18n, targets.open)}</a>
        </p>
        {f
            .locked
            .then(|| {
                view! {
                    <div class="banner" role="note" data-testid="locked-note">
                        {t!(i18n, fw.locked_note)}
                    </div>
                }
            })}
        {(!f.description.is_empty()).then(|| view! { <p>{f.description.clone()}</p> })}
        {f.domains.is_empty().then(|| view! { <p class="empty">{t!(i18n, fw.no_domains)}</p> })}
        {f
            .domains
            .iter()
            .cloned()
            .map(|d| view! { <DomainSection framework_id=f.id domain=d editor=editor /> })
            .collect_view()}
        {move || {
            editor
                .get()
                .then(|| {
                    let (fid1, fid2, fid3) = (fid.clone(), fid.clone(), fid.clone());
                    let (name, description, archived) = (
                        framework.name.clone(),
                        framework.description.clone(),
                        framework.archived,
                    );
                    view! {
                        <section class="card">
                            <h2>{t!(i18n, fw.add_domain)}</h2>
                            <FormError error=domain_error />
                            <ActionForm action=add_domain attr:data-testid="domain-add">
                                <input type="hidden" name="framework_id" value=fid1 />
                                <TextField
                                    name="name"
                                    label=label(i18n, |i| t_string!(i, fw.domain_name))
                                    error=domain_error
                                    required=true
                                />
                                <button type="submit">{t!(i18n, fw.add_domain)}</button>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <h2>{t!(i18n, fw.settings)}</h2>
                            <FormError error=save_error />
                            <ActionForm action=save>
                                <input type="hidden" name="id" value=fid2 />
                                <TextField
                                    name="name"
                                    label=label(i18n, |i| t_string!(i, fw.name))
                                    error=save_error
                                    value=name
                                    required=true
                                />
                                <div class="field">
                                    <label for="fw-description">{t!(i18n, fw.description)}</label>
                                    <textarea id="fw-description" name="description" rows="2">
                                        {description}
                                    </textarea>
                                </div>
                                <button type="submit">{t!(i18n, common.save)}</button>
                            </ActionForm>
                        </section>
                        <section class="card danger-zone">
                            <h2>
                                {if archived {
                                    t_string!(i18n, fw.restore)
                                } else {
                                    t_string!(i18n, fw.archive)
                                }}
                            </h2>
                            <FormError error=archive_error />
                            <ActionForm action=archive>
                                <input type="hidden" name="id" value=fid3 />
                                <input
                                    type="hidden"
                                    name="archived"
                                    value=(!archived).to_string()
                                />
                                {(!archived)
                                    .then(|| {
                                        view! {
                                            <p>{t!(i18n, fw.archive_help)}</p>
                                            <ConfirmBox id="confirm-archive" error=archive_error />
                                        }
                                    })}
                                <button type="submit" class:danger=!archived>
                                    {if archived {
                                        t_string!(i18n, fw.restore)
                                    } else {
                                        t_string!(i18n, fw.archive)
                                    }}
                                </button>
                            </ActionForm>
                        </section>
                    }
                })
        }}
    }
}

/// Small inline forms that move or (un)archive a domain or competency.
#[component]
fn ArrangeButtons(
    framework_id: uuid::Uuid,
    target: &'static str,
    id: uuid::Uuid,
    archived: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let arrange = mutation::<ArrangeFramework>();
    let button = move |op: &'static str, text: String, confirm: bool| {
        view! {
            <ActionForm action=arrange attr:class="inline">
                <input type="hidden" name="framework_id" value=framework_id.to_string() />
                <input type="hidden" name="target" value=target />
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="op" value=op />
                {confirm.then(|| view! { <input type="hidden" name="confirm" value="yes" /> })}
                <button type="submit" class="link" data-testid=format!("{target}-{op}")>
                    {text}
                </button>
            </ActionForm>
        }
    };
    view! {
        <span class="arrange">
            {button("up", t_string!(i18n, fw.up).to_owned(), false)}
            {button("down", t_string!(i18n, fw.down).to_owned(), false)}
            {if archived {
                button("restore", t_string!(i18n, fw.restore).to_owned(), false).into_any()
            } else {
                // The archive link lives inside a <details> that asks first.
                view! {
                    <details class="inline-confirm">
                        <summary>{t!(i18n, fw.archive)}</summary>
                        <p>{t!(i18n, fw.archive_item_help)}</p>
                        {button("archive", t_string!(i18n, common.confirm_check).to_owned(), true)}
                    </details>
                }
                    .into_any()
            }}
            {move || {
                arrange
                    .value()
                    .get()
                    .and_then(|r| r.err())
                    .map(|e| view! { <FormError error=Signal::derive(move || Some(e.clone())) /> })
            }}
        </span>
    }
}

#[component]
fn DomainSection(
    framework_id: uuid::Uuid,
    domain: DomainDto,
    editor: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rename = mutation::<SaveDomain>();
    let rename_error = action_error(rename);
    let d = domain.clone();
    let competencies = domain.competencies.clone();
    view! {
        <section class="card domain" class:inactive=d.archived data-testid="domain">
            <div class="page-head">
                <h2>
                    {d.name.clone()}
                    {d
                        .archived
                        .then(|| {
                            view! {
                                " "
                                <span class="tag">{t!(i18n, fw.archived)}</span>
                            }
                        })}
                </h2>
                {move || {
                    editor
                        .get()
                        .then(|| {
                            view! {
                                <ArrangeButtons
                                    framework_id=framework_id
                                    target="domain"
                                    id=d.id
                                    archived=d.archived
                                />
                            }
                        })
                }}
            </div>
            {competencies
                .is_empty()
                .then(|| view! { <p class="empty">{t!(i18n, fw.no_competencies)}</p> })}
            <table class="list">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, fw.code)}</th>
                        <th scope="col">{t!(i18n, fw.competency)}</th>
                        <th scope="col">{t!(i18n, fw.levels)}</th>
                    </tr>
                </thead>
                <tbody>
                    {competencies
                        .into_iter()
                        .map(|c| {
                            view! {
                                <CompetencyRow
                                    framework_id=framework_id
                                    domain_id=domain.id
                                    competency=c
                                    editor=editor
                                />
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            {move || {
                editor
                    .get()
                    .then(|| {
                        let name = domain.name.clone();
                        view! {
                            <details>
                                <summary data-testid="competency-add-open">
                                    {t!(i18n, fw.add_competency)}
                                </summary>
                                <CompetencyForm
                                    framework_id=framework_id
                                    domain_id=domain.id
                                    competency=None
                                />
                            </details>
                            <details>
                                <summary>{t!(i18n, fw.rename_domain)}</summary>
                                <FormError error=rename_error />
                                <ActionForm action=rename>
                                    <input
                                        type="hidden"
                                        name="framework_id"
                                        value=framework_id.to_string()
                                    />
                                    <input type="hidden" name="id" value=domain.id.to_string() />
                                    <TextField
                                        name="name"
                                        label=label(i18n, |i| t_string!(i, fw.domain_name))
                                        error=rename_error
                                        value=name
                                        required=true
                                    />
                                    <button type="submit">{t!(i18n, common.save)}</button>
                                </ActionForm>
                            </details>
                        }
                    })
            }}
        </section>
    }
}

#[component]
fn CompetencyRow(
    framework_id: uuid::Uuid,
    domain_id: uuid::Uuid,
    competency: CompetencyDto,
    editor: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let c = competency.clone();
    view! {
        <tr class:inactive=c.archived data-testid="competency-row">
            <td>
                <code>{c.code.clone()}</code>
            </td>
            <td>
                <strong>{c.name.clone()}</strong>
                {c
                    .archived
                    .then(|| {
                        view! {
                            " "
                            <span class="tag">{t!(i18n, fw.archived)}</span>
                        }
                    })}
                {(!c.description.is_empty())
                    .then(|| view! { <p class="muted">{c.description.clone()}</p> })}
                {move || {
                    editor
                        .get()
                        .then(|| {
                            let c = competency.clone();
                            view! {
                                <ArrangeButtons
                                    framework_id=framework_id
                                    target="competency"
                                    id=c.id
                                    archived=c.archived
                                />
                                <details>
                                    <summary>{t!(i18n, common.edit)}</summary>
                                    <CompetencyForm
                                        framework_id=framework_id
                                        domain_id=domain_id
                                        competency=Some(c)
                                    />
                                </details>
                            }
                        })
                }}
            </td>
            <td>
                <ol class="levels">
                    {c.levels.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}
                </ol>
            </td>
        </tr>
    }
}

#[component]
fn CompetencyForm(
    framework_id: uuid::Uuid,
    domain_id: uuid::Uuid,
    competency: Option<CompetencyDto>,
) -> impl IntoView {
    let i18n = use_i18n();
    let save = mutation::<SaveCompetency>();
    let error = action_error(save);
    let c = competency.clone();
    let level = move |n: usize| {
        c.as_ref()
            .and_then(|c| c.levels.get(n).cloned())
            .unwrap_or_default()
    };
    let field_names = ["level_1", "level_2", "level_3", "level_4", "level_5"];
    let prefix = competency.as_ref().map_or_else(
        || format!("new-{}", domain_id.simple()),
        |c| c.id.simple().to_string(),
    );
    view! {
        <FormError error=error />
        <ActionForm action=save attr:class="competency-form" attr:data-testid="competency-form">
            <input type="hidden" name="framework_id" value=framework_id.to_string() />
            <input type="hidden" name="domain_id" value=domain_id.to_string() />
            <input
                type="hidden"
                name="id"
                value=competency.as_ref().map(|c| c.id.to_string()).unwrap_or_default()
            />
            <div class="grid2">
                <div class="field">
                    <label for=format!("{prefix}-code")>{t!(i18n, fw.code)}</label>
                    <input
                        id=format!("{prefix}-code")
                        name="code"
                        required
                        value=competency.as_ref().map(|c| c.code.clone()).unwrap_or_default()
                    />
                    <FieldErrors error=error field="code" />
                </div>
                <div class="field">
                    <label for=format!("{prefix}-name")>{t!(i18n, fw.competency)}</label>
                    <input
                        id=format!("{prefix}-name")
                        name="name"
                        required
                        value=competency.as_ref().map(|c| c.name.clone()).unwrap_or_default()
                    />
                    <FieldErrors error=error field="name" />
                </div>
            </div>
            <div class="field">
                <label for=format!("{prefix}-description")>{t!(i18n, fw.description)}</label>
                <input
                    id=format!("{prefix}-description")
                    name="description"
                    value=competency.as_ref().map(|c| c.description.clone()).unwrap_or_default()
                />
            </div>
            {field_names
                .into_iter()
                .enumerate()
                .map(|(n, field)| {
                    let id = format!("{prefix}-{field}");
                    view! {
                        <div class="field">
                            <label for=id.clone()>{t_string!(i18n, fw.level_n, n = n + 1)}</label>
                            <textarea id=id name=field rows="2" required>
                                {level(n)}
                            </textarea>
                            <FieldErrors error=error field=field />
                        </div>
                    }
                })
                .collect_view()}
            <button type="submit" class="primary">
                {t!(i18n, common.save)}
            </button>
        </ActionForm>
    }
}

// ---------------------------------------------------------------- import

#[component]
pub fn FrameworkImportPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page
            title=|i| t_string!(i, fw.import)
            roles=EDITORS
            crumbs=vec![(|i| t_string!(i, fw.title), "/frameworks")]
        >
            <p>{t!(i18n, fw.import_help)}</p>
            <pre class="sample">
                "domain,code,name,description,level_1,level_2,level_3,level_4,level_5"
            </pre>
            <section class="card">
                <UploadForm
                    action="/frameworks/upload"
                    testid="framework-upload"
                    input_id="framework-file"
                    button=|i| t_string!(i, roster.upload)
                />
            </section>
        </Page>
    }
}

#[component]
pub fn FrameworkImportPreviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let preview = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        super::preview_framework_import,
    );
    let import = mutation::<ImportFramework>();
    let error = action_error(import);
    view! {
        <Page
            title=|i| t_string!(i, fw.import_preview)
            roles=EDITORS
            crumbs=vec![
                (|i| t_string!(i, fw.title), "/frameworks"),
                (|i| t_string!(i, fw.import), "/frameworks/import"),
            ]
        >
            <Loaded resource=preview let:p>
                {
                    let valid = p.is_valid();
                    let id = p.id.to_string();
                    view! {
                        <p class="muted">{p.file_name.clone()}</p>
                        {p
                            .file_problems
                            .iter()
                            .map(|pr| {
                                view! {
                                    <div class="banner banner-error" role="alert">
                                        {problem_text(i18n, pr)}
                                    </div>
                                }
                            })
                            .collect_view()}
                        {(!p.rows.is_empty())
                            .then(|| {
                                view! {
                                    <table class="list" data-testid="framework-preview">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, roster.line)}</th>
                                                <th scope="col">{t!(i18n, fw.domain_name)}</th>
                                                <th scope="col">{t!(i18n, fw.code)}</th>
                                                <th scope="col">{t!(i18n, fw.competency)}</th>
                                                <th scope="col">{t!(i18n, roster.problems)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p
                                                .rows
                                                .iter()
                                                .cloned()
                                                .map(|r| {
                                                    let bad = !r.errors.is_empty();
                                                    view! {
                                                        <tr class:row-error=bad>
                                                            <td>{r.line}</td>
                                                            <td>{r.domain}</td>
                                                            <td>
                                                                <code>{r.code}</code>
                                                            </td>
                                                            <td>{r.name}</td>
                                                            <td>
                                                                {r
                                                                    .errors
                                                                    .iter()
                                                                    .map(|e| {
                                                                        format!("{}: {}", e.field, problem_text(i18n, &e.problem))
                                                                    })
                                                                    .collect::<Vec<_>>()
                                                                    .join("; ")}
                                                            </td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                }
                            })}
                        {if p.imported {
                            view! { <p class="banner">{t!(i18n, fw.already_imported)}</p> }
                                .into_any()
                        } else if valid {
                            view! {
                                <section class="card">
                                    <FormError error=error />
                                    <ActionForm
                                        action=import
                                        attr:data-testid="framework-import-confirm"
                                    >
                                        <input type="hidden" name="id" value=id />
                                        <TextField
                                            name="name"
                                            label=label(i18n, |i| t_string!(i, fw.name))
                                            error=error
                                            required=true
                                        />
                                        <button type="submit" class="primary">
                                            {t!(i18n, fw.create)}
                                        </button>
                                    </ActionForm>
                                </section>
                            }
                                .into_any()
                        } else {
                            view! {
                                <p
                                    class="banner banner-error"
                                    role="alert"
                                    data-testid="framework-invalid"
                                >
                                    {t!(i18n, fw.fix_and_retry)}
                                </p>
                            }
                                .into_any()
                        }}
                    }
                }
            </Loaded>
        </Page>
    }
}

// ---------------------------------------------------------------- targets

#[component]
pub fn TargetsPage() -> impl IntoView {
    let params = use_params_map();
    let grid = Resource::new(
        move || {
            (
                params.read().get("family").unwrap_or_default(),
                search_key().get(),
            )
        },
        |(family, _)| super::get_targets(family),
    );
    view! {
        <Page
            title=|i| t_string!(i, targets.title)
            roles=READERS
            crumbs=vec![(|i| t_string!(i, fw.title), "/frameworks")]
            heading=false
        >
            <Loaded resource=grid let:grid>
                <TargetEditor grid=grid />
            </Loaded>
        </Page>
    }
}

#[component]
fn TargetEditor(grid: TargetGrid) -> impl IntoView {
    let i18n = use_i18n();
    let save = mutation::<SaveTargets>();
    let error = action_error(save);
    let copy = mutation::<CopyTargets>();
    let copy_error = action_error(copy);
    let editor = can_edit();
    let family = grid.family_id.to_string();
    let positions = grid.positions.clone();
    let copy_family = family.clone();
    let copy_positions = positions.clone();
    let g = grid.clone();
    view! {
        <h1>
            {t!(i18n, targets.title)} ": " {grid.framework.clone()} " "
            <span class="muted">"v"{grid.version}</span>
        </h1>
        <p class="muted">{t!(i18n, targets.help)}</p>
        {grid
            .competencies
            .is_empty()
            .then(|| view! { <p class="empty">{t!(i18n, targets.empty)}</p> })}
        <FormError error=error />
        <ActionForm action=save attr:data-testid="targets-form">
            <input type="hidden" name="family_id" value=family.clone() />
            <div class="scroll-x">
                <table class="list grid-table" data-testid="targets-grid">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, fw.competency)}</th>
                            {positions
                                .iter()
                                .map(|(_, name)| view! { <th scope="col">{name.clone()}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {g
                            .competencies
                            .iter()
                            .map(|(code, name)| {
                                let cells = g
                                    .positions
                                    .iter()
                                    .map(|(pid, pname)| {
                                        let key = cell_key(*pid, code);
                                        let cell = g.cell(*pid, code);
                                        let level = cell.map(|c| c.level).unwrap_or(0);
                                        let weight = cell.map(|c| c.importance).unwrap_or(1);
                                        let level_label = format!(
                                            "{} – {} – {}",
                                            name,
                                            pname,
                                            t_string!(i18n, targets.level),
                                        );
                                        let weight_label = format!(
                                            "{} – {} – {}",
                                            name,
                                            pname,
                                            t_string!(i18n, targets.importance),
                                        );
                                        view! {
                                            <td class="cell">
                                                <select
                                                    name=format!("level[{key}]")
                                                    aria-label=level_label
                                                    data-testid=format!("level-{key}")
                                                >
                                                    <option value="" selected=level == 0>
                                                        "—"
                                                    </option>
                                                    {(1..=5u8)
                                                        .map(|n| {
                                                            view! {
                                                                <option value=n.to_string() selected=level == n>
                                                                    {n}
                                                                </option>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </select>
                                                <select
                                                    name=format!("weight[{key}]")
                                                    aria-label=weight_label
                                                    class="weight"
                                                >
                                                    {(1..=3u8)
                                                        .map(|n| {
                                                            view! {
                                                                <option value=n.to_string() selected=weight == n>
                                                                    {"×"}
                                                                    {n}
                                                                </option>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </select>
                                                <FieldErrors error=error field=format!("level[{key}]") />
                                            </td>
                                        }
                                    })
                                    .collect_view();
                                view! {
                                    <tr>
                                        <th scope="row">
                                            {name.clone()} " " <code>{code.clone()}</code>
                                        </th>
                                        {cells}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {move || {
                editor
                    .get()
                    .then(|| {
                        view! {
                            <button type="submit" class="primary" data-testid="save-targets">
                                {t!(i18n, common.save)}
                            </button>
                        }
                    })
            }}
        </ActionForm>
        {move || {
            editor
                .get()
                .then(|| {
                    let positions = copy_positions.clone();
                    let family = copy_family.clone();
                    view! {
                        <section class="card">
                            <h2>{t!(i18n, targets.copy)}</h2>
                            <FormError error=copy_error />
                            <ActionForm action=copy>
                                <input type="hidden" name="family_id" value=family />
                                <div class="grid2">
                                    <div class="field">
                                        <label for="from-position">{t!(i18n, targets.from)}</label>
                                        <select id="from-position" name="from_position">
                                            {positions
                                                .iter()
                                                .map(|(id, n)| {
                                                    view! { <option value=id.to_string()>{n.clone()}</option> }
                                                })
                                                .collect_view()}
                                        </select>
                                        <FieldErrors error=copy_error field="from_position" />
                                    </div>
                                    <div class="field">
                                        <label for="to-position">{t!(i18n, targets.to)}</label>
                                        <select id="to-position" name="to_position">
                                            {positions
                                                .iter()
                                                .map(|(id, n)| {
                                                    view! { <option value=id.to_string()>{n.clone()}</option> }
                                                })
                                                .collect_view()}
                                        </select>
                                        <FieldErrors error=copy_error field="to_position" />
                                    </div>
                                </div>
                                <p class="muted">{t!(i18n, targets.copy_help)}</p>
                                <button type="submit">{t!(i18n, targets.copy)}</button>
                            </ActionForm>
                        </section>
                    }
                })
        }}
    }
}
