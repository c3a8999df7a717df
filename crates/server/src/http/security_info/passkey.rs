//! Passkeys in the signed-in user's security info: add one (a WebAuthn registration bound to
//! this session), rename or remove one. Each needs proof like any other change.

use axum::extract::State;
use rekey_core::dto::{PasskeyOptions, PasskeyRegisterRequest, PasskeyRenameRequest, SecurityInfo};
use rekey_core::error::ApiError;
use rekey_core::security_info::{check_passkey_name, normalize_passkey_name, MethodKind};

use super::super::ceremony::options_of;
use super::super::error::AppError;
use super::super::extract::{CurrentUser, Json, Path};
use super::Change;
use super::{audit_change, commit_registration, require_available, require_proof, snapshot, view};
use crate::domain::passkeys;
use crate::infra::db::{new_id, now};
use crate::state::AppState;
use crate::store::passkeys::{self as store, NewPasskey};

/// Start adding a passkey: the options for `navigator.credentials.create`.
#[utoipa::path(post, path = "/api/me/security-info/passkey/start", tag = "security info",
    responses(
        (status = 200, body = PasskeyOptions),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "proof_required, forbidden (method not offered) or csrf_failed", body = ApiError),
        (status = 409, description = "passkeys_unavailable (the public URL names no domain)", body = ApiError),
    ))]
pub async fn start(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<PasskeyOptions>, AppError> {
    let snapshot = snapshot(&state, &current).await?;
    require_available(&snapshot, MethodKind::Passkey)?;
    require_proof(&current, &snapshot)?;
    let challenge =
        passkeys::begin_registration(&state, &current.user, &current.token_hash).await?;
    Ok(Json(options_of(challenge)))
}

/// Finish adding a passkey with the browser's answer and a name for it.
#[utoipa::path(post, path = "/api/me/security-info/passkey/verify", tag = "security info",
    request_body = PasskeyRegisterRequest,
    responses(
        (status = 200, description = "Registered", body = SecurityInfo),
        (status = 400, description = "invalid_json (not a WebAuthn credential)", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "csrf_failed", body = ApiError),
        (status = 409, description = "passkey_exists", body = ApiError),
        (status = 422, description = "validation_failed (name), code_expired (the ceremony was used or ran out) or passkey_refused", body = ApiError),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(request): Json<PasskeyRegisterRequest>,
) -> Result<Json<SecurityInfo>, AppError> {
    let problems = check_passkey_name("name", &request.name);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let registered = passkeys::finish_registration(
        &state,
        &current.token_hash,
        &request.challenge_id,
        &request.credential,
    )
    .await?;
    let user = &current.user;
    let mut tx = state.db.pool.begin().await?;
    let passkey = NewPasskey {
        id: &new_id(),
        user_id: &user.id,
        credential_id: &registered.credential_id,
        name: &normalize_passkey_name(&request.name),
        credential: &registered.credential,
    };
    if !store::insert(&mut tx, passkey, now()).await? {
        return Err(AppError::PasskeyExists);
    }
    let info =
        commit_registration(&state, &current, tx, MethodKind::Passkey, Change::Added).await?;
    Ok(Json(info))
}

/// Rename one of the user's passkeys.
#[utoipa::path(patch, path = "/api/me/security-info/passkeys/{id}", tag = "security info",
    params(("id" = String, Path, description = "The passkey's id")),
    request_body = PasskeyRenameRequest,
    responses(
        (status = 200, body = SecurityInfo),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "proof_required or csrf_failed", body = ApiError),
        (status = 404, description = "not_found (no such passkey of this user)", body = ApiError),
        (status = 422, description = "validation_failed (name)", body = ApiError),
    ))]
pub async fn rename(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    Json(request): Json<PasskeyRenameRequest>,
) -> Result<Json<SecurityInfo>, AppError> {
    let problems = check_passkey_name("name", &request.name);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    require_proof(&current, &snapshot(&state, &current).await?)?;
    let user = &current.user;
    let mut tx = state.db.pool.begin().await?;
    let name = normalize_passkey_name(&request.name);
    if !store::rename(&mut tx, &user.id, &id, &name).await? {
        return Err(AppError::NotFound);
    }
    let name = &user.sign_in_name;
    audit_change(&mut tx, name, name, MethodKind::Passkey, Change::Changed).await?;
    tx.commit().await?;
    Ok(Json(view(&state, &current).await?))
}

/// Remove one of the user's passkeys.
#[utoipa::path(delete, path = "/api/me/security-info/passkeys/{id}", tag = "security info",
    params(("id" = String, Path, description = "The passkey's id")),
    responses(
        (status = 200, body = SecurityInfo),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "proof_required or csrf_failed", body = ApiError),
        (status = 404, description = "not_found (no such passkey of this user)", body = ApiError),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<SecurityInfo>, AppError> {
    require_proof(&current, &snapshot(&state, &current).await?)?;
    let user = &current.user;
    let mut tx = state.db.pool.begin().await?;
    if !store::delete(&mut tx, &user.id, &id, now()).await? {
        return Err(AppError::NotFound);
    }
    let name = &user.sign_in_name;
    audit_change(&mut tx, name, name, MethodKind::Passkey, Change::Removed).await?;
    tx.commit().await?;
    Ok(Json(view(&state, &current).await?))
}
