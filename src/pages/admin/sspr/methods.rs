//! Authentication methods: how many a reset needs, which users may register, whether locked-out
//! users may unlock without a reset, and how many security questions.

use leptos::prelude::*;
use rekey_core::dto::PasskeyStatus;
use rekey_core::i18n::AdminKey;
use rekey_core::questions::{BuiltInQuestion, CUSTOM_MAX, CUSTOM_MAX_CHARS};
use rekey_core::settings::{AuthMethodsSettings, QUESTIONS_MAX, QUESTIONS_MIN};

use super::SectionHeading;
use crate::api;
use crate::components::field::{FieldErrors, NumberField, RadioOption};
use crate::components::settings_form::{SectionContext, SectionForm};
use crate::i18n::use_i18n;

#[component]
pub fn MethodsSection() -> impl IntoView {
    let i18n = use_i18n();
    // Where passkeys are bound, or that they cannot work at this address.
    let passkeys = RwSignal::new(None::<PasskeyStatus>);
    leptos::task::spawn_local(async move {
        if let Ok(status) = api::passkey_status().await {
            passkeys.set(Some(status));
        }
    });
    let passkey_note = move || {
        passkeys.get().map(|status| match status.relying_party {
            Some(domain) => {
                let text = move || i18n.format(AdminKey::PasskeyDomain, &[("domain", &domain)]);
                view! { <p class="muted">{text}</p> }.into_any()
            }
            None => view! { <p class="notice" role="note">{move || i18n.t(AdminKey::PasskeyNoDomain)}</p> }
                .into_any(),
        })
    };
    view! {
        <SectionHeading key=AdminKey::SectionMethods/>
        <SectionForm fields={move |ctx: SectionContext<AuthMethodsSettings>| {
            let required = move |n: u8| {
                view! {
                    <RadioOption
                        name="methods_required"
                        id=format!("methods-required-{n}")
                        label=if n == 1 { AdminKey::One } else { AdminKey::Two }
                        checked=move || ctx.get(|d| d.methods_required == n)
                        select=move || ctx.set(|d| d.methods_required = n)
                    />
                }
            };
            view! {
                <fieldset class="inline-options">
                    <legend>{move || i18n.t(AdminKey::MethodsRequired)}</legend>
                    {required(1)}
                    {required(2)}
                </fieldset>
                <fieldset aria-describedby="methods-error">
                    <legend>{move || i18n.t(AdminKey::MethodsAvailable)}</legend>
                    {ctx.checkbox("method-passkey", AdminKey::MethodPasskey, None, |d| d.passkey, |d, on| d.passkey = on)}
                    {ctx.checkbox("method-email", AdminKey::MethodEmail, None, |d| d.email, |d, on| d.email = on)}
                    {ctx.checkbox("method-mobile-phone", AdminKey::MethodMobilePhone, None, |d| d.mobile_phone, |d, on| d.mobile_phone = on)}
                    {ctx.checkbox("method-authenticator-app", AdminKey::MethodAuthenticatorApp, None, |d| d.authenticator_app, |d, on| d.authenticator_app = on)}
                    {ctx.checkbox("method-security-questions", AdminKey::MethodSecurityQuestions, None, |d| d.security_questions, |d, on| d.security_questions = on)}
                    <FieldErrors field="methods" errors=ctx.errors/>
                </fieldset>
                <Show when=move || ctx.get(|d| d.passkey)>{passkey_note}</Show>
                // Meaningful only when a passkey could otherwise be one of two.
                <Show when=move || ctx.get(|d| d.passkey && d.methods_required == 2)>
                    {ctx.checkbox("passkey-alone", AdminKey::PasskeyAlone, Some(AdminKey::PasskeyAloneHelp), |d| d.passkey_alone, |d, on| d.passkey_alone = on)}
                </Show>
                {ctx.checkbox("allow-unlock", AdminKey::AllowUnlock, Some(AdminKey::AllowUnlockHelp), |d| d.allow_unlock, |d, on| d.allow_unlock = on)}
                {ctx.checkbox("reset-hints", AdminKey::ResetHints, Some(AdminKey::ResetHintsHelp), |d| d.reset_hints, |d, on| d.reset_hints = on)}
                // The questions' settings under a heading of their own, not under the last checkbox.
                <Show when=move || ctx.get(|d| d.security_questions)>
                    <section class="questions-settings" aria-labelledby="questions-settings-heading">
                        <h3 id="questions-settings-heading">{move || i18n.t(AdminKey::MethodSecurityQuestions)}</h3>
                        {question_count(ctx, "questions_to_register", AdminKey::QuestionsToRegister, |d| d.questions_to_register, |d, n| d.questions_to_register = n)}
                        {question_count(ctx, "questions_to_reset", AdminKey::QuestionsToReset, |d| d.questions_to_reset, |d, n| d.questions_to_reset = n)}
                        <CustomQuestions ctx=ctx/>
                        <BuiltInQuestionList/>
                    </section>
                </Show>
            }
            .into_any()
        }}/>
    }
}

