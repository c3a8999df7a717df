//! Users in the admin centre: the filtered listing, one user's details, and (submodules)
//! changing users, admin password resets, their passkeys and CSV import. Every action checks
//! the actor's roles against the target's with the shared scope rules in `rekey_core::roles`.

pub mod edit;
pub mod export;
pub mod import;
pub mod passkeys;
pub mod password;

use axum::extract::State;
use rekey_core::audit::AuditAction;
use rekey_core::dto::{Page, UserDetail, UserQuery, UserSummary};
use rekey_core::error::ApiError;
use rekey_core::roles::Role;
use rekey_core::settings::{AuthMethodsSettings, PasswordExpirySettings};
use sqlx::AnyConnection;

use super::error::AppError;
use super::extract::{AdminUser, CurrentUser, Json, Path, Query};
use crate::domain::lockout::{name_key, LockoutPolicy};
use crate::domain::registration;
use crate::domain::sections;
use crate::infra::db::now;
use crate::state::AppState;
use crate::store::user_list::{self, Policies};
use crate::store::users::{self, UserRecord};
use crate::store::{audit, groups, sessions, throttle};

/// The policies the listing's filters follow, as they are now.
async fn policies(pool: &sqlx::AnyPool) -> Result<Policies, sqlx::Error> {
    Ok(Policies {
        methods: sections::load::<AuthMethodsSettings>(pool).await?.settings,
        expiry: sections::load::<PasswordExpirySettings>(pool)
            .await?
            .settings,
        now: now(),
    })
}

/// Users, searched and filtered, one page at a time (any admin).
#[utoipa::path(get, path = "/api/users", tag = "users",
    params(UserQuery),
    responses(
        (status = 200, body = Page<UserSummary>),
        (status = 400, description = "invalid_parameter", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _admin: AdminUser,
    Query(query): Query<UserQuery>,
) -> Result<Json<Page<UserSummary>>, AppError> {
    let pool = &state.db.pool;
    let policies = policies(pool).await?;
    let (mut items, total) = user_list::list(pool, &query, &policies).await?;
    registration::fill_summaries(pool, &mut items).await?;
    let (page, per_page) = query.listing().paging();
    Ok(Json(Page {
        items,
        total,
        page,
        per_page,
    }))
}

/// Everything about one user (any admin).
#[utoipa::path(get, path = "/api/users/{id}", tag = "users",
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, body = UserDetail),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
        (status = 404, description = "not_found", body = ApiError),
    ))]
pub async fn get(
    State(state): State<AppState>,
    _admin: AdminUser,
    Path(id): Path<String>,
) -> Result<Json<UserDetail>, AppError> {
    let target = Target::load(&state, &id).await?;
    Ok(Json(detail(&state, &target.user).await?))
}

/// The user an admin acts on, with their roles.
pub struct Target {
    pub user: UserRecord,
    pub roles: Vec<Role>,
}

impl Target {
    pub async fn load(state: &AppState, id: &str) -> Result<Target, AppError> {
        let pool = &state.db.pool;
        let user = users::find_by_id(pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let roles = users::roles(pool, &user.id).await?;
        Ok(Target { user, roles })
    }

    /// Loads the target if `allowed(actor's roles, target's roles)`; admins never act on
    /// themselves here (their own password and roles change elsewhere, so nobody locks
    /// themselves out).
    pub async fn load_for(
        state: &AppState,
        actor: &CurrentUser,
        id: &str,
        allowed: fn(&[Role], &[Role]) -> bool,
    ) -> Result<Target, AppError> {
        let target = Target::load(state, id).await?;
        if target.user.id == actor.user.id || !allowed(&actor.roles, &target.roles) {
            return Err(AppError::Forbidden);
        }
        Ok(target)
    }
}

pub async fn detail(state: &AppState, user: &UserRecord) -> Result<UserDetail, AppError> {
    let pool = &state.db.pool;
    let now = now();
    let expiry = sections::load::<PasswordExpirySettings>(pool)
        .await?
        .settings;
    let roles = users::own_roles(pool, &user.id).await?;
    let all_roles = users::roles(pool, &user.id).await?;
    let group_roles = all_roles
        .into_iter()
        .filter(|r| !roles.contains(r))
        .collect();
    let lockout = LockoutPolicy::for_names(&state.config);
    let counters = throttle::get(pool, &name_key(&user.sign_in_name)).await?;
    let expires_at = password_expires_at(user, &expiry);
    let mut summary = vec![UserSummary {
        id: user.id.clone(),
        sign_in_name: user.sign_in_name.clone(),
        display_name: user.display_name.clone(),
        enabled: user.enabled,
        roles,
        registration: Default::default(),
        password_never_expires: user.password_never_expires,
        password_expired: expires_at.is_some_and(|at| at <= now),
        password_changed_at: user.password_changed_at,
        password_expires_at: expires_at,
        locked_until: lockout
            .retry_after(&counters, now)
            .map(|_| counters.locked_until),
        from_directory: user.from_directory,
    }];
    registration::fill_summaries(pool, &mut summary).await?;
    let summary = summary.remove(0);
    Ok(UserDetail {
        groups: groups::of_user(pool, &user.id).await?,
        group_roles,
        created_at: user.created_at,
        last_sign_in_at: (user.last_sign_in_at > 0).then_some(user.last_sign_in_at),
        password_change_due: crate::domain::password_change::change_due(user, &expiry, now),
        active_sessions: sessions::count_for_user(pool, &user.id, now).await?.max(0) as u64,
        summary,
    })
}

/// When the password expires: by the directory's word for its people, by Rekey's policy for
/// Rekey's own accounts.
fn password_expires_at(user: &UserRecord, expiry: &PasswordExpirySettings) -> Option<i64> {
    if user.from_directory {
        user.directory_password_expires_at
    } else {
        expiry.expires_at(user.password_changed_at, user.password_never_expires)
    }
}

/// Records an admin's action on a user.
pub async fn record(
    conn: &mut AnyConnection,
    actor: &CurrentUser,
    action: AuditAction,
    target: &str,
    old_value: Option<&serde_json::Value>,
    new_value: Option<&serde_json::Value>,
) -> Result<(), sqlx::Error> {
    let event = audit::NewEvent::by(Some(&actor.user.sign_in_name), action, target);
    audit::record(conn, event.values(old_value, new_value)).await
}
