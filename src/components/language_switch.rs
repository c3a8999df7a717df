use leptos::prelude::*;
use rekey_core::i18n::{Key, Lang};

use crate::i18n::use_i18n;

/// Lets anyone switch language; the choice is remembered in this browser.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="language-switch">
            <span class="visually-hidden">{move || i18n.t(Key::Language)}</span>
            <select
                aria-label=move || i18n.t(Key::Language)
                on:change=move |ev| {
                    let tag = event_target_value(&ev);
                    i18n.choose(Lang::negotiate(&tag));
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option value=lang.tag() selected=move || i18n.locale.get().lang() == lang>
                                {lang.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
