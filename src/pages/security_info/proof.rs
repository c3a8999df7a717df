//! "Verify it's you": proof with a registered method before security info may change.

use leptos::prelude::*;
use rekey_core::dto::{CodeSent, ProofRequest, ProofSendRequest, QuestionOption, SecurityInfo};
use rekey_core::i18n::Key;
use rekey_core::security_info::{check_answers, MethodKind, QuestionAnswer, APP_CODE_DIGITS};

use super::questions::{answer_field, custom_count, question_text};
use super::{held, Store};
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::code_entry::{CodeForm, SentCodeForm};
use crate::components::field::{FieldErrors, RadioOption};
use crate::components::form::Form;
use crate::i18n::{method_name, use_i18n, I18n};

#[component]
pub fn ProofPanel(store: Store, info: SecurityInfo) -> impl IntoView {
    let i18n = use_i18n();
    let kinds = held(&info);
    let choice = RwSignal::new(kinds.first().copied());
    let questions = info.registered_questions;
    view! {
        <section class="card" aria-labelledby="proof-title">
            <h2 id="proof-title">{move || i18n.t(Key::ProofTitle)}</h2>
            <p class="muted">{move || i18n.t(Key::ProofIntro)}</p>
            <fieldset>
                <legend>{move || i18n.t(Key::ProofChoose)}</legend>
                {kinds
                    .into_iter()
                    .map(|kind| {
                        view! {
                            <RadioOption
                                name="proof-method"
                                id=format!("proof-{}", kind.as_str())
                                label=method_name(kind)
                                checked=move || choice.get() == Some(kind)
                                select=move || choice.set(Some(kind))
                            />
                        }
                    })
                    .collect_view()}
            </fieldset>
            {move || {
                choice
                    .get()
                    .map(|kind| match kind {
                        MethodKind::Email | MethodKind::MobilePhone => {
                            view! { <ProveWithSentCode store=store kind=kind/> }.into_any()
                        }
                        MethodKind::AuthenticatorApp => {
                            let form = Form::default();
                            view! {
                                <CodeForm
                                    digits=APP_CODE_DIGITS
                                    form=form
                                    help=Key::AppCodeHelp
                                    verify=prove_with_code(store, i18n, form, kind)
                                />
                            }
                                .into_any()
                        }
                        MethodKind::SecurityQuestions => {
                            view! { <ProveWithAnswers store=store questions=questions.clone()/> }.into_any()
                        }
                    })
            }}
        </section>
    }
}

/// Proof went through: the session may change security info now, so load it again.
fn proven(store: Store, i18n: I18n) {
    store
        .message
        .set(Some(i18n.t(Key::ProofVerified).to_string()));
    store.reload();
}

/// Sends a code as proof with `kind`.
fn prove_with_code(
    store: Store,
    i18n: I18n,
    form: Form,
    kind: MethodKind,
) -> impl Fn(String) + Copy + Send + Sync + 'static {
    move |code| {
        let request = ProofRequest {
            kind,
            code: Some(code),
            answers: Vec::new(),
        };
        form.run(async move { api::prove(&request).await }, move |()| {
            proven(store, i18n)
        });
    }
}

/// A code sent to the registered address or number.
#[component]
fn ProveWithSentCode(store: Store, kind: MethodKind) -> impl IntoView {
    let i18n = use_i18n();
    let send_form = Form::default();
    let code_form = Form::default();
    let sent = RwSignal::new(None::<CodeSent>);
    let send = move || {
        let request = ProofSendRequest {
            kind,
            lang: Some(i18n.lang.get_untracked().tag().to_string()),
        };
        send_form.run(
            async move { api::send_proof_code(&request).await },
            move |code| sent.set(Some(code)),
        );
    };
    view! {
        {move || match sent.get() {
            None => {
                view! {
                    <button type="button" class="primary" disabled=move || send_form.busy.get() on:click=move |_| send()>
                        {move || i18n.t(if send_form.busy.get() { Key::Sending } else { Key::SendCode })}
                    </button>
                }
                    .into_any()
            }
            Some(code) => {
                view! {
                    <SentCodeForm
                        sent=code
                        form=code_form
                        verify=prove_with_code(store, i18n, code_form, kind)
                        resend=move |()| send()
                        sending=send_form.busy
                    />
                }
                    .into_any()
            }
        }}
        <ErrorAlert failure=send_form.failure/>
    }
}

/// The answers to every registered question.
#[component]
fn ProveWithAnswers(store: Store, questions: Vec<QuestionOption>) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let count = u8::try_from(questions.len()).unwrap_or(u8::MAX);
    let custom = custom_count(&questions);
    let answers = RwSignal::new(
        questions
            .iter()
            .map(|q| QuestionAnswer {
                question_id: q.id.clone(),
                answer: String::new(),
            })
            .collect::<Vec<_>>(),
    );
    let check = move || answers.with(|a| check_answers(a, count, custom));
    let errors = form.errors(check);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.ready(&check()) {
            let request = ProofRequest {
                kind: MethodKind::SecurityQuestions,
                code: None,
                answers: answers.get_untracked(),
            };
            form.run(async move { api::prove(&request).await }, move |()| {
                proven(store, i18n)
            });
        }
    };
    view! {
        <form on:submit=submit novalidate>
            {questions
                .into_iter()
                .enumerate()
                .map(|(index, question)| {
                    let label = Signal::derive(move || question_text(i18n.lang.get(), &question));
                    answer_field(form, answers, index, label, errors)
                })
                .collect_view()}
            <FieldErrors field="answers" errors=errors/>
            <button type="submit" class="primary" disabled=move || form.busy.get()>
                {move || i18n.t(if form.busy.get() { Key::Verifying } else { Key::Verify })}
            </button>
            <ErrorAlert failure=form.failure/>
        </form>
    }
}
