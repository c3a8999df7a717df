use leptos::prelude::*;
use rekey_core::i18n::Key;

use crate::components::auth_gate::SignedIn;
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::use_i18n;
use crate::pages::admin::shell::SignOutButton;
use crate::session::Interrupt;

/// The frame of a signed-in person's own pages: the brand, language, sign out, and the page.
/// `serves` marks the pages where one of sign-in's interrupts is done (security info is
/// registered, the password changed), which that interrupt leaves alone.
#[component]
pub fn UserFrame(
    children: ChildrenFn,
    #[prop(optional)] serves: Option<Interrupt>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <SignedIn serves=serves>
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
