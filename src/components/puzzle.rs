//! The reset flow's browser check: a proof-of-work puzzle from the server, solved in slices
//! between which the browser gets to draw and handle input, so the page stays responsive while
//! the person types. No image, nothing to click.

use leptos::prelude::*;
use rekey_core::dto::Challenge;
use rekey_core::error::ErrorCode;
use rekey_core::i18n::Key;
use rekey_core::pow;

use crate::api::{self, Failure};
use crate::i18n::use_i18n;

/// Nonces tried between two looks at the clock.
const CHUNK: u64 = 1_000;
/// How long the search holds the page before it yields: well under the 50 ms that makes a
/// "long task", even on a phone four times slower than a desktop, so typing never stutters.
const SLICE_MS: f64 = 5.0;

/// A solved puzzle, good for one start.
#[derive(Clone, PartialEq)]
pub struct Solved {
    pub challenge_id: String,
    pub nonce: String,
}

#[derive(Clone, Copy)]
pub struct Puzzle {
    solved: RwSignal<Option<Solved>>,
    failure: RwSignal<Option<Failure>>,
    /// An estimate of the work done, in thousandths (a whole number: the page then needs no
    /// float formatting, which would weigh a few KB in the bundle).
    progress: RwSignal<u16>,
    /// Counts puzzles, so the search of one that was replaced stops.
    round: RwSignal<u32>,
    /// The server offers to start with a passkey (told with the puzzle).
    pub passkeys: RwSignal<bool>,
}

/// Lets the browser draw and handle input, then goes on at once: a message to ourselves, not
/// `setTimeout(0)`, which browsers hold back 4 ms after a few in a row and which would leave
/// the search idle almost half the time.
async fn yield_to_browser() {
    thread_local! {
        static CHANNEL: Option<web_sys::MessageChannel> = web_sys::MessageChannel::new().ok();
    }
    let Some(promise) = CHANNEL.with(|channel| {
        let channel = channel.as_ref()?;
        Some(js_sys::Promise::new(&mut |resolve, _| {
            channel.port1().set_onmessage(Some(&resolve));
            let _ = channel.port2().post_message(&wasm_bindgen::JsValue::NULL);
        }))
    }) else {
        return pause(0).await;
    };
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Lets the browser run (draw, handle input) for at least this long before going on.
async fn pause(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

impl Puzzle {
    /// Fetches a puzzle and starts solving it at once.
    pub fn start() -> Puzzle {
        let puzzle = Puzzle {
            solved: RwSignal::new(None),
            failure: RwSignal::new(None),
            progress: RwSignal::new(0),
            round: RwSignal::new(0),
            passkeys: RwSignal::new(false),
        };
        puzzle.renew();
        puzzle
    }

    /// Drops the current puzzle (it was used, or could not be had) and solves a new one.
    pub fn renew(self) {
        let round = self.round.get_untracked().wrapping_add(1);
        self.round.set(round);
        self.solved.set(None);
        self.failure.set(None);
        self.progress.set(0);
        leptos::task::spawn_local(async move {
            match api::reset::challenge().await {
                Ok(challenge) => {
                    self.passkeys.set(challenge.passkeys);
                    self.solve(challenge, round).await
                }
                Err(failure) => {
                    if self.round.try_get_untracked() == Some(round) {
                        self.failure.set(Some(failure));
                    }
                }
            }
        });
    }

    async fn solve(self, challenge: Challenge, round: u32) {
        let expected = 2f64.powi(i32::from(challenge.difficulty));
        let mut from = 0u64;
        // Stops once the page is gone or a newer puzzle replaced this one.
        while self.round.try_get_untracked() == Some(round) {
            let started = js_sys::Date::now();
            while js_sys::Date::now() - started < SLICE_MS {
                if let Some(nonce) =
                    pow::search(&challenge.prefix, challenge.difficulty, from, CHUNK)
                {
                    self.progress.set(1000);
                    self.solved.set(Some(Solved {
                        challenge_id: challenge.id,
                        nonce: nonce.to_string(),
                    }));
                    return;
                }
                from += CHUNK;
            }
            // The chance a solution was due by now: rises steadily, never reaches 1.
            let due = 1.0 - (-(from as f64) / expected).exp();
            self.progress.set((due * 1000.0) as u16);
            yield_to_browser().await;
        }
    }

    /// The solution once there is one (a failed puzzle is asked for again first); the failure
    /// when no puzzle could be had.
    pub async fn solution(self) -> Result<Solved, Failure> {
        if self.failure.with_untracked(Option::is_some) {
            self.renew();
        }
        loop {
            // Gone with the page: nobody waits any more.
            let (Some(solved), Some(failure)) = (
                self.solved.try_get_untracked(),
                self.failure.try_get_untracked(),
            ) else {
                return Err(Failure::of(ErrorCode::Internal));
            };
            match (solved, failure) {
                (Some(solved), _) => return Ok(solved),
                (None, Some(failure)) => return Err(failure),
                _ => pause(50).await,
            }
        }
    }
}

/// How the check is going, told politely to screen readers ("Checking your browser…") while it
/// runs, with a bar for the eye; once done it says nothing (nobody needs to be told).
#[component]
pub fn PuzzleStatus(puzzle: Puzzle) -> impl IntoView {
    let i18n = use_i18n();
    let solved = move || puzzle.solved.with(Option::is_some);
    let failed = move || puzzle.failure.with(Option::is_some);
    view! {
        <div class="puzzle" class:puzzle-done=solved>
            <progress max="1000" value=move || puzzle.progress.get() aria-hidden="true"></progress>
            <p class="muted" role="status">
                {move || if solved() || failed() { "" } else { i18n.t(Key::PuzzleChecking) }}
            </p>
        </div>
    }
}
