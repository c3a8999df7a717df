//! Verification gates: as many different methods as the policy requires. A decoy flow runs
//! the same steps (codes are issued but never sent) and fails where a wrong code fails.

use axum::extract::State;
use rand::seq::SliceRandom;
use rekey_core::audit::{AuditAction, StopReason};
use rekey_core::dto::{
    GateStartRequest, GateStarted, GateVerifyRequest, PasskeyOptions, ResetStage, ResetState,
};
use rekey_core::error::ApiError;
use rekey_core::questions::BuiltInQuestion;
use rekey_core::security_info::{
    check_code, check_email, check_phone, mask_email, mask_phone, normalize_code, normalize_email,
    normalize_phone, MethodKind, QuestionAnswer, QuestionRef, APP_CODE_DIGITS, CODE_DIGITS,
};

use rekey_core::validation::{FieldError, Rule};

use super::super::ceremony::options_of;
use super::super::error::AppError;
use super::super::extract::{ClientIp, Json};
use super::super::security_info::lang_of;
use super::super::security_info::proof::failure_of;
use super::{
    checks_key, checks_limit, decoy_digest, failures_key, failures_limit, refuse_if_blocked, stage,
    view, LiveFlow, Subject,
};
use crate::domain::app_codes::{self, AppCode};
use crate::domain::codes::{self, CodeError, CodeTarget, Outgoing};
use crate::domain::failed_proofs::{self, FailedProof, ProofFailure};
use crate::domain::flow_outcomes;
use crate::domain::passkeys::{self, PasskeyFault, Purpose};
use crate::domain::rate;
use crate::domain::registration::answers_match;
use crate::infra::db::now;
use crate::infra::secrets::constant_time_eq;
use crate::infra::totp;
use crate::state::AppState;
use crate::store::audit;
use crate::store::reset::{self as store, Flow};

fn purpose(kind: MethodKind) -> String {
    format!("reset_{}", kind.as_str())
}

/// Refuses a gate the flow does not offer now.
fn require_open(
    state: &AppState,
    flow: &Flow,
    subject: &Subject,
    kind: MethodKind,
) -> Result<(), AppError> {
    let open = stage(flow, subject) == ResetStage::Verify
        && subject.options(state, flow).iter().any(|o| o.kind == kind);
    if open {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Counts a phone, app or question check against the hourly limit.
async fn count_check(state: &AppState, flow: &Flow) -> Result<(), AppError> {
    let key = checks_key(flow);
    match rate::hit(&state.db.pool, &key, checks_limit(state), now()).await? {
        Some(retry_after_seconds) => Err(AppError::RateLimited {
            retry_after_seconds,
        }),
        None => Ok(()),
    }
}

/// Start a gate: send the code (email; phone once the typed number matches the one on file)
/// or choose the questions. The answer is the same whether or not anything was sent.
#[utoipa::path(post, path = "/api/reset/gate", tag = "reset",
    params(("X-Reset-Token" = String, Header, description = "The flow token from the start")),
    request_body = GateStartRequest,
    responses(
        (status = 200, body = GateStarted),
        (status = 403, description = "forbidden (gate not offered now)", body = ApiError),
        (status = 410, description = "reset_expired", body = ApiError),
        (status = 422, description = "validation_failed (phone)", body = ApiError),
        (status = 429, description = "rate_limited", body = ApiError),
    ))]
