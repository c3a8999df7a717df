//! Notifications: who hears about a reset.

use leptos::prelude::*;
use rekey_core::i18n::Key;
use rekey_core::settings::NotificationSettings;

use super::SectionHeading;
use crate::components::field::CheckboxField;
use crate::components::settings_form::{SectionContext, SectionForm};

#[component]
pub fn NotificationsSection() -> impl IntoView {
    view! {
        <SectionHeading key=Key::SectionNotifications/>
        <SectionForm fields={move |ctx: SectionContext<NotificationSettings>| {
            view! {
                <CheckboxField
                    id="notify-users"
                    label=Key::NotifyUsers
                    get=move || ctx.get(|d| d.notify_users)
                    set=move |on| ctx.set(|d| d.notify_users = on)
                />
                <CheckboxField
                    id="notify-admins"
                    label=Key::NotifyAdmins
                    get=move || ctx.get(|d| d.notify_admins)
                    set=move |on| ctx.set(|d| d.notify_admins = on)
                />
            }
            .into_any()
        }}/>
    }
}
