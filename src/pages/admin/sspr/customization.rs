//! Customization: where users who are stuck get help.

use leptos::prelude::*;
use rekey_core::i18n::AdminKey;
use rekey_core::settings::CustomizationSettings;

use super::SectionHeading;
use crate::components::field::TextField;
use crate::components::settings_form::{SectionContext, SectionForm};

#[component]
pub fn CustomizationSection() -> impl IntoView {
    view! {
        <SectionHeading key=AdminKey::SectionCustomization/>
        <SectionForm fields={move |ctx: SectionContext<CustomizationSettings>| {
            view! {
                {ctx.checkbox("custom-helpdesk", AdminKey::CustomHelpdesk, Some(AdminKey::CustomHelpdeskOffHelp), |d| d.custom_helpdesk, |d, on| d.custom_helpdesk = on)}
                <Show when=move || ctx.get(|d| d.custom_helpdesk)>
                    <TextField
                        field="helpdesk_contact"
                        label=AdminKey::HelpdeskContact
                        get=move || ctx.get(|d| d.helpdesk_contact.clone())
                        set=move |text| ctx.set(|d| d.helpdesk_contact = text)
                        errors=ctx.errors
                        inputmode="url"
                        autocomplete="off"
                    />
                </Show>
            }
            .into_any()
        }}/>
    }
}