pub async fn start(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    LiveFlow(mut flow): LiveFlow,
    Json(request): Json<GateStartRequest>,
) -> Result<Json<GateStarted>, AppError> {
    let subject = Subject::load(&state, &flow).await?;
    let kind = request.kind;
    require_open(&state, &flow, &subject, kind)?;
    refuse_if_blocked(&state, &flow).await?;
    let stored = subject.held(kind).map(|m| m.value.clone());
    let mut code = None;
    match kind {
        MethodKind::Email | MethodKind::MobilePhone => {
            let owner = subject.code_owner(&flow);
            let mut deliver = stored.is_some();
            let mut destination = stored.clone().unwrap_or_else(|| owner.clone());
            // Without hints the person types the whole address (a phone number always): the
            // code goes out only if it is the one on file, and the answer is the same.
            if let Some(typed) = typed_destination(&subject, kind, &request)? {
                count_check(&state, &flow).await?;
                deliver = stored
                    .as_deref()
                    .map(|s| match kind {
                        MethodKind::Email => normalize_email(s),
                        _ => s.to_string(),
                    })
                    .is_some_and(|s| constant_time_eq(&s, &typed));
                // What was typed, matching or not, so a typo does not hold up the right one.
                destination = typed;
            }
            let target = CodeTarget {
                user_id: &owner,
                flow: &flow.token_hash,
                purpose: &purpose(kind),
                destination: &destination,
            };
            let outgoing = Outgoing {
                kind,
                lang: lang_of(request.lang.as_deref()),
                deliver,
            };
            codes::send(&state, &target, ip, outgoing).await?;
            let shown = subject
                .hint(&state, &flow, kind)
                .unwrap_or_else(|| mask(kind, &destination));
            code = Some(codes::sent(&state, shown));
        }
        MethodKind::SecurityQuestions => {
            flow.questions = pick_questions(&state, &flow, &subject);
            store::set_questions(&state.db.pool, &flow.token_hash, &flow.questions).await?;
        }
        // Nothing to send: the ceremony comes from `passkey_ceremony`.
        MethodKind::AuthenticatorApp | MethodKind::Passkey => {}
    }
    Ok(Json(GateStarted {
        state: view(&state, &flow, &subject),
        code,
    }))
}

/// The passkey gate's ceremony: any of the site's passkeys may answer (a decoy's too). Which
/// one did is checked after it verifies, so the options say nothing of what the account holds.
#[utoipa::path(post, path = "/api/reset/gate/passkey", tag = "reset",
    params(("X-Reset-Token" = String, Header, description = "The flow token from the start")),
    responses(
        (status = 200, body = PasskeyOptions),
        (status = 403, description = "forbidden (the passkey gate is not offered now)", body = ApiError),
        (status = 409, description = "passkeys_unavailable (the public URL names no domain)", body = ApiError),
        (status = 410, description = "reset_expired", body = ApiError),
        (status = 429, description = "rate_limited", body = ApiError),
    ))]
pub async fn passkey_ceremony(
    State(state): State<AppState>,
    LiveFlow(flow): LiveFlow,
) -> Result<Json<PasskeyOptions>, AppError> {
    let subject = Subject::load(&state, &flow).await?;
    require_open(&state, &flow, &subject, MethodKind::Passkey)?;
    refuse_if_blocked(&state, &flow).await?;
    let challenge = passkeys::begin_discoverable(&state, Purpose::Gate, &flow.token_hash).await?;
    Ok(Json(options_of(challenge)))
}

/// The address or number typed for a code gate, checked and normalised: the phone always,
/// the email when hints are off. `None` when nothing is to be typed.
fn typed_destination(
    subject: &Subject,
    kind: MethodKind,
    request: &GateStartRequest,
) -> Result<Option<String>, AppError> {
    let (typed, problems) = match kind {
        MethodKind::MobilePhone => {
            let typed = normalize_phone(request.phone.as_deref().unwrap_or(""));
            let problems = check_phone("phone", &typed);
            (typed, problems)
        }
        MethodKind::Email if !subject.settings.reset_hints => {
            let typed = normalize_email(request.email.as_deref().unwrap_or(""));
            let problems = check_email("email", &typed);
            (typed, problems)
        }
        _ => return Ok(None),
    };
    if problems.is_empty() {
        Ok(Some(typed))
    } else {
        Err(AppError::Validation(problems))
    }
}

fn mask(kind: MethodKind, destination: &str) -> String {
    match kind {
        MethodKind::MobilePhone => mask_phone(destination),
        _ => mask_email(destination),
    }
}

