//! Step 3: prove it's you, with as many different methods as the policy asks. Each step lists
//! the methods not used yet (where a code would go); the person picks one and completes it.

use leptos::html;
use leptos::prelude::*;
use rekey_core::dto::{
    GateStartRequest, GateStarted, GateVerifyRequest, QuestionOption, ResetState,
};
use rekey_core::error::ErrorCode;
use rekey_core::i18n::Key;
use rekey_core::security_info::{MethodKind, QuestionAnswer};

use super::{passkey_view, release_focus, Flow};
use crate::api::{self, Failure};
use crate::components::alert::ErrorAlert;
use crate::components::code_entry::{
    AppCodeForm, CodeSteps, Destination, SendThenEnter, TypeThenEnter, EMAIL, PHONE,
};
use crate::components::field::{Label, RadioOption};
use crate::components::form::Form;
use crate::components::loading::Loading;
use crate::components::page_heading::PageHeading;
use crate::i18n::{method_name, use_i18n, I18n, Locale};
use crate::pages::security_info::AnswersForm;

/// The whole number on file must be typed; a code goes only if it matches.
const FULL_PHONE: Destination = Destination {
    help: Key::GatePhoneHelp,
    ..PHONE
};

/// Likewise the whole email address, unless the organisation shows hints.
const FULL_EMAIL: Destination = Destination {
    help: Key::GateEmailHelp,
    ..EMAIL
};

#[component]
pub fn Gates(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    let Some(state) = flow.state.get_untracked() else {
        return ().into_any();
    };
    let step = state.gates_passed.len() as u64 + 1;
    let count = u64::from(state.gates_required);
    let choice = RwSignal::new(state.options.first().map(|o| o.kind));
    // A hint means the organisation shows where the email code goes: nothing to type.
    let email_hinted = state
        .options
        .iter()
        .any(|o| o.kind == MethodKind::Email && o.hint.is_some());
    let options = state
        .options
        .into_iter()
        .map(|option| {
            let kind = option.kind;
            let hint = option.hint.map(|hint| Label::Text(Signal::stored(hint)));
            view! {
                <RadioOption
                    name="gate"
                    id=format!("gate-{}", kind.as_str())
                    label=method_name(kind)
                    help=hint
                    checked=move || choice.get() == Some(kind)
                    select=move || choice.set(Some(kind))
                />
            }
        })
        .collect_view();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::ProofTitle).to_string())/>
        <p class="step">{move || i18n.format(Key::StepOf, &[("n", &i18n.count(step)), ("count", &i18n.count(count))])}</p>
        <fieldset class="radio-cards">
            <legend>{move || i18n.t(Key::ProofChoose)}</legend>
            {options}
        </fieldset>
        {move || choice.get().map(|kind| view! { <Gate flow=flow kind=kind email_hinted=email_hinted/> })}
    }
    .into_any()
}

/// The chosen method's steps.
#[component]
fn Gate(flow: Flow, kind: MethodKind, email_hinted: bool) -> impl IntoView {
    let i18n = use_i18n();
    let panel = match kind {
        MethodKind::Email if email_hinted => view! { <EmailGate flow=flow/> }.into_any(),
        MethodKind::Email => {
            view! { <TypedGate flow=flow kind=kind destination=&FULL_EMAIL message=Key::GateEmailSent/> }
                .into_any()
        }
        MethodKind::MobilePhone => {
            view! { <TypedGate flow=flow kind=kind destination=&FULL_PHONE message=Key::GatePhoneSent/> }
                .into_any()
        }
        MethodKind::AuthenticatorApp => {
            let form = Form::default();
            let verify = check_code(flow, i18n, form, kind);
            view! { <AppCodeForm form=form verify=verify/> }.into_any()
        }
        MethodKind::SecurityQuestions => view! { <QuestionsGate flow=flow/> }.into_any(),
        // In the reset bundle, the flow goes on in the user bundle, which runs passkeys.
        MethodKind::Passkey => passkey_view(|views| views.gate, flow),
    };
    view! { <div class="gate">{panel}</div> }
}

/// Starts the gate `kind` on `form` (sends the code, or picks the questions); `done` gets the
/// answer.
fn start_gate(
    flow: Flow,
    lang: Locale,
    form: Form,
    kind: MethodKind,
    typed: Option<String>,
    done: impl FnOnce(GateStarted) + 'static,
) {
    let (phone, email) = match kind {
        MethodKind::MobilePhone => (typed, None),
        _ => (None, typed),
    };
    let request = GateStartRequest {
        kind,
        phone,
        email,
        lang: Some(lang.tag().to_string()),
    };
    flow.run(
        form,
        move |token| async move { api::reset::start_gate(&token, &request).await },
        done,
    );
}

/// Checks `request` on `form`; a pass moves the flow on ("Email verified."), and a failure is
/// handed to `failed` as well as shown.
fn verify(
    flow: Flow,
    i18n: I18n,
    form: Form,
    request: GateVerifyRequest,
    failed: impl FnOnce(&Failure) + 'static,
) {
    let kind = request.kind;
    flow.run(
        form,
        move |token| async move {
            let result = api::reset::verify_gate(&token, &request).await;
            if let Err(failure) = &result {
                failed(failure);
            }
            result
        },
        passed(flow, i18n, kind),
    );
}

