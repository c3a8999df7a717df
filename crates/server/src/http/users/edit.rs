//! Creating, changing and deleting users (Global and User admins, within their scope; only a
//! Global admin gives or takes Global admin).

use axum::extract::State;
use axum::http::StatusCode;
use rekey_core::audit::AuditAction;
use rekey_core::dto::{NewUserRequest, NewUserResult, UpdateUserRequest, UserDetail};
use rekey_core::error::ApiError;
use rekey_core::roles::{can_grant, can_manage_user, Role};
use rekey_core::validation::{check_display_name, check_user_names, FieldError, Rule};
use serde_json::json;

use super::super::error::AppError;
use super::super::extract::{CurrentUser, Json, Path, UserManager};
use super::password::choose;
use super::{detail, record, Target};
use crate::domain::{password_change, sspr_policy};
use crate::state::AppState;
use crate::store::users::{self, Flag, NewUser};
use crate::store::{groups, sessions};

/// Refuses a change of roles the actor may not make: every role added or removed must be
/// one they may grant.
fn check_role_change(actor: &CurrentUser, before: &[Role], after: &[Role]) -> Result<(), AppError> {
    let changed = Role::ALL
        .into_iter()
        .filter(|r| before.contains(r) != after.contains(r));
    for role in changed {
        if !can_grant(&actor.roles, role) {
            return Err(AppError::Forbidden);
        }
    }
    Ok(())
}

/// Every group id must exist; the list is tidied of duplicates.
async fn check_groups(state: &AppState, group_ids: &[String]) -> Result<Vec<String>, AppError> {
    let mut ids: Vec<String> = group_ids.iter().map(|g| g.trim().to_string()).collect();
    ids.sort();
    ids.dedup();
    for id in &ids {
        if groups::find(&state.db.pool, id).await?.is_none() {
            let missing = FieldError::new("group_ids", Rule::GroupNotFound);
            return Err(AppError::Validation(vec![missing]));
        }
    }
    Ok(ids)
}

fn sorted(roles: &[Role]) -> Vec<Role> {
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    roles
}

/// Create a user with a first password (typed, or generated and shown once).
#[utoipa::path(post, path = "/api/users", tag = "users",
    request_body = NewUserRequest,
    responses(
        (status = 201, body = NewUserResult),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or User admin, or a role they may not grant) or csrf_failed", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
    ))]
pub async fn create(
    State(state): State<AppState>,
    UserManager(admin): UserManager,
    Json(request): Json<NewUserRequest>,
) -> Result<(StatusCode, Json<NewUserResult>), AppError> {
    let problems = check_user_names(&request.sign_in_name, &request.display_name);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let roles = sorted(&request.roles);
    check_role_change(&admin, &[], &roles)?;
    let group_ids = check_groups(&state, &request.group_ids).await?;
    let pool = &state.db.pool;
    if users::find_by_sign_in_name(pool, &request.sign_in_name)
        .await?
        .is_some()
    {
        let taken = FieldError::new("sign_in_name", Rule::Taken);
        return Err(AppError::Validation(vec![taken]));
    }
    if request.password.email_user {
        // A new user has no authentication email yet.
        let none = FieldError::new("email_user", Rule::NoEmailOnFile);
        return Err(AppError::Validation(vec![none]));
    }
    let rules =
        password_change::rules_for(&state, &request.sign_in_name, &request.display_name).await?;
    let chosen = choose(&rules, &request.password);
    let password = &chosen.password;
    let hash = password_change::check_and_hash(&state, &rules, password, password, None).await?;
    let mut tx = pool.begin().await?;
    let new = NewUser {
        sign_in_name: &request.sign_in_name,
        display_name: &request.display_name,
        password_hash: &hash,
        roles: &roles,
        must_change_password: request.password.require_change,
    };
    // Two admins creating the same name at once: the unique index decides.
    let id = users::create(&mut tx, new).await.map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            AppError::Validation(vec![FieldError::new("sign_in_name", Rule::Taken)])
        }
        other => other.into(),
    })?;
    groups::set_user_groups(&mut tx, &id, &group_ids).await?;
    sspr_policy::refresh_user(&mut tx, &id).await?;
    let created = json!({
        "display_name": request.display_name.trim(),
        "roles": roles,
        "group_ids": group_ids,
    });
    let name = request.sign_in_name.trim();
    record(
        &mut tx,
        &admin,
        AuditAction::UserCreated,
        name,
        None,
        Some(&created),
    )
    .await?;
    tx.commit().await?;
    let user = users::find_by_id(pool, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        Json(NewUserResult {
            user: detail(&state, &user).await?,
            password: chosen.result(None),
        }),
    ))
}

