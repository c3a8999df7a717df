//! `/reset`: someone who forgot their password, or is locked out, gets back in without signing
//! in. Who are you (the browser check runs meanwhile), reset or unlock, prove it's you with as
//! many methods as the policy asks, then a new password or the unlock. The flow's token lives
//! only in memory: leaving the page ends the flow, except when the reset bundle hands it to the
//! user bundle for a passkey gate (through this tab's session storage, taken at once).

mod done;
mod gates;
mod intent;
mod new_password;
pub mod passkey;
mod who;

use std::future::Future;
use std::time::Duration;

use leptos::prelude::*;
use rekey_core::dto::{Helpdesk, ResetIntent, ResetStage, ResetStarted, ResetState};
use rekey_core::error::ErrorCode;
use rekey_core::i18n::Key;
use rekey_core::settings::looks_like_email;
use wasm_bindgen::JsCast;

use crate::api::reset::server_now;
use crate::api::{self, Failure};
use crate::components::alert::StatusMessage;
use crate::components::form::Form;
use crate::components::user_frame::PublicFrame;
use crate::i18n::use_i18n;

/// The user bundle's copy of the reset page, where "Use a passkey" runs: the reset bundle
/// links to it.
pub const PASSKEY_RESET: &str = "/passkey-reset";

/// The passkey views of the flow, in the bundles that run WebAuthn ([`passkey::register`]).
pub struct PasskeyViews {
    pub start: fn(Flow) -> AnyView,
    pub gate: fn(Flow) -> AnyView,
    /// Goes on with a flow the reset bundle handed over at its passkey gate.
    pub resume: fn(Flow),
}

static PASSKEY_VIEWS: std::sync::OnceLock<PasskeyViews> = std::sync::OnceLock::new();

/// The passkey view `pick` of this bundle; in the reset bundle, which runs no WebAuthn, a link
/// to the user bundle's copy of the page, which does. A flow under way goes on there.
fn passkey_view(pick: fn(&PasskeyViews) -> fn(Flow) -> AnyView, flow: Flow) -> AnyView {
    match PASSKEY_VIEWS.get() {
        Some(views) => pick(views)(flow),
        None => {
            let i18n = crate::i18n::use_i18n();
            let to = crate::runtime_config::href(PASSKEY_RESET);
            view! {
                <a class="button-link" href=to on:click=move |_| flow.hand_over()>
                    {move || i18n.t(Key::UsePasskey)}
                </a>
            }
            .into_any()
        }
    }
}

/// Where a flow waits, in this tab only, while the page changes bundle; taken once.
const HANDED_OVER: &str = "rekey.reset_flow";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The token and name of the flow handed over by the page before, if any; taken once.
fn handed_over() -> Option<(String, String)> {
    let storage = session_storage()?;
    let kept = storage.get_item(HANDED_OVER).ok().flatten()?;
    let _ = storage.remove_item(HANDED_OVER);
    let (token, name) = kept.split_once('\n')?;
    Some((token.to_string(), name.to_string()))
}

/// Why a flow is over before it was done.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ending {
    /// Out of time, or out of tries for a code.
    Expired,
    /// Too many failed proofs: no more tries until `until` (Unix seconds).
    Blocked { until: i64 },
    /// The password changed elsewhere while this flow ran.
    Conflict,
}

/// One reset, shared by every step.
#[derive(Clone, Copy)]
pub struct Flow {
    /// Sent as `X-Reset-Token`; only ever in memory.
    token: StoredValue<String>,
    /// The sign-in name as typed, so the way back to sign-in is already filled in.
    pub name: StoredValue<String>,
    pub state: RwSignal<Option<ResetState>>,
    pub ending: RwSignal<Option<Ending>>,
    /// What just happened ("Email verified."), announced politely.
    pub message: RwSignal<Option<String>>,
}