/// A gate passed: "Email verified.", and on.
pub(super) fn passed(
    flow: Flow,
    i18n: I18n,
    kind: MethodKind,
) -> impl FnOnce(ResetState) + 'static {
    move |state| {
        let method = i18n.t(method_name(kind));
        flow.message
            .set(Some(i18n.format(Key::GatePassed, &[("method", method)])));
        flow.advance(state);
    }
}

/// Checks a typed code for the gate `kind`.
fn check_code(
    flow: Flow,
    i18n: I18n,
    form: Form,
    kind: MethodKind,
) -> impl Fn(String) + Copy + Send + Sync + 'static {
    move |code| {
        let request = GateVerifyRequest {
            kind,
            code: Some(code),
            answers: Vec::new(),
            passkey: None,
        };
        verify(flow, i18n, form, request, |_| ());
    }
}

/// A code to the email address on file, whose hint the organisation shows.
#[component]
fn EmailGate(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    let code = CodeSteps::default();
    let kind = MethodKind::Email;
    let send = move || {
        let lang = i18n.locale.get_untracked();
        start_gate(flow, lang, code.sending, kind, None, move |started| {
            code.sent.set(started.code)
        });
    };
    view! { <SendThenEnter code=code send=send verify=check_code(flow, i18n, code.checking, kind)/> }
}

/// The full mobile number or email address typed, then a code sent to it if it is the one on
/// file (the answer is the same either way).
#[component]
fn TypedGate(
    flow: Flow,
    kind: MethodKind,
    destination: &'static Destination,
    message: Key,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let code = CodeSteps::default();
    let send = move || {
        let typed = (destination.normalize)(&typed.get_untracked());
        let lang = i18n.locale.get_untracked();
        start_gate(
            flow,
            lang,
            code.sending,
            kind,
            Some(typed),
            move |started| code.sent.set(started.code),
        );
    };
    let field = match kind {
        MethodKind::MobilePhone => "phone",
        _ => "email",
    };
    view! {
        <TypeThenEnter
            destination=destination
            field=field
            id=format!("typed-{field}")
            typed=typed
            code=code
            send=send
            verify=check_code(flow, i18n, code.checking, kind)
            message=message
        />
    }
}

/// The security questions the server picked. A wrong answer means a new selection: the new
/// questions show, with what went wrong above them.
#[component]
fn QuestionsGate(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    let picking = Form::default();
    let questions = RwSignal::new(None::<Vec<QuestionOption>>);
    let wrong = RwSignal::new(None::<Failure>);
    let same_again = RwSignal::new(false);
    let kind = MethodKind::SecurityQuestions;
    let pick = move || {
        let lang = i18n.locale.get_untracked();
        start_gate(flow, lang, picking, kind, None, move |started| {
            let ids = |asked: &[QuestionOption]| {
                let mut ids: Vec<String> = asked.iter().map(|q| q.id.clone()).collect();
                ids.sort();
                ids
            };
            let before = questions.with_untracked(|asked| asked.as_deref().map(ids));
            let fresh = started.state.questions;
            // Only "different questions" when they are: a user with as many questions as are
            // asked gets the same ones back, in another order.
            same_again.set(before == Some(ids(&fresh)));
            questions.set(Some(fresh));
        });
    };
    pick();
    let asked = move || {
        questions.get().map(|asked| {
            let form = Form::default();
            let submit = move |answers: Vec<QuestionAnswer>| {
                let request = GateVerifyRequest {
                    kind,
                    code: None,
                    answers,
                    passkey: None,
                };
                verify(flow, i18n, form, request, move |failure| {
                    if matches!(
                        failure.code,
                        ErrorCode::VerificationFailed | ErrorCode::CodeExpired
                    ) {
                        release_focus();
                        wrong.set(Some(failure.clone()));
                        pick();
                    }
                });
            };
            view! {
                <NewQuestionsNote wrong=wrong same=same_again.get_untracked()/>
                <p class="muted">{move || i18n.t(Key::GateQuestionsIntro)}</p>
                <AnswersForm questions=asked form=form submit=submit/>
            }
        })
    };
    view! {
        <Show when=move || picking.busy.get()>
            <Loading/>
        </Show>
        <ErrorAlert failure=picking.failure/>
        {asked}
    }
}

/// After a wrong answer: what went wrong, and that these are new questions or the same ones
/// again (`same`). It takes focus, since the form it replaced had it.
#[component]
fn NewQuestionsNote(wrong: RwSignal<Option<Failure>>, same: bool) -> impl IntoView {
    let i18n = use_i18n();
    let note = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(note) = note.get() {
            let _ = note.focus();
        }
    });
    wrong.get_untracked().map(|_| {
        view! {
            <div class="new-questions" tabindex="-1" node_ref=note>
                <ErrorAlert failure=wrong/>
                <p class="notice">{move || i18n.t(if same { Key::GateSameQuestions } else { Key::GateNewQuestions })}</p>
            </div>
        }
    })
}
