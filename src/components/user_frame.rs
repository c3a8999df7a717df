use leptos::prelude::*;

use crate::components::alert::SessionNotice;
use crate::components::auth_gate::SignedIn;
use crate::components::brand::Brand;
use crate::components::language_switch::LanguageSwitch;
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
    view! {
        <SignedIn serves=serves>
            <div class="signin-layout">
                <header class="signin-header">
                    <Brand/>
                    <LanguageSwitch/>
                    <SignOutButton/>
                </header>
                <main id="main">
                    <SessionNotice/>
                    {children()}
                </main>
            </div>
        </SignedIn>
    }
}

/// The frame of the pages anyone may open (sign-in, reset): the brand, language, and the page
/// on one card.
#[component]
pub fn PublicFrame(children: Children) -> impl IntoView {
    view! {
        <div class="signin-layout">
            <header class="signin-header">
                <Brand/>
                <LanguageSwitch/>
            </header>
            <main id="main" class="card signin-card">{children()}</main>
        </div>
    }
}
