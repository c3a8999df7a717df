//! The admin centre's frame: header, left navigation (a menu button at phone width) and the
//! page. Only people holding an admin role get past it.

use crate::runtime_config::href;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_navigate;
use rekey_core::i18n::{AdminKey, UserKey};
use rekey_core::roles::{can_read_reports, is_admin};

use crate::api;
use crate::components::auth_gate::SignedIn;
use crate::components::brand::Brand;
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn SignOutButton() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            // Whatever the server says, this browser forgets the session.
            let _ = api::sign_out().await;
            session.clear();
            navigate("/signin", Default::default());
        });
    };
    view! {
        <button type="button" class="link-button" on:click=sign_out>
            {move || i18n.t(AdminKey::SignOut)}
        </button>
    }
}

#[component]
pub fn AdminShell() -> impl IntoView {
    let session = use_session();
    view! {
        <SignedIn>
            {move || {
                if is_admin(&session.roles()) {
                    view! { <AdminFrame/> }.into_any()
                } else {
                    view! { <Redirect path="/account"/> }.into_any()
                }
            }}
        </SignedIn>
    }
}

#[component]
fn AdminFrame() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let menu_open = RwSignal::new(false);
    let who = move || {
        session.info.with(|i| {
            i.as_ref()
                .map(|i| i.user.display_name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <a class="skip-link" href="#main">{move || i18n.t(AdminKey::SkipToContent)}</a>
        <header class="topbar">
            <button
                type="button"
                class="menu-button"
                aria-controls="admin-nav"
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| menu_open.update(|o| *o = !*o)
            >
                {move || i18n.t(AdminKey::Menu)}
            </button>
            <Brand/>
            <span class="topbar-area">{move || i18n.t(AdminKey::AdminCentre)}</span>
            <span class="topbar-spacer"></span>
            <span class="who">{move || i18n.format(UserKey::SignedInAs, &[("name", &who())])}</span>
            <span class="topbar-link">
                <A href=href("/account/security-info")>{move || i18n.t(UserKey::SecurityInfoTitle)}</A>
            </span>
            <span class="topbar-link">
                <A href=href("/account/password")>{move || i18n.t(UserKey::ChangePassword)}</A>
            </span>
            <LanguageSwitch/>
            <SignOutButton/>
        </header>
        <div class="admin-layout">
            <nav
                id="admin-nav"
                class="sidenav"
                class:open=move || menu_open.get()
                // Following a link closes the phone menu.
                on:click=move |_| menu_open.set(false)
                aria-label=move || i18n.t(AdminKey::AdminCentre)
            >
                <ul>
                    <li><A href=href("/admin") exact=true>{move || i18n.t(AdminKey::NavHome)}</A></li>
                    <li><A href=href("/admin/users")>{move || i18n.t(AdminKey::NavUsers)}</A></li>
                    <li><A href=href("/admin/groups")>{move || i18n.t(AdminKey::NavGroups)}</A></li>
                    <li>
                        <span class="nav-section">{move || i18n.t(AdminKey::NavSettings)}</span>
                        <ul>
                            <li><A href=href("/admin/settings/org")>{move || i18n.t(AdminKey::NavOrgSettings)}</A></li>
                        </ul>
                    </li>
                    <Show when=move || can_read_reports(&session.roles())>
                        <li><A href=href("/admin/reports")>{move || i18n.t(AdminKey::NavReports)}</A></li>
                    </Show>
                    <li><A href=href("/admin/audit")>{move || i18n.t(AdminKey::NavAuditLog)}</A></li>
                </ul>
            </nav>
            <main id="main" class="admin-main">
                <Outlet/>
            </main>
        </div>
    }
}
