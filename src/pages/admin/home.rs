use crate::runtime_config::href;
use leptos::prelude::*;
use leptos_router::components::A;
use rekey_core::i18n::AdminKey;
use rekey_core::sspr::{SsprScope, SsprSettings};

use crate::api::{self, Failure};
use crate::components::alert::ErrorAlert;
use crate::components::alert::SessionNotice;
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn AdminHome() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sspr = RwSignal::new(None::<SsprSettings>);
    let group_name = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    leptos::task::spawn_local(async move {
        match api::section::<SsprSettings>().await {
            Ok(view) => {
                if let Some(id) = view.settings.group_id.as_deref() {
                    if let Ok(group) = api::group(id).await {
                        group_name.set(group.name);
                    }
                }
                sspr.set(Some(view.settings));
            }
            Err(f) => failure.set(Some(f)),
        }
    });
    let name = move || {
        session.info.with(|i| {
            i.as_ref()
                .map(|i| i.user.display_name.clone())
                .unwrap_or_default()
        })
    };
    let status = move || {
        sspr.get().map(|settings| match settings.scope {
            SsprScope::None => i18n.t(AdminKey::HomeSsprNone).to_string(),
            SsprScope::All => i18n.t(AdminKey::HomeSsprAll).to_string(),
            SsprScope::Selected => {
                i18n.format(AdminKey::HomeSsprSelected, &[("group", &group_name.get())])
            }
        })
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.format(AdminKey::HomeWelcome, &[("name", &name())]))/>
        <SessionNotice/>
        <ErrorAlert failure=failure/>
        <section class="card">
            <h2>{move || i18n.t(AdminKey::HomeSsprCardTitle)}</h2>
            <p class="sspr-summary">{status}</p>
            <A href=href("/admin/settings/org/security/sspr")>{move || i18n.t(AdminKey::HomeManageSspr)}</A>
        </section>
    }
}
