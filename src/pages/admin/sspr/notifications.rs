//! Notifications: who hears about a reset, and test messages to check delivery.

use leptos::prelude::*;
use rekey_core::i18n::AdminKey;
use rekey_core::settings::NotificationSettings;

use super::test_message::{Email, Sms, TestMessage};
use super::SectionHeading;
use crate::components::settings_form::{SectionContext, SectionForm};

#[component]
pub fn NotificationsSection() -> impl IntoView {
    view! {
        <SectionHeading key=AdminKey::SectionNotifications/>
        <SectionForm fields={move |ctx: SectionContext<NotificationSettings>| {
            view! {
                {ctx.checkbox("notify-users", AdminKey::NotifyUsers, None, |d| d.notify_users, |d, on| d.notify_users = on)}
                {ctx.checkbox("notify-admins", AdminKey::NotifyAdmins, None, |d| d.notify_admins, |d, on| d.notify_admins = on)}
            }
            .into_any()
        }}/>
        <TestMessage channel=Email/>
        <TestMessage channel=Sms/>
    }
}
