use leptos::prelude::*;
use rekey_core::dto::GroupSummary;
use rekey_core::i18n::AdminKey;

use crate::api;
use crate::components::listing::{Listing, ListingView, SearchBox};
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;

#[component]
pub fn GroupsPage() -> impl IntoView {
    let i18n = use_i18n();
    let listing = Listing::new(|search, page| async move { api::groups(&search, page).await });
    let columns = vec![
        (AdminKey::ColGroupName, false),
        (AdminKey::ColDescription, false),
        (AdminKey::ColMembers, true),
    ];
    let row = |group: GroupSummary| {
        view! {
            <tr>
                <td>{group.name}</td>
                <td>{group.description}</td>
                <td class="numeric">{group.member_count}</td>
            </tr>
        }
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::GroupsTitle).to_string())/>
        <SearchBox listing=listing label=AdminKey::SearchGroups/>
        <ListingView listing=listing label=AdminKey::GroupsTitle columns=columns row=row/>
    }
}