impl Flow {
    fn new() -> Flow {
        Flow {
            token: StoredValue::new(String::new()),
            name: StoredValue::new(String::new()),
            state: RwSignal::new(None),
            ending: RwSignal::new(None),
            message: RwSignal::new(None),
        }
    }

    pub fn begin(self, name: String, started: ResetStarted) {
        self.name.set_value(name);
        self.token.set_value(started.token);
        self.advance(started.state);
    }

    pub fn advance(self, state: ResetState) {
        release_focus();
        // "Email verified." said all it had to once the flow is done.
        if state.stage == ResetStage::Done {
            self.message.set(None);
        }
        self.state.set(Some(state));
    }

    /// Hands a flow under way to the next page load in this tab ([`handed_over`]), so the
    /// user bundle's copy of the page goes on with it.
    fn hand_over(self) {
        let mut kept = self.token.get_value();
        if let (false, Some(storage)) = (kept.is_empty(), session_storage()) {
            kept.push('\n');
            self.name.with_value(|name| kept.push_str(name));
            let _ = storage.set_item(HANDED_OVER, &kept);
        }
    }

    /// Forgets this flow: back to "who are you".
    pub fn restart(self) {
        self.token.set_value(String::new());
        self.message.set(None);
        self.ending.set(None);
        self.state.set(None);
    }

    /// Runs one call of the flow (given the token) on `form`; `done` gets its answer. A failure
    /// that ends the flow shows the ending instead of the step.
    pub fn run<T: 'static, F: Future<Output = Result<T, Failure>> + 'static>(
        self,
        form: Form,
        call: impl FnOnce(String) -> F,
        done: impl FnOnce(T) + 'static,
    ) {
        let request = call(self.token.get_value());
        form.run(
            async move {
                let result = request.await;
                if let Err(failure) = &result {
                    self.end_if_over(failure);
                }
                result
            },
            done,
        );
    }

    fn end_if_over(self, failure: &Failure) {
        let ending = match failure.code {
            ErrorCode::ResetExpired => Some(Ending::Expired),
            ErrorCode::Conflict => Some(Ending::Conflict),
            // Blocked past the flow's end: this flow can do nothing more.
            ErrorCode::RateLimited => {
                let until = server_now()
                    + i64::try_from(failure.retry_after_seconds.unwrap_or(0)).unwrap_or(i64::MAX);
                let expires = self
                    .state
                    .with_untracked(|s| s.as_ref().map_or(0, |s| s.expires_at));
                (until >= expires).then_some(Ending::Blocked { until })
            }
            _ => None,
        };
        if let Some(ending) = ending {
            self.end(ending);
        }
    }

    /// The flow is over before it was done: its ending shows instead of any step.
    fn end(self, ending: Ending) {
        self.message.set(None);
        self.ending.set(Some(ending));
    }
}

/// Takes focus off the field in use before the step it is on is replaced. The next step may
/// reuse the same input for a field of its own, and the change the browser reports when focus
/// leaves would then mark that new, empty field as left wrong.
pub fn release_focus() {
    if let Some(element) = document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.blur();
    }
}

/// Which screen shows; a step is drawn afresh (and its heading takes focus) only when this
/// changes, not on every change of the state.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Screen {
    Who,
    Intent,
    /// Verification, with how many gates are passed.
    Verify(usize),
    NewPassword,
    Unlock,
    Done(Option<ResetIntent>),
    Ended(Ending),
}

impl Screen {
    /// A flow is running: it has a clock.
    fn running(self) -> bool {
        matches!(
            self,
            Screen::Intent | Screen::Verify(_) | Screen::NewPassword | Screen::Unlock
        )
    }
}

