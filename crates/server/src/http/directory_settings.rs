//! Org settings › Directory: where users come from, Test connection, and the sync's last
//! result (Global and Password admins).

use axum::extract::State;
use rekey_core::dto::{DirectoryStatus, DirectoryTestResult, SyncResult};
use rekey_core::error::ApiError;

use super::error::AppError;
use super::extract::{Json, SsprManager};
use crate::domain::directory::{check, sync, Directory};
use crate::state::AppState;
use crate::store::directory_mirror;

/// The directory in use (the service account's password is never returned) and the last sync.
#[utoipa::path(get, path = "/api/settings/directory", tag = "settings",
    responses(
        (status = 200, body = DirectoryStatus),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or Password admin)", body = ApiError),
    ))]
pub async fn status(
    State(state): State<AppState>,
    _admin: SsprManager,
) -> Result<Json<DirectoryStatus>, AppError> {
    let last_sync = directory_mirror::last_result(&state.db.pool)
        .await?
        .and_then(|json| serde_json::from_str::<SyncResult>(&json).ok());
    let ldap = match &state.directory {
        Directory::Own => None,
        Directory::Ldap(ldap) => Some(ldap.client().settings().clone()),
    };
    Ok(Json(DirectoryStatus {
        configured_by: if ldap.is_some() {
            "environment"
        } else {
            "none"
        }
        .into(),
        ldap,
        last_sync,
    }))
}

/// Test connection: reach the server over TLS, bind as the service account, count the people
/// and groups the filters find, show five people as the attribute map reads them, and compare
/// the directory's lockout threshold with Rekey's.
#[utoipa::path(post, path = "/api/settings/directory/test", tag = "settings",
    responses(
        (status = 200, body = DirectoryTestResult),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or Password admin) or csrf_failed", body = ApiError),
        (status = 409, description = "conflict (Rekey's own directory is in use)", body = ApiError),
    ))]
pub async fn test(
    State(state): State<AppState>,
    _admin: SsprManager,
) -> Result<Json<DirectoryTestResult>, AppError> {
    let Directory::Ldap(ldap) = &state.directory else {
        return Err(AppError::Conflict);
    };
    Ok(Json(
        check::test_connection(ldap, state.config.lockout_threshold).await,
    ))
}

/// Sync now, without waiting for the schedule.
#[utoipa::path(post, path = "/api/settings/directory/sync", tag = "settings",
    responses(
        (status = 200, body = SyncResult),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or Password admin) or csrf_failed", body = ApiError),
        (status = 409, description = "conflict (Rekey's own directory, or a sync is already running)", body = ApiError),
    ))]
pub async fn sync_now(
    State(state): State<AppState>,
    _admin: SsprManager,
) -> Result<Json<SyncResult>, AppError> {
    let report = sync::run_once(&state.db.pool, &state.directory, &state.instance_id).await?;
    report.map(Json).ok_or(AppError::Conflict)
}