/// A fresh random selection of the questions to ask: of the user's, or for anyone else a
/// set of the organisation's questions as large as a registration, the same for a name every
/// time (as a real user's set is), so repeated tries tell nothing.
fn pick_questions(state: &AppState, flow: &Flow, subject: &Subject) -> Vec<String> {
    let count = usize::from(subject.settings.questions_to_reset);
    let held = subject.held_answers();
    let mut ids: Vec<String> = if held.is_empty() {
        let custom =
            (0..subject.settings.custom_questions.len()).map(|n| QuestionRef::Custom(n).id());
        let mut bank: Vec<String> = BuiltInQuestion::all()
            .map(|q| q.id())
            .chain(custom)
            .collect();
        bank.sort_by_key(|id| decoy_digest(state, flow, id));
        bank.truncate(usize::from(subject.settings.questions_to_register));
        bank
    } else {
        held.iter().map(|a| a.question_id.clone()).collect()
    };
    ids.shuffle(&mut rand::rngs::OsRng);
    ids.truncate(count);
    ids
}

/// Pass a gate: the code, or the answers to the questions asked.
#[utoipa::path(post, path = "/api/reset/gate/verify", tag = "reset",
    params(("X-Reset-Token" = String, Header, description = "The flow token from the start")),
    request_body = GateVerifyRequest,
    responses(
        (status = 200, body = ResetState),
        (status = 403, description = "forbidden (gate not offered now)", body = ApiError),
        (status = 410, description = "reset_expired (also when a code's tries are used up)", body = ApiError),
        (status = 400, description = "invalid_json (the passkey gate's answer is not a WebAuthn credential)", body = ApiError),
        (status = 422, description = "validation_failed, verification_failed, code_expired or passkey_refused", body = ApiError),
        (status = 429, description = "rate_limited (blocked after repeated failures)", body = ApiError),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    LiveFlow(flow): LiveFlow,
    Json(request): Json<GateVerifyRequest>,
) -> Result<Json<ResetState>, AppError> {
    let subject = Subject::load(&state, &flow).await?;
    let kind = request.kind;
    require_open(&state, &flow, &subject, kind)?;
    refuse_if_blocked(&state, &flow).await?;
    if kind != MethodKind::Email {
        count_check(&state, &flow).await?;
    }
    let outcome = check(&state, &flow, &subject, &request).await;
    let failure = match &outcome {
        Ok(()) => None,
        Err(Failure::Wrong { .. }) => Some(ProofFailure::wrong(kind)),
        Err(Failure::Passkey { cloned }) => Some(ProofFailure::PasskeyRefused { cloned: *cloned }),
        Err(Failure::Other(error)) => failure_of(error, kind),
    };
    if let Some(failure) = failure {
        let proof = FailedProof {
            actor: None,
            target: &flow.name_key,
            flow: rekey_core::dto::flow_of(flow.intent),
            method: kind,
            failure,
        };
        failed_proofs::record(&state.db.pool, proof).await?;
        flow_outcomes::stopped(&state.db.pool, &flow.token_hash, failure.stop_reason()).await?;
    }
    match outcome {
        Ok(()) => {
            store::pass_gate(&state.db.pool, &flow, kind).await?;
            let flow = store::find(&state.db.pool, &flow.token_hash)
                .await?
                .ok_or(AppError::ResetExpired)?;
            // Read again with the gate passed: the last gate brings the directory's rules.
            let subject = Subject::load(&state, &flow).await?;
            Ok(Json(view(&state, &flow, &subject)))
        }
        Err(Failure::Passkey { .. }) => {
            record_failure(&state, &flow).await?;
            Err(AppError::PasskeyRefused)
        }
        Err(Failure::Wrong { attempts_remaining }) => {
            record_failure(&state, &flow).await?;
            if kind == MethodKind::SecurityQuestions {
                // A wrong answer restarts with a new selection.
                store::set_questions(&state.db.pool, &flow.token_hash, &[]).await?;
            }
            if attempts_remaining == Some(0) {
                flow_outcomes::abandon(&state.db.pool, &flow.token_hash).await?;
                return Err(AppError::ResetExpired);
            }
            Err(AppError::VerificationFailed { attempts_remaining })
        }
        Err(Failure::Other(error)) => Err(error),
    }
}

enum Failure {
    Wrong {
        attempts_remaining: Option<u32>,
    },
    /// A passkey that did not verify, or is not this flow's user's.
    Passkey {
        cloned: bool,
    },
    Other(AppError),
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Failure::Other(error)
    }
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        Failure::Other(error.into())
    }
}

fn wrong() -> Failure {
    Failure::Wrong {
        attempts_remaining: None,
    }
}

