//! A password an admin sets (a new user's first one, or a reset): generated and shown once, or
//! typed and checked as it is typed; whether to ask for a change at next sign-in.

use leptos::html;
use leptos::prelude::*;
use rekey_core::dto::{AdminPasswordRequest, AdminPasswordResult, PasswordRules};
use rekey_core::i18n::{AdminKey, UserKey};
use rekey_core::validation::{FieldError, Rule};

use crate::components::alert::StatusMessage;
use crate::components::field::{CheckboxField, FieldErrors, RadioOption};
use crate::components::form::Form;
use crate::components::loading::Loading;
use crate::components::new_password::{NewPasswordFields, NewPasswordInput};
use crate::i18n::{use_i18n, Locale};

/// The admin's choices, as the form holds them.
#[derive(Clone, Copy)]
pub(super) struct PasswordDraft {
    pub generate: RwSignal<bool>,
    /// The typed password, once the rules it must meet are known.
    pub typed: RwSignal<Option<NewPasswordInput>>,
    pub require_change: RwSignal<bool>,
    pub email_user: RwSignal<bool>,
}

impl PasswordDraft {
    /// Generate, and require a change: the safe defaults.
    pub fn new() -> PasswordDraft {
        PasswordDraft {
            generate: RwSignal::new(true),
            typed: RwSignal::new(None),
            require_change: RwSignal::new(true),
            email_user: RwSignal::new(false),
        }
    }

    /// The rules a typed password is checked against arrived.
    pub fn rules_known(self, rules: PasswordRules) {
        self.typed.set(Some(NewPasswordInput::new(rules)));
    }

    /// What the rules say of a typed password (nothing when one is generated).
    pub fn check(self) -> Vec<FieldError> {
        if self.generate.get() {
            return Vec::new();
        }
        match self.typed.get() {
            Some(typed) => typed.check(),
            None => vec![FieldError::new("password", Rule::Required)],
        }
    }

    pub fn request(self, lang: Locale) -> AdminPasswordRequest {
        let typed = (!self.generate.get_untracked()).then(|| {
            self.typed
                .get_untracked()
                .map(|typed| typed.password.get_untracked())
                .unwrap_or_default()
        });
        AdminPasswordRequest {
            password: typed,
            require_change: self.require_change.get_untracked(),
            email_user: self.email_user.get_untracked(),
            lang: Some(lang.tag().to_string()),
        }
    }
}

/// Generate or type; the typed password's fields; "Require change at next sign-in"; and, with
/// `offer_email`, emailing it to the user. `errors` are the form's.
#[component]
pub(super) fn PasswordChoice(
    draft: PasswordDraft,
    form: Form,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(optional)] offer_email: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = move || {
        draft.typed.get().map_or_else(
            || view! { <Loading/> }.into_any(),
            |new| view! { <NewPasswordFields new=new form=form errors=errors/> }.into_any(),
        )
    };
    view! {
        <fieldset>
            <legend>{move || i18n.t(UserKey::Password)}</legend>
            <RadioOption
                name="password-mode"
                id="password-generate".to_string()
                label=AdminKey::GeneratePassword
                help=Some(AdminKey::GeneratePasswordHelp.into())
                checked=move || draft.generate.get()
                select=move || draft.generate.set(true)
            />
            <RadioOption
                name="password-mode"
                id="password-type".to_string()
                label=AdminKey::TypePassword
                checked=move || !draft.generate.get()
                select=move || draft.generate.set(false)
            />
        </fieldset>
        <Show when=move || !draft.generate.get()>{typed}</Show>
        <CheckboxField
            id="require-change"
            label=AdminKey::RequireChange
            help=Some(AdminKey::RequireChangeHelp.into())
            get=move || draft.require_change.get()
            set=move |on| draft.require_change.set(on)
        />
        {offer_email
            .then(|| {
                view! {
                    <CheckboxField
                        id="email-user"
                        label=AdminKey::EmailPassword
                        help=Some(AdminKey::EmailPasswordHelp.into())
                        get=move || draft.email_user.get()
                        set=move |on| draft.email_user.set(on)
                    />
                    <FieldErrors field="email_user" errors=errors/>
                }
            })}
    }
}

/// What came of setting a password: `title` (focused, so it is read out), and a generated
/// password shown this once with a way to copy it, and where it was emailed.
#[component]
pub(super) fn PasswordResult(
    #[prop(into)] title: Signal<String>,
    result: AdminPasswordResult,
) -> impl IntoView {
    let i18n = use_i18n();
    let heading = NodeRef::<html::P>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    let emailed = result.emailed_to.map(|to| {
        view! { <p>{move || i18n.format(AdminKey::EmailedTo, &[("email", &to)])}</p> }
    });
    view! {
        <p class="result-title" tabindex="-1" node_ref=heading>{move || title.get()}</p>
        {result.temporary_password.map(|password| view! { <TemporaryPassword password=password/> })}
        {emailed}
    }
}

/// A generated password with a Copy button; the note says it will not be shown again.
#[component]
fn TemporaryPassword(password: String) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<html::Input>::new();
    let copied = RwSignal::new(None::<String>);
    let copy = {
        let password = password.clone();
        move |_| {
            // Selected either way, so it can be copied by hand where the clipboard is not
            // available (a page served over plain http).
            if let Some(input) = input.get() {
                input.select();
            }
            let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
                return;
            };
            if clipboard.is_undefined() {
                return;
            }
            let written = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&password));
            leptos::task::spawn_local(async move {
                if written.await.is_ok() {
                    copied.set(Some(i18n.t(AdminKey::Copied).to_string()));
                }
            });
        }
    };
    view! {
        <div class="temporary-password">
            <label for="temporary-password">{move || i18n.t(AdminKey::TemporaryPassword)}</label>
            <div class="inline-controls">
                <input
                    node_ref=input
                    id="temporary-password"
                    class="secret"
                    readonly
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="temporary-password-note"
                    prop:value=password
                />
                <button type="button" on:click=copy>{move || i18n.t(AdminKey::CopyPassword)}</button>
            </div>
            <p id="temporary-password-note" class="notice">{move || i18n.t(AdminKey::ShownOnce)}</p>
            <StatusMessage message=copied/>
        </div>
    }
}
