//! Registering an alternate email address or a mobile number: a code goes there, and the
//! address counts once the code comes back.

use axum::extract::State;
use axum::http::StatusCode;
use rekey_core::dto::{CodeSent, SecurityInfo, SendCodeRequest, VerifyCodeRequest};
use rekey_core::error::ApiError;
use rekey_core::security_info::{
    check_code, check_email, check_phone, normalize_code, normalize_phone, MethodKind, CODE_DIGITS,
};

use super::super::error::AppError;
use super::super::extract::{ClientIp, CurrentUser, Json, Path};
use super::{lang_of, require_available, require_proof, save_registered, send_code, snapshot};
use crate::domain::codes;
use crate::infra::db::now;
use crate::state::AppState;

fn contact_kind(kind: MethodKind) -> Result<MethodKind, AppError> {
    if kind.is_contact() {
        Ok(kind)
    } else {
        Err(AppError::NotFound)
    }
}

fn purpose(kind: MethodKind) -> String {
    format!("register_{}", kind.as_str())
}

/// Send a code to a new email address or mobile number (needs proof first when the user
/// already holds a method).
#[utoipa::path(post, path = "/api/me/security-info/{kind}/send", tag = "security info",
    params(("kind" = MethodKind, Path, description = "`email` or `mobile_phone`")),
    request_body = SendCodeRequest,
    responses(
        (status = 202, description = "A code is on its way", body = CodeSent),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "proof_required, forbidden (method not offered) or csrf_failed", body = ApiError),
        (status = 404, description = "not_found (not a contact method)", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
        (status = 429, description = "rate_limited", body = ApiError),
    ))]
pub async fn send(
    State(state): State<AppState>,
    current: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(kind): Path<MethodKind>,
    Json(request): Json<SendCodeRequest>,
) -> Result<(StatusCode, Json<CodeSent>), AppError> {
    let kind = contact_kind(kind)?;
    let (destination, problems) = match kind {
        MethodKind::Email => {
            let email = request.destination.trim().to_string();
            let problems = check_email("destination", &email);
            (email, problems)
        }
        _ => {
            let phone = normalize_phone(&request.destination);
            let problems = check_phone("destination", &phone);
            (phone, problems)
        }
    };
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let snapshot = snapshot(&state, &current).await?;
    require_available(&snapshot, kind)?;
    require_proof(&current, &snapshot)?;
    let lang = lang_of(request.lang.as_deref());
    send_code(
        &state,
        &current,
        &purpose(kind),
        kind,
        &destination,
        ip,
        lang,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(codes::sent(&state, destination))))
}

/// Verify the code sent to the new address or number; on success it is registered.
#[utoipa::path(post, path = "/api/me/security-info/{kind}/verify", tag = "security info",
    params(("kind" = MethodKind, Path, description = "`email` or `mobile_phone`")),
    request_body = VerifyCodeRequest,
    responses(
        (status = 200, description = "Registered", body = SecurityInfo),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "csrf_failed", body = ApiError),
        (status = 404, description = "not_found (not a contact method)", body = ApiError),
        (status = 422, description = "validation_failed, verification_failed or code_expired", body = ApiError),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(kind): Path<MethodKind>,
    Json(request): Json<VerifyCodeRequest>,
) -> Result<Json<SecurityInfo>, AppError> {
    let kind = contact_kind(kind)?;
    let problems = check_code(&request.code, CODE_DIGITS);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let mut conn = state.db.pool.acquire().await?;
    let destination = codes::verify(
        &mut conn,
        &state.keys,
        &current.user.id,
        &current.token_hash,
        &purpose(kind),
        &normalize_code(&request.code),
        now(),
    )
    .await?;
    drop(conn);
    let info = save_registered(&state, &current, kind, &destination, 0).await?;
    Ok(Json(info))
}
