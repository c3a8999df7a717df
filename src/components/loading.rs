use leptos::prelude::*;
use rekey_core::i18n::Key;

use crate::i18n::use_i18n;

/// Shown while the session or a page's data is on its way.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" role="status">{move || i18n.t(Key::Loading)}</p> }
}
