//! The user bundle's route table: sign-in, the user's own pages, registration and the public
//! reset flow (reached from sign-in here; whoever opens `/reset` directly gets `app/reset.rs`).

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route};
use leptos_router::path;
use rekey_core::spa::Bundle;

use super::{bundle_routes, gated};
use crate::pages::{account, change_password, register, reset, security_info, signin};
use crate::runtime_config::{shows, shows_sign_in, Area};

#[component]
pub fn App() -> impl IntoView {
    // This bundle runs passkeys in the reset flow; the reset bundle links here for them.
    reset::passkey::register();
    bundle_routes!(
        Bundle::User,
        <Route path=path!("/") view=home/>
        <Route path=path!("/signin") view=gated(shows_sign_in(), signin::SignInPage)/>
        <Route path=path!("/account") view=gated(shows(Area::Account), account::AccountPage)/>
        <Route path=path!("/account/security-info") view=gated(shows(Area::Account), security_info::SecurityInfoPage)/>
        <Route path=path!("/account/password") view=gated(shows(Area::Account), change_password::ChangePasswordPage)/>
        // Sign-in's forced change: every other signed-in page sends here while it is due.
        <Route path=path!("/change-password") view=gated(shows_sign_in(), change_password::ForcedChangePage)/>
        <Route path=path!("/register") view=gated(shows_sign_in(), register::RegisterPage)/>
        // Public: for people who cannot sign in.
        <Route path=path!("/reset") view=gated(shows(Area::Reset), reset::ResetPage)/>
        <Route path=path!("/passkey-reset") view=gated(shows(Area::Reset), reset::ResetPage)/>
    )
}

/// `/`: where sign-in sends people; a host that shows only the reset flow starts there.
fn home() -> AnyView {
    if shows_sign_in() {
        signin::Landing().into_any()
    } else {
        view! { <Redirect path="/reset"/> }.into_any()
    }
}