fn screen(flow: Flow) -> Screen {
    if let Some(ending) = flow.ending.get() {
        return Screen::Ended(ending);
    }
    flow.state.with(|state| match state {
        None => Screen::Who,
        Some(state) => match state.stage {
            ResetStage::ChooseIntent => Screen::Intent,
            ResetStage::Verify => Screen::Verify(state.gates_passed.len()),
            ResetStage::NewPassword => Screen::NewPassword,
            ResetStage::ReadyToUnlock => Screen::Unlock,
            ResetStage::Done => Screen::Done(state.intent),
        },
    })
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let flow = Flow::new();
    if let Some(views) = PASSKEY_VIEWS.get() {
        (views.resume)(flow);
    }
    let helpdesk = RwSignal::new(None::<Helpdesk>);
    leptos::task::spawn_local(async move {
        if let Ok(found) = api::reset::helpdesk().await {
            helpdesk.set(Some(found));
        }
    });
    let screen = Memo::new(move |_| screen(flow));
    let step = move || match screen.get() {
        Screen::Who => view! { <who::Who flow=flow/> }.into_any(),
        Screen::Intent => view! { <intent::Intent flow=flow/> }.into_any(),
        Screen::Verify(_) => view! { <gates::Gates flow=flow/> }.into_any(),
        Screen::NewPassword => view! { <new_password::NewPassword flow=flow/> }.into_any(),
        Screen::Unlock => view! { <done::Unlock flow=flow/> }.into_any(),
        Screen::Done(intent) => {
            view! { <done::Done intent=intent name=flow.name.get_value()/> }.into_any()
        }
        Screen::Ended(ending) => view! { <done::Ended flow=flow ending=ending/> }.into_any(),
    };
    view! {
        <PublicFrame>
            <Show when=move || screen.get().running()>
                <TimeLeft flow=flow/>
            </Show>
            <StatusMessage message=flow.message/>
            {step}
            <Show when=move || !matches!(screen.get(), Screen::Done(_))>
                <HelpdeskNote helpdesk=helpdesk/>
            </Show>
        </PublicFrame>
    }
}

/// The time left in the flow, quietly (a timer is not read out as it ticks); at zero the flow
/// is over.
#[component]
fn TimeLeft(flow: Flow) -> impl IntoView {
    let i18n = use_i18n();
    let now = RwSignal::new(server_now());
    if let Ok(timer) =
        set_interval_with_handle(move || now.set(server_now()), Duration::from_secs(1))
    {
        on_cleanup(move || timer.clear());
    }
    let left = move || {
        flow.state
            .with(|s| s.as_ref().map(|s| s.expires_at - now.get()))
    };
    Effect::new(move |_| {
        if left().is_some_and(|seconds| seconds <= 0) {
            flow.end(Ending::Expired);
        }
    });
    let text = move || {
        let seconds = left().unwrap_or(0).max(0);
        let time = format!("{}:{:02}", seconds / 60, seconds % 60);
        i18n.format(Key::TimeLeft, &[("time", &time)])
    };
    view! { <p class="time-left muted" role="timer">{text}</p> }
}

/// Where to get help: the organisation's helpdesk (an address or a web page), or the
/// administrator.
#[component]
fn HelpdeskNote(helpdesk: RwSignal<Option<Helpdesk>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        helpdesk.get().map(|found| {
            let contact = found.contact.map(|contact| {
                let web = contact.starts_with("https://") || contact.starts_with("http://");
                if looks_like_email(&contact) {
                    let link = format!("mailto:{contact}");
                    view! { <a href=link>{contact}</a> }.into_any()
                } else if web {
                    let link = contact.clone();
                    view! { <a href=link target="_blank" rel="noopener noreferrer">{contact}</a> }
                        .into_any()
                } else {
                    contact.into_any()
                }
            });
            let has_contact = contact.is_some();
            view! {
                <p class="helpdesk muted">
                    {move || {
                        i18n.t(if has_contact { Key::ContactHelpdesk } else { Key::ContactAdministrator })
                    }}
                    {move || i18n.locale.get().lang().gap()}
                    {contact}
                </p>
            }
        })
    }
}
