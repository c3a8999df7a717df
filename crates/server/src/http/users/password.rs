//! What helpdesk work needs: reset a user's password (typed, or a generated temporary one
//! shown once), unlock a locked-out user, and sign a user out everywhere. Helpdesk, Password,
//! User and Global admins, each within its scope (`can_reset_password_of`).

use axum::extract::State;
use axum::http::StatusCode;
use rekey_core::audit::AuditAction;
use rekey_core::dto::{AdminPasswordRequest, AdminPasswordResult, PasswordRules};
use rekey_core::error::ApiError;
use rekey_core::i18n::MessageKey;
use rekey_core::roles::can_reset_password_of;
use rekey_core::security_info::MethodKind;
use rekey_core::validation::{FieldError, Rule};
use serde_json::json;

use super::super::error::AppError;
use super::super::extract::{AdminUser, Json, Path};
use super::super::security_info::lang_of;
use super::{record, Target};
use crate::domain::account_notices::{self, AccountNotice};
use crate::domain::lockout::name_key;
use crate::domain::messages::{self, Notice};
use crate::domain::password_change::{self, directory_named, NewPassword, Setting};
use crate::domain::writeback::Purpose;
use crate::infra::db::now;
use crate::state::AppState;
use crate::store::users::UserRecord;
use crate::store::{security_info, sessions, throttle};

/// The password an admin sets; `generated` ones are shown to the admin once.
pub struct Chosen {
    pub password: String,
    pub generated: bool,
}

impl Chosen {
    /// The result shown to the admin: the password only when it was generated.
    pub fn result(self, emailed_to: Option<String>) -> AdminPasswordResult {
        AdminPasswordResult {
            temporary_password: self.generated.then_some(self.password),
            emailed_to,
        }
    }
}

/// The admin's typed password, or one generated to satisfy the rules. Typed ones are checked
/// against the shared rules when they are set (not the history: the admin cannot know it).
pub fn choose(rules: &PasswordRules, request: &AdminPasswordRequest) -> Chosen {
    match &request.password {
        Some(typed) => Chosen {
            password: typed.clone(),
            generated: false,
        },
        None => Chosen {
            password: password_change::temporary_password(rules),
            generated: true,
        },
    }
}

/// The authentication email a temporary password may go to, when the admin asked for it.
pub async fn email_destination(
    state: &AppState,
    user_id: &str,
    request: &AdminPasswordRequest,
) -> Result<Option<String>, AppError> {
    if !request.email_user {
        return Ok(None);
    }
    let methods = security_info::methods(&state.db.pool, user_id).await?;
    let email = methods
        .into_iter()
        .find(|m| m.kind == Some(MethodKind::Email))
        .map(|m| m.value)
        .ok_or_else(|| {
            AppError::Validation(vec![FieldError::new("email_user", Rule::NoEmailOnFile)])
        })?;
    Ok(Some(email))
}

/// Queues the temporary password to the user's authentication email (never the sign-in
/// address: they cannot read that mailbox while they cannot sign in).
pub async fn send_temporary(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    user: &UserRecord,
    to: &str,
    password: &str,
    request: &AdminPasswordRequest,
) -> Result<(), sqlx::Error> {
    let org = crate::domain::branding::org_name(state).await?;
    let args = [
        ("org", org.as_str()),
        ("account", user.sign_in_name.as_str()),
        ("password", password),
    ];
    let notice = Notice {
        to,
        // The user's own language when known; else the admin's page's.
        lang: lang_of(user.lang.as_deref().or(request.lang.as_deref())),
        subject: MessageKey::TemporaryPasswordSubject,
        body: MessageKey::TemporaryPasswordBody,
        args: &args,
        discard_after: 0,
    };
    messages::queue_notice(conn, notice).await?;
    Ok(())
}

/// The rules a new password of this user must satisfy, for the admin's form.
#[utoipa::path(get, path = "/api/users/{id}/password-rules", tag = "users",
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, body = PasswordRules),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (out of the admin's scope)", body = ApiError),
        (status = 404, description = "not_found", body = ApiError),
    ))]
