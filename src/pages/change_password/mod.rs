//! A signed-in user changes their password: `/account/password` when they choose to, and
//! `/change-password` (`forced`) when sign-in asks for it. Both run one form: the current
//! password, then the new one checked as it is typed by the organisation's rules.

mod forced;

pub use forced::ForcedChangePage;

use leptos::prelude::*;
use leptos_router::components::A;
use rekey_core::dto::ChangePasswordRequest;
use rekey_core::i18n::{Key, UserKey};
use rekey_core::validation::{FieldError, Rule};

use crate::api::{self, Failure};
use crate::components::alert::ErrorAlert;
use crate::components::field::TextField;
use crate::components::form::Form;
use crate::components::loading::Loading;
use crate::components::new_password::{NewPasswordFields, NewPasswordInput};
use crate::components::page_heading::PageHeading;
use crate::components::user_frame::UserFrame;
use crate::i18n::use_i18n;
use crate::runtime_config::href;
use crate::session::{home_path, use_session};

/// `/account/password`: the form, then a confirmation in its place.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    view! {
        <UserFrame>
            <ChangePasswordBody/>
        </UserFrame>
    }
}

#[component]
fn ChangePasswordBody() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let changed = RwSignal::new(false);
    let home = session
        .info
        .with_untracked(|i| i.as_ref().map(home_path).unwrap_or("/"));
    let done = Callback::new(move |()| {
        changed.set(true);
        leptos::task::spawn_local(session.password_changed());
    });
    view! {
        <div class="card">
            <PageHeading text=Signal::derive(move || i18n.t(UserKey::ChangePassword).to_string())/>
            <Show
                when=move || changed.get()
                fallback=move || view! { <ChangePasswordForm done=done/> }
            >
                <p class="alert alert-ok" role="status">{move || i18n.t(UserKey::PasswordChangedMessage)}</p>
            </Show>
            <p><A href=href(home)>{move || i18n.t(Key::GoHome)}</A></p>
        </div>
    }
}

/// The current password and the new one; `done` runs once the server took it.
#[component]
pub fn ChangePasswordForm(done: Callback<()>) -> impl IntoView {
    // The rules are the signed-in user's (their names, the organisation's policy).
    let rules = RwSignal::new(None);
    let failure = RwSignal::new(None::<Failure>);
    leptos::task::spawn_local(async move {
        match api::password::rules().await {
            Ok(loaded) => rules.set(Some(loaded)),
            Err(f) => failure.set(Some(f)),
        }
    });
    move || match rules.get() {
        Some(rules) => view! { <Fields new=NewPasswordInput::new(rules) done=done/> }.into_any(),
        None => view! {
            <ErrorAlert failure=failure/>
            <Show when=move || failure.with(Option::is_none)>
                <Loading/>
            </Show>
        }
        .into_any(),
    }
}

#[component]
fn Fields(new: NewPasswordInput, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let current = RwSignal::new(String::new());
    let check = move || {
        let mut problems = new.check();
        if current.with(String::is_empty) {
            problems.insert(0, FieldError::new("current_password", Rule::Required));
        }
        problems
    };
    let errors = form.errors(check);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.ready(&check()) {
            let request = ChangePasswordRequest {
                current_password: current.get_untracked(),
                password: new.password.get_untracked(),
                confirm: new.confirm.get_untracked(),
            };
            form.run(
                async move { api::password::change(&request).await },
                move |()| done.run(()),
            );
        }
    };
    view! {
        <form on:submit=submit novalidate>
            <TextField
                field="current_password"
                form=form
                label=UserKey::CurrentPassword
                get=move || current.get()
                set=move |v| current.set(v)
                errors=errors
                input_type=new.input_type()
                autocomplete="current-password"
            />
            <NewPasswordFields new=new form=form errors=errors/>
            <button type="submit" class="primary" disabled=move || form.busy.get()>
                {move || i18n.t(if form.busy.get() { UserKey::ChangingPassword } else { UserKey::ChangePassword })}
            </button>
            <ErrorAlert failure=form.failure/>
        </form>
    }
}
