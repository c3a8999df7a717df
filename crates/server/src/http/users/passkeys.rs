//! A user's passkeys as the helpdesk sees them: listed, and removed one by one when a key is
//! lost or stolen (the person may have no other way in to remove it themselves). The admins who
//! may reset the user's password may do this; every removal is audited.

use axum::extract::State;
use axum::http::StatusCode;
use rekey_core::dto::PasskeyView;
use rekey_core::error::ApiError;
use rekey_core::roles::can_reset_password_of;
use rekey_core::security_info::MethodKind;

use super::super::error::AppError;
use super::super::extract::{AdminUser, Json, Path};
use super::super::security_info::{audit_change, passkeys_of, Change};
use super::Target;
use crate::infra::db::now;
use crate::state::AppState;
use crate::store::passkeys as store;

/// A user's passkeys, oldest first.
#[utoipa::path(get, path = "/api/users/{id}/passkeys", tag = "users",
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, body = Vec<PasskeyView>),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (out of the admin's scope)", body = ApiError),
        (status = 404, description = "not_found", body = ApiError),
    ))]
pub async fn list(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<PasskeyView>>, AppError> {
    let target = Target::load_for(&state, &admin, &id, can_reset_password_of).await?;
    Ok(Json(passkeys_of(&state.db.pool, &target.user.id).await?))
}

/// Remove one of a user's passkeys: it no longer signs in, proves or resets anything.
#[utoipa::path(delete, path = "/api/users/{id}/passkeys/{passkey}", tag = "users",
    params(
        ("id" = String, Path, description = "The user's id"),
        ("passkey" = String, Path, description = "The passkey's id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (out of the admin's scope) or csrf_failed", body = ApiError),
        (status = 404, description = "not_found (no such user, or no such passkey of theirs)", body = ApiError),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path((id, passkey)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let target = Target::load_for(&state, &admin, &id, can_reset_password_of).await?;
    let mut tx = state.db.pool.begin().await?;
    if !store::delete(&mut tx, &target.user.id, &passkey, now()).await? {
        return Err(AppError::NotFound);
    }
    let (actor, name) = (&admin.user.sign_in_name, &target.user.sign_in_name);
    audit_change(&mut tx, actor, name, MethodKind::Passkey, Change::Removed).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
