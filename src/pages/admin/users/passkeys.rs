//! A user's passkeys on their page: when each was added and last used, and removing one that
//! was lost or stolen (asked first), for the admins who may reset the user's password.

use leptos::prelude::*;
use rekey_core::dto::PasskeyView;
use rekey_core::i18n::{AdminKey, Key, UserKey};

use super::user_store::UserStore;
use crate::api;
use crate::i18n::use_i18n;
use crate::pages::security_info::passkey::passkey_dates;

#[component]
pub(super) fn PasskeysSection(store: UserStore) -> impl IntoView {
    let i18n = use_i18n();
    let passkeys = RwSignal::new(None::<Vec<PasskeyView>>);
    let load = move || {
        leptos::task::spawn_local(async move {
            match api::users::passkeys(&store.id()).await {
                Ok(list) => passkeys.set(Some(list)),
                Err(failure) => store.action.failure.set(Some(failure)),
            }
        })
    };
    load();
    // The passkey whose removal is being asked about.
    let confirming = RwSignal::new(None::<String>);
    let remove = move |passkey: PasskeyView| {
        store.message.set(None);
        let (user, id) = (store.id(), passkey.id.clone());
        store.action.run(
            async move { api::users::remove_passkey(&user, &id).await },
            move |()| {
                let said = i18n.format(AdminKey::UserPasskeyRemoved, &[("name", &passkey.name)]);
                store.message.set(Some(said));
                confirming.set(None);
                load();
            },
        );
    };
    let item = move |passkey: PasskeyView| {
        let dates = {
            let passkey = passkey.clone();
            move || passkey_dates(i18n, &passkey)
        };
        let (id, name) = (passkey.id.clone(), passkey.name.clone());
        let asked = {
            let id = id.clone();
            move || confirming.get().as_deref() == Some(id.as_str())
        };
        let question_id = format!("remove-passkey-{id}");
        let named = name.clone();
        view! {
            <li class="method method-head">
                <strong>{name.clone()}</strong>
                <span class="muted">{dates}</span>
                <div class="method-actions">
                    <button
                        type="button"
                        aria-label=move || i18n.format(UserKey::RemoveNamed, &[("method", &named)])
                        on:click=move |_| confirming.set(Some(id.clone()))
                    >
                        {move || i18n.t(UserKey::Remove)}
                    </button>
                </div>
                <Show when=asked.clone()>
                    <div class="confirm" role="group" aria-labelledby=question_id.clone()>
                        <p id=question_id.clone()>
                            {
                                let name = name.clone();
                                move || i18n.format(AdminKey::UserRemovePasskeyConfirm, &[("name", &name)])
                            }
                        </p>
                        <div class="form-actions">
                            <button
                                type="button"
                                class="danger"
                                disabled=move || store.action.busy.get()
                                on:click={
                                    let passkey = passkey.clone();
                                    move |_| remove(passkey.clone())
                                }
                            >
                                {move || i18n.t(UserKey::Remove)}
                            </button>
                            <button type="button" on:click=move |_| confirming.set(None)>
                                {move || i18n.t(Key::Cancel)}
                            </button>
                        </div>
                    </div>
                </Show>
            </li>
        }
    };
    view! {
        <section class="card" aria-labelledby="passkeys-heading">
            <h2 id="passkeys-heading">{move || i18n.t(AdminKey::UserPasskeysTitle)}</h2>
            <p class="muted">{move || i18n.t(AdminKey::UserPasskeysHelp)}</p>
            {move || passkeys.get().map(|list| {
                if list.is_empty() {
                    view! { <p>{move || i18n.t(AdminKey::UserNoPasskeys)}</p> }.into_any()
                } else {
                    view! { <ul class="method-list">{list.into_iter().map(item).collect_view()}</ul> }.into_any()
                }
            })}
        </section>
    }
}
