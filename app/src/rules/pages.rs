//! The training rules page (admins): hours, rates, class size, and each
//! position's own learning-hours requirement.

use leptos::prelude::*;

use super::{EDITORS, SaveTrainingRules, TrainingRules, position_key};
use crate::components::{FieldErrors, FormError, Loaded, Page, TextField, action_error, label};
use crate::i18n::*;

/// A stored figure as the form shows it (no trailing `.0`).
fn figure(v: f64) -> String {
    format!("{}", (v * 100.0).round() / 100.0)
}

#[component]
pub fn RulesPage() -> impl IntoView {
    let rules = Resource::new(|| (), |_| super::get_training_rules());
    view! {
        <Page title=|i| t_string!(i, rules.title) roles=EDITORS>
            <Loaded resource=rules let:r>
                <RulesForm r=r />
            </Loaded>
        </Page>
    }
}

#[component]
fn RulesForm(r: TrainingRules) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveTrainingRules>::new();
    let error = action_error(save);
    let office = figure(r.hours_required);
    view! {
        <p class="muted">{t!(i18n, rules.intro)}</p>
        <FormError error=error />
        <ActionForm action=save attr:data-testid="rules-form">
            <section class="card">
                <h2>{t!(i18n, rules.hours_heading)}</h2>
                <div class="grid2">
                    <TextField
                        name="hours_required"
                        label=label(i18n, |i| t_string!(i, rules.hours_required))
                        error=error
                        value=figure(r.hours_required)
                        kind="number"
                        required=true
                    />
                    <TextField
                        name="hours_budget"
                        label=label(i18n, |i| t_string!(i, rules.hours_budget))
                        error=error
                        value=figure(r.hours_budget)
                        kind="number"
                        required=true
                    />
                </div>
                <p class="muted">{t!(i18n, rules.budget_help)}</p>
            </section>
            <section class="card">
                <h2>{t!(i18n, rules.cost_heading)}</h2>
                <div class="grid3">
                    <TextField
                        name="trainer_rate"
                        label=label(i18n, |i| t_string!(i, rules.trainer_rate))
                        error=error
                        value=figure(r.trainer_rate)
                        kind="number"
                        required=true
                    />
                    <TextField
                        name="venue_rate"
                        label=label(i18n, |i| t_string!(i, rules.venue_rate))
                        error=error
                        value=figure(r.venue_rate)
                        kind="number"
                        required=true
                    />
                    <TextField
                        name="class_size"
                        label=label(i18n, |i| t_string!(i, rules.class_size))
                        error=error
                        value=r.class_size.to_string()
                        kind="number"
                        required=true
                    />
                </div>
                <p class="muted">{t!(i18n, rules.cost_help)}</p>
            </section>
            <section class="card">
                <h2>{t!(i18n, rules.evaluation_heading)}</h2>
                <TextField
                    name="anonymity_threshold"
                    label=label(i18n, |i| t_string!(i, rules.anonymity_threshold))
                    error=error
                    value=r.anonymity_threshold.to_string()
                    kind="number"
                    required=true
                />
                <p class="muted">{t!(i18n, rules.anonymity_help)}</p>
                <div class="grid2">
                    <TextField
                        name="follow_up_days"
                        label=label(i18n, |i| t_string!(i, rules.follow_up_days))
                        error=error
                        value=r.follow_up_days.clone()
                    />
                    <TextField
                        name="follow_up_window"
                        label=label(i18n, |i| t_string!(i, rules.follow_up_window))
                        error=error
                        value=r.follow_up_window.to_string()
                        kind="number"
                        required=true
                    />
                    <TextField
                        name="follow_up_peers"
                        label=label(i18n, |i| t_string!(i, rules.follow_up_peers))
                        error=error
                        value=r.follow_up_peers.to_string()
                        kind="number"
                        required=true
                    />
                </div>
                <p class="muted">{t!(i18n, rules.follow_up_help)}</p>
            </section>
            <section class="card">
                <h2>{t!(i18n, rules.positions_heading)}</h2>
                <p class="muted">{t_string!(i18n, rules.positions_help, hours = office)}</p>
                {if r.positions.is_empty() {
                    view! {
                        <p class="empty">
                            {t!(i18n, rules.no_positions)} " "
                            <a href="/admin/positions">{t!(i18n, nav.positions)}</a>
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <table class="table" data-testid="position-hours">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, rules.position)}</th>
                                    <th scope="col">{t!(i18n, rules.own_hours)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {r
                                    .positions
                                    .into_iter()
                                    .map(|p| {
                                        let key = position_key(p.id);
                                        let field = format!("position[{key}]");
                                        let id = format!("field-{key}");
                                        let name = format!("{} · {}", p.code, p.name);
                                        let value = p
                                            .hours_required
                                            .map(figure)
                                            .unwrap_or_default();
                                        view! {
                                            <tr>
                                                <td>
                                                    <label for=id.clone()>{name}</label>
                                                </td>
                                                <td>
                                                    <input
                                                        id=id
                                                        name=field
                                                        type="number"
                                                        min="0"
                                                        step="0.5"
                                                        value=value
                                                        inputmode="decimal"
                                                    />
                                                    <FieldErrors error=error field=key />
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
            </section>
            <button type="submit" class="primary" data-testid="save-rules">
                {t!(i18n, common.save)}
            </button>
        </ActionForm>
    }
}
