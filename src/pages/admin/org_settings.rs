//! Settings › Org settings: the Security & privacy tab.

use leptos::prelude::*;
use leptos_router::components::A;
use rekey_core::i18n::AdminKey;

use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;
use crate::runtime_config::href;

#[component]
pub fn OrgSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::OrgSettingsTitle).to_string())/>
        <div role="tablist" class="tabs" aria-label=move || i18n.t(AdminKey::OrgSettingsTitle)>
            <button type="button" role="tab" id="tab-security" aria-selected="true" aria-controls="panel-security">
                {move || i18n.t(AdminKey::TabSecurityPrivacy)}
            </button>
        </div>
        <section id="panel-security" role="tabpanel" aria-labelledby="tab-security" class="card">
            <ul class="settings-list">
                <li>
                    <A href=href("/admin/settings/org/directory")>
                        <span class="settings-item-title">{move || i18n.t(AdminKey::DirectoryItemTitle)}</span>
                        <span class="settings-item-description">{move || i18n.t(AdminKey::DirectoryItemDescription)}</span>
                    </A>
                </li>
                <li>
                    <A href=href("/admin/settings/org/security/sspr")>
                        <span class="settings-item-title">{move || i18n.t(AdminKey::SsprItemTitle)}</span>
                        <span class="settings-item-description">{move || i18n.t(AdminKey::SsprItemDescription)}</span>
                    </A>
                </li>
                <li>
                    <A href=href("/admin/settings/org/security/password-policy")>
                        <span class="settings-item-title">{move || i18n.t(AdminKey::PasswordPolicyItemTitle)}</span>
                        <span class="settings-item-description">{move || i18n.t(AdminKey::PasswordPolicyItemDescription)}</span>
                    </A>
                </li>
                <li>
                    <A href=href("/admin/settings/org/security/password-expiry")>
                        <span class="settings-item-title">{move || i18n.t(AdminKey::PasswordExpiryItemTitle)}</span>
                        <span class="settings-item-description">{move || i18n.t(AdminKey::PasswordExpiryItemDescription)}</span>
                    </A>
                </li>
                <li>
                    <A href=href("/admin/settings/org/security/branding")>
                        <span class="settings-item-title">{move || i18n.t(AdminKey::BrandingItemTitle)}</span>
                        <span class="settings-item-description">{move || i18n.t(AdminKey::BrandingItemDescription)}</span>
                    </A>
                </li>
                <li>
                    <A href=href("/admin/settings/org/security/embedding")>
                        <span class="settings-item-title">{move || i18n.t(AdminKey::EmbeddingItemTitle)}</span>
                        <span class="settings-item-description">{move || i18n.t(AdminKey::EmbeddingItemDescription)}</span>
                    </A>
                </li>
            </ul>
        </section>
    }
}
