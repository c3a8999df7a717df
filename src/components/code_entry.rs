//! Entering a one-time code: sending it (to an address on file, or to one the person types),
//! where it went, asking for another, and the box it is typed into.

use std::future::Future;

use leptos::prelude::*;
use rekey_core::dto::CodeSent;
use rekey_core::i18n::Key;
use rekey_core::security_info::{
    check_code, check_email, check_phone, normalize_code, normalize_phone, APP_CODE_DIGITS,
    CODE_DIGITS,
};
use rekey_core::validation::FieldError;

use crate::api::Failure;
use crate::components::alert::ErrorAlert;
use crate::components::countdown::countdown;
use crate::components::field::{Label, TextField};
use crate::components::form::Form;
use crate::i18n::use_i18n;

/// Where a code goes when the person types it: how its field looks and what it must be.
pub struct Destination {
    pub label: Key,
    pub help: Key,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub check: fn(&str, &str) -> Vec<FieldError>,
    /// The form the server is sent.
    pub normalize: fn(&str) -> String,
}

pub const EMAIL: Destination = Destination {
    label: Key::EmailAddress,
    help: Key::EmailAddressHelp,
    input_type: "email",
    autocomplete: "email",
    check: check_email,
    normalize: trimmed,
};

pub const PHONE: Destination = Destination {
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

/// A code's two requests, sending it (again) and checking it, and what was sent.
#[derive(Clone, Copy, Default)]
pub struct CodeSteps {
    pub sent: RwSignal<Option<CodeSent>>,
    pub sending: Form,
    pub checking: Form,
}

impl CodeSteps {
    /// Sends with `request` on the sending form; the code's box shows once it went.
    pub fn send(self, request: impl Future<Output = Result<CodeSent, Failure>> + 'static) {
        self.sending
            .run(request, move |sent| self.sent.set(Some(sent)));
    }
}

/// The send button's text.
fn send_label(sending: Form) -> impl Fn() -> &'static str {
    let i18n = use_i18n();
    move || {
        i18n.t(if sending.busy.get() {
            Key::Sending
        } else {
            Key::SendCode
        })
    }
}

/// A code to an address on file: "Send code", then the box it is typed into. `send` asks for
/// a code (again) on `code.sending`.
#[component]
pub fn SendThenEnter(
    code: CodeSteps,
    #[prop(into)] send: Callback<()>,
    #[prop(into)] verify: Callback<String>,
) -> impl IntoView {
    view! {
        {move || match code.sent.get() {
            None => {
                view! {
                    <button type="button" class="primary" disabled=move || code.sending.busy.get() on:click=move |_| send.run(())>
                        {send_label(code.sending)}
                    </button>
                }
                    .into_any()
            }
            Some(sent) => {
                view! { <SentCodeForm sent=sent form=code.checking verify=verify resend=send sending=code.sending.busy/> }
                    .into_any()
            }
        }}
        <ErrorAlert failure=code.sending.failure/>
    }
}

/// A code to an address the person types: the address, "Send code", then the box the code is
/// typed into. `field` is the API's name for the address; a changed address voids the code.
/// `message` says where the code went, when the usual "We sent a code to …" would not fit.
#[component]
pub fn TypeThenEnter(
    destination: &'static Destination,
    field: &'static str,
    #[prop(into)] id: String,
    typed: RwSignal<String>,
    code: CodeSteps,
    #[prop(into)] send: Callback<()>,
    #[prop(into)] verify: Callback<String>,
    #[prop(optional)] message: Option<Key>,
) -> impl IntoView {
    let check = move || (destination.check)(field, &typed.get());
    let errors = code.sending.errors(check);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if code.sending.ready(&check()) {
            send.run(());
        }
    };
    view! {
        <form on:submit=submit novalidate>
            <TextField
                field=field
                form=code.sending
                id=id
                label=destination.label
                help=Some(destination.help.into())
                get=move || typed.get()
                set=move |text| {
                    typed.set(text);
                    code.sent.set(None);
                }
                errors=errors
                input_type=destination.input_type
                inputmode=destination.input_type
                autocomplete=destination.autocomplete
            />
            <Show when=move || code.sent.with(Option::is_none)>
                <button type="submit" class="primary" disabled=move || code.sending.busy.get()>
                    {send_label(code.sending)}
                </button>
            </Show>
            <ErrorAlert failure=code.sending.failure/>
        </form>
        {move || {
            code.sent.get().map(|sent| {
                view! {
                    <SentCodeForm
                        sent=sent
                        message=message
                        form=code.checking
                        verify=verify
                        resend=send
                        sending=code.sending.busy
                    />
                }
            })
        }}
    }
}

/// A code sent to an address or number: where it went and how long it lasts (`message`, by
/// default "We sent a code to …"), the box it is typed into, and a button for a new one that
/// waits as long as the server asks.
#[component]
pub fn SentCodeForm(
    sent: CodeSent,
    #[prop(optional_no_strip)] message: Option<Key>,
    /// Carries the request `verify` starts and its failure.
    form: Form,
    #[prop(into)] verify: Callback<String>,
    #[prop(into)] resend: Callback<()>,
    /// Whether a new code is on its way.
    #[prop(into)]
    sending: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let wait = countdown(sent.resend_after_seconds.into());
    let minutes = sent.expires_in_seconds.div_ceil(60);
    let destination = sent.destination;
    view! {
        <p class="code-sent">
            {move || i18n.format(message.unwrap_or(Key::CodeSentTo), &[("destination", &destination), ("minutes", &i18n.count(minutes.into()))])}
        </p>
        <CodeForm digits=CODE_DIGITS form=form verify=verify focus=true/>
        <button type="button" class="resend" disabled={move || wait.get() > 0 || sending.get()} on:click=move |_| resend.run(())>
            {move || match wait.get() {
                0 => i18n.t(Key::ResendCode).to_string(),
                seconds => i18n.format(Key::ResendIn, &[("seconds", &i18n.count(seconds))]),
            }}
        </button>
    }
}

/// A code of `digits` digits, checked by the shared rule, handed to `verify` when it looks
/// right; `form` carries the request `verify` starts and its failure.
#[component]
pub fn CodeForm(
    digits: usize,
    form: Form,
    #[prop(into)] verify: Callback<String>,
    #[prop(optional)] help: Option<Key>,
    /// Takes focus when it appears (after the person asked for a code).
    #[prop(optional)]
    focus: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
    let errors = form.errors(move || check_code(&code.get(), digits));
    let label =
        Signal::derive(move || i18n.format(Key::CodeLabel, &[("digits", &digits.to_string())]));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        if form.ready(&check_code(&typed, digits)) {
            verify.run(normalize_code(&typed));
        }
    };
    view! {
        <form class="code-form" on:submit=submit novalidate>
            <TextField
                field="code"
                form=form
                label=Label::Text(label)
                help=help.map(Label::from)
                get=move || code.get()
                set=move |v| code.set(v)
                errors=errors
                inputmode="numeric"
                autocomplete="one-time-code"
                focus=focus
            />
            <button type="submit" class="primary" disabled=move || form.busy.get()>
                {move || i18n.t(if form.busy.get() { Key::Verifying } else { Key::Verify })}
            </button>
            <ErrorAlert failure=form.failure/>
        </form>
    }
}

/// The code an authenticator app shows, with where to find it.
#[component]
pub fn AppCodeForm(form: Form, #[prop(into)] verify: Callback<String>) -> impl IntoView {
    view! { <CodeForm digits=APP_CODE_DIGITS form=form help=Key::AppCodeHelp verify=verify/> }
}
