//! Registering an authenticator app: a new secret (sealed at rest) is shown once, and counts
//! only after the app produces one valid code for it.

use axum::extract::State;
use rekey_core::dto::{AppEnrolment, SecurityInfo, VerifyCodeRequest};
use rekey_core::error::ApiError;
use rekey_core::security_info::{check_code, normalize_code, MethodKind, APP_CODE_DIGITS};

use super::super::error::AppError;
use super::super::extract::{CurrentUser, Json};
use super::{require_available, require_proof, save_registered, snapshot};
use crate::infra::db::now;
use crate::infra::totp;
use crate::state::AppState;
use crate::store::security_info::{self as store, PENDING_APP};

/// Start setting up an authenticator app: returns the secret and its `otpauth://` URI.
#[utoipa::path(post, path = "/api/me/security-info/authenticator_app/start", tag = "security info",
    responses(
        (status = 200, body = AppEnrolment),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "proof_required, forbidden (method not offered) or csrf_failed", body = ApiError),
    ))]
pub async fn start(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<AppEnrolment>, AppError> {
    let kind = MethodKind::AuthenticatorApp;
    let snapshot = snapshot(&state, &current).await?;
    require_available(&snapshot, kind)?;
    require_proof(&current, &snapshot)?;
    let user = &current.user;
    let secret = totp::new_secret();
    let sealed = state.keys.seal(&secret, &user.id);
    let mut conn = state.db.pool.acquire().await?;
    let write = store::MethodWrite {
        user_id: &user.id,
        method: PENDING_APP,
        value: &sealed,
        last_step: 0,
        set_by_admin: false,
    };
    store::put_method(&mut conn, write, now()).await?;
    let org = crate::domain::branding::org_name(&state).await?;
    Ok(Json(AppEnrolment {
        secret: totp::encoded(&secret),
        uri: totp::uri(&secret, &org, &user.sign_in_name),
    }))
}

/// Finish setting up the app with one code from it.
#[utoipa::path(post, path = "/api/me/security-info/authenticator_app/verify", tag = "security info",
    request_body = VerifyCodeRequest,
    responses(
        (status = 200, description = "Registered", body = SecurityInfo),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "csrf_failed", body = ApiError),
        (status = 422, description = "validation_failed, verification_failed or code_expired (no set-up started)", body = ApiError),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(request): Json<VerifyCodeRequest>,
) -> Result<Json<SecurityInfo>, AppError> {
    let problems = check_code(&request.code, APP_CODE_DIGITS);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let user = &current.user;
    let pending = store::methods(&state.db.pool, &user.id)
        .await?
        .into_iter()
        .find(|m| m.kind.is_none())
        .ok_or(AppError::CodeExpired)?;
    let secret = state
        .keys
        .unseal(&pending.value, &user.id)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let step = totp::matching_step(&secret, &normalize_code(&request.code), now()).ok_or(
        AppError::VerificationFailed {
            attempts_remaining: None,
        },
    )?;
    let info = save_registered(
        &state,
        &current,
        MethodKind::AuthenticatorApp,
        &pending.value,
        step,
    )
    .await?;
    Ok(Json(info))
}
