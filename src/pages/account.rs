//! A signed-in user's own page.

use leptos::prelude::*;
use rekey_core::i18n::Key;

use crate::components::auth_gate::SignedIn;
use crate::components::language_switch::LanguageSwitch;
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;
use crate::pages::admin::shell::SignOutButton;
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
        <SignedIn>
            <div class="signin-layout">
                <header class="signin-header">
                    <span class="brand">{move || i18n.t(Key::AppName)}</span>
                    <LanguageSwitch/>
                    <SignOutButton/>
                </header>
                <main id="main" class="card">
                    <PageHeading text=Signal::derive(move || i18n.t(Key::AccountTitle).to_string())/>
                    <p>{move || i18n.format(Key::SignedInAs, &[("name", &name())])}</p>
                    <p class="sspr-status">
                        {move || i18n.t(if enabled() { Key::AccountSsprOn } else { Key::AccountSsprOff })}
                    </p>
                </main>
            </div>
        </SignedIn>
    }
}