pub async fn rules(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<PasswordRules>, AppError> {
    let target = Target::load_for(&state, &admin, &id, can_reset_password_of).await?;
    Ok(Json(password_change::rules_of(&state, &target.user).await?))
}

/// Reset a user's password. Ends every session of the user; by default they must change it
/// at next sign-in.
#[utoipa::path(post, path = "/api/users/{id}/password", tag = "users",
    params(("id" = String, Path, description = "The user's id")),
    request_body = AdminPasswordRequest,
    responses(
        (status = 200, description = "Reset; a generated password is in the answer, once", body = AdminPasswordResult),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (out of the admin's scope, or oneself) or csrf_failed", body = ApiError),
        (status = 404, description = "not_found", body = ApiError),
        (status = 409, description = "conflict (the password changed meanwhile)", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
    ))]
pub async fn reset(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    Json(request): Json<AdminPasswordRequest>,
) -> Result<Json<AdminPasswordResult>, AppError> {
    let target = Target::load_for(&state, &admin, &id, can_reset_password_of).await?;
    let user = &target.user;
    let emailed_to = email_destination(&state, &user.id, &request).await?;
    let rules = password_change::rules_of(&state, user).await?;
    let chosen = choose(&rules, &request);
    let setting = Setting {
        user,
        purpose: Purpose::AdminReset,
        must_change: request.require_change,
        current: None,
        flow_token_hash: None,
        actor: &admin.user.sign_in_name,
        expected_version: user.password_version,
    };
    let password = &chosen.password;
    let ready = password_change::prepare(&state, &rules, password, password, &setting).await?;
    let in_directory = ready.in_directory();
    let recorded = async {
        let mut tx = state.db.pool.begin().await?;
        let change = NewPassword {
            user,
            ready,
            expected_version: user.password_version,
            must_change: request.require_change,
            keep_session: None,
        };
        if !password_change::commit(&mut tx, change, now()).await? {
            return Err(AppError::Conflict);
        }
        if let Some(to) = &emailed_to {
            send_temporary(&state, &mut tx, user, to, password, &request).await?;
        }
        let mut details = json!({
            "generated": chosen.generated,
            "require_change": request.require_change,
            "emailed": emailed_to.is_some(),
        });
        if let Some(named) = directory_named(&state, user).await? {
            details["directory"] = named["directory"].clone();
        }
        record(
            &mut tx,
            &admin,
            AuditAction::PasswordResetByAdmin,
            &user.sign_in_name,
            None,
            Some(&details),
        )
        .await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    };
    // The temporary password is shown even if recording failed after the directory took
    // it: the person's password is that one now.
    password_change::recorded(recorded.await, in_directory)?;
    // A locked-out user gets in with the new password straight away.
    throttle::clear(&state.db.pool, &name_key(&user.sign_in_name)).await?;
    Ok(Json(chosen.result(emailed_to)))
}

/// End a user's sign-in lockout.
#[utoipa::path(post, path = "/api/users/{id}/unlock", tag = "users",
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 204, description = "Unlocked"),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (out of the admin's scope) or csrf_failed", body = ApiError),
        (status = 404, description = "not_found", body = ApiError),
    ))]
pub async fn unlock(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let target = Target::load_for(&state, &admin, &id, can_reset_password_of).await?;
    let name = &target.user.sign_in_name;
    let directory = state.directories.current(&state.db.pool).await?;
    directory.unlock(&target.user).await?;
    throttle::clear(&state.db.pool, &name_key(name)).await?;
    let mut conn = state.db.pool.acquire().await?;
    record(
        &mut conn,
        &admin,
        AuditAction::AccountUnlockedByAdmin,
        name,
        None,
        None,
    )
    .await?;
    account_notices::tell(&state, &target.user, AccountNotice::Unlocked, now()).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Sign a user out everywhere.
#[utoipa::path(delete, path = "/api/users/{id}/sessions", tag = "users",
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 204, description = "Every session ended"),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (out of the admin's scope) or csrf_failed", body = ApiError),
        (status = 404, description = "not_found", body = ApiError),
    ))]
pub async fn revoke_sessions(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let target = Target::load_for(&state, &admin, &id, can_reset_password_of).await?;
    let mut tx = state.db.pool.begin().await?;
    let ended = sessions::delete_for_user(&mut tx, &target.user.id, None).await?;
    record(
        &mut tx,
        &admin,
        AuditAction::SessionsRevoked,
        &target.user.sign_in_name,
        None,
        Some(&json!({ "sessions": ended })),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
