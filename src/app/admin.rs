//! The admin bundle's route table: the admin centre, `/admin` and below.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route};
use leptos_router::path;
use rekey_core::spa::Bundle;

use super::{bundle_routes, gated};
use crate::pages::admin::{self, sspr};
use crate::runtime_config::{shows, Area};

#[component]
pub fn App() -> impl IntoView {
    bundle_routes!(
        Bundle::Admin,
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
            <Route path=path!("settings/org/directory") view=admin::directory::DirectoryPage/>
            <ParentRoute path=path!("settings/org/security/sspr") view=sspr::SsprLayout>
                <Route path=path!("") view=sspr::properties::PropertiesSection/>
                <Route path=path!("methods") view=sspr::methods::MethodsSection/>
                <Route path=path!("registration") view=sspr::registration::RegistrationSection/>
                <Route path=path!("notifications") view=sspr::notifications::NotificationsSection/>
                <Route path=path!("customization") view=sspr::customization::CustomizationSection/>
            </ParentRoute>
            <Route path=path!("audit") view=admin::audit::AuditPage/>
            <Route path=path!("reports") view=admin::reports::ReportsPage/>
        </ParentRoute>
    )
}
