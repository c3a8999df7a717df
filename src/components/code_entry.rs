//! Entering a one-time code: where it went, asking for another, and the box it is typed into.

use std::time::Duration;

use leptos::prelude::*;
use rekey_core::dto::CodeSent;
use rekey_core::i18n::Key;
use rekey_core::security_info::{check_code, normalize_code, CODE_DIGITS};

use crate::components::alert::ErrorAlert;
use crate::components::field::{Label, TextField};
use crate::components::form::Form;
use crate::i18n::use_i18n;

/// A code sent to an address or number: where it went and how long it lasts, the box it is
/// typed into, and a button for a new one that waits as long as the server asks.
#[component]
pub fn SentCodeForm(
    sent: CodeSent,
    /// Carries the request `verify` starts and its failure.
    form: Form,
    #[prop(into)] verify: Callback<String>,
    #[prop(into)] resend: Callback<()>,
    /// Whether a new code is on its way.
    #[prop(into)]
    sending: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let wait = RwSignal::new(sent.resend_after_seconds);
    if let Ok(timer) = set_interval_with_handle(
        move || {
            if wait.get_untracked() > 0 {
                wait.update(|s| *s -= 1);
            }
        },
        Duration::from_secs(1),
    ) {
        on_cleanup(move || timer.clear());
    }
    let minutes = sent.expires_in_seconds.div_ceil(60).to_string();
    let destination = sent.destination;
    view! {
        <p class="code-sent">
            {move || i18n.format(Key::CodeSentTo, &[("destination", &destination), ("minutes", &minutes)])}
        </p>
        <CodeForm digits=CODE_DIGITS form=form verify=verify/>
        <button type="button" class="resend" disabled={move || wait.get() > 0 || sending.get()} on:click=move |_| resend.run(())>
            {move || match wait.get() {
                0 => i18n.t(Key::ResendCode).to_string(),
                seconds => i18n.format(Key::ResendIn, &[("seconds", &seconds.to_string())]),
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
                help=help
                get=move || code.get()
                set=move |v| code.set(v)
                errors=errors
                inputmode="numeric"
                autocomplete="one-time-code"
            />
            <button type="submit" class="primary" disabled=move || form.busy.get()>
                {move || i18n.t(if form.busy.get() { Key::Verifying } else { Key::Verify })}
            </button>
            <ErrorAlert failure=form.failure/>
        </form>
    }
}
