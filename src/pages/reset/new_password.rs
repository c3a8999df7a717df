//! Step 4 of a reset: the new password, checked as it is typed by the rules the server applies,
//! with a strength meter.

use leptos::prelude::*;
use rekey_core::dto::NewPasswordRequest;
use rekey_core::i18n::Key;
use rekey_core::password::{check_new_password, strength, PasswordContext, MIN_LENGTH_FLOOR};

use super::Flow;
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::field::{CheckboxField, Label, TextField};
use crate::components::form::Form;
use crate::components::page_heading::PageHeading;
use crate::components::strength_meter::StrengthMeter;
use crate::i18n::use_i18n;

#[component]
pub fn NewPassword(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    let rules = flow
        .state
        .with_untracked(|s| s.as_ref().and_then(|s| s.password_rules.clone()))
        .unwrap_or_default();
    let min_length = usize::from(rules.min_length).max(MIN_LENGTH_FLOOR);
    let mut context = PasswordContext::for_user(
        &rules.sign_in_name,
        &rules.display_name,
        &rules.organisation,
    );
    context.custom = rules.custom_banned;
    let context = StoredValue::new(context);

    let form = Form::default();
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let shown = RwSignal::new(false);
    let check = move || {
        context.with_value(|c| check_new_password(&password.get(), &confirm.get(), min_length, c))
    };
    let errors = form.errors(check);
    let meter = Signal::derive(move || {
        password.with(|p| (!p.is_empty()).then(|| context.with_value(|c| strength(p, c))))
    });
    let input_type = Signal::derive(move || if shown.get() { "text" } else { "password" });
    let min = min_length.to_string();
    let help = Signal::derive(move || i18n.format(Key::NewPasswordHelp, &[("min", &min)]));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.ready(&check()) {
            let request = NewPasswordRequest {
                password: password.get_untracked(),
                confirm: confirm.get_untracked(),
                lang: Some(i18n.lang.get_untracked().tag().to_string()),
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
            <TextField
                field="password"
                form=form
                label=Key::NewPassword
                help=Some(Label::Text(help))
                get=move || password.get()
                set=move |v| password.set(v)
                errors=errors
                input_type=input_type
                autocomplete="new-password"
            />
            <StrengthMeter strength=meter/>
            <TextField
                field="confirm"
                form=form
                label=Key::ConfirmPassword
                get=move || confirm.get()
                set=move |v| confirm.set(v)
                errors=errors
                input_type=input_type
                autocomplete="new-password"
            />
            <CheckboxField
                id="show-passwords"
                label=Key::ShowPasswords
                help=None
                get=move || shown.get()
                set=move |on| shown.set(on)
            />
            <button type="submit" class="primary" disabled=move || form.busy.get()>
                {move || i18n.t(if form.busy.get() { Key::ResettingPassword } else { Key::ResetPassword })}
            </button>
            <ErrorAlert failure=form.failure/>
        </form>
    }
}
