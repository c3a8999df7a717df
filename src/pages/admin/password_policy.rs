//! Settings › Org settings › Security & privacy › Password policy: the shortest password
//! accepted, the optional character-class rule, history, and the organisation's own banned
//! terms.

use leptos::prelude::*;
use rekey_core::i18n::Key;
use rekey_core::settings::{PasswordPolicySettings, HISTORY_MAX, MIN_LENGTH_RANGE};

use crate::components::field::{FieldErrors, NumberField};
use crate::components::page_heading::PageHeading;
use crate::components::settings_form::{SectionContext, SectionForm};
use crate::i18n::use_i18n;

#[component]
pub fn PasswordPolicyPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::PasswordPolicyTitle).to_string())/>
        <SectionForm fields={move |ctx: SectionContext<PasswordPolicySettings>| {
            view! {
                <NumberField
                    field="min_length"
                    label=Key::MinPasswordLength
                    help=Key::MinPasswordLengthHelp
                    min=u32::from(*MIN_LENGTH_RANGE.start())
                    max=u32::from(*MIN_LENGTH_RANGE.end())
                    get=move || u32::from(ctx.get(|d| d.min_length))
                    // Too large for a u16 still shows as out of range, never as a wrapped number.
                    set=move |n| ctx.set(|d| d.min_length = u16::try_from(n).unwrap_or(u16::MAX))
                    errors=ctx.errors
                />
                {ctx.checkbox(
                    "require-character-classes",
                    Key::RequireCharacterClasses,
                    Some(Key::RequireCharacterClassesHelp),
                    |d| d.require_character_classes,
                    |d, on| d.require_character_classes = on,
                )}
                <NumberField
                    field="history"
                    label=Key::PasswordHistory
                    help=Key::PasswordHistoryHelp
                    min=0
                    max=u32::from(HISTORY_MAX)
                    get=move || u32::from(ctx.get(|d| d.history))
                    set=move |n| ctx.set(|d| d.history = u8::try_from(n).unwrap_or(u8::MAX))
                    errors=ctx.errors
                />
                <BannedTerms ctx=ctx/>
            }
            .into_any()
        }}/>
    }
}

/// The terms in a textarea, one per line; blank lines and surrounding spaces are dropped.
fn parse_terms(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The organisation's banned terms, one per line.
#[component]
fn BannedTerms(ctx: SectionContext<PasswordPolicySettings>) -> impl IntoView {
    let i18n = use_i18n();
    // The text as typed, so a new line or a space being typed stays put; the draft holds the
    // terms it means.
    let text = RwSignal::new(String::new());
    // When the draft changes from elsewhere (loaded, saved, discarded), show its terms.
    Effect::new(move |_| {
        let terms = ctx.get(|d| d.custom_banned.clone());
        if text.with_untracked(|t| parse_terms(t)) != terms {
            text.set(terms.join("\n"));
        }
    });
    let invalid = move || {
        ctx.errors
            .get()
            .iter()
            .any(|e| e.field == "custom_banned")
            .to_string()
    };
    view! {
        <fieldset class="banned-terms" aria-describedby="custom_banned-help custom_banned-error">
            <legend>{move || i18n.t(Key::BannedPasswords)}</legend>
            <p id="custom_banned-help" class="muted">{move || i18n.t(Key::BannedPasswordsHelp)}</p>
            <div class="field">
                <label for="custom-banned">{move || i18n.t(Key::BannedPasswordsLabel)}</label>
                <textarea
                    id="custom-banned"
                    name="custom_banned"
                    rows=8
                    spellcheck="false"
                    autocomplete="off"
                    aria-describedby="custom_banned-help custom_banned-error"
                    aria-invalid=invalid
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        let terms = parse_terms(&typed);
                        text.set(typed);
                        ctx.set(|d| {
                            if d.custom_banned != terms {
                                d.custom_banned = terms;
                            }
                        });
                    }
                ></textarea>
            </div>
            <FieldErrors field="custom_banned" errors=ctx.errors/>
        </fieldset>
    }
}
