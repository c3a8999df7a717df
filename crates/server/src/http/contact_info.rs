//! The authentication email and phone an admin with user-admin rights fills in for a user, so
//! the user can reset before registering anything themselves.

use axum::extract::State;
use rekey_core::dto::{ContactInfo, ContactInfoRequest};
use rekey_core::error::ApiError;
use rekey_core::roles::can_manage_user;
use rekey_core::security_info::{normalize_phone, MethodKind};

use super::error::AppError;
use super::extract::{Json, Path, UserManager};
use super::security_info::{audit_change, Change};
use super::users::Target;
use crate::infra::db::now;
use crate::state::AppState;
use crate::store::security_info::{self as store, MethodWrite};

async fn contact_info(state: &AppState, user_id: &str) -> Result<ContactInfo, AppError> {
    let methods = store::methods(&state.db.pool, user_id).await?;
    let value = |kind| {
        methods
            .iter()
            .find(|m| m.kind == Some(kind))
            .map(|m| m.value.clone())
    };
    Ok(ContactInfo {
        email: value(MethodKind::Email),
        phone: value(MethodKind::MobilePhone),
    })
}

/// A user's authentication email and phone (Global and User admins, within the scope they may
/// change it in: these are where a reset's codes go, so reading them is the first step of
/// taking an account over).
#[utoipa::path(get, path = "/api/users/{id}/contact-info", tag = "directory",
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, body = ContactInfo),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or User admin, out of scope, or oneself)", body = ApiError),
        (status = 404, description = "not_found", body = ApiError),
    ))]
pub async fn get(
    State(state): State<AppState>,
    UserManager(admin): UserManager,
    Path(id): Path<String>,
) -> Result<Json<ContactInfo>, AppError> {
    Target::load_for(&state, &admin, &id, can_manage_user).await?;
    Ok(Json(contact_info(&state, &id).await?))
}

/// Fill in or remove a user's authentication email and phone (Global and User admins).
/// An absent field is left alone; an empty one removes the value.
#[utoipa::path(put, path = "/api/users/{id}/contact-info", tag = "directory",
    params(("id" = String, Path, description = "The user's id")),
    request_body = ContactInfoRequest,
    responses(
        (status = 200, body = ContactInfo),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or User admin, out of scope, or oneself) or csrf_failed", body = ApiError),
        (status = 404, description = "not_found", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
    ))]
pub async fn put(
    State(state): State<AppState>,
    UserManager(admin): UserManager,
    Path(id): Path<String>,
    Json(request): Json<ContactInfoRequest>,
) -> Result<Json<ContactInfo>, AppError> {
    let problems = request.validate();
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    // Within the admin's scope: a User admin does not redirect a Global admin's resets.
    let user = Target::load_for(&state, &admin, &id, can_manage_user)
        .await?
        .user;
    let before = contact_info(&state, &id).await?;
    let email = request.email.as_deref().map(|e| e.trim().to_string());
    let phone = request.phone.as_deref().map(normalize_phone);
    let now = now();
    let mut tx = state.db.pool.begin().await?;
    for (kind, new, old) in [
        (MethodKind::Email, email, before.email),
        (MethodKind::MobilePhone, phone, before.phone),
    ] {
        let Some(new) = new.filter(|n| Some(n) != old.as_ref()) else {
            continue;
        };
        let change = if new.is_empty() {
            store::delete_method(&mut tx, &id, kind.as_str()).await?;
            Change::Removed
        } else {
            let write = MethodWrite {
                user_id: &id,
                method: kind.as_str(),
                value: &new,
                last_step: 0,
                set_by_admin: true,
            };
            store::put_method(&mut tx, write, now).await?;
            if old.is_some() {
                Change::Changed
            } else {
                Change::Added
            }
        };
        let actor = &admin.user.sign_in_name;
        audit_change(&mut tx, actor, &user.sign_in_name, kind, change).await?;
    }
    tx.commit().await?;
    Ok(Json(contact_info(&state, &id).await?))
}
