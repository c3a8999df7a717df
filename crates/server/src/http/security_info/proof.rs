//! Proving who you are with a registered method before changing security info. Failed proofs
//! are counted per user: five in a row block proofs for an hour (doubling after that).

use std::net::IpAddr;

use axum::extract::State;
use axum::http::StatusCode;
use rekey_core::audit::Flow;
use rekey_core::dto::{CodeSent, PasskeyOptions, ProofRequest, ProofSendRequest};
use rekey_core::error::ApiError;
use rekey_core::security_info::{
    check_code, mask_email, mask_phone, normalize_code, MethodKind, QuestionAnswer,
    APP_CODE_DIGITS, CODE_DIGITS,
};
use rekey_core::validation::{FieldError, Rule};

use super::super::ceremony::options_of;
use super::super::error::AppError;
use super::super::extract::{ClientIp, CurrentUser, Json};
use super::{lang_of, mark_proved, send_code, snapshot};
use crate::domain::app_codes::{self, AppCode};
use crate::domain::codes;
use crate::domain::failed_proofs::{self, FailedProof, ProofFailure};
use crate::domain::lockout::LockoutPolicy;
use crate::domain::passkeys::{self, PasskeyFault, Purpose};
use crate::domain::registration::{answers_match, Snapshot};
use crate::infra::db::now;
use crate::state::AppState;
use crate::store::throttle;

const POLICY: LockoutPolicy = LockoutPolicy {
    threshold: 5,
    base_seconds: 3600,
};

fn throttle_key(user_id: &str) -> String {
    format!("proof:{user_id}")
}

fn purpose(kind: MethodKind) -> String {
    format!("proof_{}", kind.as_str())
}

async fn refuse_if_blocked(state: &AppState, key: &str) -> Result<(), AppError> {
    let counter = throttle::get(&state.db.pool, key).await?;
    match POLICY.retry_after(&counter, now()) {
        Some(retry_after_seconds) => Err(AppError::RateLimited {
            retry_after_seconds,
        }),
        None => Ok(()),
    }
}

/// Send a code to a registered email address or phone, to prove it is you.
#[utoipa::path(post, path = "/api/me/security-info/proof/send", tag = "security info",
    request_body = ProofSendRequest,
    responses(
        (status = 202, description = "A code is on its way", body = CodeSent),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "csrf_failed", body = ApiError),
        (status = 404, description = "not_found (no such method registered)", body = ApiError),
        (status = 429, description = "rate_limited", body = ApiError),
    ))]
pub async fn send(
    State(state): State<AppState>,
    current: CurrentUser,
    ClientIp(ip): ClientIp,
    Json(request): Json<ProofSendRequest>,
) -> Result<(StatusCode, Json<CodeSent>), AppError> {
    send_proof_code(&state, &current, ip, &request).await
}

async fn send_proof_code(
    state: &AppState,
    current: &CurrentUser,
    ip: Option<IpAddr>,
    request: &ProofSendRequest,
) -> Result<(StatusCode, Json<CodeSent>), AppError> {
    refuse_if_blocked(state, &throttle_key(&current.user.id)).await?;
    let kind = request.kind;
    let snapshot = snapshot(state, current).await?;
    let destination = snapshot
        .method(kind)
        .filter(|_| kind.is_contact())
        .map(|m| m.value.clone())
        .ok_or(AppError::NotFound)?;
    let lang = lang_of(request.lang.as_deref());
    send_code(state, current, &purpose(kind), kind, &destination, ip, lang).await?;
    let shown = if kind == MethodKind::Email {
        mask_email(&destination)
    } else {
        mask_phone(&destination)
    };
    Ok((StatusCode::ACCEPTED, Json(codes::sent(state, shown))))
}

/// Start proving it is you with a passkey: the options for `navigator.credentials.get`.
#[utoipa::path(post, path = "/api/me/security-info/proof/passkey", tag = "security info",
    responses(
        (status = 200, body = PasskeyOptions),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "csrf_failed", body = ApiError),
        (status = 404, description = "not_found (no passkey registered)", body = ApiError),
        (status = 409, description = "passkeys_unavailable (the public URL names no domain)", body = ApiError),
        (status = 429, description = "rate_limited", body = ApiError),
    ))]
