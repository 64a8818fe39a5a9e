//! Level 3 pages: the rater's follow-ups, one follow-up's questions, and the
//! course's behaviour report.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::{
    AskedCompetency, BehaviourReport, BehaviourRow, FREQUENCY, FollowUpForm, FollowUpState,
    FollowUpSummary, LEVELS, SideFigures, SubmitFollowUp, frequency_field, level_field,
};
use crate::components::{
    FieldErrors, FormError, Loaded, Page, QueryBanner, action_error, route_param,
};
use crate::domain::{FollowUpStatus, RaterType};
use crate::evaluation::figures::Paired;
use crate::evaluation::learning_pages::p_text;
use crate::i18n::*;

fn frequency_name(i18n: I18nContext<Locale>, n: i32) -> &'static str {
    match n {
        1 => t_string!(i18n, behaviour.never),
        2 => t_string!(i18n, behaviour.rarely),
        3 => t_string!(i18n, behaviour.sometimes),
        4 => t_string!(i18n, behaviour.often),
        _ => t_string!(i18n, behaviour.always),
    }
}

fn about(i18n: I18nContext<Locale>, f: &FollowUpSummary) -> String {
    match f.rater_type {
        RaterType::SelfRating => t_string!(i18n, behaviour.about_me).to_owned(),
        _ => f.subject.clone(),
    }
}

fn status_name(i18n: I18nContext<Locale>, s: FollowUpStatus) -> &'static str {
    match s {
        FollowUpStatus::Open => t_string!(i18n, behaviour.status_open),
        FollowUpStatus::Submitted => t_string!(i18n, behaviour.status_submitted),
        FollowUpStatus::Expired => t_string!(i18n, behaviour.status_expired),
    }
}

// ---------------------------------------------------------------- the rater's list

#[component]
pub fn MyFollowUpsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |()| super::my_follow_ups());
    view! {
        <Page title=|i| t_string!(i, behaviour.mine_title) roles=crate::auth::EVERYONE>
            <QueryBanner key="thanks" text=|i| t_string!(i, behaviour.thanks) />
            <p class="muted">{t!(i18n, behaviour.mine_intro)}</p>
            <Loaded resource=list let:l>
                {if l.open.is_empty() {
                    view! {
                        <p class="empty" data-testid="follow-ups-empty">
                            {t!(i18n, behaviour.none_open)}
                        </p>
                    }
                        .into_any()
                } else {
                    view! { <FollowUpTable rows=l.open.clone() testid="follow-ups-open" /> }
                        .into_any()
                }}
                {(!l.done.is_empty())
                    .then(|| {
                        view! {
                            <h2>{t!(i18n, behaviour.done_heading)}</h2>
                            <FollowUpTable rows=l.done.clone() testid="follow-ups-done" />
                        }
                    })}
            </Loaded>
        </Page>
    }
}

