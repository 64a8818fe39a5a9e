//! Level 1 pages: the learner's reaction form, its editor, and the figures
//! trainers read per course and per classroom session.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::course_pages::ScopedNote;
use super::{
    AddReactionItem, FormState, ItemFigures, RECOMMEND, ReactionForm, ReactionFormSetup,
    ReactionItem, ReactionReport, RemoveReactionItem, RequireReaction, RewordReactionItem, SCALE,
    SubmitReaction, item_field,
};
use crate::components::{
    ConfirmBox, FieldErrors, FormError, Loaded, Page, QueryBanner, action_error, mutation,
    query_param, route_param, search_key,
};
use crate::domain::{ReactionKind, Vocabulary};
use crate::i18n::*;
use crate::quiz::BANK_EDITORS;

/// What an item asks, in the reader's language unless a trainer worded it.
pub fn prompt_text(i18n: I18nContext<Locale>, item: &ReactionItem) -> String {
    if !item.prompt.is_empty() {
        return item.prompt.clone();
    }
    match item.builtin.as_deref() {
        Some("overall") => t_string!(i18n, reaction.item_overall),
        Some("relevance") => t_string!(i18n, reaction.item_relevance),
        Some("trainer") => t_string!(i18n, reaction.item_trainer),
        Some("materials") => t_string!(i18n, reaction.item_materials),
        Some("pace") => t_string!(i18n, reaction.item_pace),
        Some("intent") => t_string!(i18n, reaction.item_intent),
        Some("confidence") => t_string!(i18n, reaction.item_confidence),
        Some("recommend") => t_string!(i18n, reaction.item_recommend),
        Some("improve") => t_string!(i18n, reaction.item_improve),
        Some("comments") => t_string!(i18n, reaction.item_comments),
        _ => "—",
    }
    .to_owned()
}

fn kind_name(i18n: I18nContext<Locale>, k: ReactionKind) -> &'static str {
    match k {
        ReactionKind::Scale => t_string!(i18n, reaction.kind_scale),
        ReactionKind::Recommend => t_string!(i18n, reaction.kind_recommend),
        ReactionKind::Text => t_string!(i18n, reaction.kind_text),
    }
}

// ---------------------------------------------------------------- the learner's form

#[component]
pub fn ReactionFormPage() -> impl IntoView {
    let id = route_param("id");
    let form = Resource::new(id, super::get_reaction_form);
    view! {
        <Page title=|i| t_string!(i, reaction.form_title) roles=crate::auth::EVERYONE>
            <QueryBanner key="thanks" text=|i| t_string!(i, reaction.thanks) />
            <Loaded resource=form let:f>
                <FormBody f=f.clone() />
            </Loaded>
        </Page>
    }
}

#[component]
fn FormBody(f: ReactionForm) -> impl IntoView {
    let i18n = use_i18n();
    let submit = ServerAction::<SubmitReaction>::new();
    let error = action_error(submit);
    let course = view! {
        <p>
            <strong>{f.course.clone()}</strong>
        </p>
    };
    let body = match f.state.clone() {
        FormState::NotYet => view! {
            <p class="empty" data-testid="reaction-not-yet">
                {t!(i18n, reaction.not_yet)}
            </p>
        }
        .into_any(),
        FormState::Answered(on) => view! {
            <p class="empty" data-testid="reaction-done">
                {t_string!(i18n, reaction.answered_on, date = on)}
                " "
                <a href="/learning">{t!(i18n, reaction.back_to_learning)}</a>
            </p>
        }
        .into_any(),
        FormState::Open => {
            let items = f
                .items
                .iter()
                .map(|item| view! { <FormItem item=item.clone() error=error /> })
                .collect_view();
            view! {
                <p class="muted">{t!(i18n, reaction.intro)}</p>
                {f
                    .completes
                    .then(|| view! { <p class="banner">{t!(i18n, reaction.completes)}</p> })}
                <FormError error=error />
                <ActionForm action=submit attr:data-testid="reaction-form">
                    <input type="hidden" name="course_id" value=f.course_id.to_string() />
                    {items}
                    <button type="submit" class="primary">
                        {t!(i18n, reaction.send)}
                    </button>
                </ActionForm>
            }
            .into_any()
        }
    };
    view! {
        {course}
        {body}
    }
}

