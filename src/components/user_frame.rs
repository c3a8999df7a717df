use leptos::prelude::*;
use rekey_core::i18n::Key;

use crate::components::auth_gate::SignedIn;
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::use_i18n;
use crate::pages::admin::shell::SignOutButton;

/// The frame of a signed-in person's own pages: the brand, language, sign out, and the page.
/// `registering` marks the pages where security info is registered, which sign-in's
/// registration interrupt leaves alone.
#[component]
pub fn UserFrame(children: ChildrenFn, #[prop(optional)] registering: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <SignedIn registering=registering>
            <div class="signin-layout">
                <header class="signin-header">
                    <span class="brand">{move || i18n.t(Key::AppName)}</span>
                    <LanguageSwitch/>
                    <SignOutButton/>
                </header>
                <main id="main">{children()}</main>
            </div>
        </SignedIn>
    }
}

/// The frame of the pages anyone may open (sign-in, reset): the brand, language, and the page
/// on one card.
#[component]
pub fn PublicFrame(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="signin-layout">
            <header class="signin-header">
                <span class="brand">{move || i18n.t(Key::AppName)}</span>
                <LanguageSwitch/>
            </header>
            <main id="main" class="card signin-card">{children()}</main>
        </div>
    }
}
