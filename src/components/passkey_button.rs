//! "Use a passkey": the button that runs a passkey ceremony (`run`, on `form`), with what a
//! passkey is and what went wrong. One body for every page that offers a passkey.

use leptos::prelude::*;
use rekey_core::i18n::{Key, UserKey};

use crate::components::alert::ErrorAlert;
use crate::components::form::Form;
use crate::i18n::use_i18n;

#[component]
pub fn PasskeyButton(
    form: Form,
    run: Callback<()>,
    #[prop(optional)] primary: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="muted">{move || i18n.t(UserKey::PasskeyExplain)}</p>
        <button
            type="button"
            class=primary.then_some("primary")
            on:click=move |_| run.run(())
            disabled=move || form.busy.get()
        >
            {move || if form.busy.get() { i18n.t(UserKey::PasskeyWaiting) } else { i18n.t(Key::UsePasskey) }}
        </button>
        <ErrorAlert failure=form.failure/>
    }
}
