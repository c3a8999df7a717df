//! The ends of a flow: the unlock button, success, and a flow that ended early.

use leptos::prelude::*;
use rekey_core::dto::ResetIntent;
use rekey_core::i18n::Key;

use super::{Ending, Flow};
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::form::Form;
use crate::components::page_heading::PageHeading;
use crate::embed;
use crate::i18n::use_i18n;
use crate::runtime_config::{href, shows_sign_in};

/// Step 4 of an unlock: the gates are passed, one button lifts the lock.
#[component]
pub fn Unlock(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let unlock = move |_| {
        flow.run(
            form,
            |token| async move { api::reset::unlock(&token).await },
            move |state| flow.advance(state),
        );
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::UnlockTitle).to_string())/>
        <p>{move || i18n.t(Key::UnlockIntro)}</p>
        <button type="button" class="primary" disabled=move || form.busy.get() on:click=unlock>
            {move || i18n.t(if form.busy.get() { Key::Unlocking } else { Key::UnlockAccount })}
        </button>
        <ErrorAlert failure=form.failure/>
    }
}

/// Done: what changed, and the way to sign in, with the name already filled in there.
#[component]
pub fn Done(intent: Option<ResetIntent>, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let (title, body) = match intent {
        Some(ResetIntent::Unlock) => (Key::UnlockDoneTitle, Key::UnlockDoneBody),
        _ => (Key::ResetDoneTitle, Key::ResetDoneBody),
    };
    embed::post(embed::Event::ResetCompleted);
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(title).to_string())/>
        <p class="alert alert-ok">{move || i18n.t(body)}</p>
        <Show when=shows_sign_in>
            <a href=signin_with(&name) class="button-link primary">{move || i18n.t(Key::SignIn)}</a>
        </Show>
    }
}

/// The sign-in page with `name` filled in.
fn signin_with(name: &str) -> String {
    let name = String::from(js_sys::encode_uri_component(name));
    href(&format!("/signin?name={name}"))
}

/// The flow ended before it was done: why, and a fresh start (the helpdesk shows below).
#[component]
pub fn Ended(flow: Flow, ending: Ending) -> impl IntoView {
    let i18n = use_i18n();
    let (title, body) = match ending {
        Ending::Blocked { until } => (
            Key::ResetBlockedTitle,
            Signal::derive(move || {
                let when = i18n.locale.get().time(until);
                i18n.format(Key::ResetBlockedBody, &[("when", &when)])
            }),
        ),
        Ending::Conflict => (
            Key::ResetEndedTitle,
            Signal::derive(move || {
                i18n.locale
                    .get()
                    .error(rekey_core::error::ErrorCode::Conflict)
                    .to_string()
            }),
        ),
        Ending::Expired => (
            Key::ResetEndedTitle,
            Signal::derive(move || i18n.t(Key::ResetEndedBody).to_string()),
        ),
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(title).to_string())/>
        <p>{move || body.get()}</p>
        <button type="button" class="primary" on:click=move |_| flow.restart()>
            {move || i18n.t(Key::StartAgain)}
        </button>
    }
}
