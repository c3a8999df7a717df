//! Adding or changing the email address or mobile number: type it, get a code there, type
//! the code back.

use leptos::prelude::*;
use rekey_core::dto::{CodeSent, SendCodeRequest, VerifyCodeRequest};
use rekey_core::i18n::Key;
use rekey_core::security_info::{check_email, check_phone, normalize_phone, MethodKind};
use rekey_core::validation::FieldError;

use super::{saved, CancelButton, Store};
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::code_entry::SentCodeForm;
use crate::components::field::TextField;
use crate::components::form::Form;
use crate::i18n::use_i18n;

/// How the address field differs between email and phone.
struct Destination {
    label: Key,
    help: Key,
    input_type: &'static str,
    autocomplete: &'static str,
    check: fn(&str, &str) -> Vec<FieldError>,
    /// The form the server is sent.
    normalize: fn(&str) -> String,
}

const EMAIL: Destination = Destination {
    label: Key::EmailAddress,
    help: Key::EmailAddressHelp,
    input_type: "email",
    autocomplete: "email",
    check: check_email,
    normalize: trimmed,
};

const PHONE: Destination = Destination {
    label: Key::MobileNumber,
    help: Key::MobileNumberHelp,
    input_type: "tel",
    autocomplete: "tel",
    check: check_phone,
    normalize: normalize_phone,
};

fn trimmed(text: &str) -> String {
    text.trim().to_string()
}

#[component]
pub fn ContactEditor(store: Store, kind: MethodKind) -> impl IntoView {
    let i18n = use_i18n();
    let kind_of = if kind == MethodKind::Email {
        &EMAIL
    } else {
        &PHONE
    };
    let destination = RwSignal::new(String::new());
    let sent = RwSignal::new(None::<CodeSent>);
    let send_form = Form::default();
    let code_form = Form::default();
    let check = move || (kind_of.check)("destination", &destination.get());
    let errors = send_form.errors(check);
    let send = move || {
        let request = SendCodeRequest {
            destination: (kind_of.normalize)(&destination.get_untracked()),
            lang: Some(i18n.lang.get_untracked().tag().to_string()),
        };
        send_form.run(
            async move { api::send_code(kind, &request).await },
            move |code| sent.set(Some(code)),
        );
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if send_form.ready(&check()) {
            send();
        }
    };
    let verify = move |code: String| {
        let request = VerifyCodeRequest { code };
        code_form.run(
            async move { api::verify_code(kind, &request).await },
            move |info| saved(store, i18n, info, kind),
        );
    };
    view! {
        <div class="editor">
            <form on:submit=submit novalidate>
                <TextField
                    field="destination"
                    form=send_form
                    id=format!("{}-destination", kind.as_str())
                    label=kind_of.label
                    help=Some(kind_of.help)
                    get=move || destination.get()
                    // A code sent to the old text no longer applies.
                    set=move |text| {
                        destination.set(text);
                        sent.set(None);
                    }
                    errors=errors
                    input_type=kind_of.input_type
                    inputmode=kind_of.input_type
                    autocomplete=kind_of.autocomplete
                />
                <Show when=move || sent.with(Option::is_none)>
                    <button type="submit" class="primary" disabled=move || send_form.busy.get()>
                        {move || i18n.t(if send_form.busy.get() { Key::Sending } else { Key::SendCode })}
                    </button>
                </Show>
                <ErrorAlert failure=send_form.failure/>
            </form>
            {move || {
                sent.get()
                    .map(|code| {
                        view! {
                            <SentCodeForm
                                sent=code
                                form=code_form
                                verify=verify
                                resend=move |()| send()
                                sending=send_form.busy
                            />
                        }
                    })
            }}
            <div class="form-actions">
                <CancelButton store=store/>
            </div>
        </div>
    }
}
