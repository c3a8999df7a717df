//! Choosing a new password (the reset flow, a change while signed in, the forced change): the
//! password and its confirmation, a strength meter, and the organisation's rules checked as it
//! is typed, the same rules the server applies.

use leptos::prelude::*;
use rekey_core::dto::PasswordRules;
use rekey_core::i18n::Key;
use rekey_core::password::{strength, MIN_LENGTH_FLOOR};
use rekey_core::validation::{FieldError, Rule};

use crate::components::field::{CheckboxField, Label, TextField};
use crate::components::form::Form;
use crate::components::strength_meter::StrengthMeter;
use crate::i18n::use_i18n;

/// What is typed, and the rules it is checked against.
#[derive(Clone, Copy)]
pub struct NewPasswordInput {
    pub password: RwSignal<String>,
    pub confirm: RwSignal<String>,
    /// "Show passwords": the form's other password fields follow it too.
    pub shown: RwSignal<bool>,
    rules: StoredValue<PasswordRules>,
}

impl NewPasswordInput {
    pub fn new(rules: PasswordRules) -> NewPasswordInput {
        NewPasswordInput {
            password: RwSignal::new(String::new()),
            confirm: RwSignal::new(String::new()),
            shown: RwSignal::new(false),
            rules: StoredValue::new(rules),
        }
    }

    /// Every broken rule of what is typed; history only the server can check.
    pub fn check(self) -> Vec<FieldError> {
        self.password.with(|password| {
            self.confirm
                .with(|confirm| self.rules.with_value(|r| r.check(password, confirm)))
        })
    }

    /// The input type of every password field of the form: shown or hidden together.
    pub fn input_type(self) -> Signal<&'static str> {
        Signal::derive(move || if self.shown.get() { "text" } else { "password" })
    }
}

/// The new password and its confirmation, with the strength meter and the show toggle.
/// `errors` are the form's (the fields are `password` and `confirm`, as the API names them).
#[component]
pub fn NewPasswordFields(
    new: NewPasswordInput,
    form: Form,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (min, classes, history, context) = new.rules.with_value(|r| {
        let min = usize::from(r.policy.min_length).max(MIN_LENGTH_FLOOR);
        let classes = r.policy.require_character_classes;
        (min, classes, r.directory_history, r.context())
    });
    let context = StoredValue::new(context);
    let meter = Signal::derive(move || {
        new.password
            .with(|p| (!p.is_empty()).then(|| context.with_value(|c| strength(p, c))))
    });
    let min = min.to_string();
    let help = Signal::derive(move || {
        let mut help = i18n.format(Key::NewPasswordHelp, &[("min", &min)]);
        // The rule's own words say what the character-class rule wants.
        if classes {
            help = format!(
                "{help} {}",
                i18n.locale.get().rule(Rule::MissingCharacterClasses)
            );
        }
        if history > 0 {
            let count = history.to_string();
            let more = i18n.format(Key::DirectoryHistoryHelp, &[("count", &count)]);
            help = format!("{help} {more}");
        }
        help
    });
    view! {
        <TextField
            field="password"
            form=form
            label=Key::NewPassword
            help=Some(Label::Text(help))
            get=move || new.password.get()
            set=move |v| new.password.set(v)
            errors=errors
            input_type=new.input_type()
            autocomplete="new-password"
        />
        <StrengthMeter strength=meter/>
        <TextField
            field="confirm"
            form=form
            label=Key::ConfirmPassword
            get=move || new.confirm.get()
            set=move |v| new.confirm.set(v)
            errors=errors
            input_type=new.input_type()
            autocomplete="new-password"
        />
        <CheckboxField
            id="show-passwords"
            label=Key::ShowPasswords
            help=None
            get=move || new.shown.get()
            set=move |on| new.shown.set(on)
        />
    }
}
