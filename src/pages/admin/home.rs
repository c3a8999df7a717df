use crate::runtime_config::href;
use leptos::prelude::*;
use leptos_router::components::A;
use rekey_core::dto::{ActivityQuery, ActivityReport, RegistrationReport};
use rekey_core::i18n::AdminKey;
use rekey_core::roles::can_read_reports;
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
    let readers = can_read_reports(&session.roles());
    view! {
        <PageHeading text=Signal::derive(move || i18n.format(AdminKey::HomeWelcome, &[("name", &name())]))/>
        <SessionNotice/>
        <ErrorAlert failure=failure/>
        <section class="card">
            <h2>{move || i18n.t(AdminKey::HomeSsprCardTitle)}</h2>
            <p class="sspr-summary">{status}</p>
            <A href=href("/admin/settings/org/security/sspr")>{move || i18n.t(AdminKey::HomeManageSspr)}</A>
        </section>
        {readers.then(|| view! { <Headlines/> })}
    }
}

/// The two figures an admin reports upwards: who can reset, and how many did lately.
#[component]
fn Headlines() -> impl IntoView {
    let i18n = use_i18n();
    let registration = RwSignal::new(None::<RegistrationReport>);
    let activity = RwSignal::new(None::<ActivityReport>);
    leptos::task::spawn_local(async move {
        if let Ok(report) = api::reports::registration(None, false).await {
            registration.set(Some(report));
        }
        let last_30 = ActivityQuery {
            days: Some(30),
            ..Default::default()
        };
        if let Ok(report) = api::reports::activity(&last_30).await {
            activity.set(Some(report));
        }
    });
    view! {
        <section class="card headlines" aria-labelledby="headlines-title">
            <h2 id="headlines-title">{move || i18n.t(AdminKey::HomeReportsTitle)}</h2>
            {move || registration.get().map(|r| view! {
                <p class="headline">
                    <strong>{i18n.format(AdminKey::HomeCapable, &[("percent", &r.capable_percent().unwrap_or(0).to_string())])}</strong>
                    <span class="muted">" "{i18n.format(AdminKey::HomeCapableDetail, &[("count", &i18n.count(r.capable())), ("total", &i18n.count(r.users))])}</span>
                </p>
            })}
            {move || activity.get().map(|a| view! {
                <p class="headline">
                    <strong>{i18n.format(AdminKey::HomeSelfService, &[("count", &i18n.count(a.totals.self_service()))])}</strong>
                </p>
            })}
            <A href=href("/admin/reports")>{move || i18n.t(AdminKey::HomeOpenReports)}</A>
        </section>
    }
}
