use leptos::prelude::*;
use rekey_core::dto::UserSummary;
use rekey_core::i18n::Key;

use crate::api;
use crate::components::listing::{Listing, ListingView, SearchBox};
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let listing = Listing::new(|search, page| async move { api::users(&search, page).await });
    let columns = vec![
        (Key::ColDisplayName, false),
        (Key::ColSignInName, false),
        (Key::ColStatus, false),
        (Key::ColRoles, false),
    ];
    let row = move |user: UserSummary| {
        let roles = move || {
            let lang = i18n.lang.get();
            if user.roles.is_empty() {
                lang.t(Key::NoRole).to_string()
            } else {
                user.roles
                    .iter()
                    .map(|r| lang.role(*r))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        view! {
            <tr>
                <td>{user.display_name.clone()}</td>
                <td>{user.sign_in_name.clone()}</td>
                <td>{move || i18n.t(if user.enabled { Key::Enabled } else { Key::Disabled })}</td>
                <td>{roles}</td>
            </tr>
        }
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::UsersTitle).to_string())/>
        <SearchBox listing=listing label=Key::SearchUsers/>
        <ListingView listing=listing label=Key::UsersTitle columns=columns row=row/>
    }
}
