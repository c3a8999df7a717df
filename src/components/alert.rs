use leptos::prelude::*;
use rekey_core::i18n::Key;

use crate::api::Failure;
use crate::i18n::{use_i18n, Locale};

/// What a failure says, with how long to wait or how many tries are left when the API told.
fn explain(lang: Locale, failure: &Failure) -> String {
    let mut text = lang.error(failure.code).to_string();
    // What is wrong with a field the page does not show (no `{field}-error` beside an
    // input), named here: "correct the highlighted fields" must not leave nothing highlighted.
    let mut said = Vec::new();
    let unshown = failure.fields.iter().filter(|f| {
        document()
            .get_element_by_id(&format!("{}-error", f.field))
            .is_none()
    });
    for rule in unshown.map(|f| f.rule) {
        if !said.contains(&rule) {
            said.push(rule);
            text.push(' ');
            text.push_str(lang.rule(rule));
        }
    }
    if let Some(seconds) = failure.retry_after_seconds {
        let wait = lang.format(Key::TryAgainIn, &[("seconds", &lang.count(seconds))]);
        text = format!("{text} {wait}");
    }
    if let Some(count) = failure.attempts_remaining {
        let left = lang.format(
            Key::AttemptsRemaining,
            &[("count", &lang.count(count.into()))],
        );
        text = format!("{text} {left}");
    }
    text
}

/// An API failure explained in the user's language, announced to screen readers.
#[component]
pub fn ErrorAlert(#[prop(into)] failure: Signal<Option<Failure>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="alert" class="alert-slot">
            {move || {
                failure
                    .get()
                    .map(|f| view! { <p class="alert alert-error">{explain(i18n.locale.get(), &f)}</p> })
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

/// The session's notice for the page that opens now, shown there and not again.
#[component]
pub fn SessionNotice() -> impl IntoView {
    let i18n = use_i18n();
    let said = crate::session::use_session()
        .notice
        .try_update(Option::take)
        .flatten();
    let message = Signal::derive(move || said.map(|key| i18n.t(key).to_string()));
    view! { <StatusMessage message=message/> }
}
