//! Org settings › Directory: where users come from, Test connection, and the sync (Global and
//! Password admins change it; any admin may read it).

use axum::extract::State;
use rekey_core::dto::{DirectoryTestResult, SettingsView, SyncProgress, SyncResult, SyncStatus};
use rekey_core::error::ApiError;
use rekey_core::settings::DirectorySettings;

use super::error::AppError;
use super::extract::{AdminUser, Json, Query, SsprManager};
use crate::domain::directory::settings::SaveError;
use crate::domain::directory::{check, sync};
use crate::state::AppState;
use crate::store::directory_mirror;

/// The directory in use. The service account's password is never returned.
#[utoipa::path(get, path = "/api/settings/directory", tag = "settings",
    responses(
        (status = 200, body = SettingsView<DirectorySettings>),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn get(
    State(state): State<AppState>,
    _admin: AdminUser,
) -> Result<Json<SettingsView<DirectorySettings>>, AppError> {
    Ok(Json(state.directories.view(&state.db.pool).await?))
}

/// Connect Rekey to the organisation's LDAP directory, or go back to its own. An LDAP
/// connection is saved only when Test connection's checks pass; the failing ones name their
/// fields.
#[utoipa::path(put, path = "/api/settings/directory", tag = "settings",
    request_body = DirectorySettings,
    responses(
        (status = 200, body = SettingsView<DirectorySettings>),
        (status = 400, description = "invalid_json", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or Password admin) or csrf_failed", body = ApiError),
        (status = 409, description = "conflict (set by the deployment's configuration)", body = ApiError),
        (status = 415, description = "unsupported_media_type", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
    ))]
pub async fn put(
    State(state): State<AppState>,
    SsprManager(admin): SsprManager,
    Json(wanted): Json<DirectorySettings>,
) -> Result<Json<SettingsView<DirectorySettings>>, AppError> {
    let pool = &state.db.pool;
    let actor = &admin.user.sign_in_name;
    let threshold = state.config.lockout_threshold;
    match state.directories.save(pool, actor, wanted, threshold).await {
        Ok(()) => Ok(Json(state.directories.view(pool).await?)),
        Err(SaveError::FixedByConfiguration) => Err(AppError::Conflict),
        Err(SaveError::Refused(fields)) => Err(AppError::Validation(fields)),
        Err(SaveError::Directory(e)) => Err(e.into()),
    }
}

/// Test connection, for the settings as typed (unsaved): reach the server over TLS, bind as
/// the service account (the stored password when none is typed), count the people and groups
/// the filters find, show five people as the attribute map reads them, and compare the
/// directory's lockout threshold with Rekey's.
#[utoipa::path(post, path = "/api/settings/directory/test", tag = "settings",
    request_body = DirectorySettings,
    responses(
        (status = 200, body = DirectoryTestResult),
        (status = 400, description = "invalid_json", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or Password admin) or csrf_failed", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
    ))]
pub async fn test(
    State(state): State<AppState>,
    _admin: SsprManager,
    Json(mut wanted): Json<DirectorySettings>,
) -> Result<Json<DirectoryTestResult>, AppError> {
    use rekey_core::settings::SettingsSection;
    wanted.normalize();
    // The stored password may stand in for an empty one, so only the connection's own
    // fields are checked here.
    let problems: Vec<_> = wanted
        .validate()
        .into_iter()
        .filter(|e| e.field != "bind_password")
        .collect();
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let draft = state.directories.draft(&state.db.pool, &wanted).await?;
    Ok(Json(
        check::test_connection(&draft, state.config.lockout_threshold).await,
    ))
}

/// The sync under way, as far as it has come, and the last sync's result.
#[utoipa::path(get, path = "/api/settings/directory/sync", tag = "settings",
    responses(
        (status = 200, body = SyncStatus),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn sync_status(
    State(state): State<AppState>,
    _admin: AdminUser,
) -> Result<Json<SyncStatus>, AppError> {
    let pool = &state.db.pool;
    let running = directory_mirror::progress(pool, crate::infra::db::now())
        .await?
        .and_then(|json| serde_json::from_str::<SyncProgress>(&json).ok());
    let last = directory_mirror::last_result(pool)
        .await?
        .and_then(|json| serde_json::from_str::<SyncResult>(&json).ok());
    Ok(Json(SyncStatus { running, last }))
}

/// What to read at a sync an admin asks for.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct SyncQuery {
    /// Read the whole directory, not only what changed since the last sync.
    #[serde(default)]
    full: bool,
}

/// Sync now, without waiting for the schedule: what changed since the last sync, or with
/// `full=true` the whole directory.
#[utoipa::path(post, path = "/api/settings/directory/sync", tag = "settings",
    params(SyncQuery),
    responses(
        (status = 200, body = SyncResult),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or Password admin) or csrf_failed", body = ApiError),
        (status = 409, description = "conflict (Rekey's own directory, or a sync is already running)", body = ApiError),
    ))]
pub async fn sync_now(
    State(state): State<AppState>,
    _admin: SsprManager,
    Query(query): Query<SyncQuery>,
) -> Result<Json<SyncResult>, AppError> {
    let pool = &state.db.pool;
    let directory = state.directories.current(pool).await?;
    let mode = if query.full {
        sync::SyncMode::Full
    } else {
        sync::SyncMode::Changes
    };
    let report = sync::run_once(pool, &directory, &state.instance_id, &state.metrics, mode).await?;
    report.map(Json).ok_or(AppError::Conflict)
}
