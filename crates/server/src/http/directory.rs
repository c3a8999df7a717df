//! The directory's groups (users are in `users`).

use axum::extract::State;
use rekey_core::dto::{GroupSummary, ListQuery, Page};
use rekey_core::error::ApiError;

use super::error::AppError;
use super::extract::{AdminUser, Json, Path, Query};
use super::paging::page_of;
use crate::state::AppState;
use crate::store::groups;

/// Groups, searched by name, one page at a time.
#[utoipa::path(get, path = "/api/groups", tag = "directory",
    params(ListQuery),
    responses(
        (status = 200, body = Page<GroupSummary>),
        (status = 400, description = "invalid_parameter", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn list_groups(
    State(state): State<AppState>,
    _admin: AdminUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<GroupSummary>>, AppError> {
    let pool = &state.db.pool;
    page_of(&query, |search, page, per_page| async move {
        groups::list(pool, search.as_deref(), page, per_page).await
    })
    .await
}

/// One group, with its direct member count.
#[utoipa::path(get, path = "/api/groups/{id}", tag = "directory",
    params(("id" = String, Path, description = "The group's id")),
    responses(
        (status = 200, body = GroupSummary),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
        (status = 404, description = "not_found", body = ApiError),
    ))]
pub async fn get_group(
    State(state): State<AppState>,
    _admin: AdminUser,
    Path(id): Path<String>,
) -> Result<Json<GroupSummary>, AppError> {
    let group = groups::find(&state.db.pool, &id).await?;
    group.map(Json).ok_or(AppError::NotFound)
}
