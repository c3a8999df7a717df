use leptos::prelude::*;
use rekey_core::dto::UserSummary;
use rekey_core::i18n::Key;
use rekey_core::roles::can_manage_users;

use crate::api;
use crate::components::alert::StatusMessage;
use crate::components::listing::{Listing, ListingView, SearchBox};
use crate::components::page_heading::PageHeading;
use crate::i18n::{method_name, use_i18n};
use crate::pages::admin::contact_info::ContactInfoDialog;
use crate::session::use_session;

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let can_manage = can_manage_users(&use_session().roles());
    let listing = Listing::new(|search, page| async move { api::users(&search, page).await });
    let editing = RwSignal::new(None::<UserSummary>);
    let message = RwSignal::new(None::<String>);
    let mut columns = vec![
        (Key::ColDisplayName, false),
        (Key::ColSignInName, false),
        (Key::ColStatus, false),
        (Key::ColRoles, false),
        (Key::ColSecurityInfo, false),
    ];
    if can_manage {
        columns.push((Key::ColActions, false));
    }
    let row = move |user: UserSummary| {
        let roles = {
            let roles = user.roles.clone();
            move || {
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
            }
        };
        let registration = user.registration.clone();
        let registered = registration.registered;
        let methods = move || {
            let lang = i18n.lang.get();
            registration
                .methods
                .iter()
                .map(|kind| lang.t(method_name(*kind)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let action = can_manage.then(|| {
            let name = user.display_name.clone();
            let chosen = user.clone();
            view! {
                <td>
                    <button
                        type="button"
                        aria-label=move || i18n.format(Key::ContactInfoFor, &[("name", &name)])
                        on:click=move |_| editing.set(Some(chosen.clone()))
                    >
                        {move || i18n.t(Key::ContactInfo)}
                    </button>
                </td>
            }
        });
        view! {
            <tr>
                <td>{user.display_name.clone()}</td>
                <td>{user.sign_in_name.clone()}</td>
                <td>{move || i18n.t(if user.enabled { Key::Enabled } else { Key::Disabled })}</td>
                <td>{roles}</td>
                <td>
                    <span class="registration">
                        {move || i18n.t(if registered { Key::Registered } else { Key::NotRegistered })}
                    </span>
                    <span class="muted registration-methods">{methods}</span>
                </td>
                {action}
            </tr>
        }
    };
    let saved = move |name: String| {
        message.set(Some(i18n.format(Key::ContactInfoSaved, &[("name", &name)])));
        listing.reload();
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::UsersTitle).to_string())/>
        <StatusMessage message=message/>
        <SearchBox listing=listing label=Key::SearchUsers/>
        <ListingView listing=listing label=Key::UsersTitle columns=columns row=row/>
        {can_manage.then(|| view! { <ContactInfoDialog editing=editing saved=saved/> })}
    }
}
