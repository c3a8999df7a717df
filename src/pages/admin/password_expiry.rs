//! Settings › Org settings › Security & privacy › Password expiration: never (the default), or
//! after a number of days with an email notice before. As the numbers change, the page says
//! what the policy would do today, since expiry forces changes but never locks anyone out.

use leptos::prelude::*;
use rekey_core::dto::ExpiryImpact;
use rekey_core::i18n::AdminKey;
use rekey_core::settings::{
    DirectorySettings, DirectorySource, PasswordExpirySettings, SettingsSection, MAX_AGE_RANGE,
    NOTICE_RANGE,
};

use crate::api;
use crate::components::field::{NumberField, RadioOption};
use crate::components::page_heading::PageHeading;
use crate::components::settings_form::{SectionContext, SectionForm};
use crate::i18n::use_i18n;

#[component]
pub fn PasswordExpiryPage() -> impl IntoView {
    let i18n = use_i18n();
    // With an LDAP directory connected, its people's passwords expire by its policy.
    let beside_directory = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        if let Ok(view) = api::section::<DirectorySettings>().await {
            beside_directory.set(view.settings.source == DirectorySource::Ldap);
        }
    });
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::PasswordExpiryTitle).to_string())/>
        <p class="muted">{move || i18n.t(AdminKey::PasswordExpiryIntro)}</p>
        <Show when=move || beside_directory.get()>
            <div class="notice" role="note">{move || i18n.t(AdminKey::PasswordExpiryByDirectory)}</div>
        </Show>
        <SectionForm fields={move |ctx: SectionContext<PasswordExpirySettings>| {
            view! { <ExpiryFields ctx=ctx/> }.into_any()
        }}/>
    }
}

#[component]
fn ExpiryFields(ctx: SectionContext<PasswordExpirySettings>) -> impl IntoView {
    let i18n = use_i18n();
    let choice = move |expires: bool, id: &str, label: AdminKey, help: Option<AdminKey>| {
        view! {
            <RadioOption
                name="expires"
                id=format!("expires-{id}")
                label=label
                help=help.map(Into::into)
                checked=move || ctx.get(|d| d.expires == expires)
                select=move || ctx.set(|d| d.expires = expires)
            />
        }
    };
    view! {
        <fieldset>
            <legend class="visually-hidden">{move || i18n.t(AdminKey::PasswordExpiryTitle)}</legend>
            {choice(false, "never", AdminKey::PasswordsNeverExpire, Some(AdminKey::PasswordsNeverExpireHelp))}
            {choice(true, "after", AdminKey::PasswordsExpire, None)}
        </fieldset>
        // The numbers stay in sight when passwords never expire, but only apply when they do.
        <fieldset disabled=move || !ctx.get(|d| d.expires)>
            <NumberField
                field="max_age_days"
                label=AdminKey::PasswordMaxAge
                help=AdminKey::PasswordMaxAgeHelp
                min=u32::from(*MAX_AGE_RANGE.start())
                max=u32::from(*MAX_AGE_RANGE.end())
                get=move || u32::from(ctx.get(|d| d.max_age_days))
                set=move |n| ctx.set(|d| d.max_age_days = u16::try_from(n).unwrap_or(u16::MAX))
                errors=ctx.errors
            />
            <NumberField
                field="notice_days"
                label=AdminKey::PasswordNoticeDays
                help=AdminKey::PasswordNoticeDaysHelp
                min=u32::from(*NOTICE_RANGE.start())
                max=u32::from(*NOTICE_RANGE.end())
                get=move || u32::from(ctx.get(|d| d.notice_days))
                set=move |n| ctx.set(|d| d.notice_days = u16::try_from(n).unwrap_or(u16::MAX))
                errors=ctx.errors
            />
        </fieldset>
        <Impact ctx=ctx/>
    }
}

/// What the policy being edited would do today, said in a sentence that follows the numbers.
#[component]
fn Impact(ctx: SectionContext<PasswordExpirySettings>) -> impl IntoView {
    let i18n = use_i18n();
    // The numbers to measure: only for a policy that expires and that the server would accept.
    let proposed = Memo::new(move |_| {
        ctx.get(|d| {
            (d.expires && d.validate().is_empty()).then_some((d.max_age_days, d.notice_days))
        })
    });
    let impact = RwSignal::new(None::<(u16, u16, ExpiryImpact)>);
    Effect::new(move |_| {
        let Some((max_age, notice)) = proposed.get() else {
            impact.set(None);
            return;
        };
        leptos::task::spawn_local(async move {
            let answer = api::password::expiry_impact(max_age, notice).await;
            // An answer for numbers changed since is stale.
            if proposed.get_untracked() == Some((max_age, notice)) {
                impact.set(answer.ok().map(|a| (max_age, notice, a)));
            }
        });
    });
    let sentence = move || {
        let (days, notice, impact) = impact.get()?;
        let lang = i18n.locale.get();
        let covered = lang.count(impact.covered);
        let days = days.to_string();
        let mut text = if impact.expired == 0 {
            lang.format(
                AdminKey::ExpiryImpactNoneExpired,
                &[("covered", &covered), ("days", &days)],
            )
        } else {
            let expired = lang.count(impact.expired);
            lang.format(
                AdminKey::ExpiryImpact,
                &[
                    ("covered", &covered),
                    ("expired", &expired),
                    ("days", &days),
                ],
            )
        };
        if notice > 0 {
            let notified = lang.count(impact.notified);
            text.push(' ');
            text.push_str(&lang.format(AdminKey::ExpiryImpactNotice, &[("notified", &notified)]));
        }
        Some(text)
    };
    // The live region stays in the page so a changed sentence is announced.
    view! {
        <div role="status" class="status-slot">
            {move || sentence().map(|text| view! { <p class="notice expiry-impact">{text}</p> })}
        </div>
    }
}
