//! Authentication methods: how many a reset needs, which users may register, and how many
//! security questions.

use leptos::prelude::*;
use rekey_core::i18n::Key;
use rekey_core::settings::{AuthMethodsSettings, QUESTIONS_MAX, QUESTIONS_MIN};

use super::SectionHeading;
use crate::components::field::{CheckboxField, FieldErrors, NumberField, RadioOption};
use crate::components::settings_form::{SectionContext, SectionForm};
use crate::i18n::use_i18n;

#[component]
pub fn MethodsSection() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <SectionHeading key=Key::SectionMethods/>
        <SectionForm fields={move |ctx: SectionContext<AuthMethodsSettings>| {
            let required = move |n: u8| {
                view! {
                    <RadioOption
                        name="methods_required"
                        id=format!("methods-required-{n}")
                        label=if n == 1 { Key::One } else { Key::Two }
                        checked=move || ctx.get(|d| d.methods_required == n)
                        select=move || ctx.set(|d| d.methods_required = n)
                    />
                }
            };
            view! {
                <fieldset class="inline-options">
                    <legend>{move || i18n.t(Key::MethodsRequired)}</legend>
                    {required(1)}
                    {required(2)}
                </fieldset>
                <fieldset aria-describedby="methods-error">
                    <legend>{move || i18n.t(Key::MethodsAvailable)}</legend>
                    <CheckboxField
                        id="method-email"
                        label=Key::MethodEmail
                        get=move || ctx.get(|d| d.email)
                        set=move |on| ctx.set(|d| d.email = on)
                    />
                    <CheckboxField
                        id="method-mobile-phone"
                        label=Key::MethodMobilePhone
                        get=move || ctx.get(|d| d.mobile_phone)
                        set=move |on| ctx.set(|d| d.mobile_phone = on)
                    />
                    <CheckboxField
                        id="method-authenticator-app"
                        label=Key::MethodAuthenticatorApp
                        get=move || ctx.get(|d| d.authenticator_app)
                        set=move |on| ctx.set(|d| d.authenticator_app = on)
                    />
                    <CheckboxField
                        id="method-security-questions"
                        label=Key::MethodSecurityQuestions
                        get=move || ctx.get(|d| d.security_questions)
                        set=move |on| ctx.set(|d| d.security_questions = on)
                    />
                    <FieldErrors field="methods" errors=ctx.errors/>
                </fieldset>
                <Show when=move || ctx.get(|d| d.security_questions)>
                    <NumberField
                        field="questions_to_register"
                        label=Key::QuestionsToRegister
                        help=Key::QuestionsHelp
                        min=u32::from(QUESTIONS_MIN)
                        max=u32::from(QUESTIONS_MAX)
                        get=move || u32::from(ctx.get(|d| d.questions_to_register))
                        set=move |n| ctx.set(|d| d.questions_to_register = u8::try_from(n).unwrap_or(u8::MAX))
                        errors=ctx.errors
                    />
                    <NumberField
                        field="questions_to_reset"
                        label=Key::QuestionsToReset
                        help=Key::QuestionsHelp
                        min=u32::from(QUESTIONS_MIN)
                        max=u32::from(QUESTIONS_MAX)
                        get=move || u32::from(ctx.get(|d| d.questions_to_reset))
                        set=move |n| ctx.set(|d| d.questions_to_reset = u8::try_from(n).unwrap_or(u8::MAX))
                        errors=ctx.errors
                    />
                </Show>
            }
            .into_any()
        }}/>
    }
}
