//! Notifications: who hears about a reset.

use leptos::prelude::*;
use rekey_core::i18n::Key;
use rekey_core::settings::NotificationSettings;

use rekey_core::dto::{EmailStatus, TestEmailRequest};
use rekey_core::roles::can_manage_sspr;

use super::SectionHeading;
use crate::api::{self, Failure};
use crate::components::alert::{ErrorAlert, StatusMessage};
use crate::components::field::TextField;
use crate::components::settings_form::{SectionContext, SectionForm};
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn NotificationsSection() -> impl IntoView {
    view! {
        <SectionHeading key=Key::SectionNotifications/>
        <SectionForm fields={move |ctx: SectionContext<NotificationSettings>| {
            view! {
                {ctx.checkbox("notify-users", Key::NotifyUsers, None, |d| d.notify_users, |d, on| d.notify_users = on)}
                {ctx.checkbox("notify-admins", Key::NotifyAdmins, None, |d| d.notify_admins, |d, on| d.notify_admins = on)}
            }
            .into_any()
        }}/>
        <TestEmail/>
    }
}

/// Send a test message to check delivery, with the mail server's state.
#[component]
fn TestEmail() -> impl IntoView {
    let i18n = use_i18n();
    let can_send = can_manage_sspr(&use_session().roles());
    let status = RwSignal::new(None::<EmailStatus>);
    let to = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let message = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        if let Ok(s) = api::email_status().await {
            status.set(Some(s));
        }
    });
    let request = move || TestEmailRequest {
        to: to.get(),
        lang: Some(i18n.lang.get().tag().to_string()),
    };
    let errors = Signal::derive(move || {
        if attempted.get() {
            request().validate()
        } else {
            Vec::new()
        }
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        let wanted = request();
        if !wanted.validate().is_empty() {
            return;
        }
        failure.set(None);
        message.set(None);
        leptos::task::spawn_local(async move {
            match api::send_test_email(&wanted).await {
                Ok(_) => message.set(Some(i18n.t(Key::TestEmailQueued).to_string())),
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="test-email-title">
            <h3 id="test-email-title">{move || i18n.t(Key::TestEmailTitle)}</h3>
            <p class="muted">{move || i18n.t(Key::TestEmailHelp)}</p>
            {move || status.get().map(|s| {
                if s.configured {
                    view! { <p>{i18n.format(Key::EmailSender, &[("sender", &s.sender)])}</p> }.into_any()
                } else {
                    view! { <p class="notice">{i18n.t(Key::EmailNotConfigured)}</p> }.into_any()
                }
            })}
            <form on:submit=send novalidate>
                <fieldset disabled=!can_send>
                    <TextField
                        field="to"
                        label=Key::TestEmailAddress
                        get=move || to.get()
                        set=move |v| to.set(v)
                        errors=errors
                        input_type="email"
                        inputmode="email"
                        autocomplete="email"
                    />
                    <button type="submit">{move || i18n.t(Key::SendTestEmail)}</button>
                </fieldset>
                <ErrorAlert failure=failure/>
                <StatusMessage message=message/>
            </form>
        </section>
    }
}
