//! Form fields with their inline, announced errors.

use leptos::prelude::*;
use rekey_core::i18n::Key;
use rekey_core::validation::FieldError;

use crate::i18n::use_i18n;

/// Inline messages for one field, tied to it by `aria-describedby="{field}-error"`.
#[component]
pub fn FieldErrors(
    field: &'static str,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div id=format!("{field}-error") class="field-error" aria-live="polite">
            {move || {
                errors
                    .get()
                    .into_iter()
                    .filter(|e| e.field == field)
                    .map(|e| view! { <p>{i18n.lang.get().rule(e.rule)}</p> })
                    .collect_view()
            }}
        </div>
    }
}

/// A labelled text input bound to a signal. `field` is the API's field name, so the server's
/// and the page's verdicts land on the same input.
#[component]
pub fn TextField(
    field: &'static str,
    label: Key,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(default = "text")] input_type: &'static str,
    autocomplete: &'static str,
    #[prop(default = "text")] inputmode: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field.replace('_', "-");
    let invalid = move || errors.get().iter().any(|e| e.field == field).to_string();
    view! {
        <div class="field">
            <label for=id.clone()>{move || i18n.t(label)}</label>
            <input
                id=id
                name=field
                type=input_type
                inputmode=inputmode
                autocomplete=autocomplete
                autocapitalize="none"
                spellcheck="false"
                aria-describedby=format!("{field}-error")
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <FieldErrors field=field errors=errors/>
        </div>
    }
}
