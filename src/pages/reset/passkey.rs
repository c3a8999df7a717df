//! The passkey parts of the reset flow: starting with a passkey (no name typed) and the passkey
//! gate. Only the user bundle registers them ([`register`]); the reset bundle, which every
//! phone opening `/reset` downloads and which must stay small, links to the user bundle's copy
//! of the page ([`super::PASSKEY_RESET`]) instead of carrying WebAuthn.

use leptos::prelude::*;
use rekey_core::dto::{GateVerifyRequest, ResetStarted};
use rekey_core::i18n::Key;
use rekey_core::security_info::MethodKind;

use super::gates::passed;
use super::{handed_over, Ending, Flow, PasskeyViews, PASSKEY_VIEWS};
use crate::api;
use crate::components::form::Form;
use crate::components::passkey_button::PasskeyButton;
use crate::i18n::use_i18n;
use crate::passkey;

/// Lets the reset page of this bundle run passkeys.
pub fn register() {
    let _ = PASSKEY_VIEWS.set(PasskeyViews {
        start: |flow| view! { <WithPasskey flow=flow/> }.into_any(),
        gate: |flow| view! { <PasskeyGate flow=flow/> }.into_any(),
        resume,
    });
}

/// Goes on with the flow the reset bundle handed over at its passkey gate, if there is one.
fn resume(flow: Flow) {
    let Some((token, name)) = handed_over() else {
        return;
    };
    leptos::task::spawn_local(async move {
        match api::reset::current(&token).await {
            Ok(state) => flow.begin(name, ResetStarted { token, state }),
            Err(_) => flow.end(Ending::Expired),
        }
    });
}

/// The browser offers the site's passkeys, and the one chosen says whose it
/// is; nothing is typed, so nothing tells which names exist.
#[component]
fn WithPasskey(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let run = Callback::new(move |()| {
        form.run(
            async {
                let started = api::reset::passkey_options().await?;
                let answer = passkey::answer(started, false).await?;
                api::reset::start_with_passkey(&answer).await
            },
            move |started| flow.begin(String::new(), started),
        )
    });
    view! {
        <div class="passkey-start">
            <p class="or">{move || i18n.t(Key::PasskeyOr)}</p>
            <PasskeyButton form=form run=run/>
        </div>
    }
}

/// One of the site's passkeys: it must be the one this account registered.
#[component]
fn PasskeyGate(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let kind = MethodKind::Passkey;
    let run = Callback::new(move |()| {
        flow.run(
            form,
            move |token| async move {
                let ceremony = api::reset::passkey_gate(&token).await?;
                let request = GateVerifyRequest {
                    kind,
                    code: None,
                    answers: Vec::new(),
                    passkey: Some(passkey::answer(ceremony, false).await?),
                };
                api::reset::verify_gate(&token, &request).await
            },
            passed(flow, i18n, kind),
        );
    });
    view! { <PasskeyButton form=form run=run primary=true/> }
}