#[component]
fn FormItem(
    item: ReactionItem,
    #[prop(into)] error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = item_field(item.id);
    let field = format!("answer[{key}]");
    let prompt = prompt_text(i18n, &item);
    let radios = |(low, high): (i32, i32)| {
        (low..=high)
            .map(|n| {
                let rid = format!("{key}-{n}");
                let label_for = rid.clone();
                view! {
                    <label for=label_for>
                        <input type="radio" id=rid name=field.clone() value=n.to_string() />
                        " "
                        {n}
                    </label>
                }
            })
            .collect_view()
    };
    let (control, hint) = match item.kind {
        ReactionKind::Scale => (
            view! {
                <div class="scale compact" role="radiogroup">
                    {radios(SCALE)}
                </div>
            }.into_any(),
            Some(t_string!(i18n, reaction.scale_hint)),
        ),
        ReactionKind::Recommend => (
            view! {
                <div class="scale compact wide" role="radiogroup">
                    {radios(RECOMMEND)}
                </div>
            }.into_any(),
            Some(t_string!(i18n, reaction.recommend_hint)),
        ),
        ReactionKind::Text => (
            view! { <textarea id=key.clone() name=field.clone() rows="3" aria-label=prompt.clone()></textarea> }
                .into_any(),
            None,
        ),
    };
    view! {
        <fieldset class="rating" data-testid="reaction-item">
            <legend>{prompt.clone()}</legend>
            {hint.map(|h| view! { <p class="muted">{h}</p> })}
            {control}
            <FieldErrors error=error field=key.clone() />
        </fieldset>
    }
}

// ---------------------------------------------------------------- the report

#[component]
pub fn ReactionReportPage() -> impl IntoView {
    let id = route_param("id");
    let session = query_param("session");
    let report = Resource::new(
        move || (id(), session()),
        |(id, session)| super::get_reaction_report(id, Some(session).filter(|s| !s.is_empty())),
    );
    view! {
        <Page
            title=|i| t_string!(i, reaction.report_title)
            roles=super::READERS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
        >
            <Loaded resource=report let:r>
                <Report r=r.clone() />
            </Loaded>
        </Page>
    }
}

fn one(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{x:.1}"))
}

fn index_text(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{x:+.0}"))
}

