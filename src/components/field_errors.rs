use leptos::prelude::*;
use rekey_core::validation::FieldError;

use crate::i18n::use_i18n;

/// Inline messages for one field.
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
