use crate::runtime_config::href;
use leptos::prelude::*;
use rekey_core::i18n::Key;

use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main id="main" class="centered-page">
            <PageHeading text=Signal::derive(move || i18n.t(Key::NotFoundTitle).to_string())/>
            <p>{move || i18n.t(Key::NotFoundBody)}</p>
            <a href=href("/")>{move || i18n.t(Key::GoHome)}</a>
        </main>
    }
}
