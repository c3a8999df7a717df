use leptos::prelude::*;
use rekey_core::i18n::Key;

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::listing::{Listing, Pager, SearchBox};
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;

#[component]
pub fn GroupsPage() -> impl IntoView {
    let i18n = use_i18n();
    let listing = Listing::new(|search, page| async move { api::groups(&search, page).await });
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::GroupsTitle).to_string())/>
        <SearchBox listing=listing label=Key::SearchGroups/>
        <ErrorAlert failure=listing.failure/>
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Key::ColGroupName)}</th>
                        <th scope="col">{move || i18n.t(Key::ColDescription)}</th>
                        <th scope="col" class="numeric">{move || i18n.t(Key::ColMembers)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || listing.items() key=|g| g.id.clone() let:group>
                        <tr>
                            <td>{group.name.clone()}</td>
                            <td>{group.description.clone()}</td>
                            <td class="numeric">{group.member_count}</td>
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
