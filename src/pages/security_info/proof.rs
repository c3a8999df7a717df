//! "Verify it's you": proof with a registered method before security info may change.

use leptos::prelude::*;
use rekey_core::dto::{ProofRequest, ProofSendRequest, QuestionOption, SecurityInfo};
use rekey_core::i18n::{Key, UserKey};
use rekey_core::security_info::{MethodKind, QuestionAnswer};

use super::questions::AnswersForm;
use super::{held, Store};
use crate::api;
use crate::components::code_entry::{AppCodeForm, CodeSteps, SendThenEnter};
use crate::components::field::RadioOption;
use crate::components::form::Form;
use crate::components::passkey_button::PasskeyButton;
use crate::i18n::{method_name, use_i18n, I18n};
use crate::passkey;

#[component]
pub fn ProofPanel(store: Store, info: SecurityInfo) -> impl IntoView {
    let i18n = use_i18n();
    let kinds = held(&info);
    let choice = RwSignal::new(kinds.first().copied());
    let questions = info.registered_questions;
    view! {
        <section class="card" aria-labelledby="proof-title">
            <h2 id="proof-title">{move || i18n.t(Key::ProofTitle)}</h2>
            <p class="muted">{move || i18n.t(UserKey::ProofIntro)}</p>
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
                            let verify = prove_with_code(store, i18n, form, kind);
                            view! { <AppCodeForm form=form verify=verify/> }.into_any()
                        }
                        MethodKind::SecurityQuestions => {
                            view! { <ProveWithAnswers store=store questions=questions.clone()/> }.into_any()
                        }
                        MethodKind::Passkey => view! { <ProveWithPasskey store=store/> }.into_any(),
                    })
            }}
        </section>
    }
}

/// Proof went through: the session may change security info now, so load it again.
fn proven(store: Store, i18n: I18n) {
    store
        .message
        .set(Some(i18n.t(UserKey::ProofVerified).to_string()));
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
            passkey: None,
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
    let code = CodeSteps::default();
    let send = move || {
        let request = ProofSendRequest {
            kind,
            lang: Some(i18n.locale.get_untracked().tag().to_string()),
        };
        code.send(async move { api::send_proof_code(&request).await });
    };
    view! { <SendThenEnter code=code send=send verify=prove_with_code(store, i18n, code.checking, kind)/> }
}

/// The answers to every registered question.
#[component]
fn ProveWithAnswers(store: Store, questions: Vec<QuestionOption>) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let submit = move |answers: Vec<QuestionAnswer>| {
        let request = ProofRequest {
            kind: MethodKind::SecurityQuestions,
            code: None,
            answers,
            passkey: None,
        };
        form.run(async move { api::prove(&request).await }, move |()| {
            proven(store, i18n)
        });
    };
    view! { <AnswersForm questions=questions form=form submit=submit/> }
}

/// One of the user's passkeys, chosen in the browser's prompt.
#[component]
fn ProveWithPasskey(store: Store) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let run = Callback::new(move |()| {
        form.run(
            async {
                let started = api::proof_passkey_options().await?;
                let request = ProofRequest {
                    kind: MethodKind::Passkey,
                    code: None,
                    answers: Vec::new(),
                    passkey: Some(passkey::answer(started, false).await?),
                };
                api::prove(&request).await
            },
            move |()| proven(store, i18n),
        )
    });
    view! { <PasskeyButton form=form run=run primary=true/> }
}
