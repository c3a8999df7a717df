//! Passkeys in security info: the user's passkeys (when added, when last used; rename, remove)
//! and creating another on this device or a security key.

use leptos::prelude::*;
use rekey_core::dto::{PasskeyRegisterRequest, PasskeyView};
use rekey_core::error::ErrorCode;
use rekey_core::i18n::{Key, UserKey};
use rekey_core::security_info::{check_passkey_name, MethodKind};

use super::{saved, CancelButton, Removal, RemoveConfirm, Store};
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::field::{Label, TextField};
use crate::components::form::Form;
use crate::i18n::{use_i18n, I18n};
use crate::passkey;

#[component]
pub fn PasskeyEditor(store: Store) -> impl IntoView {
    let i18n = use_i18n();
    let passkeys = store
        .info
        .with_untracked(|info| info.as_ref().map(|i| i.passkeys.clone()))
        .unwrap_or_default();
    view! {
        <div class="editor">
            <p class="muted">{move || i18n.t(UserKey::PasskeyExplain)}</p>
            <ul class="method-list">
                {passkeys.into_iter().map(|p| view! { <PasskeyItem store=store passkey=p/> }).collect_view()}
            </ul>
            {if passkey::supported(true) {
                view! { <CreatePasskey store=store/> }.into_any()
            } else {
                view! {
                    <p role="note">{move || i18n.locale.get().error(ErrorCode::PasskeysUnavailable)}</p>
                    <div class="form-actions"><CancelButton store=store/></div>
                }
                .into_any()
            }}
        </div>
    }
}

/// A name, then the browser's own prompt (screen lock or security key).
#[component]
fn CreatePasskey(store: Store) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let name = RwSignal::new(i18n.t(UserKey::PasskeyDefaultName).to_string());
    let check = move || check_passkey_name("name", &name.get());
    let errors = form.errors(check);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.ready(&check()) {
            return;
        }
        let name = name.get_untracked();
        form.run(
            async move {
                let started = api::start_passkey().await?;
                let credential = passkey::create(&started.options)
                    .await
                    .map_err(passkey::failure)?;
                let request = PasskeyRegisterRequest {
                    challenge_id: started.challenge_id,
                    credential,
                    name,
                };
                api::add_passkey(&request).await
            },
            move |info| saved(store, i18n, info, MethodKind::Passkey),
        );
    };
    view! {
        <form on:submit=submit novalidate>
            <TextField
                field="name"
                id="passkey-name"
                form=form
                label=UserKey::PasskeyName
                help=Some(Label::from(UserKey::PasskeyNameHelp))
                get=move || name.get()
                set=move |v| name.set(v)
                errors=errors
                autocomplete="off"
            />
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || form.busy.get()>
                    {move || if form.busy.get() { i18n.t(UserKey::PasskeyWaiting) } else { i18n.t(Key::Save) }}
                </button>
                <CancelButton store=store/>
            </div>
            <ErrorAlert failure=form.failure/>
        </form>
    }
}

/// "Added … · last used …" (or "not used yet"), in the page's language.
pub fn passkey_dates(i18n: I18n, passkey: &PasskeyView) -> String {
    let locale = i18n.locale.get();
    let added = i18n.format(
        UserKey::PasskeyAdded,
        &[("when", &locale.time(passkey.created_at))],
    );
    let used = match passkey.last_used_at {
        Some(at) => i18n.format(UserKey::PasskeyLastUsed, &[("when", &locale.time(at))]),
        None => i18n.t(UserKey::PasskeyNeverUsed).to_string(),
    };
    format!("{added} · {used}")
}

/// One passkey: its name and dates, renamed in place, or removed.
#[component]
fn PasskeyItem(store: Store, passkey: PasskeyView) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let renaming = RwSignal::new(false);
    let name = RwSignal::new(passkey.name.clone());
    let check = move || check_passkey_name("name", &name.get());
    let errors = form.errors(check);
    let id = StoredValue::new(passkey.id.clone());
    let shown = passkey.name.clone();
    let dates = {
        let passkey = passkey.clone();
        move || passkey_dates(i18n, &passkey)
    };
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.ready(&check()) {
            let request = api::rename_passkey(id.get_value(), name.get_untracked());
            form.run(request, move |info| {
                store.changed(info, i18n.t(UserKey::PasskeyRenamed).to_string())
            });
        }
    };
    let confirming = RwSignal::new(false);
    let removal = Removal::Passkey {
        id: passkey.id.clone(),
        name: passkey.name.clone(),
    };
    let label = shown.clone();
    view! {
        <li class="method method-head">
            <strong>{shown.clone()}</strong>
            <span class="muted">{dates}</span>
            <Show
                when=move || renaming.get()
                fallback=move || {
                    let named = label.clone();
                    let remove_named = label.clone();
                    view! {
                        <div class="method-actions">
                            <button
                                type="button"
                                aria-label=move || i18n.format(UserKey::RenameNamed, &[("method", &named)])
                                on:click=move |_| renaming.set(true)
                            >
                                {move || i18n.t(UserKey::Rename)}
                            </button>
                            <button
                                type="button"
                                class="danger"
                                aria-label=move || i18n.format(UserKey::RemoveNamed, &[("method", &remove_named)])
                                on:click=move |_| confirming.set(true)
                            >
                                {move || i18n.t(UserKey::Remove)}
                            </button>
                        </div>
                    }
                }
            >
                <form on:submit=rename novalidate>
                    <TextField
                        field="name"
                        id=format!("rename-{}", id.get_value())
                        form=form
                        label=UserKey::PasskeyName
                        get=move || name.get()
                        set=move |v| name.set(v)
                        errors=errors
                        autocomplete="off"
                        focus=true
                    />
                    <div class="form-actions">
                        <button type="submit" class="primary" disabled=move || form.busy.get()>
                            {move || i18n.t(Key::Save)}
                        </button>
                        <button type="button" on:click=move |_| renaming.set(false)>
                            {move || i18n.t(Key::Cancel)}
                        </button>
                    </div>
                </form>
            </Show>
            <Show when=move || confirming.get()>
                <RemoveConfirm store=store removal=removal.clone() confirming=confirming/>
            </Show>
            <ErrorAlert failure=form.failure/>
        </li>
    }
}
