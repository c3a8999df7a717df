//! Starting a reset with a passkey, no name typed: the browser offers the site's passkeys, the
//! one chosen says whose it is, and the flow begins with the passkey gate passed. A passkey
//! that matches no one, a removed one, a disabled or uncovered user's all get the same answer
//! (and the reset flow's padded timing).

use axum::extract::State;
use rekey_core::audit::StopReason;
use rekey_core::dto::{PasskeyAnswer, PasskeyOptions, ResetIntent, ResetStarted};
use rekey_core::error::ApiError;
use rekey_core::roles::is_admin;
use rekey_core::security_info::{MethodKind, MethodPolicy};
use rekey_core::settings::AuthMethodsSettings;
use rekey_core::validation::normalize_sign_in_name;

use super::super::ceremony::options_of;
use super::super::error::AppError;
use super::super::extract::{ClientIp, Json};
use super::{client_limit, failures_key_of, failures_limit, view, Subject};
use crate::domain::failed_proofs::{self, FailedProof, ProofFailure};
use crate::domain::passkeys::{self, PasskeyFault, Purpose};
use crate::domain::{flow_outcomes, rate, sections, sspr_policy};
use crate::infra::db::now;
use crate::infra::secrets::{random_token, token_hash};
use crate::state::AppState;
use crate::store::reset::{self as store, Flow};
use crate::store::users::{self, UserRecord};

/// Public ceremonies are bound to nothing but their own id.
pub const UNBOUND: &str = "";

/// Start a reset with a passkey: the options for `navigator.credentials.get`, offering any of
/// this site's passkeys.
#[utoipa::path(post, path = "/api/reset/passkey/start", tag = "reset",
    responses(
        (status = 200, body = PasskeyOptions),
        (status = 403, description = "forbidden (passkeys are not allowed, or the public URL names no domain)", body = ApiError),
        (status = 429, description = "rate_limited", body = ApiError),
    ))]
pub async fn start(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
) -> Result<Json<PasskeyOptions>, AppError> {
    public_ceremony(&state, "reset-client", ip, Purpose::Reset).await
}

/// A ceremony anyone may start (a reset, a sign-in): limited per client address like the
/// reset puzzles, and only where passkeys are offered.
pub async fn public_ceremony(
    state: &AppState,
    limit_key: &str,
    ip: Option<std::net::IpAddr>,
    purpose: Purpose,
) -> Result<Json<PasskeyOptions>, AppError> {
    let key = format!(
        "{limit_key}:{}",
        ip.map(|i| i.to_string()).unwrap_or_default()
    );
    let limit = client_limit(state);
    if let Some(retry_after_seconds) = rate::hit(&state.db.pool, &key, limit, now()).await? {
        return Err(AppError::RateLimited {
            retry_after_seconds,
        });
    }
    if !offered(state).await? {
        return Err(AppError::Forbidden);
    }
    let challenge = passkeys::begin_discoverable(state, purpose, UNBOUND).await?;
    Ok(Json(options_of(challenge)))
}

/// Whether a reset may start with a passkey here: the organisation allows them, and the
/// public URL names a domain.
pub async fn offered(state: &AppState) -> Result<bool, AppError> {
    let settings = sections::load::<AuthMethodsSettings>(&state.db.pool).await?;
    Ok(settings.settings.passkey && state.passkeys.available())
}

/// Finish the passkey: the flow begins with it passed.
#[utoipa::path(post, path = "/api/reset/passkey", tag = "reset",
    request_body = PasskeyAnswer,
    responses(
        (status = 200, body = ResetStarted),
        (status = 400, description = "invalid_json (not a WebAuthn credential)", body = ApiError),
        (status = 422, description = "passkey_refused, or code_expired (the ceremony was used or ran out)", body = ApiError),
        (status = 429, description = "rate_limited (the account is blocked after repeated failures)", body = ApiError),
    ))]
pub async fn finish(
    State(state): State<AppState>,
    Json(answer): Json<PasskeyAnswer>,
) -> Result<Json<ResetStarted>, AppError> {
    let verified = passkeys::verify_discoverable(
        &state,
        Purpose::Reset,
        UNBOUND,
        &answer.challenge_id,
        &answer.credential,
    )
    .await;
    let user = match verified {
        Ok(verified) => verified.user,
        Err(refusal) => {
            if let (PasskeyFault::Refused { cloned }, Some(user)) =
                (&refusal.fault, &refusal.claimed)
            {
                count_failure(&state, user, *cloned).await?;
            }
            return Err(refusal.fault.into());
        }
    };
    let name_key = normalize_sign_in_name(&user.sign_in_name);
    let pool = &state.db.pool;
    if let Some(retry_after_seconds) = rate::wait(
        pool,
        &failures_key_of(&name_key),
        failures_limit(&state),
        now(),
    )
    .await?
    {
        return Err(AppError::RateLimited {
            retry_after_seconds,
        });
    }
    let settings = sections::load::<AuthMethodsSettings>(pool).await?.settings;
    let roles = users::roles(pool, &user.id).await?;
    let policy = MethodPolicy::for_user(&settings, is_admin(&roles));
    let covered = sspr_policy::applies_to(pool, &user.id).await?;
    let now = now();
    let token = random_token();
    let flow = Flow {
        token_hash: token_hash(&token),
        name_key,
        user_id: Some(user.id.clone()),
        password_version: users::password_version(pool, &user.id).await?,
        intent: (!settings.allow_unlock).then_some(ResetIntent::Reset),
        gates_passed: vec![MethodKind::Passkey],
        questions: Vec::new(),
        expires_at: now + state.config.reset_minutes * 60,
        finished: false,
    };
    let stop = if !covered {
        StopReason::NotCovered
    } else if !policy.available.contains(&MethodKind::Passkey) {
        StopReason::NotRegistered
    } else {
        StopReason::Left
    };
    let mut tx = pool.begin().await?;
    if stop != StopReason::Left {
        // Audited as a start that cannot go on; answered as any refused passkey.
        flow_outcomes::started(&mut tx, &flow.name_key, stop).await?;
        tx.commit().await?;
        return Err(AppError::PasskeyRefused);
    }
    store::insert(&mut tx, &flow, stop, now).await?;
    flow_outcomes::started(&mut tx, &flow.name_key, stop).await?;
    tx.commit().await?;
    let subject = Subject::load(&state, &flow).await?;
    Ok(Json(ResetStarted {
        token,
        state: view(&state, &flow, &subject),
    }))
}

/// A refused passkey that named a real one counts against its user's daily failures, and is
/// audited against them.
async fn count_failure(state: &AppState, user: &UserRecord, cloned: bool) -> Result<(), AppError> {
    let name_key = normalize_sign_in_name(&user.sign_in_name);
    rate::record(&state.db.pool, &failures_key_of(&name_key), now()).await?;
    let proof = FailedProof {
        actor: None,
        target: &name_key,
        flow: rekey_core::audit::Flow::Reset,
        method: MethodKind::Passkey,
        failure: ProofFailure::PasskeyRefused { cloned },
    };
    failed_proofs::record(&state.db.pool, proof).await?;
    Ok(())
}
