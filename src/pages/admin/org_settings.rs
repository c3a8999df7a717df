//! Settings › Org settings: the Security & privacy tab.

use leptos::prelude::*;
use leptos_router::components::A;
use rekey_core::i18n::Key;

use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;
use crate::runtime_config::href;

#[component]
pub fn OrgSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::OrgSettingsTitle).to_string())/>
        <div role="tablist" class="tabs" aria-label=move || i18n.t(Key::OrgSettingsTitle)>
            <button type="button" role="tab" id="tab-security" aria-selected="true" aria-controls="panel-security">
                {move || i18n.t(Key::TabSecurityPrivacy)}
            </button>
        </div>
        <section id="panel-security" role="tabpanel" aria-labelledby="tab-security" class="card">
            <ul class="settings-list">
                <li>
                    <A href=href("/admin/settings/org/security/sspr")>
                        <span class="settings-item-title">{move || i18n.t(Key::SsprItemTitle)}</span>
                        <span class="settings-item-description">{move || i18n.t(Key::SsprItemDescription)}</span>
                    </A>
                </li>
                <li>
                    <A href=href("/admin/settings/org/security/password-policy")>
                        <span class="settings-item-title">{move || i18n.t(Key::PasswordPolicyItemTitle)}</span>
                        <span class="settings-item-description">{move || i18n.t(Key::PasswordPolicyItemDescription)}</span>
                    </A>
                </li>
                <li>
                    <A href=href("/admin/settings/org/security/password-expiry")>
                        <span class="settings-item-title">{move || i18n.t(Key::PasswordExpiryItemTitle)}</span>
                        <span class="settings-item-description">{move || i18n.t(Key::PasswordExpiryItemDescription)}</span>
                    </A>
                </li>
                <li>
                    <A href=href("/admin/settings/org/security/branding")>
                        <span class="settings-item-title">{move || i18n.t(Key::BrandingItemTitle)}</span>
                        <span class="settings-item-description">{move || i18n.t(Key::BrandingItemDescription)}</span>
                    </A>
                </li>
                <li>
                    <A href=href("/admin/settings/org/security/embedding")>
                        <span class="settings-item-title">{move || i18n.t(Key::EmbeddingItemTitle)}</span>
                        <span class="settings-item-description">{move || i18n.t(Key::EmbeddingItemDescription)}</span>
                    </A>
                </li>
            </ul>
        </section>
    }
}