#[component]
fn FollowUpTable(rows: Vec<FollowUpSummary>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="list" data-testid=testid>
            <thead>
                <tr>
                    <th>{t!(i18n, behaviour.course)}</th>
                    <th>{t!(i18n, behaviour.about)}</th>
                    <th class="num">{t!(i18n, behaviour.wave)}</th>
                    <th>{t!(i18n, behaviour.due)}</th>
                    <th>{t!(i18n, behaviour.status)}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|f| {
                        let who = about(i18n, &f);
                        view! {
                            <tr data-testid="follow-up-row">
                                <td>
                                    <a href=format!("/follow-ups/{}", f.id)>{f.course.clone()}</a>
                                </td>
                                <td>{who}</td>
                                <td class="num">{t_string!(i18n, behaviour.days, n = f.wave)}</td>
                                <td>{f.due.clone()}</td>
                                <td>{status_name(i18n, f.status)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

// ---------------------------------------------------------------- one follow-up

#[component]
pub fn FollowUpPage() -> impl IntoView {
    let id = route_param("id");
    let form = Resource::new(id, super::get_follow_up);
    view! {
        <Page
            title=|i| t_string!(i, behaviour.form_title)
            roles=crate::auth::EVERYONE
            crumbs=vec![(|i| t_string!(i, behaviour.mine_title), "/follow-ups")]
        >
            <Loaded resource=form let:f>
                <FollowUpBody f=f.clone() />
            </Loaded>
        </Page>
    }
}

#[component]
fn FollowUpBody(f: FollowUpForm) -> impl IntoView {
    let i18n = use_i18n();
    let submit = ServerAction::<SubmitFollowUp>::new();
    let error = action_error(submit);
    let own = f.rater_type == RaterType::SelfRating;
    let intro = if own {
        t_string!(
            i18n,
            behaviour.intro_self,
            course = f.course.clone(),
            date = f.completed_on.clone(),
            days = f.wave
        )
        .to_string()
    } else if f.rater_type == RaterType::Peer {
        t_string!(
            i18n,
            behaviour.intro_peer,
            person = f.subject.clone(),
            course = f.course.clone(),
            date = f.completed_on.clone(),
            days = f.wave
        )
        .to_string()
    } else {
        t_string!(
            i18n,
            behaviour.intro_manager,
            person = f.subject.clone(),
            course = f.course.clone(),
            date = f.completed_on.clone(),
            days = f.wave
        )
        .to_string()
    };
    let body = match f.state.clone() {
        FollowUpState::Submitted(on) => view! {
            <p class="empty" data-testid="follow-up-done">
                {t_string!(i18n, behaviour.answered_on, date = on)}
            </p>
        }
        .into_any(),
        FollowUpState::Expired => view! {
            <p class="empty" data-testid="follow-up-expired">
                {t!(i18n, behaviour.expired)}
            </p>
        }
        .into_any(),
        FollowUpState::Open => {
            let questions = f
                .competencies
                .iter()
                .map(|c| view! { <Question c=c.clone() error=error /> })
                .collect_view();
            view! {
                <p class="muted">{t_string!(i18n, behaviour.due_by, date = f.due.clone())}</p>
                <FormError error=error />
                <ActionForm action=submit attr:data-testid="follow-up-form">
                    <input type="hidden" name="id" value=f.id.to_string() />
                    {questions}
                    {own
                        .then(|| {
                            view! {
                                <label for="action_plan">{t!(i18n, behaviour.plan)}</label>
                                <textarea id="action_plan" name="action_plan" rows="3"></textarea>
                                <p class="muted">{t!(i18n, behaviour.plan_help)}</p>
                                <FieldErrors error=error field="action_plan" />
                            }
                        })}
                    <button type="submit" class="primary">
                        {t!(i18n, behaviour.send)}
                    </button>
                </ActionForm>
            }
            .into_any()
        }
    };
    view! {
        <p data-testid="follow-up-intro">{intro}</p>
        {body}
    }
}

#[component]
fn Question(
    c: AskedCompetency,
    #[prop(into)] error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let level = level_field(&c.code);
    let often = frequency_field(&c.code);
    let slug: String = c
        .code
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' })
        .collect();
    let levels = (LEVELS.0..=LEVELS.1)
        .map(|n| {
            let rid = format!("level-{slug}-{n}");
            let label_for = rid.clone();
            let descriptor = c
                .levels
                .get(usize::try_from(n - 1).unwrap_or(0))
                .cloned()
                .unwrap_or_default();
            view! {
                <label for=label_for class="level">
                    <input type="radio" id=rid name=level.clone() value=n.to_string() />
                    " "
                    <strong>{n}</strong>
                    " "
                    {descriptor}
                </label>
            }
        })
        .collect_view();
    let frequencies = (FREQUENCY.0..=FREQUENCY.1)
        .map(|n| {
            let rid = format!("often-{slug}-{n}");
            let label_for = rid.clone();
            view! {
                <label for=label_for>
                    <input type="radio" id=rid name=often.clone() value=n.to_string() />
                    " "
                    {frequency_name(i18n, n)}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="rating" data-testid="follow-up-competency">
            <legend>{format!("{} · {}", c.code, c.name)}</legend>
            <p class="muted">{t_string!(i18n, behaviour.level_question, level = c.course_level)}</p>
            <div class="scale" role="radiogroup">
                {levels}
            </div>
            <FieldErrors error=error field=level.clone() />
            <p class="muted">{t!(i18n, behaviour.frequency_question)}</p>
            <div class="scale compact" role="radiogroup">
                {frequencies}
            </div>
            <FieldErrors error=error field=often.clone() />
        </fieldset>
    }
}

// ---------------------------------------------------------------- the report

#[component]
pub fn BehaviourReportPage() -> impl IntoView {
    let id = route_param("id");
    let report = Resource::new(id, super::get_behaviour_report);
    view! {
        <Page
            title=|i| t_string!(i, behaviour.report_title)
            roles=crate::evaluation::READERS
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

/// One plain sentence for a row's baseline against its follow-up.
pub fn row_sentence(i18n: I18nContext<Locale>, row: &BehaviourRow) -> String {
    let Some(p) = row.paired else {
        return if row.shown {
            t_string!(i18n, behaviour.no_baseline, what = row.competency.clone()).to_owned()
        } else {
            t_string!(i18n, behaviour.hidden_row, n = row.n).to_owned()
        };
    };
    let base = (
        row.competency.clone(),
        row.wave,
        format!("{:.1}", p.mean_before),
        format!("{:.1}", p.mean_after),
        format!("{:+.1}", p.mean_change),
    );
    match p.t_test {
        Some(t) => t_string!(
            i18n,
            behaviour.sentence,
            what = base.0,
            days = base.1,
            before = base.2,
            after = base.3,
            n = p.n,
            change = base.4,
            low = format!("{:+.1}", t.ci.0),
            high = format!("{:+.1}", t.ci.1),
            p = p_text(t.p)
        )
        .to_string(),
        None => t_string!(
            i18n,
            behaviour.sentence_no_test,
            what = base.0,
            days = base.1,
            before = base.2,
            after = base.3,
            n = p.n,
            change = base.4
        )
        .to_string(),
    }
}

fn side_cells(s: SideFigures) -> impl IntoView {
    view! {
        <td class="num">{s.n}</td>
        <td class="num">{one(s.level)}</td>
        <td class="num">{one(s.frequency)}</td>
    }
}

/// "2.4 → 3.3 (+0.9, n = 18)": a baseline against a follow-up.
pub fn change_text(p: &Paired) -> String {
    format!(
        "{:.1} → {:.1} ({:+.1}, n = {})",
        p.mean_before, p.mean_after, p.mean_change, p.n
    )
}

fn change_cell(p: Option<Paired>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| change_text(&p))
}

#[component]
fn Report(r: BehaviourReport) -> impl IntoView {
    let i18n = use_i18n();
    let waves = r
        .waves
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let sentences: Vec<String> = r.rows.iter().map(|row| row_sentence(i18n, row)).collect();
    // Colleagues' columns only where the office asks colleagues.
    let with_peers = r.rows.iter().any(|row| row.peers.n > 0);
    view! {
        <p>
            <a href=format!("/courses/{}/evaluation", r.course_id)>{r.course.clone()}</a>
            " · "
            <a
                href=format!("/export/courses/{}/behaviour.csv", r.course_id)
                download
                data-testid="behaviour-csv"
            >
                {t!(i18n, behaviour.export)}
            </a>
        </p>
        <crate::evaluation::course_pages::ScopedNote scoped=r.scoped />
        <section class="card">
            <dl class="facts">
                <dt>{t!(i18n, behaviour.waves)}</dt>
                <dd>{if waves.is_empty() { "—".to_owned() } else { waves }}</dd>
                <dt>{t!(i18n, behaviour.sent)}</dt>
                <dd data-testid="behaviour-sent">{r.sent}</dd>
                <dt>{t!(i18n, behaviour.answered)}</dt>
                <dd data-testid="behaviour-answered">{r.answered}</dd>
                <dt>{t!(i18n, behaviour.still_open)}</dt>
                <dd>{r.open}</dd>
                <dt>{t!(i18n, behaviour.status_expired)}</dt>
                <dd>{r.expired}</dd>
            </dl>
            <p class="muted">{t_string!(i18n, behaviour.report_help, k = r.threshold)}</p>
        </section>
        {if r.rows.is_empty() {
            view! {
                <p class="empty" data-testid="behaviour-empty">
                    {t!(i18n, behaviour.empty)}
                </p>
            }
                .into_any()
        } else {
            view! {
                <section class="card">
                    <table class="list" data-testid="behaviour-rows">
                        <thead>
                            <tr>
                                <th rowspan="2">{t!(i18n, behaviour.competency)}</th>
                                <th rowspan="2" class="num">
                                    {t!(i18n, behaviour.wave)}
                                </th>
                                <th rowspan="2" class="num">
                                    "n"
                                </th>
                                <th colspan="3">{t!(i18n, behaviour.learners)}</th>
                                <th colspan="3">{t!(i18n, behaviour.managers)}</th>
                                {with_peers
                                    .then(|| {
                                        view! { <th colspan="3">{t!(i18n, behaviour.peers)}</th> }
                                    })}
                                <th rowspan="2">{t!(i18n, behaviour.baseline_change)}</th>
                                <th rowspan="2" class="num">
                                    {t!(i18n, behaviour.discrepancies)}
                                </th>
                            </tr>
                            <tr>
                                <th class="num">"n"</th>
                                <th class="num">{t!(i18n, behaviour.level)}</th>
                                <th class="num">{t!(i18n, behaviour.frequency)}</th>
                                <th class="num">"n"</th>
                                <th class="num">{t!(i18n, behaviour.level)}</th>
                                <th class="num">{t!(i18n, behaviour.frequency)}</th>
                                {with_peers
                                    .then(|| {
                                        view! {
                                            <th class="num">"n"</th>
                                            <th class="num">{t!(i18n, behaviour.level)}</th>
                                            <th class="num">{t!(i18n, behaviour.frequency)}</th>
                                        }
                                    })}
                            </tr>
                        </thead>
                        <tbody>
                            {r
                                .rows
                                .iter()
                                .map(|row| {
                                    view! {
                                        <tr
                                            data-testid="behaviour-row"
                                            data-shown=row.shown.to_string()
                                        >
                                            <td>{format!("{} · {}", row.code, row.competency)}</td>
                                            <td class="num">
                                                {t_string!(i18n, behaviour.days, n = row.wave)}
                                            </td>
                                            <td class="num">{row.n}</td>
                                            {side_cells(row.learners)}
                                            {side_cells(row.managers)}
                                            {with_peers.then(|| side_cells(row.peers))}
                                            <td>{change_cell(row.paired)}</td>
                                            <td class="num">
                                                {row
                                                    .discrepancies
                                                    .map_or_else(|| "—".to_owned(), |d| d.to_string())}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <ul class="sentences" data-testid="behaviour-sentences">
                        {sentences.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                    </ul>
                    <p class="muted">{t!(i18n, behaviour.reading_help)}</p>
                </section>
            }
                .into_any()
        }}
        <section class="card">
            <h2>{t!(i18n, behaviour.plans_heading)}</h2>
            {if r.plans.is_empty() {
                view! {
                    <p class="muted">{t_string!(i18n, behaviour.plans_hidden, k = r.threshold)}</p>
                }
                    .into_any()
            } else {
                view! {
                    <ul data-testid="behaviour-plans">
                        {r.plans.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
