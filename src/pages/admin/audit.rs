use leptos::prelude::*;
use rekey_core::i18n::Key;

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::listing::{Listing, Pager};
use crate::components::page_heading::PageHeading;
use crate::i18n::{format_time, use_i18n};

fn compact(value: &Option<serde_json::Value>) -> String {
    value.as_ref().map(|v| v.to_string()).unwrap_or_default()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let listing = Listing::new(|_search, page| async move { api::audit(page).await });
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::AuditTitle).to_string())/>
        <ErrorAlert failure=listing.failure/>
        <div class="table-wrap">
            <table class="audit-table">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Key::ColWhen)}</th>
                        <th scope="col">{move || i18n.t(Key::ColActor)}</th>
                        <th scope="col">{move || i18n.t(Key::ColAction)}</th>
                        <th scope="col">{move || i18n.t(Key::ColTarget)}</th>
                        <th scope="col">{move || i18n.t(Key::ColChange)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || listing.items() key=|e| e.id.clone() let:event>
                        <tr>
                            <td>{move || format_time(i18n.lang.get(), event.at)}</td>
                            <td>
                                {let actor = event.actor.clone();
                                move || actor.clone().unwrap_or_else(|| i18n.t(Key::SystemActor).to_string())}
                            </td>
                            <td>{move || i18n.lang.get().action(event.action)}</td>
                            <td>{event.target.clone().unwrap_or_default()}</td>
                            <td class="change">
                                {(event.old_value.is_some() || event.new_value.is_some())
                                    .then(|| {
                                        view! {
                                            <code class="old">{compact(&event.old_value)}</code>
                                            " → "
                                            <code class="new">{compact(&event.new_value)}</code>
                                        }
                                    })}
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
        <Pager listing=listing/>
    }
}
