//! What an admin reads about one user: the account, and its sign-in and password state.

use leptos::prelude::*;
use rekey_core::dto::{PasswordChangeReason, UserDetail};
use rekey_core::i18n::{AdminKey, Key};

use super::user_store::UserStore;
use crate::components::field::Label;
use crate::i18n::{method_name, use_i18n, Locale};

/// One term and its value.
#[component]
fn Fact(#[prop(into)] term: Label, #[prop(into)] value: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="fact">
            <dt>{move || term.text(i18n)}</dt>
            <dd>{move || value.get()}</dd>
        </div>
    }
}

/// A value of the user in the page's language, following both.
fn shown(store: UserStore, read: fn(&UserDetail, Locale) -> String) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let lang = i18n.locale.get();
        store.read(|user| read(user, lang))
    })
}

fn time_or_never(lang: Locale, time: Option<i64>) -> String {
    time.map_or_else(|| lang.t(AdminKey::Never).to_string(), |t| lang.time(t))
}

#[component]
pub(super) fn AccountFacts(store: UserStore) -> impl IntoView {
    view! {
        <dl class="facts">
            <Fact term=Key::SignInName value=shown(store, |u, _| u.summary.sign_in_name.clone())/>
            <Fact term=AdminKey::ColDisplayName value=shown(store, |u, _| u.summary.display_name.clone())/>
            <Fact
                term=AdminKey::ColStatus
                value=shown(store, |u, lang| lang.t(if u.summary.enabled { AdminKey::Enabled } else { AdminKey::Disabled }).to_string())
            />
            <Fact term=AdminKey::CreatedAt value=shown(store, |u, lang| lang.time(u.created_at))/>
            <Fact
                term=AdminKey::ColSecurityInfo
                value=shown(store, |u, lang| {
                    lang.t(if u.summary.registration.registered { AdminKey::Registered } else { AdminKey::NotRegistered }).to_string()
                })
            />
            <Fact
                term=AdminKey::MethodsRegistered
                value=shown(store, |u, lang| {
                    let methods = &u.summary.registration.methods;
                    if methods.is_empty() {
                        lang.t(AdminKey::MethodsNone).to_string()
                    } else {
                        methods.iter().map(|m| lang.t(method_name(*m))).collect::<Vec<_>>().join(", ")
                    }
                })
            />
        </dl>
    }
}

#[component]
pub(super) fn SignInFacts(store: UserStore) -> impl IntoView {
    view! {
        <dl class="facts">
            <Fact term=AdminKey::LastSignIn value=shown(store, |u, lang| time_or_never(lang, u.last_sign_in_at))/>
            <Fact term=AdminKey::PasswordChangedAt value=shown(store, |u, lang| lang.time(u.summary.password_changed_at))/>
            <Fact term=AdminKey::PasswordExpiresAt value=shown(store, |u, lang| time_or_never(lang, u.summary.password_expires_at))/>
            <Fact
                term=AdminKey::ChangeAtNextSignIn
                value=shown(store, |u, lang| {
                    lang.t(match u.password_change_due {
                        Some(PasswordChangeReason::Expired) => AdminKey::ChangeDueExpired,
                        Some(PasswordChangeReason::AdminReset) => AdminKey::ChangeDueAdminReset,
                        None => AdminKey::ChangeNotDue,
                    })
                    .to_string()
                })
            />
            <Fact term=AdminKey::ActiveSessions value=shown(store, |u, _| u.active_sessions.to_string())/>
            <Fact
                term=AdminKey::SignInLockout
                value=shown(store, |u, lang| match u.summary.locked_until {
                    Some(until) => lang.format(AdminKey::LockedUntil, &[("when", &lang.time(until))]),
                    None => lang.t(AdminKey::NotLocked).to_string(),
                })
            />
        </dl>
    }
}
