//! The public reset flow. No session and no CSRF token: after the start, every call carries the
//! flow's token in `X-Reset-Token` (kept in memory by the page, never stored).

use std::cell::Cell;

use gloo_net::http::{Request, RequestBuilder, Response};
use rekey_core::dto::{
    Challenge, GateStartRequest, GateStarted, GateVerifyRequest, Helpdesk, IntentRequest,
    NewPasswordRequest, PasskeyAnswer, PasskeyOptions, ResetIntent, ResetStarted, ResetState,
    StartResetRequest,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{json_of, send, url, with_json, Failure};

const TOKEN_HEADER: &str = "X-Reset-Token";

thread_local! {
    /// Seconds the server's clock is ahead of this browser's, from the last answer's `Date`.
    static CLOCK_OFFSET: Cell<f64> = const { Cell::new(0.0) };
}

/// The server's time now, in Unix seconds: the flow's expiry is in the server's clock.
pub fn server_now() -> i64 {
    (js_sys::Date::now() / 1000.0 + CLOCK_OFFSET.with(Cell::get)) as i64
}

/// Learns the server's clock from an answer (readable on the same origin; otherwise the
/// browser's clock is trusted).
fn note_clock(response: &Response) {
    if let Some(date) = response.headers().get("date") {
        let server = js_sys::Date::parse(&date);
        if server.is_finite() {
            CLOCK_OFFSET.with(|offset| offset.set((server - js_sys::Date::now()) / 1000.0));
        }
    }
}

fn at(path: &str) -> String {
    url(&format!("/reset{path}"))
}

fn in_flow(builder: RequestBuilder, token: &str) -> RequestBuilder {
    builder.header(TOKEN_HEADER, token)
}

async fn answer<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, Failure> {
    let response = send(request).await?;
    note_clock(&response);
    json_of(response).await
}

async fn post<B: Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    body: &B,
) -> Result<T, Failure> {
    answer(with_json(builder, body)).await
}

pub async fn challenge() -> Result<Challenge, Failure> {
    answer(Request::post(&at("/challenge")).build()).await
}

pub async fn start(request: &StartResetRequest) -> Result<ResetStarted, Failure> {
    post(Request::post(&at("")), request).await
}

/// A passkey ceremony to start a reset with, no name typed.
pub async fn passkey_options() -> Result<PasskeyOptions, Failure> {
    answer(Request::post(&at("/passkey/start")).build()).await
}

pub async fn start_with_passkey(answer_: &PasskeyAnswer) -> Result<ResetStarted, Failure> {
    post(Request::post(&at("/passkey")), answer_).await
}

/// Where a flow stands (one handed over by the reset bundle).
pub async fn current(token: &str) -> Result<ResetState, Failure> {
    answer(in_flow(Request::get(&at("")), token).build()).await
}

pub async fn choose_intent(token: &str, intent: ResetIntent) -> Result<ResetState, Failure> {
    post(
        in_flow(Request::post(&at("/intent")), token),
        &IntentRequest { intent },
    )
    .await
}

/// Sends a code, or picks the questions to answer.
pub async fn start_gate(token: &str, request: &GateStartRequest) -> Result<GateStarted, Failure> {
    post(in_flow(Request::post(&at("/gate")), token), request).await
}

/// The passkey gate's ceremony.
pub async fn passkey_gate(token: &str) -> Result<PasskeyOptions, Failure> {
    answer(in_flow(Request::post(&at("/gate/passkey")), token).build()).await
}

pub async fn verify_gate(token: &str, request: &GateVerifyRequest) -> Result<ResetState, Failure> {
    post(in_flow(Request::post(&at("/gate/verify")), token), request).await
}

pub async fn set_password(
    token: &str,
    request: &NewPasswordRequest,
) -> Result<ResetState, Failure> {
    post(in_flow(Request::post(&at("/password")), token), request).await
}

pub async fn unlock(token: &str) -> Result<ResetState, Failure> {
    answer(in_flow(Request::post(&at("/unlock")), token).build()).await
}

pub async fn helpdesk() -> Result<Helpdesk, Failure> {
    answer(Request::get(&at("/helpdesk")).build()).await
}
