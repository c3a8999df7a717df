//! Registration: whether users are asked to register at sign-in, whether they may skip it for
//! now, and how often to reconfirm.

use leptos::prelude::*;
use rekey_core::i18n::AdminKey;
use rekey_core::settings::{RegistrationSettings, RECONFIRM_DAYS_MAX};

use super::SectionHeading;
use crate::components::field::NumberField;
use crate::components::settings_form::{SectionContext, SectionForm};

#[component]
pub fn RegistrationSection() -> impl IntoView {
    view! {
        <SectionHeading key=AdminKey::SectionRegistration/>
        <SectionForm fields={move |ctx: SectionContext<RegistrationSettings>| {
            view! {
                {ctx.checkbox("require-registration", AdminKey::RequireRegistration, Some(AdminKey::RequireRegistrationHelp), |d| d.require_registration, |d, on| d.require_registration = on)}
                {ctx.checkbox("allow-skip", AdminKey::AllowSkip, Some(AdminKey::AllowSkipHelp), |d| d.allow_skip, |d, on| d.allow_skip = on)}
                <NumberField
                    field="reconfirm_days"
                    label=AdminKey::ReconfirmDays
                    help=AdminKey::ReconfirmDaysHelp
                    min=0
                    max=u32::from(RECONFIRM_DAYS_MAX)
                    get=move || u32::from(ctx.get(|d| d.reconfirm_days))
                    set=move |n| ctx.set(|d| d.reconfirm_days = u16::try_from(n).unwrap_or(u16::MAX))
                    errors=ctx.errors
                />
            }
            .into_any()
        }}/>
    }
}
