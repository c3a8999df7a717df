//! Resetting a user's password from their page: generated or typed, change required by default,
//! optionally emailed; a generated password is shown once.

use leptos::prelude::*;
use rekey_core::dto::AdminPasswordResult;
use rekey_core::i18n::{AdminKey, Key, UserKey};

use super::password::{PasswordChoice, PasswordDraft, PasswordResult};
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::dialog::Modal;
use crate::components::form::Form;
use crate::i18n::use_i18n;

/// The dialog, open while `open` is; `reset` hears that the password changed. Emailing the
/// password is offered only while the user `has_email` on file: nothing else could work.
#[component]
pub(super) fn ResetPasswordDialog(
    open: RwSignal<bool>,
    #[prop(into)] id: String,
    #[prop(into)] name: Signal<String>,
    #[prop(into)] has_email: Signal<bool>,
    #[prop(into)] reset: Callback<()>,
) -> impl IntoView {
    let id = StoredValue::new(id);
    view! {
        <Modal open=open close=move |_| open.set(false) labelled_by="reset-title">
            <ResetForm id=id.get_value() name=name has_email=has_email.get_untracked() open=open reset=reset/>
        </Modal>
    }
}

#[component]
fn ResetForm(
    id: String,
    name: Signal<String>,
    has_email: bool,
    open: RwSignal<bool>,
    reset: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    let form = Form::default();
    let draft = PasswordDraft::new();
    let result = RwSignal::new(None::<AdminPasswordResult>);
    leptos::task::spawn_local(async move {
        match api::users::password_rules(&id.get_value()).await {
            Ok(rules) => draft.rules_known(rules),
            Err(failure) => form.failure.set(Some(failure)),
        }
    });
    let errors = form.errors(move || draft.check());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.ready(&draft.check()) {
            let request = draft.request(i18n.locale.get_untracked());
            form.run(
                async move { api::users::reset_password(&id.get_value(), &request).await },
                move |answer| {
                    result.set(Some(answer));
                    reset.run(());
                },
            );
        }
    };
    let close = move |_| open.set(false);
    let title = move || i18n.format(AdminKey::ResetPasswordFor, &[("name", &name.get())]);
    let done =
        Signal::derive(move || i18n.format(AdminKey::PasswordResetDone, &[("name", &name.get())]));
    view! {
        <h2 id="reset-title">{title}</h2>
        {move || match result.get() {
            Some(answer) => {
                view! {
                    <PasswordResult title=done result=answer/>
                    <div class="form-actions">
                        <button type="button" class="primary" on:click=close>{move || i18n.t(UserKey::Done)}</button>
                    </div>
                }
                    .into_any()
            }
            None => {
                view! {
                    <p class="muted">{move || i18n.t(AdminKey::ResetPasswordIntro)}</p>
                    <form on:submit=submit novalidate>
                        <PasswordChoice draft=draft form=form errors=errors offer_email=has_email/>
                        <ErrorAlert failure=form.failure/>
                        <div class="form-actions">
                            <button type="submit" class="primary" disabled=move || form.busy.get()>
                                {move || i18n.t(if form.busy.get() { Key::ResettingPassword } else { Key::ResetPassword })}
                            </button>
                            <button type="button" on:click=close>{move || i18n.t(Key::Cancel)}</button>
                        </div>
                    </form>
                }
                    .into_any()
            }
        }}
    }
}
