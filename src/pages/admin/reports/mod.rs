//! Usage & insights: who can reset today (registration), and what self-service reset and the
//! helpdesk did over a period (activity). Each number links to the users or audit events it
//! counts; each chart has its table.

mod activity;
mod charts;
mod registration;

use leptos::prelude::*;
use rekey_core::audit::StopReason;
use rekey_core::i18n::AdminKey;

use crate::components::page_heading::PageHeading;
use crate::i18n::{use_i18n, I18n};

#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::ReportsTitle).to_string())/>
        <p class="intro">{move || i18n.t(AdminKey::ReportsIntro)}</p>
        <registration::RegistrationReport/>
        <activity::ActivityReport/>
    }
}

/// Why a flow stopped, or a detail as stored when it names no reason.
pub fn reason_words(i18n: I18n, detail: &str) -> String {
    let Some((reason, rule)) = StopReason::parse(detail) else {
        return detail.to_string();
    };
    let key = match reason {
        StopReason::Left => AdminKey::ReasonLeft,
        StopReason::UnknownName => AdminKey::ReasonUnknownName,
        StopReason::NotCovered => AdminKey::ReasonNotCovered,
        StopReason::NotRegistered => AdminKey::ReasonNotRegistered,
        StopReason::WrongCode => AdminKey::ReasonWrongCode,
        StopReason::WrongAnswers => AdminKey::ReasonWrongAnswers,
        StopReason::CodeReused => AdminKey::ReasonCodeReused,
        StopReason::CodeExpired => AdminKey::ReasonCodeExpired,
        StopReason::Blocked => AdminKey::ReasonBlocked,
        StopReason::PasswordRefused => {
            let rule = rule.map(|r| i18n.locale.get().rule(r)).unwrap_or_default();
            return i18n.format(AdminKey::ReasonPasswordRefused, &[("rule", rule)]);
        }
        StopReason::DirectoryRefused => AdminKey::ReasonDirectoryRefused,
        StopReason::PasskeyRefused => AdminKey::ReasonPasskeyRefused,
    };
    i18n.t(key).to_string()
}
