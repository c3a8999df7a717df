//! Sign-in, for admins and users alike.

use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::{use_navigate, use_query_map};
use rekey_core::dto::{PasskeyOptions, PasskeySignInRequest, SessionInfo, SignInRequest};
use rekey_core::error::ErrorCode;
use rekey_core::i18n::{Key, UserKey};
use rekey_core::spa::SIGN_IN_OPENING;
use rekey_core::validation::check_sign_in;

use crate::api::{self, Failure};
use crate::components::alert::ErrorAlert;
use crate::components::countdown::countdown;
use crate::components::field::TextField;
use crate::components::loading::Loading;
use crate::components::page_heading::PageHeading;
use crate::components::user_frame::PublicFrame;
use crate::i18n::use_i18n;
use crate::passkey;
use crate::runtime_config::{href, shows, Area};
use crate::session::{
    forget_registration_handled, home_path, through_interrupts, use_session, AuthState,
};

/// `/`: send people where they belong once we know who they are.
#[component]
pub fn Landing() -> impl IntoView {
    let session = use_session();
    move || match session.state.get() {
        AuthState::Checking => view! { <Loading/> }.into_any(),
        AuthState::SignedOut => view! { <Redirect path="/signin"/> }.into_any(),
        AuthState::SignedIn => {
            let path = session
                .info
                .with(|i| i.as_ref().map(home_path).unwrap_or("/signin"));
            view! { <Redirect path=path/> }.into_any()
        }
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    // Filled in when the person comes from a finished reset (`?name=`): the password is next.
    let given = use_query_map()
        .with_untracked(|q| q.get("name"))
        .unwrap_or_default();
    let prefilled = !given.is_empty();
    let name = RwSignal::new(given);
    let password = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    // Seconds left on a lockout the last attempt met (a new attempt starts a new count).
    let locked = RwSignal::new(None::<u64>);
    // The same shape rules the server applies, shown once the person has tried to submit.
    let field_errors = Signal::derive(move || {
        if attempted.get() {
            check_sign_in(&name.get(), &password.get())
        } else {
            Vec::new()
        }
    });

    let signed_in = {
        let navigate = navigate.clone();
        move |info: SessionInfo| {
            forget_registration_handled();
            let path = through_interrupts(&info, home_path(&info));
            session.set(info);
            navigate(&path, Default::default());
        }
    };
    // Passkeys: offered while this browser can use them and the server says the organisation
    // allows them here. The browser also offers them among the name field's suggestions; one
    // picked signs in at once.
    let passkeys = RwSignal::new(passkey::supported(false));
    let waiting = RwSignal::new(false);
    if passkeys.get_untracked() {
        let signed_in = signed_in.clone();
        leptos::task::spawn_local(async move {
            match api::passkey_sign_in_options().await {
                Err(f)
                    if matches!(
                        f.code,
                        ErrorCode::Forbidden | ErrorCode::PasskeysUnavailable
                    ) =>
                {
                    passkeys.set(false)
                }
                Ok(started) if passkey::conditional_available().await => {
                    if let Ok(info) = with_passkey(i18n, started, true).await {
                        signed_in(info);
                    }
                }
                _ => {}
            }
        });
    }
    let passkey_button = {
        let signed_in = signed_in.clone();
        move |_| {
            if waiting.get_untracked() {
                return;
            }
            waiting.set(true);
            failure.set(None);
            let signed_in = signed_in.clone();
            leptos::task::spawn_local(async move {
                let answer = match api::passkey_sign_in_options().await {
                    Ok(started) => with_passkey(i18n, started, false).await,
                    Err(f) => Err(f),
                };
                match answer {
                    Ok(info) => signed_in(info),
                    Err(f) => failure.set(Some(f)),
                }
                waiting.set(false);
            });
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        if !check_sign_in(&name.get_untracked(), &password.get_untracked()).is_empty()
            || busy.get_untracked()
        {
            return;
        }
        busy.set(true);
        failure.set(None);
        locked.set(None);
        let request = SignInRequest {
            sign_in_name: name.get_untracked(),
            password: password.get_untracked(),
            lang: Some(i18n.locale.get_untracked().tag().to_string()),
        };
        let signed_in = signed_in.clone();
        leptos::task::spawn_local(async move {
            match api::sign_in(&request).await {
                Ok(info) => signed_in(info),
                Err(f) => {
                    // A fresh try: the emptied password is not a mistake the person made, so
                    // no "required" under it until they send again.
                    password.set(String::new());
                    attempted.set(false);
                    match (f.code, f.retry_after_seconds) {
                        (ErrorCode::AccountLocked, Some(seconds)) => locked.set(Some(seconds)),
                        _ => failure.set(Some(f)),
                    }
                }
            }
            busy.set(false);
        });
    };

    view! {
        <PublicFrame>
            <PageHeading text=Signal::derive(move || i18n.t(SIGN_IN_OPENING.title).to_string())/>
                <p class="muted">{move || i18n.t(SIGN_IN_OPENING.intro)}</p>
                <ErrorAlert failure=failure/>
                {move || locked.get().map(|seconds| view! { <LockedNotice seconds=seconds/> })}
                <form on:submit=on_submit novalidate>
                    <TextField
                        field="sign_in_name"
                        label=Key::SignInName
                        get=move || name.get()
                        set=move |v| name.set(v)
                        errors=field_errors
                        inputmode="email"
                        autocomplete="username webauthn"
                    />
                    <TextField
                        field="password"
                        label=UserKey::Password
                        get=move || password.get()
                        set=move |v| password.set(v)
                        errors=field_errors
                        input_type="password"
                        autocomplete="current-password"
                        focus=prefilled
                    />
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        {move || if busy.get() { i18n.t(UserKey::SigningIn) } else { i18n.t(Key::SignIn) }}
                    </button>
                </form>
                <Show when=move || passkeys.get()>
                    <div class="passkey-start">
                        <p class="or">{move || i18n.t(Key::PasskeyOr)}</p>
                        <button type="button" on:click=passkey_button.clone() disabled=move || busy.get() || waiting.get()>
                            {move || if waiting.get() { i18n.t(UserKey::PasskeyWaiting) } else { i18n.t(Key::UsePasskey) }}
                        </button>
                    </div>
                </Show>
                <Show when=|| shows(Area::Reset)>
                    <p class="signin-help">
                        <A href=href("/reset")>{move || i18n.t(UserKey::CantAccessAccount)}</A>
                    </p>
                </Show>
        </PublicFrame>
    }
}

/// Signs in with one of the site's passkeys, for the ceremony `started`: from the name
/// field's suggestions when `conditional`, else from the browser's prompt.
async fn with_passkey(
    i18n: crate::i18n::I18n,
    started: PasskeyOptions,
    conditional: bool,
) -> Result<SessionInfo, Failure> {
    let request = PasskeySignInRequest {
        passkey: passkey::answer(started, conditional).await?,
        lang: Some(i18n.locale.get_untracked().tag().to_string()),
    };
    api::sign_in_with_passkey(&request).await
}

/// `m:ss`, as a countdown shows it.
fn clock(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// Sign-in is locked: for how long, counting down, and the way forward that needs no
/// waiting (unlock by proving who you are, when self-service reset is on).
#[component]
fn LockedNotice(seconds: u64) -> impl IntoView {
    let i18n = use_i18n();
    let wait = countdown(seconds);
    view! {
        <div class="alert alert-error locked-notice">
            // Announced once; the countdown beside it is a timer, read when asked, not every second.
            <p role="alert">{move || i18n.locale.get().error(ErrorCode::AccountLocked)}</p>
            <p role="timer">
                {move || match wait.get() {
                    0 => i18n.t(UserKey::LockOver).to_string(),
                    left => i18n.format(UserKey::LockCountdown, &[("time", &clock(left))]),
                }}
            </p>
            <Show when=|| shows(Area::Reset)>
                <p>
                    <A href=href("/reset")>{move || i18n.t(Key::IntentUnlock)}</A>
                </p>
            </Show>
        </div>
    }
}