#[component]
fn Report(r: ReactionReport) -> impl IntoView {
    let i18n = use_i18n();
    let base = format!("/courses/{}/evaluation/reaction", r.course_id);
    let scope = match &r.session {
        Some((_, label)) => view! {
            <p data-testid="reaction-scope">
                {t_string!(i18n, reaction.session_scope, session = label.clone())} " "
                <a href=base.clone()>{t!(i18n, reaction.whole_course)}</a>
            </p>
        }
        .into_any(),
        None => ().into_any(),
    };
    let rated: Vec<ItemFigures> = r
        .items
        .iter()
        .filter(|f| f.item.kind != ReactionKind::Text)
        .cloned()
        .collect();
    let written: Vec<ItemFigures> = r
        .items
        .iter()
        .filter(|f| f.item.kind == ReactionKind::Text)
        .cloned()
        .collect();
    let index = r
        .items
        .iter()
        .find(|f| f.item.kind == ReactionKind::Recommend)
        .and_then(|f| f.index.zip(f.n));
    let sessions = r.sessions.clone();
    let threshold = r.threshold;
    let csv = match &r.session {
        Some((id, _)) => format!("/export/courses/{}/reaction.csv?session={id}", r.course_id),
        None => format!("/export/courses/{}/reaction.csv", r.course_id),
    };
    view! {
        <p>
            <a href=format!("/courses/{}/evaluation", r.course_id)>{r.course.clone()}</a>
            {(!r.scoped)
                .then(|| {
                    view! {
                        " · "
                        <a
                            href=format!("/courses/{}/reaction/setup", r.course_id)
                            data-testid="reaction-setup-link"
                        >
                            {t!(i18n, reaction.setup_title)}
                        </a>
                    }
                })}
            " · "
            <a href=csv download data-testid="reaction-csv">
                {t!(i18n, reaction.export)}
            </a>
        </p>
        <ScopedNote scoped=r.scoped />
        {scope}
        <section class="card">
            <dl class="facts">
                <dt>{t!(i18n, reaction.answered)}</dt>
                <dd data-testid="reaction-answered-count">{r.answered}</dd>
                <dt>{t!(i18n, reaction.index)}</dt>
                <dd data-testid="reaction-index">
                    {match index {
                        Some((i, n)) => format!("{} (n = {n})", index_text(Some(i))),
                        None => "—".to_owned(),
                    }}
                </dd>
            </dl>
            <p class="muted">{t!(i18n, reaction.index_help)}</p>
        </section>
        {if r.answered == 0 {
            view! {
                <p class="empty" data-testid="reaction-empty">
                    {t!(i18n, reaction.empty)}
                </p>
            }
                .into_any()
        } else if !r.shown {
            view! {
                <p class="card muted" data-testid="figures-hidden">
                    {t_string!(i18n, reaction.figures_hidden, k = r.threshold, n = r.answered)}
                </p>
            }
                .into_any()
        } else {
            view! {
                <section class="card">
                    <h2>{t!(i18n, reaction.items)}</h2>
                    <table class="list" data-testid="reaction-items">
                        <thead>
                            <tr>
                                <th>{t!(i18n, reaction.item)}</th>
                                <th class="num">"n"</th>
                                <th class="num">{t!(i18n, reaction.mean)}</th>
                                <th>{t!(i18n, reaction.distribution)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rated.into_iter().map(|f| view! { <ItemRow f=f /> }).collect_view()}
                        </tbody>
                    </table>
                </section>
                <section class="card">
                    <h2>{t!(i18n, reaction.comments)}</h2>
                    {written
                        .into_iter()
                        .map(|f| {
                            let prompt = prompt_text(i18n, &f.item);
                            view! {
                                <h3>{prompt}</h3>
                                {if f.comments.is_empty() {
                                    view! { <p class="muted">{t!(i18n, reaction.no_comments)}</p> }
                                        .into_any()
                                } else {
                                    view! {
                                        <ul class="comments">
                                            {f
                                                .comments
                                                .iter()
                                                .map(|c| {
                                                    view! {
                                                        <li data-testid="reaction-comment">{c.clone()}</li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            }
                        })
                        .collect_view()}
                </section>
            }
                .into_any()
        }}
        {(!sessions.is_empty())
            .then(|| {
                view! {
                    <section class="card">
                        <h2>{t!(i18n, reaction.sessions)}</h2>
                        <table class="list" data-testid="reaction-sessions">
                            <thead>
                                <tr>
                                    <th>{t!(i18n, reaction.session)}</th>
                                    <th class="num">{t!(i18n, reaction.answered)}</th>
                                    <th class="num">{t!(i18n, reaction.overall)}</th>
                                    <th class="num">{t!(i18n, reaction.index)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {sessions
                                    .into_iter()
                                    .map(|s| {
                                        view! {
                                            <tr data-testid="reaction-session">
                                                <td>
                                                    <a href=format!(
                                                        "{base}?session={}",
                                                        s.session_id,
                                                    )>{s.label}</a>
                                                </td>
                                                <td class="num">{s.answered}</td>
                                                {if s.shown {
                                                    view! {
                                                        <td class="num">{one(s.overall)}</td>
                                                        <td class="num">
                                                            {format!("{} (n = {})", index_text(s.index), s.index_n)}
                                                        </td>
                                                    }
                                                        .into_any()
                                                } else {
                                                    let few = t_string!(i18n, reaction.too_few, k = threshold);
                                                    view! {
                                                        <td class="num muted" data-testid="session-hidden">
                                                            {few.clone()}
                                                        </td>
                                                        <td class="num muted">{few}</td>
                                                    }
                                                        .into_any()
                                                }}
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </section>
                }
            })}
    }
}

/// One rated item: n, mean and a bar per answer, widths in percent of n.
#[component]
fn ItemRow(f: ItemFigures) -> impl IntoView {
    let i18n = use_i18n();
    let n = f.n.unwrap_or(0).max(1);
    let bars = f
        .distribution
        .iter()
        .map(|(value, count)| {
            let width = 100.0 * *count as f64 / n as f64;
            view! {
                <span class="bar-row" title=format!("{value}: {count}")>
                    <span class="bar-label">{*value}</span>
                    // An SVG bar: the page's CSP allows no inline styles.
                    <svg
                        class="bar"
                        viewBox="0 0 100 8"
                        preserveAspectRatio="none"
                        aria-hidden="true"
                    >
                        <rect width=format!("{width:.1}") height="8"></rect>
                    </svg>
                    <span class="bar-count">{*count}</span>
                </span>
            }
        })
        .collect_view();
    view! {
        <tr data-testid="reaction-item-row">
            <td>{prompt_text(i18n, &f.item)}</td>
            <td class="num">{f.n.unwrap_or(0)}</td>
            <td class="num" data-testid="reaction-mean">
                {one(f.mean)}
            </td>
            <td>
                <div class="bars">{bars}</div>
            </td>
        </tr>
    }
}

// ---------------------------------------------------------------- the form editor

#[component]
pub fn ReactionSetupPage() -> impl IntoView {
    let id = route_param("id");
    let key = search_key();
    let setup = Resource::new(
        move || (id(), key.get()),
        |(id, _)| super::get_reaction_setup(id),
    );
    view! {
        <Page
            title=|i| t_string!(i, reaction.setup_title)
            roles=BANK_EDITORS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
        >
            <QueryBanner key="removed" text=|i| t_string!(i, reaction.removed) />
            <Loaded resource=setup let:s>
                <Setup s=s.clone() />
            </Loaded>
        </Page>
    }
}

#[component]
fn Setup(s: ReactionFormSetup) -> impl IntoView {
    let i18n = use_i18n();
    let require = mutation::<RequireReaction>();
    let require_course = s.course_id.to_string();
    view! {
        <p>
            <strong>{s.course.clone()}</strong>
            " · "
            <a href=format!(
                "/courses/{}/evaluation/reaction",
                s.course_id,
            )>{t!(i18n, reaction.report_title)}</a>
            " · "
            <a href=format!("/courses/{}/reaction", s.course_id)>{t!(i18n, reaction.preview)}</a>
        </p>
        <p class="muted">
            {t!(i18n, reaction.setup_help)} " "
            <a href="/reaction-template" data-testid="template-link">
                {t!(i18n, reaction.template_link)}
            </a>
        </p>
        <section class="card">
            <ActionForm action=require attr:data-testid="reaction-require">
                <input type="hidden" name="course_id" value=require_course />
                <div class="field checkbox">
                    <input
                        type="checkbox"
                        id="reaction-required"
                        name="required"
                        value="yes"
                        checked=s.required
                    />
                    <label for="reaction-required">{t!(i18n, reaction.required_label)}</label>
                </div>
                <button type="submit">{t!(i18n, common.save)}</button>
            </ActionForm>
        </section>
        <ItemsEditor items=s.items course_id=Some(s.course_id) />
    }
}

/// The items with their reword and remove forms, and the form that adds one:
/// of a course's form, or without a course of the office template.
#[component]
fn ItemsEditor(items: Vec<ReactionItem>, course_id: Option<uuid::Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let add = mutation::<AddReactionItem>();
    let add_error = action_error(add);
    view! {
        <section class="card">
            <h2>{t!(i18n, reaction.items)}</h2>
            <ol class="reaction-items">
                {items.into_iter().map(|item| view! { <SetupItem item=item /> }).collect_view()}
            </ol>
        </section>
        <section class="card">
            <h2>{t!(i18n, reaction.add_item)}</h2>
            <FormError error=add_error />
            <ActionForm action=add attr:data-testid="reaction-add">
                {course_id
                    .map(|c| {
                        view! { <input type="hidden" name="course_id" value=c.to_string() /> }
                    })}
                <div class="field">
                    <label for="add-kind">{t!(i18n, reaction.kind)}</label>
                    <select id="add-kind" name="kind">
                        {[ReactionKind::Scale, ReactionKind::Text, ReactionKind::Recommend]
                            .into_iter()
                            .map(|k| {
                                view! { <option value=k.as_str()>{kind_name(i18n, k)}</option> }
                            })
                            .collect_view()}
                    </select>
                    <FieldErrors error=add_error field="kind" />
                </div>
                <div class="field">
                    <label for="add-prompt">{t!(i18n, reaction.prompt)}</label>
                    <input id="add-prompt" name="prompt" maxlength="300" required />
                    <FieldErrors error=add_error field="prompt" />
                </div>
                <button type="submit">{t!(i18n, reaction.add)}</button>
            </ActionForm>
        </section>
    }
}

/// The office's template: the items each course's form starts with.
#[component]
pub fn ReactionTemplatePage() -> impl IntoView {
    let key = search_key();
    let template = Resource::new(move || key.get(), |_| super::get_reaction_template());
    view! {
        <Page
            title=|i| t_string!(i, reaction.template_title)
            roles=BANK_EDITORS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
        >
            <QueryBanner key="removed" text=|i| t_string!(i, reaction.removed) />
            <Loaded resource=template let:t>
                <TemplateEditor t=t.clone() />
            </Loaded>
        </Page>
    }
}

#[component]
fn TemplateEditor(t: super::ReactionTemplate) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="muted" data-testid="template-help">
            {t!(i18n, reaction.template_help)}
        </p>
        <ItemsEditor items=t.items course_id=None />
    }
}

#[component]
fn SetupItem(item: ReactionItem) -> impl IntoView {
    let i18n = use_i18n();
    let reword = mutation::<RewordReactionItem>();
    let remove = mutation::<RemoveReactionItem>();
    let (reword_error, remove_error) = (action_error(reword), action_error(remove));
    let id = item.id.to_string();
    let prompt_id = format!("prompt-{}", item.id.simple());
    let shown = prompt_text(i18n, &item);
    // The template's items have no answers to count.
    let in_template = item.answers.is_none();
    view! {
        <li data-testid="setup-item">
            <p>
                <strong>{shown}</strong>
                " "
                <span class="tag">{kind_name(i18n, item.kind)}</span>
                " "
                {item
                    .answers
                    .map(|n| {
                        view! {
                            <span class="muted">{t_string!(i18n, reaction.answers_n, n = n)}</span>
                        }
                    })}
            </p>
            {(item.answers.unwrap_or(0) == 0)
                .then(|| {
                    let id = id.clone();
                    view! {
                        <ActionForm action=reword attr:class="inline">
                            <input type="hidden" name="id" value=id />
                            <label for=prompt_id
                                .clone()>
                                {if item.default_wording {
                                    t_string!(i18n, reaction.reword)
                                } else {
                                    t_string!(i18n, reaction.reword_own)
                                }}
                            </label>
                            " "
                            <input
                                id=prompt_id
                                name="prompt"
                                maxlength="300"
                                value=item.prompt.clone()
                            />
                            <button type="submit">{t!(i18n, common.save)}</button>
                            <FieldErrors
                                error=reword_error
                                field="prompt"
                                id=format!("prompt-{}-error", item.id.simple())
                            />
                        </ActionForm>
                    }
                })}
            <details class="inline-confirm">
                <summary data-testid="remove-item">{t!(i18n, reaction.remove)}</summary>
                <FormError error=remove_error />
                <ActionForm action=remove>
                    <input type="hidden" name="id" value=id />
                    <p class="muted">
                        {if in_template {
                            t_string!(i18n, reaction.template_remove_help)
                        } else {
                            t_string!(i18n, reaction.remove_help)
                        }}
                    </p>
                    <ConfirmBox id=format!("confirm-{}", item.id.simple()) error=remove_error />
                    <button type="submit" class="danger">
                        {t!(i18n, reaction.remove)}
                    </button>
                </ActionForm>
            </details>
        </li>
    }
}
