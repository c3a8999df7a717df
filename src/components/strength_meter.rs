//! How strong a new password looks, as a bar and as words.

use leptos::prelude::*;
use rekey_core::i18n::Key;

use crate::i18n::use_i18n;

/// The word for a strength from `rekey_core::password::strength` (0: refused, up to 4).
fn level(strength: u8) -> Key {
    match strength {
        0 => Key::StrengthTooWeak,
        1 => Key::StrengthWeak,
        2 => Key::StrengthFair,
        3 => Key::StrengthGood,
        _ => Key::StrengthStrong,
    }
}

/// The strength of what is typed (`None` while nothing is): a bar for the eye, and the words
/// ("Password strength: Good"), which screen readers hear as they change.
#[component]
pub fn StrengthMeter(#[prop(into)] strength: Signal<Option<u8>>) -> impl IntoView {
    let i18n = use_i18n();
    let words = move || {
        strength
            .get()
            .map(|s| i18n.format(Key::PasswordStrength, &[("level", i18n.t(level(s)))]))
    };
    view! {
        <div class="strength">
            <meter
                min="0"
                max="4"
                low="1.5"
                high="2.5"
                optimum="4"
                value=move || strength.get().unwrap_or(0)
                aria-hidden="true"
            ></meter>
            <p class="strength-words" aria-live="polite">{words}</p>
        </div>
    }
}
