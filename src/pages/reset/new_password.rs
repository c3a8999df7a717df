//! Step 4 of a reset: the new password, checked as it is typed by the rules the server applies,
//! with a strength meter.

use leptos::prelude::*;
use rekey_core::dto::NewPasswordRequest;
use rekey_core::i18n::Key;

use super::Flow;
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::form::Form;
use crate::components::new_password::{NewPasswordFields, NewPasswordInput};
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;

#[component]
pub fn NewPassword(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    let rules = flow
        .state
        .with_untracked(|s| s.as_ref().and_then(|s| s.password_rules.clone()))
        .unwrap_or_default();
    let new = NewPasswordInput::new(rules);
    let form = Form::default();
    let errors = form.errors(move || new.check());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.ready(&new.check()) {
            let request = NewPasswordRequest {
                password: new.password.get_untracked(),
                confirm: new.confirm.get_untracked(),
                lang: Some(i18n.locale.get_untracked().tag().to_string()),
            };
            flow.run(
                form,
                move |token| async move { api::reset::set_password(&token, &request).await },
                move |state| flow.advance(state),
            );
        }
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::NewPasswordTitle).to_string())/>
        <form on:submit=submit novalidate>
            <NewPasswordFields new=new form=form errors=errors/>
            <button type="submit" class="primary" disabled=move || form.busy.get()>
                {move || i18n.t(if form.busy.get() { Key::ResettingPassword } else { Key::ResetPassword })}
            </button>
            <ErrorAlert failure=form.failure/>
        </form>
    }
}
