//! Marking by hand and correcting questions: the essay queue, a question's
//! edit form, and the regrade of answers an earlier key graded.

use leptos::prelude::*;

use super::{
    BANK_EDITORS, EditQuestion, EssayToMark, MarkEssay, QuestionEdit, QuestionFormat,
    RegradeQuestion,
};
use crate::components::{
    ConfirmBox, FieldErrors, FormError, Loaded, Page, Pager, QueryBanner, TextField, action_error,
    label, mutation, query_page,
};
use crate::i18n::*;

#[component]
pub fn MarkingPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = query_page();
    let queue = Resource::new(
        move || (page(), crate::components::search_key().get()),
        |(page, _)| super::get_marking_queue(Some(page.to_string())),
    );
    view! {
        <Page title=|i| t_string!(i, marking.title) roles=BANK_EDITORS crumbs=vec![]>
            <QueryBanner key="marked" text=|i| t_string!(i, marking.marked) />
            <p class="muted">{t!(i18n, marking.help)}</p>
            <Loaded resource=queue let:q>
                {if q.rows.is_empty() {
                    view! {
                        <p class="empty" data-testid="marking-empty">
                            {t!(i18n, marking.empty)}
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <p>{t_string!(i18n, marking.count, n = q.total)}</p>
                        {q.rows.iter().map(|e| view! { <Essay e=e.clone() /> }).collect_view()}
                        <Pager page=q.page pages=q.pages href=|p| format!("/marking?page={p}") />
                    }
                        .into_any()
                }}
            </Loaded>
        </Page>
    }
}

#[component]
fn Essay(e: EssayToMark) -> impl IntoView {
    let i18n = use_i18n();
    let mark = mutation::<MarkEssay>();
    let error = action_error(mark);
    let score_id = format!("score-{}-{}", e.attempt_id, e.position);
    let comment_id = format!("comment-{}-{}", e.attempt_id, e.position);
    view! {
        <section class="card" data-testid="essay">
            <p class="muted">
                {e.learner.clone()} " · " {e.quiz_title.clone()} " · " {e.submitted_at.clone()}
            </p>
            <div class="question-text" inner_html=e.text_html.clone()></div>
            {(!e.rubric.is_empty())
                .then(|| {
                    view! {
                        <h3>{t!(i18n, bank.rubric)}</h3>
                        <p class="rubric">{e.rubric.clone()}</p>
                    }
                })}
            <h3>{t!(i18n, marking.answer)}</h3>
            <blockquote class="essay-answer" data-testid="essay-answer">
                {if e.answer.trim().is_empty() {
                    t_string!(i18n, marking.no_answer).to_owned()
                } else {
                    e.answer.clone()
                }}
            </blockquote>
            <FormError error=error />
            <ActionForm action=mark attr:data-testid="mark-form">
                <input type="hidden" name="attempt_id" value=e.attempt_id.to_string() />
                <input type="hidden" name="position" value=e.position.to_string() />
                <div class="field">
                    <label for=score_id
                        .clone()>
                        {t_string!(i18n, marking.score, max = super::points(e.points))}
                    </label>
                    <input
                        id=score_id
                        name="score"
                        type="number"
                        min="0"
                        max=e.points.to_string()
                        step="any"
                        required
                    />
                    <FieldErrors error=error field="score" />
                </div>
                <div class="field">
                    <label for=comment_id.clone()>{t!(i18n, marking.comment)}</label>
                    <textarea id=comment_id name="comment" rows="2"></textarea>
                    <FieldErrors error=error field="comment" />
                </div>
                <button type="submit" class="primary">
                    {t!(i18n, marking.save)}
                </button>
            </ActionForm>
        </section>
    }
}

/// The edit form on a question's page, and the regrade when earlier answers
/// were graded by an older key.
#[component]
pub fn QuestionEditor(id: String, points: f64, competency: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let form = Resource::new(
        {
            let id = id.clone();
            move || (id.clone(), crate::components::search_key().get())
        },
        |(id, _)| super::get_question_edit(id),
    );
    let edit = mutation::<EditQuestion>();
    let error = action_error(edit);
    let regrade = mutation::<RegradeQuestion>();
    let regrade_error = action_error(regrade);
    // Read inside the loaded view, which may render more than once.
    let (id, competency) = (StoredValue::new(id), StoredValue::new(competency));
    view! {
        <QueryBanner key="edited" text=|i| t_string!(i, marking.edited) />
        <QueryBanner key="regraded" text=|i| t_string!(i, marking.regraded) />
        <Loaded resource=form let:f>
            {regrade_section(f.clone(), id.get_value(), regrade, regrade_error)}
            <section class="card">
                <details data-testid="question-edit">
                    <summary>{t!(i18n, marking.edit)}</summary>
                    <p class="muted">
                        {match f.format {
                            QuestionFormat::Gift => t_string!(i18n, marking.edit_gift),
                            _ => t_string!(i18n, marking.edit_xml),
                        }}
                    </p>
                    {f
                        .given
                        .then(|| {
                            view! {
                                <p class="banner" data-testid="edit-new-version">
                                    {t!(i18n, marking.new_version)}
                                </p>
                            }
                        })}
                    <FormError error=error />
                    <ActionForm action=edit attr:data-testid="edit-form">
                        <input type="hidden" name="id" value=id.get_value() />
                        <div class="field">
                            <label for="field-source">{t!(i18n, marking.source)}</label>
                            <textarea
                                id="field-source"
                                name="source"
                                rows="10"
                                class="code"
                                required
                            >
                                {f.source.clone()}
                            </textarea>
                            <FieldErrors error=error field="source" />
                        </div>
                        <div class="grid2">
                            <TextField
                                name="points"
                                label=label(i18n, |i| t_string!(i, bank.points))
                                error=error
                                value=super::points(points)
                                kind="number"
                                required=true
                            />
                            <TextField
                                name="competency"
                                label=label(i18n, |i| t_string!(i, bank.competency))
                                error=error
                                value=competency.get_value().unwrap_or_default()
                            />
                        </div>
                        <button type="submit" class="primary" data-testid="save-question">
                            {t!(i18n, common.save)}
                        </button>
                    </ActionForm>
                </details>
            </section>
        </Loaded>
    }
}

fn regrade_section(
    f: QuestionEdit,
    id: String,
    regrade: ServerAction<RegradeQuestion>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    (f.earlier_answers > 0).then(|| {
        view! {
            <section class="card" data-testid="regrade">
                <p>{t_string!(i18n, marking.earlier, n = f.earlier_answers)}</p>
                <FormError error=error />
                <ActionForm action=regrade>
                    <input type="hidden" name="id" value=id />
                    <ConfirmBox id="confirm-regrade" error=error />
                    <button type="submit" data-testid="regrade-button">
                        {t!(i18n, marking.regrade)}
                    </button>
                </ActionForm>
            </section>
        }
    })
}
