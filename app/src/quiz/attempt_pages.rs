//! Taking a quiz: one question per page as a real form (so it works without
//! JavaScript), the time left as of the page load by the server's clock, the
//! receipt of every saved answer, and after submission what was stored.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::deliver::{Given, Shown};
use super::{AttemptPage as Attempt, AttemptResult, SaveAnswer, ShownQuestion, SubmitAttempt};
use crate::components::{
    ConfirmBox, FieldErrors, FormError, Loaded, Page, action_error, mutation, query_param,
    route_param,
};
use crate::i18n::*;
use crate::islands::{Countdown, SaveInPlace};

/// `754` seconds as `12 min 34 s`.
/// A length of time in the reader's language: hours and minutes, or minutes
/// and seconds under an hour.
pub(crate) fn duration(i18n: I18nContext<Locale>, seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        t_string!(i18n, common.hours_minutes, h = h, m = format!("{m:02}")).to_string()
    } else {
        t_string!(i18n, common.minutes_seconds, m = m, s = format!("{s:02}")).to_string()
    }
}

#[component]
fn Inputs(q: ShownQuestion) -> impl IntoView {
    let i18n = use_i18n();
    let given = q.given.clone();
    match q.shown {
        Shown::Single { options } => {
            let picked = match given {
                Some(Given::Single(p)) => Some(p),
                _ => None,
            };
            view! {
                <fieldset class="options">
                    <legend class="sr-only">{t!(i18n, attempt.choose_one)}</legend>
                    {options
                        .into_iter()
                        .enumerate()
                        .map(|(i, text)| {
                            let id = format!("choice-{i}");
                            view! {
                                <div class="field checkbox">
                                    <input
                                        type="radio"
                                        id=id.clone()
                                        name="choice"
                                        value=i.to_string()
                                        checked=picked == Some(i)
                                    />
                                    <label for=id>{text}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
            }
            .into_any()
        }
        Shown::Multiple { options } => {
            let ticked = match given {
                Some(Given::Multiple(p)) => p,
                _ => Vec::new(),
            };
            view! {
                <fieldset class="options">
                    <legend>{t!(i18n, attempt.choose_any)}</legend>
                    {options
                        .into_iter()
                        .enumerate()
                        .map(|(i, text)| {
                            let id = format!("pick-{i}");
                            view! {
                                <div class="field checkbox">
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        name=format!("picks[p{i}]")
                                        value="yes"
                                        checked=ticked.contains(&i)
                                    />
                                    <label for=id>{text}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <p class="muted">{t!(i18n, bank.multiple_rule)}</p>
            }
            .into_any()
        }
        Shown::TrueFalse => {
            let picked = match given {
                Some(Given::TrueFalse(b)) => Some(b),
                _ => None,
            };
            view! {
                <fieldset class="options">
                    <legend class="sr-only">{t!(i18n, attempt.choose_one)}</legend>
                    <div class="field checkbox">
                        <input
                            type="radio"
                            id="choice-true"
                            name="choice"
                            value="true"
                            checked=picked == Some(true)
                        />
                        <label for="choice-true">{t!(i18n, bank.true_)}</label>
                    </div>
                    <div class="field checkbox">
                        <input
                            type="radio"
                            id="choice-false"
                            name="choice"
                            value="false"
                            checked=picked == Some(false)
                        />
                        <label for="choice-false">{t!(i18n, bank.false_)}</label>
                    </div>
                </fieldset>
            }
            .into_any()
        }
        Shown::Numeric { .. } | Shown::Short => {
            let typed = match given {
                Some(Given::Typed(t)) => t,
                _ => String::new(),
            };
            view! {
                <div class="field">
                    <label for="answer-text">{t!(i18n, attempt.your_answer)}</label>
                    <input
                        id="answer-text"
                        name="text"
                        type="text"
                        value=typed
                        autocomplete="off"
                    />
                </div>
            }
            .into_any()
        }
        Shown::Essay => {
            let typed = match given {
                Some(Given::Essay(t)) => t,
                _ => String::new(),
            };
            view! {
                <div class="field">
                    <label for="answer-text">{t!(i18n, attempt.your_answer)}</label>
                    <textarea id="answer-text" name="text" rows="10">
                        {typed}
                    </textarea>
                </div>
            }
            .into_any()
        }
        Shown::Matching { prompts, answers } => {
            let chosen = match given {
                Some(Given::Matching(c)) => c,
                _ => Vec::new(),
            };
            view! {
                {prompts
                    .into_iter()
                    .enumerate()
                    .map(|(i, prompt)| {
                        let id = format!("match-{i}");
                        let mine = chosen.get(i).copied().flatten();
                        view! {
                            <div class="field">
                                <label for=id.clone()>{prompt}</label>
                                <select id=id name=format!("picks[p{i}]")>
                                    <option value="">"—"</option>
                                    {answers
                                        .iter()
                                        .enumerate()
                                        .map(|(a, text)| {
                                            view! {
                                                <option value=a.to_string() selected=mine == Some(a)>
                                                    {text.clone()}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                        }
                    })
                    .collect_view()}
            }
                .into_any()
        }
        Shown::Ordering { items } => {
            let order = match given {
                Some(Given::Ordering(o)) => o,
                _ => Vec::new(),
            };
            let n = items.len();
            view! {
                <p class="muted">{t!(i18n, attempt.order_help)}</p>
                {items
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| {
                        let id = format!("rank-{i}");
                        let rank = order
                            .iter()
                            .position(|p| *p == i)
                            .map(|r| (r + 1).to_string())
                            .unwrap_or_default();
                        view! {
                            <div class="field">
                                <label for=id.clone()>{text}</label>
                                <input
                                    id=id
                                    name=format!("picks[p{i}]")
                                    type="number"
                                    min="1"
                                    max=n.to_string()
                                    value=rank
                                />
                            </div>
                        }
                    })
                    .collect_view()}
            }
            .into_any()
        }
        Shown::Description => ().into_any(),
    }
}

#[component]
fn Result(r: AttemptResult) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="attempt-stored">
            <h2>{t!(i18n, attempt.stored)}</h2>
            <p>
                {t_string!(i18n, attempt.submitted_at, at = r.submitted_at.clone())}
                {r
                    .by_deadline
                    .then(|| {
                        view! {
                            " "
                            {t!(i18n, attempt.by_deadline)}
                        }
                    })}
            </p>
            <p data-testid="attempt-time">
                {t_string!(i18n, attempt.time_taken, time = duration(i18n, r.seconds))}
            </p>
            <p data-testid="attempt-answered">
                {t_string!(i18n, attempt.answered_n, n = r.answered, total = r.total)}
            </p>
            {r
                .last_receipt
                .clone()
                .map(|rc| {
                    view! {
                        <p data-testid="attempt-last-receipt">
                            {t_string!(i18n, attempt.last_receipt, seq = rc.seq, at = rc.saved_at)}
                        </p>
                    }
                })}
        </section>
        {match r.score.clone() {
            Some(s) => {
                view! {
                    <section class="card" data-testid="attempt-score">
                        <h2>{t!(i18n, attempt.score)}</h2>
                        <p class="big">
                            {format!("{:.1} / {} ({:.0}%)", s.score, s.max, s.percent)}
                        </p>
                        <p>
                            {match s.passed {
                                Some(true) => t_string!(i18n, attempt.passed),
                                Some(false) => t_string!(i18n, attempt.not_passed),
                                None => t_string!(i18n, attempt.awaiting_grading),
                            }}
                        </p>
                    </section>
                }
                    .into_any()
            }
            None => view! { <p class="muted">{t!(i18n, attempt.score_later)}</p> }.into_any(),
        }}
        {(!r.review.is_empty())
            .then(|| {
                view! {
                    <section class="card" data-testid="attempt-review">
                        <h2>{t!(i18n, attempt.review)}</h2>
                        <ol class="review">
                            {r
                                .review
                                .iter()
                                .cloned()
                                .map(|item| {
                                    let key = item
                                        .key
                                        .iter()
                                        .map(|k| match k.as_str() {
                                            "true" => t_string!(i18n, bank.true_).to_owned(),
                                            "false" => t_string!(i18n, bank.false_).to_owned(),
                                            other => other.to_owned(),
                                        })
                                        .collect::<Vec<_>>()
                                        .join("; ");
                                    view! {
                                        <li>
                                            <div inner_html=item.text_html></div>
                                            <p class="muted">
                                                {match item.score {
                                                    Some(s) => format!("{s:.1} / {}", item.points),
                                                    None => t_string!(i18n, attempt.awaiting_grading).to_owned(),
                                                }}
                                            </p>
                                            <p>{t!(i18n, attempt.right_answer)} ": " {key}</p>
                                            {(!item.feedback.is_empty())
                                                .then(|| {
                                                    view! { <p class="muted">{item.feedback.clone()}</p> }
                                                })}
                                            {item
                                                .comment
                                                .clone()
                                                .map(|c| {
                                                    view! {
                                                        <p data-testid="marker-comment">
                                                            {t!(i18n, attempt.marker_comment)} ": " {c}
                                                        </p>
                                                    }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    </section>
                }
            })}
    }
}

#[component]
fn Open(a: Attempt) -> impl IntoView {
    let i18n = use_i18n();
    let save = mutation::<SaveAnswer>();
    let submit = mutation::<SubmitAttempt>();
    let error = action_error(save);
    let submit_error = action_error(submit);
    let saved = query_param("saved");
    let id = a.id.to_string();
    let position = a.position;
    let answered = a.answered.iter().filter(|x| **x).count();
    view! {
        <p class="muted" data-testid="attempt-progress">
            {t_string!(i18n, attempt.question_n, n = a.position, total = a.total)}
        </p>
        {a
            .seconds_left
            .map(|s| {
                view! {
                    <p class="banner" role="timer" data-testid="time-left">
                        <Countdown seconds=s />
                        " "
                        {t_string!(
                            i18n, attempt.time_left, left = duration(i18n, s), until = a.deadline.clone()
                            .unwrap_or_default()
                        )}
                    </p>
                }
            })}
        {move || {
            (!saved().is_empty())
                .then(|| {
                    a.receipt
                        .clone()
                        .map(|r| {
                            view! {
                                <div class="banner banner-ok" role="status" data-testid="receipt">
                                    {t_string!(i18n, attempt.receipt, seq = r.seq, at = r.saved_at)}
                                </div>
                            }
                        })
                })
        }}
        {a
            .question
            .clone()
            .map(|q| {
                view! {
                    <section class="card" data-testid="attempt-question">
                        <div class="question-text" inner_html=q.text_html.clone()></div>
                        <FormError error=error />
                        <SaveInPlace template=t_string!(
                            i18n, attempt.receipt, seq = "{seq}", at = "{at}"
                        )
                            .to_string()>
                            <ActionForm action=save attr:data-testid="answer-form">
                                <input type="hidden" name="id" value=id.clone() />
                                <input type="hidden" name="position" value=position.to_string() />
                                <Inputs q=q.clone() />
                                <FieldErrors error=error field="choice" />
                                <FieldErrors error=error field="text" />
                                <FieldErrors error=error field="picks" />
                                <div class="actions">
                                    <button type="submit" name="go" value=position.to_string()>
                                        {t!(i18n, attempt.save)}
                                    </button>
                                    {(position < a.total)
                                        .then(|| {
                                            view! {
                                                <button
                                                    type="submit"
                                                    class="primary"
                                                    name="go"
                                                    value=(position + 1).to_string()
                                                >
                                                    {t!(i18n, attempt.save_next)}
                                                </button>
                                            }
                                        })}
                                </div>
                            </ActionForm>
                        </SaveInPlace>
                    </section>
                }
            })}
        <nav class="card" aria-label=move || t_string!(i18n, attempt.questions)>
            <ol class="question-nav">
                {a
                    .answered
                    .iter()
                    .enumerate()
                    .map(|(i, done)| {
                        let n = i + 1;
                        let here = i32::try_from(n).ok() == Some(position);
                        view! {
                            <li class:answered=*done class:current=here>
                                <a
                                    href=format!("/attempts/{}?q={n}", a.id)
                                    aria-current=here.then_some("page")
                                >
                                    {n}
                                    {done.then(|| " ✓")}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
        <section class="card" data-testid="submit-section">
            <p>{t_string!(i18n, attempt.answered_n, n = answered, total = a.total)}</p>
            <FormError error=submit_error />
            <ActionForm action=submit attr:data-testid="submit-form">
                <input type="hidden" name="id" value=a.id.to_string() />
                <ConfirmBox id="confirm-submit" error=submit_error />
                <button type="submit" class="primary" data-testid="submit-attempt">
                    {t!(i18n, attempt.submit)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn AttemptPage() -> impl IntoView {
    let id = route_param("id");
    let q = query_param("q");
    let saved = query_param("saved");
    let attempt = Resource::new(
        move || (id(), q(), saved()),
        |(id, q, _)| super::get_attempt(id, Some(q)),
    );
    view! {
        <Page title=|i| t_string!(i, attempt.title) roles=crate::auth::EVERYONE>
            <Loaded resource=attempt let:a>
                <h2 data-testid="attempt-quiz">{a.quiz_title.clone()}</h2>
                {match a.result.clone() {
                    Some(r) => {
                        view! {
                            <Result r=r />
                            <p>
                                <a href=format!(
                                    "/courses/{}",
                                    a.course_id,
                                )>{t!(use_i18n(), attempt.back)}</a>
                            </p>
                        }
                            .into_any()
                    }
                    None => view! { <Open a=a.clone() /> }.into_any(),
                }}
            </Loaded>
        </Page>
    }
}
