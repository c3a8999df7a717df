//! The authentication email and phone an admin keeps for a user, edited in a dialog from the
//! Users page and from a user's page.

use leptos::prelude::*;
use rekey_core::dto::{ContactInfo, ContactInfoRequest, UserSummary};
use rekey_core::i18n::{AdminKey, Key};
use rekey_core::security_info::normalize_phone;

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::dialog::Modal;
use crate::components::field::TextField;
use crate::components::form::Form;
use crate::components::loading::Loading;
use crate::i18n::use_i18n;

/// A modal dialog for the user in `editing`, open while there is one; `saved` hears the user's
/// name after a save.
#[component]
pub fn ContactInfoDialog(
    editing: RwSignal<Option<UserSummary>>,
    #[prop(into)] saved: Callback<String>,
) -> impl IntoView {
    view! {
        <Modal
            open=Signal::derive(move || editing.with(Option::is_some))
            close=move |_| editing.set(None)
            labelled_by="contact-title"
        >
            {move || editing.get().map(|user| view! { <ContactForm user=user editing=editing saved=saved/> })}
        </Modal>
    }
}

/// What to send for one value: nothing when unchanged, "" to remove it.
fn change(before: &Option<String>, now: String) -> Option<String> {
    (before.as_deref().unwrap_or("") != now).then_some(now)
}

#[component]
fn ContactForm(
    user: UserSummary,
    editing: RwSignal<Option<UserSummary>>,
    saved: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let loaded = RwSignal::new(None::<ContactInfo>);
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let id = StoredValue::new(user.id.clone());
    leptos::task::spawn_local(async move {
        match api::contact_info(&id.get_value()).await {
            Ok(info) => {
                email.set(info.email.clone().unwrap_or_default());
                phone.set(info.phone.clone().unwrap_or_default());
                loaded.set(Some(info));
            }
            Err(failure) => form.failure.set(Some(failure)),
        }
    });
    let request = move || {
        loaded.with(|before| {
            let before = before.clone().unwrap_or_default();
            let phone = phone.get();
            let phone = if phone.trim().is_empty() {
                String::new()
            } else {
                normalize_phone(&phone)
            };
            ContactInfoRequest {
                email: change(&before.email, email.get().trim().to_string()),
                phone: change(&before.phone, phone),
            }
        })
    };
    let errors = form.errors(move || request().validate());
    let name = user.display_name;
    let title = {
        let name = name.clone();
        move || i18n.format(AdminKey::ContactInfoFor, &[("name", &name)])
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wanted = request();
        if form.ready(&wanted.validate()) {
            let name = name.clone();
            form.run(
                async move { api::save_contact_info(&id.get_value(), &wanted).await },
                move |_| {
                    saved.run(name);
                    editing.set(None);
                },
            );
        }
    };
    view! {
        <h2 id="contact-title">{title}</h2>
        <p class="muted">{move || i18n.t(AdminKey::ContactInfoHelp)}</p>
        <Show when=move || loaded.with(Option::is_none) && form.failure.with(Option::is_none)>
            <Loading/>
        </Show>
        <form on:submit=submit novalidate>
            <fieldset disabled=move || loaded.with(Option::is_none)>
                // Not the browser's autofill: that would offer the admin's own address.
                <TextField
                    field="email"
                    form=form
                    label=AdminKey::AuthEmail
                    get=move || email.get()
                    set=move |v| email.set(v)
                    errors=errors
                    input_type="email"
                    inputmode="email"
                    autocomplete="off"
                />
                <TextField
                    field="phone"
                    form=form
                    label=AdminKey::AuthPhone
                    help=Some(Key::MobileNumberHelp.into())
                    get=move || phone.get()
                    set=move |v| phone.set(v)
                    errors=errors
                    input_type="tel"
                    inputmode="tel"
                    autocomplete="off"
                />
            </fieldset>
            <ErrorAlert failure=form.failure/>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || form.busy.get() || loaded.with(Option::is_none)>
                    {move || i18n.t(if form.busy.get() { Key::Saving } else { Key::Save })}
                </button>
                <button type="button" on:click=move |_| editing.set(None)>
                    {move || i18n.t(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}
