//! A test message to check delivery, with the channel's state: one form for email and for text
//! messages, each channel saying only what differs.

use std::future::Future;

use leptos::prelude::*;
use rekey_core::dto::{EmailStatus, QueuedMessage, SmsStatus, TestEmailRequest, TestSmsRequest};
use rekey_core::i18n::AdminKey;
use rekey_core::roles::can_manage_sspr;
use rekey_core::security_info::normalize_phone;
use rekey_core::validation::FieldError;

use crate::api::{self, Failure};
use crate::components::alert::{ErrorAlert, StatusMessage};
use crate::components::field::TextField;
use crate::components::form::Form;
use crate::i18n::{use_i18n, Locale};
use crate::session::use_session;

/// A way of delivering messages that can be tested.
pub trait Channel: Copy + Send + Sync + 'static {
    type Status: Clone + Send + Sync + 'static;
    type Request: 'static;
    /// Sets this channel's element ids apart from the other's.
    const ID: &'static str;
    const TITLE: AdminKey;
    const HELP: AdminKey;
    const ADDRESS: AdminKey;
    const SEND: AdminKey;
    const QUEUED: AdminKey;
    const INPUT_TYPE: &'static str;
    const AUTOCOMPLETE: &'static str;

    fn status(self) -> impl Future<Output = Result<Self::Status, Failure>> + 'static;
    /// The state in words, and whether it needs the admin's attention.
    fn describe(self, status: &Self::Status, lang: Locale) -> (String, bool);
    fn request(self, to: &str, lang: Locale) -> Self::Request;
    fn validate(self, request: &Self::Request) -> Vec<FieldError>;
    fn send(
        self,
        request: Self::Request,
    ) -> impl Future<Output = Result<QueuedMessage, Failure>> + 'static;
}

#[derive(Clone, Copy)]
pub struct Email;

impl Channel for Email {
    type Status = EmailStatus;
    type Request = TestEmailRequest;
    const ID: &'static str = "test-email";
    const TITLE: AdminKey = AdminKey::TestEmailTitle;
    const HELP: AdminKey = AdminKey::TestEmailHelp;
    const ADDRESS: AdminKey = AdminKey::TestEmailAddress;
    const SEND: AdminKey = AdminKey::SendTestEmail;
    const QUEUED: AdminKey = AdminKey::TestEmailQueued;
    const INPUT_TYPE: &'static str = "email";
    const AUTOCOMPLETE: &'static str = "email";

    fn status(self) -> impl Future<Output = Result<EmailStatus, Failure>> + 'static {
        api::email_status()
    }

    fn describe(self, status: &EmailStatus, lang: Locale) -> (String, bool) {
        if status.configured {
            let text = lang.format(AdminKey::EmailSender, &[("sender", &status.sender)]);
            (text, false)
        } else {
            (lang.t(AdminKey::EmailNotConfigured).to_string(), true)
        }
    }

    fn request(self, to: &str, lang: Locale) -> TestEmailRequest {
        TestEmailRequest {
            to: to.to_string(),
            lang: Some(lang.tag().to_string()),
        }
    }

    fn validate(self, request: &TestEmailRequest) -> Vec<FieldError> {
        request.validate()
    }

    async fn send(self, request: TestEmailRequest) -> Result<QueuedMessage, Failure> {
        api::send_test_email(&request).await
    }
}

#[derive(Clone, Copy)]
pub struct Sms;

impl Channel for Sms {
    type Status = SmsStatus;
    type Request = TestSmsRequest;
    const ID: &'static str = "test-sms";
    const TITLE: AdminKey = AdminKey::TestSmsTitle;
    const HELP: AdminKey = AdminKey::TestSmsHelp;
    const ADDRESS: AdminKey = AdminKey::TestSmsNumber;
    const SEND: AdminKey = AdminKey::SendTestSms;
    const QUEUED: AdminKey = AdminKey::TestSmsQueued;
    const INPUT_TYPE: &'static str = "tel";
    const AUTOCOMPLETE: &'static str = "tel";

    fn status(self) -> impl Future<Output = Result<SmsStatus, Failure>> + 'static {
        api::sms_status()
    }

    fn describe(self, status: &SmsStatus, lang: Locale) -> (String, bool) {
        if status.configured {
            let text = lang.format(AdminKey::SmsProvider, &[("provider", &status.provider)]);
            (text, false)
        } else {
            (lang.t(AdminKey::SmsNotConfigured).to_string(), true)
        }
    }

    fn request(self, to: &str, lang: Locale) -> TestSmsRequest {
        TestSmsRequest {
            to: normalize_phone(to),
            lang: Some(lang.tag().to_string()),
        }
    }

    fn validate(self, request: &TestSmsRequest) -> Vec<FieldError> {
        request.validate()
    }

    async fn send(self, request: TestSmsRequest) -> Result<QueuedMessage, Failure> {
        api::send_test_sms(&request).await
    }
}

/// Send a test message through `channel`, with the channel's state.
#[component]
pub fn TestMessage<C: Channel>(channel: C) -> impl IntoView {
    let i18n = use_i18n();
    let can_send = can_manage_sspr(&use_session().roles());
    let status = RwSignal::new(None::<C::Status>);
    let to = RwSignal::new(String::new());
    let form = Form::default();
    let message = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        if let Ok(s) = channel.status().await {
            status.set(Some(s));
        }
    });
    let errors =
        form.errors(move || channel.validate(&channel.request(&to.get(), i18n.locale.get())));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = channel.request(&to.get_untracked(), i18n.locale.get_untracked());
        if form.ready(&channel.validate(&request)) {
            message.set(None);
            form.run(channel.send(request), move |_| {
                message.set(Some(i18n.t(C::QUEUED).to_string()))
            });
        }
    };
    let title_id = format!("{}-title", C::ID);
    let labelled_by = title_id.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h3 id=title_id>{move || i18n.t(C::TITLE)}</h3>
            <p class="muted">{move || i18n.t(C::HELP)}</p>
            {move || {
                status
                    .get()
                    .map(|s| {
                        let (text, attention) = channel.describe(&s, i18n.locale.get());
                        view! { <p class:notice=attention>{text}</p> }
                    })
            }}
            <form on:submit=send novalidate>
                <fieldset disabled=!can_send>
                    <TextField
                        field="to"
                        form=form
                        id=format!("{}-to", C::ID)
                        label=C::ADDRESS
                        get=move || to.get()
                        set=move |v| to.set(v)
                        errors=errors
                        input_type=C::INPUT_TYPE
                        inputmode=C::INPUT_TYPE
                        autocomplete=C::AUTOCOMPLETE
                    />
                    <button type="submit" disabled=move || form.busy.get()>{move || i18n.t(C::SEND)}</button>
                </fieldset>
                <ErrorAlert failure=form.failure/>
                <StatusMessage message=message/>
            </form>
        </section>
    }
}
