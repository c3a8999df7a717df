//! Form fields with their inline, announced errors.

use leptos::prelude::*;
use rekey_core::i18n::{AdminKey, Key, UserKey};
use rekey_core::validation::FieldError;

use crate::components::form::Form;
use crate::i18n::{use_i18n, I18n};

/// Inline messages for one field, tied to it by `aria-describedby="{id}-error"`; `id` is the
/// field's name unless two fields of one name share a page.
#[component]
pub fn FieldErrors(
    #[prop(into)] field: String,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.unwrap_or_else(|| field.clone());
    view! {
        <div id=format!("{id}-error") class="field-error" aria-live="polite">
            {move || {
                errors
                    .get()
                    .into_iter()
                    .filter(|e| e.field == field)
                    .map(|e| view! { <p>{i18n.locale.get().rule(e.rule)}</p> })
                    .collect_view()
            }}
        </div>
    }
}

/// A field's label: a UI string, or text that comes with the data (a security question).
#[derive(Clone, Copy)]
pub enum Label {
    Key(Key),
    Text(Signal<String>),
}

impl From<Key> for Label {
    fn from(key: Key) -> Label {
        Label::Key(key)
    }
}

/// An admin centre string, looked up where the label is made, so the field components never
/// link the admin table into the user bundle.
impl From<AdminKey> for Label {
    fn from(key: AdminKey) -> Label {
        let i18n = use_i18n();
        Label::Text(Signal::derive(move || i18n.t(key).to_string()))
    }
}

/// The same for the user pages' own strings, which the reset bundle never links.
impl From<UserKey> for Label {
    fn from(key: UserKey) -> Label {
        let i18n = use_i18n();
        Label::Text(Signal::derive(move || i18n.t(key).to_string()))
    }
}

impl From<Signal<String>> for Label {
    fn from(text: Signal<String>) -> Label {
        Label::Text(text)
    }
}

impl Label {
    pub fn text(self, i18n: I18n) -> String {
        match self {
            Label::Key(key) => i18n.t(key).to_string(),
            Label::Text(text) => text.get(),
        }
    }
}

/// A labelled text input. `field` is the API's field name, so the server's and the page's
/// verdicts land on the same input; `get` and `set` bind it to any part of any signal. `id`
/// tells apart two fields of one name on a page; `form` hears when the field is left changed.
/// `input_type` may change while the field is shown (a password shown or hidden). With
/// `focus`, the input takes focus when it appears (it appeared because the person asked for it,
/// e.g. the box for a code just sent).
#[component]
pub fn TextField(
    #[prop(into)] field: String,
    #[prop(into)] label: Label,
    get: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + 'static,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(into, default = Signal::stored("text"))] input_type: Signal<&'static str>,
    autocomplete: &'static str,
    #[prop(default = "text")] inputmode: &'static str,
    #[prop(optional_no_strip)] help: Option<Label>,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional)] form: Option<Form>,
    #[prop(optional)] focus: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    if focus {
        Effect::new(move |_| {
            if let Some(input) = input.get() {
                let _ = input.focus();
            }
        });
    }
    let input_id = id.clone().unwrap_or_else(|| field.replace('_', "-"));
    let id = id.unwrap_or_else(|| field.clone());
    let described_by = match help {
        Some(_) => format!("{id}-help {id}-error"),
        None => format!("{id}-error"),
    };
    let invalid = {
        let field = field.clone();
        move || errors.get().iter().any(|e| e.field == field).to_string()
    };
    view! {
        <div class="field">
            <label for=input_id.clone()>{move || label.text(i18n)}</label>
            {help.map(|help| view! { <p id=format!("{id}-help") class="muted">{move || help.text(i18n)}</p> })}
            <input
                node_ref=input
                id=input_id
                name=field.clone()
                type=move || input_type.get()
                inputmode=inputmode
                autocomplete=autocomplete
                autocapitalize="none"
                spellcheck="false"
                aria-describedby=described_by
                aria-invalid=invalid
                prop:value=get
                on:input=move |ev| set(event_target_value(&ev))
                on:change={
                    let field = field.clone();
                    move |_| {
                        if let Some(form) = form {
                            form.touch(&field);
                        }
                    }
                }
            />
            <FieldErrors field=field errors=errors id=id/>
        </div>
    }
}

/// A checkbox with its label and an optional line of help; `disabled` greys it out (a choice
/// this admin may not make).
#[component]
pub fn CheckboxField(
    #[prop(into)] id: String,
    #[prop(into)] label: Label,
    help: Option<Label>,
    get: impl Fn() -> bool + Send + Sync + 'static,
    set: impl Fn(bool) + 'static,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let help_id = format!("{id}-help");
    view! {
        <div class="check-option">
            <input
                type="checkbox"
                id=id.clone()
                aria-describedby=help.map(|_| help_id.clone())
                disabled=move || disabled.get()
                prop:checked=get
                on:change=move |ev| set(event_target_checked(&ev))
            />
            <label for=id>{move || label.text(i18n)}</label>
            {help.map(|help| view! { <p id=help_id class="muted">{move || help.text(i18n)}</p> })}
        </div>
    }
}

/// A whole-number input. Text that is not a number leaves the value as it was.
#[component]
pub fn NumberField(
    field: &'static str,
    label: AdminKey,
    #[prop(optional)] help: Option<AdminKey>,
    min: u32,
    max: u32,
    get: impl Fn() -> u32 + Send + Sync + 'static,
    set: impl Fn(u32) + 'static,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field.replace('_', "-");
    let invalid = move || errors.get().iter().any(|e| e.field == field).to_string();
    let described_by = match help {
        Some(_) => format!("{field}-help {field}-error"),
        None => format!("{field}-error"),
    };
    view! {
        <div class="field number-field">
            <label for=id.clone()>{move || i18n.t(label)}</label>
            {help.map(|help| view! { <p id=format!("{field}-help") class="muted">{move || i18n.t(help)}</p> })}
            <input
                id=id
                name=field
                type="number"
                inputmode="numeric"
                min=min
                max=max
                aria-describedby=described_by
                aria-invalid=invalid
                prop:value=move || get().to_string()
                on:input=move |ev| {
                    if let Ok(number) = event_target_value(&ev).trim().parse::<u32>() {
                        set(number);
                    }
                }
            />
            <FieldErrors field=field errors=errors/>
        </div>
    }
}

/// One radio button of a group, with its label and an optional line of help.
#[component]
pub fn RadioOption(
    name: &'static str,
    id: String,
    #[prop(into)] label: Label,
    #[prop(optional_no_strip)] help: Option<Label>,
    checked: impl Fn() -> bool + Send + Sync + 'static,
    select: impl Fn() + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let help_id = format!("{id}-help");
    view! {
        <div class="radio-option">
            <input
                type="radio"
                name=name
                id=id.clone()
                aria-describedby=help.map(|_| help_id.clone())
                prop:checked=checked
                on:change=move |_| select()
            />
            <label for=id>{move || label.text(i18n)}</label>
            {help.map(|help| view! { <p id=help_id class="muted">{move || help.text(i18n)}</p> })}
        </div>
    }
}
