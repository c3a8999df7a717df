use leptos::prelude::*;
use rekey_core::dto::AuditEvent;
use rekey_core::i18n::AdminKey;

use crate::api;
use crate::components::listing::{Listing, ListingView};
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;

fn compact(value: &Option<serde_json::Value>) -> String {
    value.as_ref().map(|v| v.to_string()).unwrap_or_default()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let listing = Listing::new(|_search, page| async move { api::audit(page).await });
    let columns = vec![
        (AdminKey::ColWhen, false),
        (AdminKey::ColActor, false),
        (AdminKey::ColAction, false),
        (AdminKey::ColTarget, false),
        (AdminKey::ColChange, false),
    ];
    let row = move |event: AuditEvent| {
        let actor = event.actor.clone();
        let change = (event.old_value.is_some() || event.new_value.is_some()).then(|| {
            view! {
                <code class="old">{compact(&event.old_value)}</code>
                " → "
                <code class="new">{compact(&event.new_value)}</code>
            }
        });
        view! {
            <tr>
                <td>{move || i18n.locale.get().time(event.at)}</td>
                <td>{move || actor.clone().unwrap_or_else(|| i18n.t(AdminKey::SystemActor).to_string())}</td>
                <td>{move || i18n.locale.get().action(event.action)}</td>
                <td>{event.target.clone().unwrap_or_default()}</td>
                <td class="change">{change}</td>
            </tr>
        }
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::AuditTitle).to_string())/>
        <div class="audit-table">
            <ListingView listing=listing label=AdminKey::AuditTitle columns=columns row=row/>
        </div>
    }
}