/// Change a user's display name, status, roles, groups or never-expires setting; absent
/// fields stay as they are. Disabling signs the user out everywhere.
#[utoipa::path(patch, path = "/api/users/{id}", tag = "users",
    params(("id" = String, Path, description = "The user's id")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, body = UserDetail),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (out of scope, oneself, or a role they may not grant) or csrf_failed", body = ApiError),
        (status = 404, description = "not_found", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
    ))]
pub async fn update(
    State(state): State<AppState>,
    UserManager(admin): UserManager,
    Path(id): Path<String>,
    Json(request): Json<UpdateUserRequest>,
) -> Result<Json<UserDetail>, AppError> {
    let Target { user, .. } = Target::load_for(&state, &admin, &id, can_manage_user).await?;
    if user.from_directory {
        // The directory owns a mirrored person's name and groups: a change here would be
        // undone by the next sync.
        let owned: Vec<FieldError> = [
            ("display_name", request.display_name.is_some()),
            ("group_ids", request.group_ids.is_some()),
        ]
        .into_iter()
        .filter(|(_, asked)| *asked)
        .map(|(field, _)| FieldError::new(field, Rule::DirectoryOwned))
        .collect();
        if !owned.is_empty() {
            return Err(AppError::Validation(owned));
        }
    }
    if let Some(name) = &request.display_name {
        let mut problems = Vec::new();
        check_display_name(name, &mut problems);
        if !problems.is_empty() {
            return Err(AppError::Validation(problems));
        }
    }
    let new_roles = request.roles.as_deref().map(sorted);
    // The page edits the roles granted to the user; those of their groups stay.
    let roles = users::own_roles(&state.db.pool, &user.id).await?;
    if let Some(new_roles) = &new_roles {
        check_role_change(&admin, &roles, new_roles)?;
    }
    let new_groups = match &request.group_ids {
        Some(ids) => Some(check_groups(&state, ids).await?),
        None => None,
    };
    let old_groups: Vec<String> = groups::of_user(&state.db.pool, &user.id)
        .await?
        .into_iter()
        .map(|g| g.id)
        .collect();

    let mut before = serde_json::Map::new();
    let mut after = serde_json::Map::new();
    let mut note = |field: &str, old: serde_json::Value, new: serde_json::Value| {
        if old != new {
            before.insert(field.into(), old);
            after.insert(field.into(), new);
        }
    };
    let mut tx = state.db.pool.begin().await?;
    if let Some(name) = &request.display_name {
        users::set_display_name(&mut tx, &user, name.trim()).await?;
        note("display_name", json!(user.display_name), json!(name.trim()));
    }
    if let Some(enabled) = request.enabled {
        users::set_flag(&mut tx, &user.id, Flag::Enabled, enabled).await?;
        if !enabled {
            sessions::delete_for_user(&mut tx, &user.id, None).await?;
        }
        note("enabled", json!(user.enabled), json!(enabled));
    }
    if let Some(new_roles) = &new_roles {
        users::set_roles(&mut tx, &user.id, new_roles).await?;
        note("roles", json!(roles), json!(new_roles));
    }
    if let Some(new_groups) = &new_groups {
        groups::set_user_groups(&mut tx, &user.id, new_groups).await?;
        sspr_policy::refresh_user(&mut tx, &user.id).await?;
        note("group_ids", json!(old_groups), json!(new_groups));
    }
    let never = request.password_never_expires;
    if let Some(never) = never.filter(|n| *n != user.password_never_expires) {
        users::set_flag(&mut tx, &user.id, Flag::PasswordNeverExpires, never).await?;
        let (old, new) = (
            json!({ "never_expires": !never }),
            json!({ "never_expires": never }),
        );
        let action = AuditAction::PasswordNeverExpiresChanged;
        record(
            &mut tx,
            &admin,
            action,
            &user.sign_in_name,
            Some(&old),
            Some(&new),
        )
        .await?;
    }
    if !after.is_empty() {
        let (old, new) = (before.into(), after.into());
        let action = AuditAction::UserUpdated;
        record(
            &mut tx,
            &admin,
            action,
            &user.sign_in_name,
            Some(&old),
            Some(&new),
        )
        .await?;
    }
    tx.commit().await?;
    let user = users::find_by_id(&state.db.pool, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(detail(&state, &user).await?))
}

/// Delete a user, with their sessions, memberships and security info.
#[utoipa::path(delete, path = "/api/users/{id}", tag = "users",
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (out of scope, or oneself) or csrf_failed", body = ApiError),
        (status = 404, description = "not_found", body = ApiError),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    UserManager(admin): UserManager,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let Target { user, roles } = Target::load_for(&state, &admin, &id, can_manage_user).await?;
    let mut tx = state.db.pool.begin().await?;
    users::delete(&mut tx, &user.id).await?;
    let gone = json!({ "display_name": user.display_name, "roles": roles });
    let action = AuditAction::UserDeleted;
    record(
        &mut tx,
        &admin,
        action,
        &user.sign_in_name,
        Some(&gone),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
