//! The person's notification list.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use super::{MarkNotificationsRead, NotificationKind};
use crate::components::{ErrorPage, Loading, PageTitle, RequireRole, mutation, search_key};
use crate::i18n::*;

/// What a notification says, in the reader's language. Exhaustive: a new kind
/// without its words does not compile.
pub fn kind_text(i18n: I18nContext<Locale>, kind: NotificationKind, campaign: String) -> String {
    match kind {
        NotificationKind::CampaignOpened => {
            t_string!(i18n, notifications.opened, campaign = campaign).to_string()
        }
        NotificationKind::Reminder => {
            t_string!(i18n, notifications.reminder, campaign = campaign).to_string()
        }
        NotificationKind::PeerNominated => {
            t_string!(i18n, notifications.peer_nominated, campaign = campaign).to_string()
        }
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(move || search_key().get(), |_| super::list_notifications());
    let mark = mutation::<MarkNotificationsRead>();
    view! {
        <PageTitle text=move || t_string!(i18n, notifications.title).to_string() />
        <RequireRole roles=crate::auth::EVERYONE>
            <div class="page-head">
                <h1>{t!(i18n, notifications.title)}</h1>
                <ActionForm action=mark>
                    <button type="submit" data-testid="mark-read">{t!(i18n, notifications.mark_read)}</button>
                </ActionForm>
            </div>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorPage error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, notifications.empty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="notifications" data-testid="notifications">
                                {list.into_iter().map(|n| {
                                    let campaign = n.campaign.clone().unwrap_or_default();
                                    let text = kind_text(i18n, n.kind, campaign);
                                    view! {
                                        <li class:unread=!n.read>
                                            <a href="/tasks">{text}</a>
                                            <span class="muted">" · " {n.at}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </RequireRole>
    }
}
