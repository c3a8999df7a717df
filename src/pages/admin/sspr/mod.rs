//! Settings › Org settings › Security & privacy › Self-service password reset: one page with a
//! section per concern, each a form of its own.

pub mod customization;
pub mod methods;
pub mod notifications;
pub mod properties;
pub mod registration;
pub mod test_message;

use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use rekey_core::i18n::AdminKey;

use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;
use crate::runtime_config::href;

const BASE: &str = "/admin/settings/org/security/sspr";

const SECTIONS: [(&str, AdminKey); 5] = [
    ("", AdminKey::SectionProperties),
    ("/methods", AdminKey::SectionMethods),
    ("/registration", AdminKey::SectionRegistration),
    ("/notifications", AdminKey::SectionNotifications),
    ("/customization", AdminKey::SectionCustomization),
];

#[component]
pub fn SsprLayout() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::SsprTitle).to_string())/>
        <p class="muted">{move || i18n.t(AdminKey::SsprIntro)}</p>
        <nav class="section-nav" aria-label=move || i18n.t(AdminKey::SsprSections)>
            <ul>
                {SECTIONS
                    .into_iter()
                    .map(|(path, key)| {
                        view! {
                            <li>
                                <A href=href(&format!("{BASE}{path}")) exact=true>
                                    {move || i18n.t(key)}
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <Outlet/>
    }
}

/// A section's own heading.
#[component]
fn SectionHeading(key: AdminKey) -> impl IntoView {
    let i18n = use_i18n();
    view! { <h2>{move || i18n.t(key)}</h2> }
}
