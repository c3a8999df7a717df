use leptos::prelude::*;
use rekey_core::i18n::Key;

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::listing::{Listing, Pager, SearchBox};
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let listing = Listing::new(|search, page| async move { api::users(&search, page).await });
    let roles_text = move |roles: &[rekey_core::roles::Role]| {
        let lang = i18n.lang.get();
        if roles.is_empty() {
            lang.t(Key::NoRole).to_string()
        } else {
            roles
                .iter()
                .map(|r| lang.role(*r))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::UsersTitle).to_string())/>
        <SearchBox listing=listing label=Key::SearchUsers/>
        <ErrorAlert failure=listing.failure/>
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Key::ColDisplayName)}</th>
                        <th scope="col">{move || i18n.t(Key::ColSignInName)}</th>
                        <th scope="col">{move || i18n.t(Key::ColStatus)}</th>
                        <th scope="col">{move || i18n.t(Key::ColRoles)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || listing.items() key=|u| u.id.clone() let:user>
                        <tr>
                            <td>{user.display_name.clone()}</td>
                            <td>{user.sign_in_name.clone()}</td>
                            <td>{move || i18n.t(if user.enabled { Key::Enabled } else { Key::Disabled })}</td>
                            <td>{let roles = user.roles.clone(); move || roles_text(&roles)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
        <Show when=move || listing.data.with(|d| d.as_ref().is_some_and(|p| p.items.is_empty()))>
            <p class="muted">{move || i18n.t(Key::NoResults)}</p>
        </Show>
        <Pager listing=listing/>
    }
}
