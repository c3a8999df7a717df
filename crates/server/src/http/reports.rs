//! Usage & insights: registration coverage and activity, for the Reports page and for
//! monitoring systems.

use axum::extract::State;
use rekey_core::dto::{ActivityQuery, ActivityReport, RegistrationQuery, RegistrationReport};
use rekey_core::error::ApiError;

use super::error::AppError;
use super::extract::{Json, Query, ReportReader};
use crate::domain::reports;
use crate::infra::db::now;
use crate::state::AppState;

/// Who can reset today: enabled users, those self-service reset covers by registration, the
/// users holding each method, and admins under their two-method policy. Counted at most a
/// minute ago (`as_of` says when), or now with `fresh=true`.
#[utoipa::path(get, path = "/api/reports/registration", tag = "reports",
    params(RegistrationQuery),
    responses(
        (status = 200, body = RegistrationReport),
        (status = 400, description = "invalid_parameter", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global admin, Password admin or Reports reader)", body = ApiError),
    ))]
pub async fn registration(
    State(state): State<AppState>,
    _reader: ReportReader,
    Query(query): Query<RegistrationQuery>,
) -> Result<Json<RegistrationReport>, AppError> {
    let group = query.group.as_deref().filter(|g| !g.is_empty());
    let fresh = query.fresh.unwrap_or(false);
    let report = reports::registration(&state.db.pool, group, fresh, now()).await?;
    Ok(Json(report))
}

/// Self-service resets and unlocks begun, finished and abandoned, proofs by method, security
/// info changes and admin resets over a period (UTC days), by day or week.
#[utoipa::path(get, path = "/api/reports/activity", tag = "reports",
    params(ActivityQuery),
    responses(
        (status = 200, body = ActivityReport),
        (status = 400, description = "invalid_parameter", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global admin, Password admin or Reports reader)", body = ApiError),
        (status = 422, description = "validation_failed (days out of range, from after to, longer than 366 days)", body = ApiError),
    ))]
pub async fn activity(
    State(state): State<AppState>,
    _reader: ReportReader,
    Query(query): Query<ActivityQuery>,
) -> Result<Json<ActivityReport>, AppError> {
    let today = now().div_euclid(86_400);
    Ok(Json(
        reports::activity(&state.db.pool, &query, today).await?,
    ))
}
