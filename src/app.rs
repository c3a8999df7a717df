//! The route table: one place to see every screen.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::i18n::provide_i18n;
use crate::pages::admin::sspr;
use crate::pages::{
    account, admin, change_password, not_found, register, reset, security_info, signin,
};
use crate::runtime_config;
use crate::session::provide_session;

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_session();
    // The light HTML shell in index.html paints before the WASM loads; drop it once we render.
    if let Some(shell) = document().get_element_by_id("shell") {
        shell.remove();
    }
    let base = runtime_config::get().base_path.clone();
    view! {
        <Router base=base>
            <Routes fallback=not_found::NotFound>
                <Route path=path!("/") view=signin::Landing/>
                <Route path=path!("/signin") view=signin::SignInPage/>
                <Route path=path!("/account") view=account::AccountPage/>
                <Route path=path!("/account/security-info") view=security_info::SecurityInfoPage/>
                <Route path=path!("/account/password") view=change_password::ChangePasswordPage/>
                // Sign-in's forced change: every other signed-in page sends here while it is due.
                <Route path=path!("/change-password") view=change_password::ForcedChangePage/>
                <Route path=path!("/register") view=register::RegisterPage/>
                // Public: for people who cannot sign in.
                <Route path=path!("/reset") view=reset::ResetPage/>
                <ParentRoute path=path!("/admin") view=admin::shell::AdminShell>
                    <Route path=path!("") view=admin::home::AdminHome/>
                    <Route path=path!("users") view=admin::users::UsersPage/>
                    <Route path=path!("users/new") view=admin::users::NewUserPage/>
                    <Route path=path!("users/import") view=admin::users::ImportPage/>
                    <Route path=path!("users/:id") view=admin::users::UserPage/>
                    <Route path=path!("groups") view=admin::groups::GroupsPage/>
                    <Route path=path!("settings/org") view=admin::org_settings::OrgSettingsPage/>
                    <Route path=path!("settings/org/security/password-policy") view=admin::password_policy::PasswordPolicyPage/>
                    <Route path=path!("settings/org/security/password-expiry") view=admin::password_expiry::PasswordExpiryPage/>
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
