//! Campaign list and set-up, "My tasks" and the questionnaire.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    AnswerTask, CampaignChoices, CampaignDetail, CampaignState, EditAudience, EditItem, ItemDto,
    ItemKind, NominatePeer, PeerMode, RaterType, SaveCampaign, SendReminders, SetCampaignState,
    TaskForm, TaskStatus,
};
use crate::auth::Role;
use crate::components::{
    ConfirmBox, FieldErrors, FormError, Loaded, Page, QueryBanner, TextField, action_error, label,
    mutation, search_key,
};
use crate::domain::Vocabulary;
use crate::i18n::*;
use crate::islands::WarnUnsaved;

const RUNNERS: &[Role] = super::RUNNERS;

pub fn state_name(i18n: I18nContext<Locale>, s: CampaignState) -> &'static str {
    match s {
        CampaignState::Draft => t_string!(i18n, campaigns.state_draft),
        CampaignState::Open => t_string!(i18n, campaigns.state_open),
        CampaignState::Closed => t_string!(i18n, campaigns.state_closed),
    }
}

pub fn rater_name(i18n: I18nContext<Locale>, r: RaterType) -> &'static str {
    match r {
        RaterType::SelfRating => t_string!(i18n, campaigns.rater_self),
        RaterType::Manager => t_string!(i18n, campaigns.rater_manager),
        RaterType::Peer => t_string!(i18n, campaigns.rater_peer),
    }
}

fn status_name(i18n: I18nContext<Locale>, s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::Pending => t_string!(i18n, tasks.pending),
        TaskStatus::Draft => t_string!(i18n, tasks.draft),
        TaskStatus::Submitted => t_string!(i18n, tasks.submitted),
    }
}

