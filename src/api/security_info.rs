//! Security info: the signed-in user's own methods, and the contact info admins keep for users.

use gloo_net::http::Request;
use rekey_core::dto::{
    AnswersRequest, AppEnrolment, CodeSent, ContactInfo, ContactInfoRequest, PasskeyOptions,
    PasskeyRegisterRequest, PasskeyRenameRequest, ProofRequest, ProofSendRequest, SecurityInfo,
    SendCodeRequest, VerifyCodeRequest,
};
use rekey_core::security_info::MethodKind;

use super::{act, act_only, get, url, write, write_only, Failure};

const BASE: &str = "/me/security-info";

fn at(path: &str) -> String {
    url(&format!("{BASE}{path}"))
}

pub async fn security_info() -> Result<SecurityInfo, Failure> {
    get(BASE, &[]).await
}

/// Sends a code to a registered address or number, to prove who you are.
pub async fn send_proof_code(request: &ProofSendRequest) -> Result<CodeSent, Failure> {
    write(Request::post(&at("/proof/send")), request).await
}

/// Proves who you are; the session may then change security info for a while.
pub async fn prove(request: &ProofRequest) -> Result<(), Failure> {
    write_only(Request::post(&at("/proof")), request).await
}

/// A passkey ceremony to prove who you are with.
pub async fn proof_passkey_options() -> Result<PasskeyOptions, Failure> {
    act(Request::post(&at("/proof/passkey"))).await
}

/// Sends a code to a new email address or mobile number.
pub async fn send_code(kind: MethodKind, request: &SendCodeRequest) -> Result<CodeSent, Failure> {
    write(
        Request::post(&at(&format!("/{}/send", kind.as_str()))),
        request,
    )
    .await
}

/// Checks the code sent to a new address or number, or shown by a new authenticator app.
pub async fn verify_code(
    kind: MethodKind,
    request: &VerifyCodeRequest,
) -> Result<SecurityInfo, Failure> {
    write(
        Request::post(&at(&format!("/{}/verify", kind.as_str()))),
        request,
    )
    .await
}

pub async fn start_app() -> Result<AppEnrolment, Failure> {
    act(Request::post(&at("/authenticator_app/start"))).await
}

/// A passkey ceremony to add one with.
pub async fn start_passkey() -> Result<PasskeyOptions, Failure> {
    act(Request::post(&at("/passkey/start"))).await
}

pub async fn add_passkey(request: &PasskeyRegisterRequest) -> Result<SecurityInfo, Failure> {
    write(Request::post(&at("/passkey/verify")), request).await
}

pub async fn rename_passkey(id: String, name: String) -> Result<SecurityInfo, Failure> {
    let path = at(&format!("/passkeys/{id}"));
    write(Request::patch(&path), &PasskeyRenameRequest { name }).await
}

pub async fn remove_passkey(id: String) -> Result<SecurityInfo, Failure> {
    act(Request::delete(&at(&format!("/passkeys/{id}")))).await
}

pub async fn save_answers(request: &AnswersRequest) -> Result<SecurityInfo, Failure> {
    write(Request::put(&at("/security_questions")), request).await
}

pub async fn remove_method(kind: MethodKind) -> Result<SecurityInfo, Failure> {
    act(Request::delete(&at(&format!("/{}", kind.as_str())))).await
}

/// "My info is still right."
pub async fn confirm_security_info() -> Result<SecurityInfo, Failure> {
    act(Request::post(&at("/confirm"))).await
}

pub async fn skip_registration() -> Result<(), Failure> {
    act_only(Request::post(&at("/skip"))).await
}

pub async fn contact_info(user_id: &str) -> Result<ContactInfo, Failure> {
    get(&format!("/users/{user_id}/contact-info"), &[]).await
}

pub async fn save_contact_info(
    user_id: &str,
    request: &ContactInfoRequest,
) -> Result<ContactInfo, Failure> {
    write(
        Request::put(&url(&format!("/users/{user_id}/contact-info"))),
        request,
    )
    .await
}
