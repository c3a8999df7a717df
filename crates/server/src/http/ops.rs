//! Operations endpoints: liveness, readiness and Prometheus metrics.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use rekey_core::error::ApiError;
use serde::Serialize;

use super::error::AppError;
use super::extract::Json;
use crate::state::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The process can serve requests: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, body = Health),
        (status = 503, description = "unavailable", body = ApiError),
    ))]
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    state.db.ping().await.map_err(|_| AppError::Unavailable)?;
    Ok(Json(Health { status: "ready" }))
}

/// Request counts and latencies by route and status, registration coverage and reset
/// outcomes, in Prometheus' text format.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, content_type = "text/plain", body = String)))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    // Without the database the request figures are still worth reading.
    if let Err(e) = crate::domain::reports::refresh_metrics(&state.db.pool, &state.metrics).await {
        tracing::warn!(error = %e, "could not read the report figures for the metrics");
    }
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics.render(),
    )
}
