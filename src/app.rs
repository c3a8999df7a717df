//! The route table: one place to see every screen.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::branding::provide_branding;
use crate::i18n::provide_i18n;
use crate::pages::admin::sspr;
use crate::pages::{
    account, admin, change_password, not_found, register, reset, security_info, signin,
};
use crate::runtime_config::{self, shows, shows_sign_in, Area};
use crate::session::provide_session;

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_session();
    provide_branding();
    // The light HTML shell in index.html paints before the WASM loads; drop it once we render.
    if let Some(shell) = document().get_element_by_id("shell") {
        shell.remove();
    }
    let base = runtime_config::get().base_path.clone();
    view! {
        <Router base=base>
            <Routes fallback=not_found::NotFound>
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
                <ParentRoute path=path!("/admin") view=gated(shows(Area::Admin), admin::shell::AdminShell)>
                    <Route path=path!("") view=admin::home::AdminHome/>
                    <Route path=path!("users") view=admin::users::UsersPage/>
                    <Route path=path!("users/new") view=admin::users::NewUserPage/>
                    <Route path=path!("users/import") view=admin::users::ImportPage/>
                    <Route path=path!("users/:id") view=admin::users::UserPage/>
                    <Route path=path!("groups") view=admin::groups::GroupsPage/>
                    <Route path=path!("settings/org") view=admin::org_settings::OrgSettingsPage/>
                    <Route path=path!("settings/org/security/password-policy") view=admin::password_policy::PasswordPolicyPage/>
                    <Route path=path!("settings/org/security/password-expiry") view=admin::password_expiry::PasswordExpiryPage/>
                    <Route path=path!("settings/org/security/branding") view=admin::branding::BrandingPage/>
                    <Route path=path!("settings/org/security/embedding") view=admin::embedding::EmbeddingPage/>
                    <ParentRoute path=path!("settings/org/security/sspr") view=sspr::SsprLayout>
                        <Route path=path!("") view=sspr::properties::PropertiesSection/>
                        <Route path=path!("methods") view=sspr::methods::MethodsSection/>
                        <Route path=path!("registration") view=sspr::registration::RegistrationSection/>
                        <Route path=path!("notifications") view=sspr::notifications::NotificationsSection/>
                        <Route path=path!("customization") view=sspr::customization::CustomizationSection/>
                    </ParentRoute>
                    <Route path=path!("audit") view=admin::audit::AuditPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// `/`: where sign-in sends people; a host that shows only the reset flow starts there.
fn home() -> AnyView {
    if shows_sign_in() {
        signin::Landing().into_any()
    } else {
        view! { <Redirect path="/reset"/> }.into_any()
    }
}

/// A page of an area the host shows; otherwise "not found", as if the route did not exist.
fn gated<V: IntoView + 'static>(
    shown: bool,
    page: fn() -> V,
) -> impl Fn() -> AnyView + Clone + Send + Sync + 'static {
    move || {
        if shown {
            page().into_any()
        } else {
            not_found::NotFound().into_any()
        }
    }
}