/// A 3-5 count of security questions, bound to one field of the draft.
fn question_count(
    ctx: SectionContext<AuthMethodsSettings>,
    field: &'static str,
    label: AdminKey,
    read: fn(&AuthMethodsSettings) -> u8,
    write: fn(&mut AuthMethodsSettings, u8),
) -> impl IntoView {
    view! {
        <NumberField
            field=field
            label=label
            help=AdminKey::QuestionsHelp
            min=u32::from(QUESTIONS_MIN)
            max=u32::from(QUESTIONS_MAX)
            get=move || u32::from(ctx.get(read))
            // Too large for a u8 still shows as out of range, never as a wrapped number.
            set=move |n| ctx.set(|d| write(d, u8::try_from(n).unwrap_or(u8::MAX)))
            errors=ctx.errors
        />
    }
}

/// The organisation's own questions: edit, add, remove.
#[component]
fn CustomQuestions(ctx: SectionContext<AuthMethodsSettings>) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || ctx.get(|d| d.custom_questions.len());
    // Rows are redrawn only when the count changes, so typing keeps its focus.
    let rows = move || {
        (0..count())
            .map(|index| {
                let number = (index + 1).to_string();
                let label_number = number.clone();
                view! {
                    <li class="question-row">
                        <label class="visually-hidden" for=format!("custom-question-{index}")>
                            {move || i18n.format(AdminKey::CustomQuestionLabel, &[("n", &label_number)])}
                        </label>
                        <input
                            id=format!("custom-question-{index}")
                            type="text"
                            maxlength=CUSTOM_MAX_CHARS
                            prop:value=move || ctx.get(|d| d.custom_questions.get(index).cloned().unwrap_or_default())
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                ctx.set(|d| {
                                    if let Some(question) = d.custom_questions.get_mut(index) {
                                        *question = text;
                                    }
                                });
                            }
                        />
                        <button
                            type="button"
                            on:click=move |_| ctx.set(|d| {
                                if index < d.custom_questions.len() {
                                    d.custom_questions.remove(index);
                                }
                            })
                        >
                            {move || i18n.format(AdminKey::RemoveQuestion, &[("n", &number)])}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="custom-questions" aria-describedby="custom_questions-help custom_questions-error">
            <legend>{move || i18n.t(AdminKey::CustomQuestions)}</legend>
            <p id="custom_questions-help" class="muted">{move || i18n.t(AdminKey::CustomQuestionsHelp)}</p>
            <ol>{rows}</ol>
            <FieldErrors field="custom_questions" errors=ctx.errors/>
            <button
                type="button"
                disabled={move || count() >= CUSTOM_MAX}
                on:click=move |_| ctx.set(|d| d.custom_questions.push(String::new()))
            >
                {move || i18n.t(AdminKey::AddQuestion)}
            </button>
        </fieldset>
    }
}

/// The built-in bank, in the admin's language, for reference.
#[component]
fn BuiltInQuestionList() -> impl IntoView {
    let i18n = use_i18n();
    let count = BuiltInQuestion::all().count().to_string();
    view! {
        <details class="built-in-questions">
            <summary>{move || i18n.format(AdminKey::BuiltInQuestions, &[("count", &count)])}</summary>
            <ol>
                {BuiltInQuestion::all()
                    .map(|q| view! { <li>{move || i18n.locale.get().question(q)}</li> })
                    .collect_view()}
            </ol>
        </details>
    }
}
