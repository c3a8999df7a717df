//! The directory's groups (users are in `users`).

use axum::extract::State;
use rekey_core::audit::AuditAction;
use rekey_core::dto::{GroupRolesRequest, GroupSummary, ListQuery, Page};
use rekey_core::error::ApiError;
use rekey_core::roles::{can_grant, Role};
use rekey_core::validation::{FieldError, Rule};
use serde_json::json;

use super::error::AppError;
use super::extract::{AdminUser, Json, Path, Query, UserManager};
use super::paging::page_of;
use crate::state::AppState;
use crate::store::{audit, groups, users};

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

/// Grant admin roles to everyone in a group (nested groups included): how organisations with a
/// directory delegate. Global and User admins, each role within what they may grant; a change
/// that would take a role from the admin making it is refused.
#[utoipa::path(put, path = "/api/groups/{id}/roles", tag = "directory",
    params(("id" = String, Path, description = "The group's id")),
    request_body = GroupRolesRequest,
    responses(
        (status = 200, body = GroupSummary),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or User admin, or a role they may not grant) or csrf_failed", body = ApiError),
        (status = 404, description = "not_found", body = ApiError),
        (status = 422, description = "validation_failed (own_access)", body = ApiError),
    ))]
pub async fn put_group_roles(
    State(state): State<AppState>,
    UserManager(admin): UserManager,
    Path(id): Path<String>,
    Json(request): Json<GroupRolesRequest>,
) -> Result<Json<GroupSummary>, AppError> {
    let pool = &state.db.pool;
    let group = groups::find(pool, &id).await?.ok_or(AppError::NotFound)?;
    let mut wanted = request.roles;
    wanted.sort();
    wanted.dedup();
    for role in Role::ALL {
        if group.roles.contains(&role) != wanted.contains(&role) && !can_grant(&admin.roles, role) {
            return Err(AppError::Forbidden);
        }
    }
    let mut tx = pool.begin().await?;
    groups::set_roles(&mut tx, &id, &wanted).await?;
    let after = users::roles_in(&mut tx, &admin.user.id).await?;
    if admin.roles.iter().any(|r| !after.contains(r)) {
        let own = FieldError::new("roles", Rule::OwnAccess);
        return Err(AppError::Validation(vec![own]));
    }
    let actor = admin.user.sign_in_name.as_str();
    let (old, new) = (json!({"roles": group.roles}), json!({"roles": wanted}));
    let event = audit::NewEvent::by(Some(actor), AuditAction::GroupRolesChanged, &group.name)
        .values(Some(&old), Some(&new));
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    let group = groups::find(pool, &id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(group))
}