/// Counts a failed proof; past the daily limit the name is blocked (and that is audited).
async fn record_failure(state: &AppState, flow: &Flow) -> Result<(), AppError> {
    let pool = &state.db.pool;
    let now = now();
    let key = failures_key(flow);
    rate::record(pool, &key, now).await?;
    if let Some(retry_after_seconds) = rate::wait(pool, &key, failures_limit(state), now).await? {
        let event = audit::NewEvent::by(None, AuditAction::ResetBlocked, &flow.name_key);
        audit::record_alone(pool, event).await?;
        flow_outcomes::stopped(pool, &flow.token_hash, StopReason::Blocked).await?;
        return Err(AppError::RateLimited {
            retry_after_seconds,
        });
    }
    Ok(())
}

fn code_of(request: &GateVerifyRequest, digits: usize) -> Result<String, Failure> {
    let code = request.code.as_deref().unwrap_or("");
    let problems = check_code(code, digits);
    if problems.is_empty() {
        Ok(normalize_code(code))
    } else {
        Err(AppError::Validation(problems).into())
    }
}

async fn check(
    state: &AppState,
    flow: &Flow,
    subject: &Subject,
    request: &GateVerifyRequest,
) -> Result<(), Failure> {
    let kind = request.kind;
    match kind {
        MethodKind::Email | MethodKind::MobilePhone => {
            let code = code_of(request, CODE_DIGITS)?;
            let owner = subject.code_owner(flow);
            let mut conn = state.db.pool.acquire().await?;
            let verified = codes::verify(
                &mut conn,
                &state.keys,
                &owner,
                &flow.token_hash,
                &purpose(kind),
                &code,
                now(),
            )
            .await;
            match verified {
                Ok(_) => Ok(()),
                Err(CodeError::Wrong { attempts_remaining }) => Err(Failure::Wrong {
                    attempts_remaining: Some(attempts_remaining),
                }),
                Err(other) => Err(AppError::from(other).into()),
            }
        }
        MethodKind::AuthenticatorApp => {
            let code = code_of(request, APP_CODE_DIGITS)?;
            let app = subject
                .user
                .as_ref()
                .and_then(|(user, _)| Some((user, subject.held(kind)?)));
            let Some((user, app)) = app else {
                // A decoy does the same work against a throwaway secret.
                let _ = totp::matching_step(&totp::new_secret(), &code, now());
                return Err(wrong());
            };
            match app_codes::check(state, &user.id, &app.value, &code, now()).await {
                Ok(AppCode::Accepted) => Ok(()),
                // Only the holder of a right code sees this: it tells nothing of the account.
                Ok(AppCode::Reused) => Err(AppError::CodeReused.into()),
                Ok(AppCode::Wrong) => Err(wrong()),
                Err(error) => Err(AppError::from(error).into()),
            }
        }
        MethodKind::SecurityQuestions => {
            check_answers(state, flow, subject, &request.answers).await
        }
        MethodKind::Passkey => {
            let answer = request.passkey.as_ref().ok_or_else(|| {
                AppError::Validation(vec![FieldError::new("passkey", Rule::Required)])
            })?;
            let verified = passkeys::verify_discoverable(
                state,
                Purpose::Gate,
                &flow.token_hash,
                &answer.challenge_id,
                &answer.credential,
            )
            .await;
            match verified {
                Ok(v) if flow.user_id.as_deref() == Some(v.user.id.as_str()) => Ok(()),
                Ok(_) => Err(Failure::Passkey { cloned: false }),
                Err(refusal) => match refusal.fault {
                    PasskeyFault::Refused { cloned } => Err(Failure::Passkey { cloned }),
                    other => Err(AppError::from(other).into()),
                },
            }
        }
    }
}

/// Every question asked answered right (a decoy's never are).
async fn check_answers(
    state: &AppState,
    flow: &Flow,
    subject: &Subject,
    answers: &[QuestionAnswer],
) -> Result<(), Failure> {
    if flow.questions.is_empty() {
        return Err(AppError::CodeExpired.into());
    }
    let stored = subject.held_answers();
    let right = answers_match(&state.hasher, stored, &flow.questions, answers)
        .await
        .map_err(AppError::from)?;
    if right {
        Ok(())
    } else {
        Err(wrong())
    }
}
