//! Step 1: who are you. The browser check starts as the page opens, so it is usually done by
//! the time the name is typed.

use leptos::prelude::*;
use rekey_core::dto::{ResetStarted, StartResetRequest};
use rekey_core::error::ErrorCode;
use rekey_core::i18n::Key;
use rekey_core::spa::RESET_OPENING;
use rekey_core::validation::{check_sign_in, FieldError, Rule};

use super::{passkey_view, Flow};
use crate::api::{self, Failure};
use crate::components::alert::ErrorAlert;
use crate::components::field::{FieldErrors, Label, TextField};
use crate::components::form::Form;
use crate::components::page_heading::PageHeading;
use crate::components::puzzle::{Puzzle, PuzzleStatus};
use crate::embed;
use crate::i18n::use_i18n;
use crate::runtime_config::{href, shows_sign_in};

/// The sign-in name's rules, as the server checks them.
fn check_name(name: &str) -> Vec<FieldError> {
    check_sign_in(name, "-")
        .into_iter()
        .filter(|e| e.field == "sign_in_name")
        .collect()
}

fn puzzle_unsolved(failure: &Failure) -> bool {
    failure.code == ErrorCode::ValidationFailed
        && failure
            .fields
            .iter()
            .any(|f| f.rule == Rule::PuzzleUnsolved)
}

/// Starts the flow with the solved puzzle. A puzzle is good for one start, so a new one is
/// solved after every try; a puzzle the server no longer takes (expired) is replaced and the
/// start tried once more.
async fn start(puzzle: Puzzle, sign_in_name: String) -> Result<ResetStarted, Failure> {
    let mut retried = false;
    loop {
        let solved = puzzle.solution().await?;
        let request = StartResetRequest {
            sign_in_name: sign_in_name.clone(),
            challenge_id: solved.challenge_id,
            nonce: solved.nonce,
        };
        let result = api::reset::start(&request).await;
        if let Err(failure) = &result {
            puzzle.renew();
            if puzzle_unsolved(failure) && !retried {
                retried = true;
                continue;
            }
        }
        return result;
    }
}

#[component]
pub fn Who(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    let puzzle = Puzzle::start();
    let form = Form::default();
    let name = RwSignal::new(String::new());
    let check = move || check_name(&name.get());
    let errors = form.errors(check);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.ready(&check()) {
            let typed = name.get_untracked().trim().to_string();
            form.run(start(puzzle, typed.clone()), move |started| {
                flow.begin(typed, started)
            });
        }
    };
    // "Please correct the highlighted fields" says nothing when the field is the browser check,
    // whose own message shows beside it.
    let failure = Signal::derive(move || form.failure.get().filter(|f| !puzzle_unsolved(f)));
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(RESET_OPENING.title).to_string())/>
        <p class="muted">{move || i18n.t(RESET_OPENING.intro)}</p>
        <form on:submit=submit novalidate>
            <TextField
                field="sign_in_name"
                form=form
                label=Key::SignInName
                help=Some(Label::Key(Key::ResetNameHelp))
                get=move || name.get()
                set=move |v| name.set(v)
                errors=errors
                inputmode="email"
                autocomplete="username"
            />
            <PuzzleStatus puzzle=puzzle/>
            <FieldErrors field="nonce" errors=errors/>
            <button type="submit" class="primary" disabled=move || form.busy.get()>
                {move || i18n.t(if form.busy.get() { Key::PuzzleChecking } else { Key::Next })}
            </button>
            <ErrorAlert failure=failure/>
        </form>
        // The server offers passkeys; whether this browser can is the passkey page's to say.
        <Show when=move || puzzle.passkeys.get()>
            <OrPasskey flow=flow/>
        </Show>
        <LeaveFlow/>
    }
}

/// "or Use a passkey".
#[component]
fn OrPasskey(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="passkey-start">
            <p class="or">{move || i18n.t(Key::PasskeyOr)}</p>
            {passkey_view(|views| views.start, flow)}
        </div>
    }
}

/// The way out of the flow: back to sign-in, or, where a host shows only the reset flow, Cancel
/// inside its frame. Either tells the host page (`rekey:cancelled`).
#[component]
fn LeaveFlow() -> impl IntoView {
    let i18n = use_i18n();
    let cancelled = |_| embed::post(embed::Event::Cancelled);
    if shows_sign_in() {
        view! {
            <p class="signin-help">
                <a href=href("/signin") on:click=cancelled>{move || i18n.t(Key::BackToSignIn)}</a>
            </p>
        }
        .into_any()
    } else if embed::framed() {
        view! {
            <p class="signin-help">
                <button type="button" class="link-button" on:click=cancelled>{move || i18n.t(Key::Cancel)}</button>
            </p>
        }
        .into_any()
    } else {
        ().into_any()
    }
}
