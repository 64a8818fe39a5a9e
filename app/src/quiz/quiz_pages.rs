//! Quizzes on a course: the list its page shows (start, resume, result), and
//! the editor a course's editors set a quiz up in.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::draw::By;
use super::{
    AddQuizRule, BANK_EDITORS, CourseQuizzes, QuizDetail, RemoveQuizRule, SaveQuiz, StartAttempt,
};
use crate::components::{
    FieldErrors, FormError, Loaded, Page, QueryBanner, TextField, action_error, label, mutation,
    query_param, route_param,
};
use crate::domain::{Counting, QuizPurpose, Review, Vocabulary};
use crate::i18n::*;

pub fn purpose_name(i18n: I18nContext<Locale>, p: QuizPurpose) -> &'static str {
    match p {
        QuizPurpose::Pre => t_string!(i18n, quiz.purpose_pre),
        QuizPurpose::Post => t_string!(i18n, quiz.purpose_post),
        QuizPurpose::Practice => t_string!(i18n, quiz.purpose_practice),
    }
}

fn counting_name(i18n: I18nContext<Locale>, c: Counting) -> &'static str {
    match c {
        Counting::Best => t_string!(i18n, quiz.counting_best),
        Counting::Last => t_string!(i18n, quiz.counting_last),
        Counting::First => t_string!(i18n, quiz.counting_first),
    }
}

fn review_name(i18n: I18nContext<Locale>, r: Review) -> &'static str {
    match r {
        Review::Immediately => t_string!(i18n, quiz.review_immediately),
        Review::AfterClose => t_string!(i18n, quiz.review_after_close),
        Review::Never => t_string!(i18n, quiz.review_never),
    }
}

/// A course's quizzes: for learners, start, resume or see their result; for
/// the course's editors, every quiz and a new one. (Its own page, linked from
/// the course: the course pages do not depend on the quiz engine.)
#[component]
pub fn CourseQuizzesPage() -> impl IntoView {
    let id = route_param("id");
    let list = Resource::new(
        move || (id(), crate::components::search_key().get()),
        |(id, _)| super::list_course_quizzes(id),
    );
    let start = mutation::<StartAttempt>();
    let error = action_error(start);
    view! {
        <Page
            title=|i| t_string!(i, quiz.title)
            roles=crate::auth::EVERYONE
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
        >
            <Loaded resource=list let:c>
                <QuizList c=c.clone() error=error start=start />
            </Loaded>
        </Page>
    }
}

