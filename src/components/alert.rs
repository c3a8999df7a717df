use leptos::prelude::*;

use crate::api::Failure;
use crate::i18n::use_i18n;

/// An API failure explained in the user's language, announced to screen readers.
#[component]
pub fn ErrorAlert(#[prop(into)] failure: Signal<Option<Failure>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="alert" class="alert-slot">
            {move || {
                failure
                    .get()
                    .map(|f| view! { <p class="alert alert-error">{i18n.lang.get().error(f.code)}</p> })
            }}
        </div>
    }
}

/// A polite status line ("Saved.") that screen readers announce without interrupting.
#[component]
pub fn StatusMessage(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div role="status" class="status-slot">
            {move || message.get().map(|m| view! { <p class="alert alert-ok">{m}</p> })}
        </div>
    }
}
