//! The audit log, newest first.

use axum::extract::State;
use rekey_core::dto::{AuditEvent, ListQuery, Page};
use rekey_core::error::ApiError;

use super::error::AppError;
use super::extract::{AdminUser, Json, Query};
use super::paging::page_of;
use crate::state::AppState;
use crate::store::audit;

#[utoipa::path(get, path = "/api/audit", tag = "audit",
    params(ListQuery),
    responses(
        (status = 200, body = Page<AuditEvent>),
        (status = 400, description = "invalid_parameter", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _admin: AdminUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<AuditEvent>>, AppError> {
    let pool = &state.db.pool;
    page_of(&query, |_search, page, per_page| async move {
        audit::list(pool, page, per_page).await
    })
    .await
}