#[component]
fn QuizList(
    c: CourseQuizzes,
    #[prop(into)] error: Signal<Option<crate::error::AppError>>,
    start: ServerAction<StartAttempt>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p>
            <a href=format!("/courses/{}", c.course_id)>{c.course.clone()}</a>
        </p>
        <section class="card" data-testid="course-quizzes">
            <FormError error=error />
            {c.quizzes.is_empty().then(|| view! { <p class="empty">{t!(i18n, quiz.none)}</p> })}
            <ul class="plain">
                {c
                    .quizzes
                    .into_iter()
                    .map(|q| {
                        let facts = [
                            Some(purpose_name(i18n, q.purpose).to_owned()),
                            q
                                .time_limit_minutes
                                .map(|m| t_string!(i18n, quiz.minutes_n, n = m).to_string()),
                            Some(
                                if q.attempts_allowed == 0 {
                                    t_string!(i18n, quiz.attempts_any, used = q.attempts_used)
                                        .to_string()
                                } else {
                                    t_string!(
                                        i18n, quiz.attempts_of, used = q.attempts_used, n = q
                                        .attempts_allowed
                                    )
                                        .to_string()
                                },
                            ),
                            Some(t_string!(i18n, quiz.pass_n, n = q.pass_mark).to_string()),
                            q
                                .closes_at
                                .clone()
                                .map(|c| t_string!(i18n, quiz.closes, at = c).to_string()),
                        ]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" · ");
                        view! {
                            <li data-testid="quiz-row">
                                <strong>{q.title.clone()}</strong>
                                {(!q.published)
                                    .then(|| {
                                        view! {
                                            <span class="muted">" (" {t!(i18n, quiz.draft)} ")"</span>
                                        }
                                    })}
                                <div class="muted">{facts}</div>
                                <div class="actions">
                                    {q
                                        .open_attempt
                                        .map(|a| {
                                            view! {
                                                <a
                                                    class="button primary"
                                                    href=format!("/attempts/{a}")
                                                    data-testid="resume-attempt"
                                                >
                                                    {t!(i18n, quiz.resume)}
                                                </a>
                                            }
                                        })}
                                    {q
                                        .can_start
                                        .then(|| {
                                            view! {
                                                <ActionForm
                                                    action=start
                                                    attr:class="inline"
                                                    attr:data-testid="start-attempt"
                                                >
                                                    <input
                                                        type="hidden"
                                                        name="quiz_id"
                                                        value=q.id.to_string()
                                                    />
                                                    <button type="submit" class="primary">
                                                        {t!(i18n, quiz.start)}
                                                    </button>
                                                </ActionForm>
                                            }
                                        })}
                                    {q
                                        .counted
                                        .map(|a| {
                                            view! {
                                                <a href=format!("/attempts/{a}") data-testid="quiz-result">
                                                    {t!(i18n, quiz.result)}
                                                </a>
                                            }
                                        })}
                                    {c
                                        .can_edit
                                        .then(|| {
                                            view! {
                                                <a
                                                    href=format!("/quizzes/{}", q.id)
                                                    data-testid="edit-quiz"
                                                >
                                                    {t!(i18n, quiz.edit)}
                                                </a>
                                            }
                                        })}
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {c
                .can_edit
                .then(|| {
                    view! {
                        <p>
                            <a
                                class="button"
                                href=format!("/quizzes/new?course={}", c.course_id)
                                data-testid="new-quiz"
                            >
                                {t!(i18n, quiz.new)}
                            </a>
                            " "
                            <a
                                href=format!("/courses/{}/evaluation", c.course_id)
                                data-testid="evaluation-link"
                            >
                                {t!(i18n, evaluation.link)}
                            </a>
                            " "
                            <a
                                href=format!("/courses/{}/evaluation/learning", c.course_id)
                                data-testid="gain-link"
                            >
                                {t!(i18n, gain.link)}
                            </a>
                            " "
                            <a
                                href=format!("/courses/{}/evaluation/reaction", c.course_id)
                                data-testid="reaction-report-link"
                            >
                                {t!(i18n, reaction.link)}
                            </a>
                        </p>
                    }
                })}
        </section>
    }
}

fn choice_options<T: Vocabulary + PartialEq + Copy + Send + Sync + 'static>(
    chosen: T,
    name: impl Fn(T) -> &'static str + 'static,
) -> impl IntoView {
    T::ALL
        .iter()
        .map(|v| {
            let v = *v;
            view! {
                <option value=v.as_str() selected=v == chosen>
                    {name(v)}
                </option>
            }
        })
        .collect_view()
}

/// The settings form, for a new quiz (`quiz` none) or an existing one.
#[component]
fn QuizForm(quiz: Option<QuizDetail>, course_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let save = mutation::<SaveQuiz>();
    let error = action_error(save);
    let q = quiz;
    let purpose = q.as_ref().map_or(QuizPurpose::Post, |q| q.purpose);
    let counting = q.as_ref().map_or(Counting::Best, |q| q.counting);
    let review = q.as_ref().map_or(Review::Immediately, |q| q.review);
    let text = |v: Option<String>| v.unwrap_or_default();
    view! {
        <section class="card">
            <h2>{t!(i18n, quiz.settings)}</h2>
            <FormError error=error />
            <ActionForm action=save attr:data-testid="quiz-form">
                <input
                    type="hidden"
                    name="id"
                    value=q.as_ref().map(|q| q.id.to_string()).unwrap_or_default()
                />
                <input type="hidden" name="course_id" value=course_id />
                <TextField
                    name="title"
                    label=label(i18n, |i| t_string!(i, quiz.name))
                    error=error
                    value=text(q.as_ref().map(|q| q.title.clone()))
                    required=true
                />
                <div class="grid2">
                    <div class="field">
                        <label for="field-purpose">{t!(i18n, quiz.purpose)}</label>
                        <select id="field-purpose" name="purpose">
                            {choice_options(purpose, move |p| purpose_name(i18n, p))}
                        </select>
                        <FieldErrors error=error field="purpose" />
                    </div>
                    <TextField
                        name="pass_mark"
                        label=label(i18n, |i| t_string!(i, quiz.pass_mark))
                        error=error
                        value=q.as_ref().map_or("60".to_owned(), |q| format!("{}", q.pass_mark))
                        kind="number"
                        required=true
                    />
                    <TextField
                        name="time_limit"
                        label=label(i18n, |i| t_string!(i, quiz.time_limit))
                        error=error
                        value=text(
                            q.as_ref().and_then(|q| q.time_limit_minutes).map(|m| m.to_string()),
                        )
                        kind="number"
                    />
                    <TextField
                        name="attempts_allowed"
                        label=label(i18n, |i| t_string!(i, quiz.attempts_allowed))
                        error=error
                        value=q.as_ref().map_or("1".to_owned(), |q| q.attempts_allowed.to_string())
                        kind="number"
                    />
                    <div class="field">
                        <label for="field-counting">{t!(i18n, quiz.counting)}</label>
                        <select id="field-counting" name="counting">
                            {choice_options(counting, move |c| counting_name(i18n, c))}
                        </select>
                    </div>
                    <div class="field">
                        <label for="field-review">{t!(i18n, quiz.review)}</label>
                        <select id="field-review" name="review">
                            {choice_options(review, move |r| review_name(i18n, r))}
                        </select>
                    </div>
                    <TextField
                        name="opens_at"
                        label=label(i18n, |i| t_string!(i, quiz.opens_at))
                        error=error
                        value=text(q.as_ref().map(|q| q.opens_at.clone()))
                        kind="datetime-local"
                    />
                    <TextField
                        name="closes_at"
                        label=label(i18n, |i| t_string!(i, quiz.closes_at))
                        error=error
                        value=text(q.as_ref().map(|q| q.closes_at.clone()))
                        kind="datetime-local"
                    />
                </div>
                <p class="muted">{t!(i18n, quiz.blank_help)}</p>
                <div class="field checkbox">
                    <input
                        type="checkbox"
                        id="shuffle_questions"
                        name="shuffle_questions"
                        value="yes"
                        checked=q.as_ref().is_some_and(|q| q.shuffle_questions)
                    />
                    <label for="shuffle_questions">{t!(i18n, quiz.shuffle_questions)}</label>
                </div>
                <div class="field checkbox">
                    <input
                        type="checkbox"
                        id="shuffle_options"
                        name="shuffle_options"
                        value="yes"
                        checked=q.as_ref().is_none_or(|q| q.shuffle_options)
                    />
                    <label for="shuffle_options">{t!(i18n, quiz.shuffle_options)}</label>
                </div>
                <div class="field checkbox">
                    <input
                        type="checkbox"
                        id="published"
                        name="published"
                        value="yes"
                        checked=q.as_ref().is_some_and(|q| q.published)
                    />
                    <label for="published">{t!(i18n, quiz.published)}</label>
                </div>
                <button type="submit" class="primary" data-testid="save-quiz">
                    {t!(i18n, common.save)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn NewQuizPage() -> impl IntoView {
    let course = query_param("course");
    view! {
        <Page
            title=|i| t_string!(i, quiz.new)
            roles=BANK_EDITORS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
        >
            <QuizForm quiz=None course_id=course() />
        </Page>
    }
}

/// The rules a quiz draws its questions by, with what each finds now.
#[component]
fn Rules(q: QuizDetail) -> impl IntoView {
    let i18n = use_i18n();
    let add = mutation::<AddQuizRule>();
    let remove = mutation::<RemoveQuizRule>();
    let error = action_error(add);
    let removed_error = action_error(remove);
    let id = q.id;
    let add_form = |by: By, keys: Vec<String>, testid: &'static str| {
        let (by_value, key_label) = match by {
            By::Competency => ("competency", t_string!(i18n, bank.competency)),
            By::Category => ("category", t_string!(i18n, bank.category)),
        };
        let select_id = format!("rule-key-{by_value}");
        let count_id = format!("rule-count-{by_value}");
        view! {
            <ActionForm action=add attr:class="filters" attr:data-testid=testid>
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="by" value=by_value />
                <div class="field">
                    <label for=select_id.clone()>{key_label}</label>
                    <select id=select_id name="key" required>
                        {keys
                            .into_iter()
                            .map(|k| view! { <option value=k.clone()>{k.clone()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=count_id.clone()>{t!(i18n, quiz.count)}</label>
                    <input id=count_id name="count" type="number" min="1" />
                </div>
                <button type="submit">{t!(i18n, quiz.add_rule)}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="card" data-testid="quiz-rules">
            <h2>{t!(i18n, quiz.rules)}</h2>
            <p class="muted">{t!(i18n, quiz.rules_help)}</p>
            <FormError error=removed_error />
            {if q.rules.is_empty() {
                view! { <p class="empty">{t!(i18n, quiz.no_rules)}</p> }.into_any()
            } else {
                view! {
                    <table class="list">
                        <tbody>
                            {q
                                .rules
                                .iter()
                                .zip(q.found.iter())
                                .enumerate()
                                .map(|(i, (r, found))| {
                                    let what = match r.by {
                                        By::Competency => t_string!(i18n, bank.competency),
                                        By::Category => t_string!(i18n, bank.category),
                                    };
                                    let count = match r.count {
                                        Some(n) => t_string!(i18n, quiz.draw_n, n = n).to_string(),
                                        None => t_string!(i18n, quiz.draw_all).to_string(),
                                    };
                                    let short = r.count.is_some_and(|n| n > *found) || *found == 0;
                                    view! {
                                        <tr data-testid="quiz-rule" class:row-error=short>
                                            <td>{format!("{what}: {}", r.key)}</td>
                                            <td>{count}</td>
                                            <td>{t_string!(i18n, quiz.found_n, n = *found)}</td>
                                            <td>
                                                <ActionForm action=remove attr:class="inline">
                                                    <input type="hidden" name="id" value=q.id.to_string() />
                                                    <input type="hidden" name="index" value=i.to_string() />
                                                    <button type="submit">{t!(i18n, quiz.remove)}</button>
                                                </ActionForm>
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
            <FormError error=error />
            {add_form(By::Competency, q.competencies.clone(), "add-rule-competency")}
            {add_form(By::Category, q.categories.clone(), "add-rule-category")}
        </section>
    }
}

#[component]
pub fn QuizEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = route_param("id");
    let detail = Resource::new(
        move || (id(), crate::components::search_key().get()),
        |(id, _)| super::get_quiz(id),
    );
    view! {
        <Page
            title=|i| t_string!(i, quiz.edit)
            roles=BANK_EDITORS
            crumbs=vec![(|i| t_string!(i, courses.title), "/courses")]
        >
            <QueryBanner key="saved" text=|i| t_string!(i, common.saved) />
            <Loaded resource=detail let:q>
                <p>
                    <a href=format!("/courses/{}", q.course_id)>{q.course.clone()}</a>
                    " · "
                    {t_string!(i18n, quiz.attempts_so_far, n = q.attempts)}
                    " · "
                    <a href=format!("/export/quizzes/{}/xml", q.id) data-testid="quiz-export-xml">
                        {t!(i18n, bank.export_xml)}
                    </a>
                    " · "
                    <a href=format!(
                        "/export/quizzes/{}/gift",
                        q.id,
                    )>{t!(i18n, bank.export_gift)}</a>
                    " · "
                    <a href=format!("/quizzes/{}/items", q.id) data-testid="item-analysis-link">
                        {t!(i18n, items.link)}
                    </a>
                    " · "
                    <a href=format!("/quizzes/{}/results", q.id) data-testid="results-link">
                        {t!(i18n, results.link)}
                    </a>
                </p>
                <QuizForm quiz=Some(q.clone()) course_id=q.course_id.to_string() />
                <Rules q=q.clone() />
            </Loaded>
        </Page>
    }
}
