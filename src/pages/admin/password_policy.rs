//! Settings › Org settings › Security & privacy › Password policy: the shortest password
//! accepted, the optional character-class rule, history, and the organisation's own banned
//! terms.

use leptos::prelude::*;
use rekey_core::i18n::AdminKey;
use rekey_core::settings::{PasswordPolicySettings, HISTORY_MAX, MIN_LENGTH_RANGE};

use crate::components::field::NumberField;
use crate::components::lines_field::LinesField;
use crate::components::page_heading::PageHeading;
use crate::components::settings_form::{SectionContext, SectionForm};
use crate::i18n::use_i18n;

#[component]
pub fn PasswordPolicyPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::PasswordPolicyTitle).to_string())/>
        <SectionForm fields={move |ctx: SectionContext<PasswordPolicySettings>| {
            view! {
                <NumberField
                    field="min_length"
                    label=AdminKey::MinPasswordLength
                    help=AdminKey::MinPasswordLengthHelp
                    min=u32::from(*MIN_LENGTH_RANGE.start())
                    max=u32::from(*MIN_LENGTH_RANGE.end())
                    get=move || u32::from(ctx.get(|d| d.min_length))
                    // Too large for a u16 still shows as out of range, never as a wrapped number.
                    set=move |n| ctx.set(|d| d.min_length = u16::try_from(n).unwrap_or(u16::MAX))
                    errors=ctx.errors
                />
                {ctx.checkbox(
                    "require-character-classes",
                    AdminKey::RequireCharacterClasses,
                    Some(AdminKey::RequireCharacterClassesHelp),
                    |d| d.require_character_classes,
                    |d, on| d.require_character_classes = on,
                )}
                <NumberField
                    field="history"
                    label=AdminKey::PasswordHistory
                    help=AdminKey::PasswordHistoryHelp
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

/// The organisation's banned terms, one per line.
#[component]
fn BannedTerms(ctx: SectionContext<PasswordPolicySettings>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="banned-terms" aria-describedby="custom_banned-help custom_banned-error">
            <legend>{move || i18n.t(AdminKey::BannedPasswords)}</legend>
            <p id="custom_banned-help" class="muted">{move || i18n.t(AdminKey::BannedPasswordsHelp)}</p>
            <LinesField
                ctx=ctx
                field="custom_banned"
                label=AdminKey::BannedPasswordsLabel
                read=|d| d.custom_banned.clone()
                write=|d, terms| d.custom_banned = terms
            />
        </fieldset>
    }
}