pub async fn passkey(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<PasskeyOptions>, AppError> {
    refuse_if_blocked(&state, &throttle_key(&current.user.id)).await?;
    if !snapshot(&state, &current)
        .await?
        .held()
        .contains(&MethodKind::Passkey)
    {
        return Err(AppError::NotFound);
    }
    let challenge =
        passkeys::begin_discoverable(&state, Purpose::Proof, &current.token_hash).await?;
    Ok(Json(options_of(challenge)))
}

/// Prove it is you: a code (email, phone, authenticator app) or the answers to every
/// registered security question. Success lets this session change security info for ten
/// minutes.
#[utoipa::path(post, path = "/api/me/security-info/proof", tag = "security info",
    request_body = ProofRequest,
    responses(
        (status = 204, description = "Proved"),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "csrf_failed", body = ApiError),
        (status = 404, description = "not_found (no such method registered)", body = ApiError),
        (status = 400, description = "invalid_json (a passkey answer that is not a WebAuthn credential)", body = ApiError),
        (status = 422, description = "validation_failed, verification_failed or code_expired", body = ApiError),
        (status = 429, description = "rate_limited (too many failed proofs)", body = ApiError),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(request): Json<ProofRequest>,
) -> Result<StatusCode, AppError> {
    let key = throttle_key(&current.user.id);
    refuse_if_blocked(&state, &key).await?;
    let snapshot = snapshot(&state, &current).await?;
    let pool = &state.db.pool;
    let checked = check(&state, &current, &snapshot, &request).await;
    if let Some(failure) = checked
        .as_ref()
        .err()
        .and_then(|e| failure_of(e, request.kind))
    {
        let name = current.user.sign_in_name.as_str();
        let proof = FailedProof {
            actor: Some(name),
            target: name,
            flow: Flow::StepUp,
            method: request.kind,
            failure,
        };
        failed_proofs::record(pool, proof).await?;
    }
    match checked {
        Ok(()) => {
            throttle::clear(pool, &key).await?;
            mark_proved(&state, &current, now()).await?;
            Ok(StatusCode::NO_CONTENT)
        }
        Err(error @ (AppError::VerificationFailed { .. } | AppError::CodeExpired)) => {
            let counter = throttle::get(pool, &key).await?;
            let now = now();
            let counter = POLICY.after_failure(counter, now);
            throttle::put(pool, &key, &counter).await?;
            match POLICY.retry_after(&counter, now) {
                Some(retry_after_seconds) => Err(AppError::RateLimited {
                    retry_after_seconds,
                }),
                None => Err(error),
            }
        }
        Err(other) => Err(other),
    }
}

/// The failed proof an error stands for, if it is one (not a malformed request).
pub(in crate::http) fn failure_of(error: &AppError, method: MethodKind) -> Option<ProofFailure> {
    match error {
        AppError::VerificationFailed { .. } => Some(ProofFailure::wrong(method)),
        AppError::CodeReused => Some(ProofFailure::CodeReused),
        AppError::CodeExpired => Some(ProofFailure::CodeExpired),
        _ => None,
    }
}

fn code_of(request: &ProofRequest, digits: usize) -> Result<String, AppError> {
    let code = request.code.as_deref().unwrap_or("");
    let problems = check_code(code, digits);
    if problems.is_empty() {
        Ok(normalize_code(code))
    } else {
        Err(AppError::Validation(problems))
    }
}

async fn check(
    state: &AppState,
    current: &CurrentUser,
    snapshot: &Snapshot,
    request: &ProofRequest,
) -> Result<(), AppError> {
    let user_id = &current.user.id;
    let kind = request.kind;
    if !snapshot.holds_any() || !snapshot.held().contains(&kind) {
        return Err(AppError::NotFound);
    }
    match kind {
        MethodKind::Email | MethodKind::MobilePhone => {
            let code = code_of(request, CODE_DIGITS)?;
            let mut conn = state.db.pool.acquire().await?;
            let flow = &current.token_hash;
            codes::verify(
                &mut conn,
                &state.keys,
                user_id,
                flow,
                &purpose(kind),
                &code,
                now(),
            )
            .await?;
            Ok(())
        }
        MethodKind::AuthenticatorApp => {
            let code = code_of(request, APP_CODE_DIGITS)?;
            let app = snapshot.method(kind).ok_or(AppError::NotFound)?;
            match app_codes::check(state, user_id, &app.value, &code, now()).await? {
                AppCode::Accepted => Ok(()),
                AppCode::Reused => Err(AppError::CodeReused),
                AppCode::Wrong => Err(AppError::VerificationFailed {
                    attempts_remaining: None,
                }),
            }
        }
        MethodKind::SecurityQuestions => check_answers(state, snapshot, &request.answers).await,
        MethodKind::Passkey => {
            let answer = request.passkey.as_ref().ok_or_else(|| {
                AppError::Validation(vec![FieldError::new("passkey", Rule::Required)])
            })?;
            let flow = &current.token_hash;
            let id = &answer.challenge_id;
            let wrong = AppError::VerificationFailed {
                attempts_remaining: None,
            };
            match passkeys::verify_discoverable(state, Purpose::Proof, flow, id, &answer.credential)
                .await
            {
                Ok(verified) if &verified.user.id == user_id => Ok(()),
                Ok(_) => Err(wrong),
                Err(refusal) => match refusal.fault {
                    PasskeyFault::Refused { .. } => Err(wrong),
                    other => Err(other.into()),
                },
            }
        }
    }
}

/// Every registered question answered once, every answer right.
async fn check_answers(
    state: &AppState,
    snapshot: &Snapshot,
    answers: &[QuestionAnswer],
) -> Result<(), AppError> {
    let asked: Vec<String> = snapshot
        .answers
        .iter()
        .map(|a| a.question_id.clone())
        .collect();
    if answers_match(&state.hasher, &snapshot.answers, &asked, answers).await? {
        Ok(())
    } else {
        Err(AppError::VerificationFailed {
            attempts_remaining: None,
        })
    }
}