#[component]
fn StateTag(state: CampaignState) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("tag state-{}", state.as_str()) data-testid="campaign-state">
            {move || state_name(i18n, state)}
        </span>
    }
}

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(move || search_key().get(), |_| super::list_campaigns());
    let new_campaign = move || {
        view! {
            <a class="button primary" href="/campaigns/new" data-testid="new-campaign">
                {t!(i18n, campaigns.new)}
            </a>
        }
        .into_any()
    };
    view! {
        <Page
            title=|i| t_string!(i, campaigns.title)
            roles=RUNNERS
            actions=ChildrenFn::to_children(new_campaign)
        >
            <Loaded resource=list let:list>
                {if list.is_empty() {
                    view! {
                        <p class="empty" data-testid="campaigns-empty">
                            {t!(i18n, campaigns.empty)}
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <table class="list" data-testid="campaigns-table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, campaigns.name)}</th>
                                    <th scope="col">{t!(i18n, campaigns.state)}</th>
                                    <th scope="col">{t!(i18n, campaigns.framework)}</th>
                                    <th scope="col">{t!(i18n, campaigns.window)}</th>
                                    <th scope="col" class="num">
                                        {t!(i18n, campaigns.responses)}
                                    </th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|c| {
                                        let rate = (c.submitted * 100)
                                            .checked_div(c.tasks)
                                            .unwrap_or(0);
                                        view! {
                                            <tr>
                                                <td>
                                                    <a href=format!("/campaigns/{}", c.id)>{c.title}</a>
                                                    {c
                                                        .follow_up_of
                                                        .map(|f| {
                                                            view! {
                                                                <br />
                                                                <span class="muted">
                                                                    {t_string!(i18n, campaigns.follow_up_label, title = f)}
                                                                </span>
                                                            }
                                                        })}
                                                </td>
                                                <td>
                                                    <StateTag state=c.state />
                                                </td>
                                                <td>{c.framework}</td>
                                                <td>{c.opens_at} " – " {c.closes_at}</td>
                                                <td class="num">
                                                    {c.submitted} " / " {c.tasks} " (" {rate} "%)"
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
        </Page>
    }
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    // The campaign and every choice its forms offer, in one load: nested loads
    // inside <select>s would not hydrate.
    let campaign = Resource::new(
        move || (id(), search_key().get()),
        |(id, _)| async move {
            let campaign = if id == "new" {
                None
            } else {
                Some(super::get_campaign(id).await?)
            };
            let options =
                super::campaign_options(campaign.as_ref().map(|c| c.framework_id.to_string()))
                    .await?;
            let progress = match &campaign {
                Some(c) if c.state != CampaignState::Draft => {
                    Some(super::campaign_progress(c.id.to_string()).await?)
                }
                _ => None,
            };
            Ok::<_, crate::error::AppError>((campaign, options, progress))
        },
    );
    view! {
        <Page
            title=|i| t_string!(i, campaigns.title)
            roles=RUNNERS
            crumbs=vec![(|i| t_string!(i, campaigns.title), "/campaigns")]
            heading=false
        >
            {move || {
                use_query_map()
                    .read()
                    .get("reminded")
                    .map(|n| {
                        view! {
                            <div class="banner banner-ok" role="status" data-testid="reminded">
                                {t_string!(i18n, campaigns.reminded, n = n)}
                            </div>
                        }
                    })
            }}
            <Loaded resource=campaign let:loaded>
                <CampaignView campaign=loaded.0 options=loaded.1 progress=loaded.2 />
            </Loaded>
        </Page>
    }
}

#[component]
fn CampaignView(
    campaign: Option<CampaignDetail>,
    options: CampaignChoices,
    progress: Option<super::Progress>,
) -> impl IntoView {
    let i18n = use_i18n();
    let title = campaign.as_ref().map_or_else(
        || t_string!(i18n, campaigns.new).to_owned(),
        |c| c.title.clone(),
    );
    let state = campaign.as_ref().map_or(CampaignState::Draft, |c| c.state);
    let c = campaign.clone();
    view! {
        <div class="page-head">
            <h1>{title}</h1>
            {campaign.as_ref().map(|c| view! { <StateTag state=c.state /> })}
        </div>
        {c
            .as_ref()
            .map(|c| {
                view! {
                    <p class="muted">
                        {c.framework.clone()} " · " {c.opens_at.replace('T', " ")} " – "
                        {c.closes_at.replace('T', " ")}
                        {c
                            .follow_up_title
                            .clone()
                            .map(|t| {
                                view! {
                                    " · "
                                    {t_string!(i18n, campaigns.follow_up_label, title = t)}
                                }
                            })}
                        {(c.state != CampaignState::Draft)
                            .then(|| {
                                view! {
                                    " · "
                                    <a href=format!(
                                        "/gaps/heatmap?campaign={}",
                                        c.id,
                                    )>{t!(i18n, gaps.heatmap_title)}</a>
                                }
                            })}
                    </p>
                }
            })}
        {(state == CampaignState::Draft)
            .then(|| {
                view! { <CampaignSettings campaign=campaign.clone() options=options.clone() /> }
            })}
        {c
            .map(|c| {
                view! {
                    <AudienceSection campaign=c.clone() options=options.clone() />
                    <ItemsSection campaign=c.clone() competencies=options.competencies.clone() />
                    {progress
                        .clone()
                        .map(|p| {
                            view! {
                                <ProgressSection progress=p open=c.state == CampaignState::Open />
                            }
                        })}
                    <StateSection campaign=c />
                }
            })}
    }
}

#[component]
fn CampaignSettings(campaign: Option<CampaignDetail>, options: CampaignChoices) -> impl IntoView {
    let frameworks = options.frameworks.clone();
    let i18n = use_i18n();
    let save = mutation::<SaveCampaign>();
    let error = action_error(save);
    let c = campaign.clone();
    let chosen = c.as_ref().map(|c| c.framework_id);
    let peer_mode = c.as_ref().map_or(PeerMode::None, |c| c.peer_mode);
    let num = move |v: f64| format!("{v}");
    let field = move |name: &'static str,
                      text: Signal<String>,
                      value: String,
                      kind: &'static str| {
        view! { <TextField name=name label=text error=error value=value kind=kind required=true /> }
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, campaigns.settings)}</h2>
            <FormError error=error />
            <ActionForm action=save attr:data-testid="campaign-form">
                <input
                    type="hidden"
                    name="id"
                    value=c.as_ref().map(|c| c.id.to_string()).unwrap_or_default()
                />
                {field(
                    "title",
                    label(i18n, |i| t_string!(i, campaigns.name)),
                    c.as_ref().map(|c| c.title.clone()).unwrap_or_default(),
                    "text",
                )}
                <div class="field">
                    <label for="field-framework_id">{t!(i18n, campaigns.framework)}</label>
                    <select id="field-framework_id" name="framework_id" required>
                        {frameworks
                            .iter()
                            .filter(|f| !f.archived || Some(f.id) == chosen)
                            .map(|f| {
                                view! {
                                    <option
                                        value=f.id.to_string()
                                        selected=Some(f.id) == chosen
                                            || (chosen.is_none() && f.latest)
                                    >
                                        {format!("{} v{}", f.name, f.version)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldErrors error=error field="framework_id" />
                </div>
                <div class="grid2">
                    {field(
                        "opens_at",
                        label(i18n, |i| t_string!(i, campaigns.opens_at)),
                        c.as_ref().map(|c| c.opens_at.clone()).unwrap_or_default(),
                        "datetime-local",
                    )}
                    {field(
                        "closes_at",
                        label(i18n, |i| t_string!(i, campaigns.closes_at)),
                        c.as_ref().map(|c| c.closes_at.clone()).unwrap_or_default(),
                        "datetime-local",
                    )}
                </div>
                <fieldset>
                    <legend>{t!(i18n, campaigns.raters)}</legend>
                    <span class="checkbox">
                        <input
                            type="checkbox"
                            id="include_self"
                            name="include_self"
                            value="on"
                            checked=c.as_ref().is_none_or(|c| c.include_self)
                        />
                        <label for="include_self">{t!(i18n, campaigns.rater_self)}</label>
                    </span>
                    <span class="checkbox">
                        <input
                            type="checkbox"
                            id="include_manager"
                            name="include_manager"
                            value="on"
                            checked=c.as_ref().is_none_or(|c| c.include_manager)
                        />
                        <label for="include_manager">{t!(i18n, campaigns.rater_manager)}</label>
                    </span>
                    <FieldErrors error=error field="include_self" />
                    <div class="grid2">
                        <div class="field">
                            <label for="field-peer_mode">{t!(i18n, campaigns.peer_mode)}</label>
                            <select id="field-peer_mode" name="peer_mode">
                                <option value="none" selected=peer_mode == PeerMode::None>
                                    {t!(i18n, campaigns.peers_none)}
                                </option>
                                <option value="auto" selected=peer_mode == PeerMode::Auto>
                                    {t!(i18n, campaigns.peers_auto)}
                                </option>
                                <option value="nominate" selected=peer_mode == PeerMode::Nominate>
                                    {t!(i18n, campaigns.peers_nominate)}
                                </option>
                            </select>
                        </div>
                        {field(
                            "peers_per_person",
                            label(i18n, |i| t_string!(i, campaigns.peers_per_person)),
                            c.as_ref().map_or("3".into(), |c| c.peers_per_person.to_string()),
                            "number",
                        )}
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{t!(i18n, campaigns.weights)}</legend>
                    <p class="muted">{t!(i18n, campaigns.weights_help)}</p>
                    <div class="grid3">
                        {field(
                            "weight_self",
                            label(i18n, |i| t_string!(i, campaigns.rater_self)),
                            c.as_ref().map_or("0.2".into(), |c| num(c.weight_self)),
                            "text",
                        )}
                        {field(
                            "weight_manager",
                            label(i18n, |i| t_string!(i, campaigns.rater_manager)),
                            c.as_ref().map_or("0.5".into(), |c| num(c.weight_manager)),
                            "text",
                        )}
                        {field(
                            "weight_peers",
                            label(i18n, |i| t_string!(i, campaigns.rater_peer)),
                            c.as_ref().map_or("0.3".into(), |c| num(c.weight_peers)),
                            "text",
                        )}
                        {field(
                            "weight_test",
                            label(i18n, |i| t_string!(i, campaigns.source_test)),
                            c.as_ref().map_or("0".into(), |c| num(c.weight_test)),
                            "text",
                        )}
                    </div>
                    <div class="grid2">
                        {field(
                            "anonymity_threshold",
                            label(i18n, |i| t_string!(i, campaigns.anonymity_threshold)),
                            c.as_ref().map_or("3".into(), |c| c.anonymity_threshold.to_string()),
                            "number",
                        )}
                        {field(
                            "discrepancy_threshold",
                            label(i18n, |i| t_string!(i, campaigns.discrepancy_threshold)),
                            c.as_ref().map_or("1.5".into(), |c| num(c.discrepancy_threshold)),
                            "text",
                        )}
                    </div>
                </fieldset>
                <div class="field">
                    <label for="field-instructions">{t!(i18n, campaigns.instructions)}</label>
                    <textarea id="field-instructions" name="instructions" rows="3">
                        {c.as_ref().map(|c| c.instructions.clone()).unwrap_or_default()}
                    </textarea>
                </div>
                <FollowUpChoice
                    current=c.as_ref().and_then(|c| c.follow_up_of)
                    own=c.as_ref().map(|c| c.id)
                    campaigns=options.campaigns.clone()
                />
                <button type="submit" class="primary" data-testid="save-campaign">
                    {t!(i18n, common.save)}
                </button>
            </ActionForm>
        </section>
    }
}

/// Which earlier campaign this one is the "after" wave of.
#[component]
fn FollowUpChoice(
    current: Option<uuid::Uuid>,
    own: Option<uuid::Uuid>,
    campaigns: Vec<(uuid::Uuid, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="field-follow_up_of">{t!(i18n, campaigns.follow_up_of)}</label>
            <select id="field-follow_up_of" name="follow_up_of">
                <option value="">"—"</option>
                {campaigns
                    .into_iter()
                    .filter(|(id, _)| Some(*id) != own)
                    .map(|(id, title)| {
                        view! {
                            <option value=id.to_string() selected=Some(id) == current>
                                {title}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn AudienceSection(campaign: CampaignDetail, options: CampaignChoices) -> impl IntoView {
    let i18n = use_i18n();
    let edit = mutation::<EditAudience>();
    let error = action_error(edit);
    let draft = campaign.state == CampaignState::Draft;
    let id = campaign.id.to_string();
    let kind_name = move |k: super::AudienceKind| match k {
        super::AudienceKind::Unit => t_string!(i18n, campaigns.audience_unit),
        super::AudienceKind::Position => t_string!(i18n, campaigns.audience_position),
        super::AudienceKind::Person => t_string!(i18n, campaigns.audience_person),
    };
    let (id1, id2, id3) = (id.clone(), id.clone(), id.clone());
    view! {
        <section class="card" id="audience">
            <h2>{t!(i18n, campaigns.audience)}</h2>
            <p data-testid="audience-count">
                {t_string!(i18n, campaigns.audience_count, n = campaign.people)}
            </p>
            {campaign
                .audience
                .is_empty()
                .then(|| view! { <p class="empty">{t!(i18n, campaigns.audience_empty)}</p> })}
            <ul class="chips">
                {campaign
                    .audience
                    .iter()
                    .cloned()
                    .map(|a| {
                        let id = id.clone();
                        view! {
                            <li>
                                {kind_name(a.kind)} ": " {a.name}
                                {draft
                                    .then(|| {
                                        view! {
                                            <ActionForm action=edit attr:class="inline">
                                                <input type="hidden" name="campaign_id" value=id />
                                                <input type="hidden" name="op" value="remove" />
                                                <input
                                                    type="hidden"
                                                    name="target_id"
                                                    value=a.id.to_string()
                                                />
                                                <button
                                                    type="submit"
                                                    class="link"
                                                    aria-label=t_string!(i18n, campaigns.remove)
                                                >
                                                    "×"
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {draft
                .then(|| {
                    view! {
                        <FormError error=error />
                        <div class="grid3">
                            <ActionForm action=edit attr:data-testid="audience-unit">
                                <input type="hidden" name="campaign_id" value=id1 />
                                <input type="hidden" name="op" value="add" />
                                <input type="hidden" name="kind" value="unit" />
                                <div class="field">
                                    <label for="aud-unit">{t!(i18n, campaigns.add_unit)}</label>
                                    <select id="aud-unit" name="target_id">
                                        {options
                                            .units
                                            .iter()
                                            .map(|(id, name, depth)| {
                                                view! {
                                                    <option value=id
                                                        .to_string()>
                                                        {"\u{a0}\u{a0}".repeat(*depth)}{name.clone()}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <button type="submit">{t!(i18n, campaigns.add)}</button>
                            </ActionForm>
                            <ActionForm action=edit attr:data-testid="audience-position">
                                <input type="hidden" name="campaign_id" value=id2 />
                                <input type="hidden" name="op" value="add" />
                                <input type="hidden" name="kind" value="position" />
                                <div class="field">
                                    <label for="aud-position">
                                        {t!(i18n, campaigns.add_position)}
                                    </label>
                                    <select id="aud-position" name="target_id">
                                        {options
                                            .positions
                                            .iter()
                                            .map(|(id, name)| {
                                                view! {
                                                    <option value=id.to_string()>{name.clone()}</option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <button type="submit">{t!(i18n, campaigns.add)}</button>
                            </ActionForm>
                            <ActionForm action=edit attr:data-testid="audience-person">
                                <input type="hidden" name="campaign_id" value=id3 />
                                <input type="hidden" name="op" value="add" />
                                <input type="hidden" name="kind" value="person" />
                                <TextField
                                    name="employee_no"
                                    label=label(i18n, |i| t_string!(i, campaigns.add_person))
                                    error=error
                                />
                                <button type="submit">{t!(i18n, campaigns.add)}</button>
                            </ActionForm>
                        </div>
                        <FieldErrors error=error field="target_id" />
                    }
                })}
        </section>
    }
}

fn item_kind_name(i18n: I18nContext<Locale>, k: ItemKind) -> &'static str {
    match k {
        ItemKind::Likert => t_string!(i18n, campaigns.item_likert),
        ItemKind::Choice => t_string!(i18n, campaigns.item_choice),
        ItemKind::Text => t_string!(i18n, campaigns.item_text),
    }
}

#[component]
fn ItemsSection(
    campaign: CampaignDetail,
    competencies: Vec<(uuid::Uuid, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let edit = mutation::<EditItem>();
    let error = action_error(edit);
    let draft = campaign.state == CampaignState::Draft;
    let id = campaign.id.to_string();
    let add_id = id.clone();
    view! {
        <section class="card" id="items">
            <h2>{t!(i18n, campaigns.items)}</h2>
            <p class="muted">{t!(i18n, campaigns.items_help)}</p>
            {campaign
                .items
                .is_empty()
                .then(|| view! { <p class="empty">{t!(i18n, campaigns.items_empty)}</p> })}
            <ol>
                {campaign
                    .items
                    .iter()
                    .cloned()
                    .map(|item| {
                        let id = id.clone();
                        view! {
                            <li>
                                <strong>{item.prompt}</strong>
                                " ("
                                {item_kind_name(i18n, item.kind)}
                                {item
                                    .required
                                    .then(|| {
                                        view! {
                                            ", "
                                            {t!(i18n, campaigns.required)}
                                        }
                                    })}
                                ")"
                                {item
                                    .competency
                                    .map(|c| {
                                        view! {
                                            " → "
                                            {c}
                                        }
                                    })}
                                {(!item.options.is_empty())
                                    .then(|| {
                                        view! {
                                            <br />
                                            <span class="muted">{item.options.join(" / ")}</span>
                                        }
                                    })}
                                {draft
                                    .then(|| {
                                        view! {
                                            <ActionForm action=edit attr:class="inline">
                                                <input type="hidden" name="campaign_id" value=id />
                                                <input type="hidden" name="op" value="remove" />
                                                <input type="hidden" name="id" value=item.id.to_string() />
                                                <button type="submit" class="link">
                                                    {t!(i18n, campaigns.remove)}
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {draft
                .then(|| {
                    view! {
                        <details>
                            <summary>{t!(i18n, campaigns.add_item)}</summary>
                            <FormError error=error />
                            <ActionForm action=edit attr:data-testid="item-form">
                                <input type="hidden" name="campaign_id" value=add_id />
                                <input type="hidden" name="op" value="add" />
                                <div class="grid2">
                                    <div class="field">
                                        <label for="item-kind">
                                            {t!(i18n, campaigns.item_kind)}
                                        </label>
                                        <select id="item-kind" name="kind">
                                            {ItemKind::ALL
                                                .iter()
                                                .map(|k| {
                                                    view! {
                                                        <option value=k.as_str()>{item_kind_name(i18n, *k)}</option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                    </div>
                                    <div class="field">
                                        <label for="item-competency">
                                            {t!(i18n, campaigns.item_competency)}
                                        </label>
                                        <select id="item-competency" name="competency_id">
                                            <option value="">"—"</option>
                                            {competencies
                                                .iter()
                                                .map(|(id, name)| {
                                                    view! {
                                                        <option value=id.to_string()>{name.clone()}</option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                    </div>
                                </div>
                                <TextField
                                    name="prompt"
                                    label=label(i18n, |i| t_string!(i, campaigns.item_prompt))
                                    error=error
                                    required=true
                                />
                                <div class="field">
                                    <label for="item-options">
                                        {t!(i18n, campaigns.item_options)}
                                    </label>
                                    <textarea id="item-options" name="options" rows="3"></textarea>
                                    <FieldErrors error=error field="options" />
                                </div>
                                <span class="checkbox">
                                    <input
                                        type="checkbox"
                                        id="item-required"
                                        name="required"
                                        value="on"
                                    />
                                    <label for="item-required">
                                        {t!(i18n, campaigns.required)}
                                    </label>
                                </span>
                                <button type="submit">{t!(i18n, campaigns.add_item)}</button>
                            </ActionForm>
                        </details>
                    }
                })}
        </section>
    }
}

#[component]
fn ProgressSection(progress: super::Progress, open: bool) -> impl IntoView {
    let i18n = use_i18n();
    let remind = mutation::<SendReminders>();
    let remind_error = action_error(remind);
    let p = progress;
    let row = move |label: String, r: &super::ProgressRow| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td class="num">{r.submitted} " / " {r.total}</td>
                <td>
                    <meter min="0" max="100" value=r.rate().to_string()></meter>
                    " "
                    {r.rate()}
                    "%"
                </td>
            </tr>
        }
    };
    view! {
        <section class="card" data-testid="progress">
            <h2>{t!(i18n, campaigns.progress)}</h2>
            <p data-testid="response-rate">
                {t_string!(
                    i18n, campaigns.overall, rate = p.overall.rate(), done = p.overall.submitted, total = p.overall.total
                )}
            </p>
            <div class="grid2">
                <table class="list">
                    <caption>{t!(i18n, campaigns.by_rater)}</caption>
                    <tbody>
                        {p
                            .by_rater
                            .iter()
                            .map(|(r, row_)| row(rater_name(i18n, *r).to_owned(), row_))
                            .collect_view()}
                    </tbody>
                </table>
                <table class="list" data-testid="progress-units">
                    <caption>{t!(i18n, campaigns.by_unit)}</caption>
                    <tbody>
                        {p.by_unit.iter().map(|r| row(r.label.clone(), r)).collect_view()}
                    </tbody>
                </table>
            </div>
            {(p.hidden_groups > 0)
                .then(|| {
                    view! {
                        <p class="muted" data-testid="progress-hidden">
                            {t_string!(
                                i18n, campaigns.progress_hidden, n = p.hidden_groups, threshold = p.threshold
                            )}
                        </p>
                    }
                })}
            {(open && p.pending_raters > 0)
                .then(|| {
                    view! {
                        <p>{t_string!(i18n, campaigns.pending_raters, n = p.pending_raters)}</p>
                    }
                })}
            {open
                .then(|| {
                    view! {
                        <FormError error=remind_error />
                        <ActionForm action=remind attr:data-testid="remind-form">
                            <RemindId />
                            <button type="submit">{t!(i18n, campaigns.remind)}</button>
                        </ActionForm>
                    }
                })}
        </section>
    }
}

/// The campaign id for the reminder form, read from the route.
#[component]
fn RemindId() -> impl IntoView {
    let params = use_params_map();
    view! {
        <input type="hidden" name="id" value=move || params.read().get("id").unwrap_or_default() />
    }
}

#[component]
fn StateSection(campaign: CampaignDetail) -> impl IntoView {
    let i18n = use_i18n();
    let change = mutation::<SetCampaignState>();
    let error = action_error(change);
    let (to, title, help) = match campaign.state {
        CampaignState::Draft => (
            "open",
            t_string!(i18n, campaigns.open_now),
            t_string!(i18n, campaigns.open_help),
        ),
        CampaignState::Open => (
            "closed",
            t_string!(i18n, campaigns.close_now),
            t_string!(i18n, campaigns.close_help),
        ),
        CampaignState::Closed => {
            return view! { <p class="muted">{t!(i18n, campaigns.closed_note)}</p> }.into_any();
        }
    };
    view! {
        <section class="card danger-zone">
            <h2>{title}</h2>
            <p>{help}</p>
            <FormError error=error />
            <FieldErrors error=error field="audience" />
            <ActionForm action=change attr:data-testid="state-form">
                <input type="hidden" name="id" value=campaign.id.to_string() />
                <input type="hidden" name="to" value=to />
                <ConfirmBox id="confirm-state" error=error />
                <button type="submit" class="primary" data-testid="change-state">
                    {title}
                </button>
            </ActionForm>
        </section>
    }
    .into_any()
}

// ---------------------------------------------------------------- my tasks

#[component]
pub fn TasksPage() -> impl IntoView {
    let i18n = use_i18n();
    let tasks = Resource::new(move || search_key().get(), |_| super::load_my_tasks());
    view! {
        <Page title=|i| t_string!(i, tasks.title) roles=crate::auth::EVERYONE>
            <QueryBanner key="nominated" text=|i| t_string!(i, tasks.nominated) />
            <Loaded resource=tasks let:my>
                {
                    view! {
                        {my
                            .nominations
                            .into_iter()
                            .map(|n| view! { <NominationCard nomination=n /> })
                            .collect_view()}
                        {if my.tasks.is_empty() {
                            view! {
                                <p class="empty" data-testid="tasks-empty">
                                    {t!(i18n, tasks.empty)}
                                </p>
                            }
                                .into_any()
                        } else {
                            view! {
                                <table class="list" data-testid="tasks-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, tasks.campaign)}</th>
                                            <th scope="col">{t!(i18n, tasks.subject)}</th>
                                            <th scope="col">{t!(i18n, tasks.role)}</th>
                                            <th scope="col">{t!(i18n, tasks.status)}</th>
                                            <th scope="col">{t!(i18n, tasks.deadline)}</th>
                                            <th scope="col">
                                                <span class="sr-only">{t!(i18n, common.actions)}</span>
                                            </th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {my
                                            .tasks
                                            .into_iter()
                                            .map(|t| {
                                                let action = if !t.open || t.status == TaskStatus::Submitted
                                                {
                                                    t_string!(i18n, tasks.view)
                                                } else if t.status == TaskStatus::Draft {
                                                    t_string!(i18n, tasks.continue_)
                                                } else {
                                                    t_string!(i18n, tasks.start)
                                                };
                                                let subject = if t.rater_type == RaterType::SelfRating {
                                                    t_string!(i18n, tasks.yourself).to_owned()
                                                } else {
                                                    t.subject.clone()
                                                };
                                                view! {
                                                    <tr data-testid="task-row">
                                                        <td>{t.campaign}</td>
                                                        <td>{subject}</td>
                                                        <td>{rater_name(i18n, t.rater_type)}</td>
                                                        <td>
                                                            <span class=format!(
                                                                "tag status-{}",
                                                                t.status.as_str(),
                                                            )>{status_name(i18n, t.status)}</span>
                                                        </td>
                                                        <td>{t.closes_at}</td>
                                                        <td>
                                                            <a href=format!("/tasks/{}", t.id) data-testid="task-link">
                                                                {action}
                                                            </a>
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
                    }
                }
            </Loaded>
        </Page>
    }
}

#[component]
fn NominationCard(nomination: super::Nomination) -> impl IntoView {
    let i18n = use_i18n();
    let nominate = mutation::<NominatePeer>();
    let error = action_error(nominate);
    let full = usize::try_from(nomination.wanted).unwrap_or(0) <= nomination.chosen.len();
    view! {
        <section class="card">
            <h2>{t_string!(i18n, tasks.nominate_title, campaign = nomination.campaign.clone())}</h2>
            <p>{t_string!(i18n, tasks.nominate_help, n = nomination.wanted)}</p>
            {(!nomination.chosen.is_empty())
                .then(|| {
                    view! {
                        <p>{t!(i18n, tasks.nominated_list)} ": " {nomination.chosen.join(", ")}</p>
                    }
                })}
            {(!full)
                .then(|| {
                    view! {
                        <FormError error=error />
                        <ActionForm action=nominate>
                            <input
                                type="hidden"
                                name="campaign_id"
                                value=nomination.campaign_id.to_string()
                            />
                            <TextField
                                name="employee_no"
                                label=label(i18n, |i| t_string!(i, people.employee_no))
                                error=error
                                required=true
                            />
                            <button type="submit">{t!(i18n, tasks.nominate)}</button>
                        </ActionForm>
                    }
                })}
        </section>
    }
}

#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let task = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                search_key().get(),
            )
        },
        |(id, _)| super::get_task(id),
    );
    view! {
        <Page
            title=|i| t_string!(i, tasks.title)
            roles=crate::auth::EVERYONE
            crumbs=vec![(|i| t_string!(i, tasks.title), "/tasks")]
            heading=false
            saved=|i| t_string!(i, tasks.draft_saved)
        >
            <QueryBanner key="submitted" text=|i| t_string!(i, tasks.thanks) />
            <Loaded resource=task let:task>
                <Questionnaire task=task />
            </Loaded>
        </Page>
    }
}

#[component]
fn Questionnaire(task: TaskForm) -> impl IntoView {
    let i18n = use_i18n();
    let answer = mutation::<AnswerTask>();
    let error = action_error(answer);
    let editable = task.editable;
    let heading = match task.rater_type {
        RaterType::SelfRating => t_string!(i18n, tasks.heading_self).to_owned(),
        _ => t_string!(i18n, tasks.heading_other, name = task.subject.clone()).to_string(),
    };
    let t = task.clone();
    view! {
        <h1>{heading}</h1>
        <p class="muted">
            {task.campaign.clone()} " · " {rater_name(i18n, task.rater_type)} " · "
            {t_string!(i18n, tasks.deadline_at, at = task.closes_at.clone())} " · "
            <span data-testid="task-status">{status_name(i18n, task.status)}</span>
        </p>
        {(!task.instructions.is_empty())
            .then(|| view! { <div class="card instructions">{task.instructions.clone()}</div> })}
        {(!editable && task.status != TaskStatus::Submitted)
            .then(|| {
                view! {
                    <div class="banner" role="note">
                        {t!(i18n, tasks.closed)}
                    </div>
                }
            })}
        {(task.status == TaskStatus::Submitted)
            .then(|| {
                view! {
                    <div class="banner" role="note" data-testid="submitted-note">
                        {t!(i18n, tasks.submitted_note)}
                    </div>
                }
            })}
        {(task.rater_type == RaterType::Peer)
            .then(|| view! { <p class="muted">{t!(i18n, tasks.peer_note)}</p> })}
        <FormError error=error />
        <WarnUnsaved>
            <ActionForm action=answer attr:data-testid="questionnaire">
                <input type="hidden" name="id" value=task.id.to_string() />
                <fieldset disabled=!editable class="plain">
                    {t
                        .domains
                        .iter()
                        .cloned()
                        .map(|(domain, competencies)| {
                            view! {
                                <section class="card">
                                    <h2>{domain}</h2>
                                    {competencies
                                        .into_iter()
                                        .map(|c| {
                                            let key = super::answer_key(c.id);
                                            let field = format!("rating[{key}]");
                                            let current = task.rating(c.id);
                                            let levels = c.levels.clone();
                                            view! {
                                                <fieldset
                                                    class="rating"
                                                    data-testid=format!("rate-{}", c.code)
                                                >
                                                    <legend>
                                                        <strong>{c.name.clone()}</strong>
                                                    </legend>
                                                    {(!c.description.is_empty())
                                                        .then(|| {
                                                            view! { <p class="muted">{c.description.clone()}</p> }
                                                        })}
                                                    <div class="scale">
                                                        {levels
                                                            .into_iter()
                                                            .enumerate()
                                                            .map(|(i, text)| {
                                                                let n = i + 1;
                                                                let id = format!("r-{key}-{n}");
                                                                let label_for = id.clone();
                                                                view! {
                                                                    <label for=label_for class="level">
                                                                        <input
                                                                            type="radio"
                                                                            id=id
                                                                            name=field.clone()
                                                                            value=n.to_string()
                                                                            checked=current == u8::try_from(n).ok()
                                                                        />
                                                                        <span class="level-n">{n}</span>
                                                                        <span class="level-text">{text}</span>
                                                                    </label>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </div>
                                                    <FieldErrors error=error field=field.clone() />
                                                </fieldset>
                                            }
                                        })
                                        .collect_view()}
                                </section>
                            }
                        })
                        .collect_view()}
                    {(!t.items.is_empty())
                        .then(|| {
                            view! {
                                <section class="card">
                                    <h2>{t!(i18n, tasks.more_questions)}</h2>
                                    {t
                                        .items
                                        .iter()
                                        .map(|item| {
                                            view! {
                                                <ItemInput
                                                    item=item.clone()
                                                    value=task.answer(item.id).map(str::to_owned)
                                                    error=error
                                                />
                                            }
                                        })
                                        .collect_view()}
                                </section>
                            }
                        })}
                    {editable
                        .then(|| {
                            view! {
                                <div class="actions">
                                    <button
                                        type="submit"
                                        name="intent"
                                        value="save"
                                        data-testid="save-draft"
                                    >
                                        {t!(i18n, tasks.save_draft)}
                                    </button>
                                    <button
                                        type="submit"
                                        name="intent"
                                        value="submit"
                                        class="primary"
                                        data-testid="submit-task"
                                    >
                                        {t!(i18n, tasks.submit)}
                                    </button>
                                </div>
                                <p class="muted">{t!(i18n, tasks.submit_help)}</p>
                            }
                        })}
                </fieldset>
            </ActionForm>
        </WarnUnsaved>
    }
}

#[component]
fn ItemInput(
    item: ItemDto,
    value: Option<String>,
    #[prop(into)] error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let key = super::answer_key(item.id);
    let field = format!("item[{key}]");
    let id = format!("i-{key}");
    let value = value.unwrap_or_default();
    let control = match item.kind {
        ItemKind::Text => view! {
            <textarea id=id.clone() name=field.clone() rows="3">
                {value}
            </textarea>
        }
        .into_any(),
        ItemKind::Likert => view! {
            <div class="scale compact" role="radiogroup" aria-labelledby=format!("{id}-label")>
                {(1..=5)
                    .map(|n| {
                        let rid = format!("{id}-{n}");
                        let label_for = rid.clone();
                        view! {
                            <label for=label_for>
                                <input
                                    type="radio"
                                    id=rid
                                    name=field.clone()
                                    value=n.to_string()
                                    checked=value == n.to_string()
                                />
                                " "
                                {n}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        }
        .into_any(),
        ItemKind::Choice => view! {
            <select id=id.clone() name=field.clone()>
                <option value="">"—"</option>
                {item
                    .options
                    .iter()
                    .map(|o| {
                        view! {
                            <option value=o.clone() selected=*o == value>
                                {o.clone()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label id=format!("{id}-label") for=id>
                {item.prompt.clone()}
                {item.required.then_some(" *")}
            </label>
            {control}
            <FieldErrors error=error field=field />
        </div>
    }
}
