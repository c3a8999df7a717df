//! Step 2 (when the organisation allows unlocking): a new password, or only the lock lifted.

use leptos::prelude::*;
use rekey_core::dto::ResetIntent;
use rekey_core::i18n::Key;
use rekey_core::validation::{FieldError, Rule};

use super::Flow;
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::field::{FieldErrors, RadioOption};
use crate::components::form::Form;
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;

const CHOICES: [(ResetIntent, &str, Key, Key); 2] = [
    (
        ResetIntent::Reset,
        "intent-reset",
        Key::IntentReset,
        Key::IntentResetHelp,
    ),
    (
        ResetIntent::Unlock,
        "intent-unlock",
        Key::IntentUnlock,
        Key::IntentUnlockHelp,
    ),
];

#[component]
pub fn Intent(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let choice = RwSignal::new(None::<ResetIntent>);
    let check = move || match choice.get() {
        Some(_) => Vec::new(),
        None => vec![FieldError::new("intent", Rule::Required)],
    };
    let errors = form.errors(check);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let (true, Some(intent)) = (form.ready(&check()), choice.get_untracked()) {
            flow.run(
                form,
                move |token| async move { api::reset::choose_intent(&token, intent).await },
                move |state| flow.advance(state),
            );
        }
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::ResetIntentTitle).to_string())/>
        <form on:submit=submit novalidate>
            <fieldset class="radio-cards" aria-describedby="intent-error">
                <legend class="visually-hidden">{move || i18n.t(Key::ResetIntentTitle)}</legend>
                {CHOICES
                    .into_iter()
                    .map(|(intent, id, label, help)| {
                        view! {
                            <RadioOption
                                name="intent"
                                id=id.to_string()
                                label=label
                                help=Some(help.into())
                                checked=move || choice.get() == Some(intent)
                                select=move || choice.set(Some(intent))
                            />
                        }
                    })
                    .collect_view()}
                <FieldErrors field="intent" errors=errors/>
            </fieldset>
            <button type="submit" class="primary" disabled=move || form.busy.get()>
                {move || i18n.t(Key::Next)}
            </button>
            <ErrorAlert failure=form.failure/>
        </form>
    }
}
