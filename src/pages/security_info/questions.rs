//! Security questions: choosing and answering them, and the answer boxes proof shares.

use leptos::prelude::*;
use rekey_core::dto::{AnswersRequest, QuestionOption};
use rekey_core::i18n::{Key, UserKey};
use rekey_core::security_info::{check_answers, MethodKind, QuestionAnswer, QuestionRef};
use rekey_core::validation::FieldError;

use super::{saved, CancelButton, Store};
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::field::{FieldErrors, Label, TextField};
use crate::components::form::Form;
use crate::i18n::{use_i18n, Locale};

/// A question's text: built-in ones in the user's language, the organisation's own as written.
pub fn question_text(lang: Locale, question: &QuestionOption) -> String {
    match QuestionRef::parse(&question.id) {
        Some(QuestionRef::BuiltIn(builtin)) => lang.question(builtin).to_string(),
        _ => question.text.clone().unwrap_or_else(|| question.id.clone()),
    }
}

/// How many custom questions `questions` refers to (the shared rule checks ids against it).
pub fn custom_count(questions: &[QuestionOption]) -> usize {
    questions
        .iter()
        .filter_map(|q| match QuestionRef::parse(&q.id) {
            Some(QuestionRef::Custom(n)) => Some(n + 1),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// The answer box for `answers[index]`.
pub fn answer_field(
    form: Form,
    answers: RwSignal<Vec<QuestionAnswer>>,
    index: usize,
    label: Signal<String>,
    errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    view! {
        <TextField
            field=format!("answers[{index}].answer")
            id=format!("answer-{index}")
            form=form
            label=Label::Text(label)
            get=move || answers.with(|a| a.get(index).map(|a| a.answer.clone()).unwrap_or_default())
            set=move |text| answers.update(|a| {
                if let Some(item) = a.get_mut(index) {
                    item.answer = text;
                }
            })
            errors=errors
            autocomplete="off"
        />
    }
}

/// Answers to the questions asked (in the order given), checked by the shared rule; `submit`
/// gets them when they look right, and starts its request on `form`.
#[component]
pub fn AnswersForm(
    questions: Vec<QuestionOption>,
    form: Form,
    #[prop(into)] submit: Callback<Vec<QuestionAnswer>>,
) -> impl IntoView {
    let i18n = use_i18n();
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
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.ready(&check()) {
            submit.run(answers.get_untracked());
        }
    };
    view! {
        <form on:submit=on_submit novalidate>
            {questions
                .into_iter()
                .enumerate()
                .map(|(index, question)| {
                    let label = Signal::derive(move || question_text(i18n.locale.get(), &question));
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

#[component]
pub fn QuestionsEditor(store: Store) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let Some(info) = store.info.get_untracked() else {
        return ().into_any();
    };
    let count = info.policy.questions_to_register;
    let bank = info.question_bank;
    let custom = custom_count(&bank);
    let answers = RwSignal::new(vec![
        QuestionAnswer {
            question_id: String::new(),
            answer: String::new(),
        };
        usize::from(count)
    ]);
    let check = move || answers.with(|a| check_answers(a, count, custom));
    let errors = form.errors(check);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.ready(&check()) {
            let request = AnswersRequest {
                answers: answers.get_untracked(),
            };
            form.run(
                async move { api::save_answers(&request).await },
                move |info| saved(store, i18n, info, MethodKind::SecurityQuestions),
            );
        }
    };
    let bank = StoredValue::new(bank);
    view! {
        <form class="editor" on:submit=submit novalidate>
            <p class="muted">
                {move || i18n.format(UserKey::QuestionsIntro, &[("count", &i18n.count(count.into()))])}
            </p>
            {(0..usize::from(count))
                .map(|index| view! { <QuestionRow form=form answers=answers index=index bank=bank errors=errors/> })
                .collect_view()}
            <FieldErrors field="answers" errors=errors/>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || form.busy.get()>
                    {move || i18n.t(if form.busy.get() { Key::Saving } else { Key::Save })}
                </button>
                <CancelButton store=store/>
            </div>
            <ErrorAlert failure=form.failure/>
        </form>
    }
    .into_any()
}

/// One question to choose (a question chosen in another row cannot be chosen again) and its
/// answer.
#[component]
fn QuestionRow(
    form: Form,
    answers: RwSignal<Vec<QuestionAnswer>>,
    index: usize,
    bank: StoredValue<Vec<QuestionOption>>,
    errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let n = (index + 1).to_string();
    let field = format!("answers[{index}].question_id");
    let select_id = format!("question-{index}");
    let chosen = move || {
        answers.with(|a| {
            a.get(index)
                .map(|a| a.question_id.clone())
                .unwrap_or_default()
        })
    };
    let taken_elsewhere = move |id: &str| {
        answers.with(|a| {
            a.iter()
                .enumerate()
                .any(|(i, a)| i != index && a.question_id == id)
        })
    };
    let invalid = {
        let field = field.clone();
        move || errors.get().iter().any(|e| e.field == field).to_string()
    };
    let question_label = {
        let n = n.clone();
        move || i18n.format(UserKey::QuestionN, &[("n", &n)])
    };
    let answer_label = Signal::derive(move || i18n.format(UserKey::AnswerN, &[("n", &n)]));
    view! {
        <div class="question-pick">
            <div class="field">
                <label for=select_id.clone()>{question_label}</label>
                <select
                    id=select_id
                    aria-describedby=format!("{field}-error")
                    aria-invalid=invalid
                    on:change={
                        let field = field.clone();
                        move |ev| {
                            let id = event_target_value(&ev);
                            answers.update(|a| {
                                if let Some(item) = a.get_mut(index) {
                                    item.question_id = id;
                                }
                            });
                            form.touch(&field);
                        }
                    }
                >
                    <option value="" selected=move || chosen().is_empty()>
                        {move || i18n.t(UserKey::ChooseQuestion)}
                    </option>
                    {bank
                        .get_value()
                        .into_iter()
                        .map(|question| {
                            let id = question.id.clone();
                            let for_selected = id.clone();
                            let for_disabled = id.clone();
                            view! {
                                <option
                                    value=id
                                    selected=move || chosen() == for_selected
                                    disabled=move || taken_elsewhere(&for_disabled)
                                >
                                    {move || question_text(i18n.locale.get(), &question)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldErrors field=field errors=errors/>
            </div>
            {answer_field(form, answers, index, answer_label, errors)}
        </div>
    }
}
