//! A signed-in user's own page.

use leptos::prelude::*;
use leptos_router::components::A;
use rekey_core::i18n::UserKey;

use crate::components::page_heading::PageHeading;
use crate::components::user_frame::UserFrame;
use crate::i18n::use_i18n;
use crate::runtime_config::href;
use crate::session::use_session;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let name = move || {
        session.info.with(|i| {
            i.as_ref()
                .map(|i| i.user.display_name.clone())
                .unwrap_or_default()
        })
    };
    let enabled = move || {
        session
            .info
            .with(|i| i.as_ref().is_some_and(|i| i.user.sspr_enabled))
    };
    view! {
        <UserFrame>
            <div class="card">
                <PageHeading text=Signal::derive(move || i18n.t(UserKey::AccountTitle).to_string())/>
                <p>{move || i18n.format(UserKey::SignedInAs, &[("name", &name())])}</p>
                <p class="sspr-status">
                    {move || i18n.t(if enabled() { UserKey::AccountSsprOn } else { UserKey::AccountSsprOff })}
                </p>
                <p>
                    <A href=href("/account/security-info")>{move || i18n.t(UserKey::SecurityInfoTitle)}</A>
                </p>
                <p>
                    <A href=href("/account/password")>{move || i18n.t(UserKey::ChangePassword)}</A>
                </p>
            </div>
        </UserFrame>
    }
}
