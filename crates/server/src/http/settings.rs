//! Settings › Org settings › Security & privacy › Self-service password reset.

use axum::extract::State;
use rekey_core::audit::AuditAction;
use rekey_core::dto::SsprSettingsView;
use rekey_core::error::ApiError;
use rekey_core::roles::can_manage_sspr;
use rekey_core::sspr::SsprSettings;
use rekey_core::validation::{FieldError, Rule};

use super::error::AppError;
use super::extract::{AdminUser, Json};
use crate::db::now;
use crate::sspr_policy::{self, SETTINGS_KEY};
use crate::state::AppState;
use crate::store::{audit, groups, settings};

async fn view(state: &AppState) -> Result<SsprSettingsView, AppError> {
    let pool = &state.db.pool;
    let loaded = sspr_policy::load(pool).await?;
    let group_name = match loaded.settings.group_id.as_deref() {
        Some(id) => groups::name_of(pool, id).await?,
        None => None,
    };
    Ok(SsprSettingsView {
        settings: loaded.settings,
        group_name,
        updated_at: loaded.updated_at,
        updated_by: loaded.updated_by,
    })
}

/// The current self-service password reset settings (any admin may read them).
#[utoipa::path(get, path = "/api/settings/sspr", tag = "settings",
    responses(
        (status = 200, body = SsprSettingsView),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn get_sspr(
    State(state): State<AppState>,
    _admin: AdminUser,
) -> Result<Json<SsprSettingsView>, AppError> {
    Ok(Json(view(&state).await?))
}

/// Change who may reset their own password. Global admins and Password admins only; the
/// change and its audit event commit together or not at all.
#[utoipa::path(put, path = "/api/settings/sspr", tag = "settings",
    request_body = SsprSettings,
    responses(
        (status = 200, body = SsprSettingsView),
        (status = 400, description = "invalid_json", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or Password admin) or csrf_failed", body = ApiError),
        (status = 415, description = "unsupported_media_type", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
    ))]
pub async fn put_sspr(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Json(mut wanted): Json<SsprSettings>,
) -> Result<Json<SsprSettingsView>, AppError> {
    if !can_manage_sspr(&admin.roles) {
        return Err(AppError::Forbidden);
    }
    let problems = wanted.validate();
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    wanted.group_id = wanted.group_id.map(|g| g.trim().to_string());
    let pool = &state.db.pool;
    if let Some(group_id) = wanted.group_id.as_deref() {
        if groups::name_of(pool, group_id).await?.is_none() {
            return Err(AppError::Validation(vec![FieldError::new(
                "group_id",
                Rule::GroupNotFound,
            )]));
        }
    }
    let old = sspr_policy::load(pool).await?.settings;
    if old != wanted {
        let old_value =
            serde_json::to_value(&old).map_err(|e| AppError::Internal(e.to_string()))?;
        let new_value =
            serde_json::to_value(&wanted).map_err(|e| AppError::Internal(e.to_string()))?;
        let mut tx = pool.begin().await?;
        settings::put(
            &mut tx,
            SETTINGS_KEY,
            &new_value,
            &admin.user.sign_in_name,
            now(),
        )
        .await?;
        audit::record(
            &mut tx,
            audit::NewEvent {
                actor: Some(&admin.user.sign_in_name),
                action: AuditAction::SsprSettingsChanged,
                target: Some(SETTINGS_KEY),
                old_value: Some(&old_value),
                new_value: Some(&new_value),
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(Json(view(&state).await?))
}
