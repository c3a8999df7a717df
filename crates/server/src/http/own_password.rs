//! A signed-in user changing their own password: by choice, or because sign-in asked for it
//! (expired, or set by an admin). These answer while the change is due; nothing else does.

use axum::extract::State;
use axum::http::StatusCode;
use rekey_core::audit::AuditAction;
use rekey_core::dto::{ChangePasswordRequest, PasswordRules};
use rekey_core::error::ApiError;
use rekey_core::validation::{FieldError, Rule, PASSWORD_MAX};

use super::error::AppError;
use super::extract::{Json, SignedIn};
use crate::domain::lockout::{name_key, LockoutPolicy};
use crate::domain::password_change::{self, directory_named, NewPassword, PasswordError, Setting};
use crate::domain::writeback::Purpose;
use crate::infra::db::now;
use crate::state::AppState;
use crate::store::{audit, sessions, throttle};

/// The rules the signed-in user's new password must satisfy, for the page's live checks.
#[utoipa::path(get, path = "/api/me/password-rules", tag = "me",
    responses(
        (status = 200, body = PasswordRules),
        (status = 401, description = "unauthenticated", body = ApiError),
    ))]
pub async fn rules(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
) -> Result<Json<PasswordRules>, AppError> {
    Ok(Json(
        password_change::rules_of(&state, &current.user).await?,
    ))
}

/// Change the signed-in user's password. The current password proves it is them; the new one
/// obeys the policy and its history. Every other session of the user ends.
#[utoipa::path(post, path = "/api/me/password", tag = "me",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "csrf_failed", body = ApiError),
        (status = 403, description = "directory_refused_account", body = ApiError),
        (status = 409, description = "conflict (the password changed meanwhile), directory_owns_password", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
        (status = 503, description = "directory_unavailable", body = ApiError),
    ))]
pub async fn change(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
    Json(request): Json<ChangePasswordRequest>,
) -> Result<StatusCode, AppError> {
    let user = &current.user;
    let pool = &state.db.pool;
    // Wrong current passwords count like failed sign-ins, so a stolen session cannot be used
    // to guess the password.
    let (key, lockout) = (
        name_key(&user.sign_in_name),
        LockoutPolicy::for_names(&state.config),
    );
    let counters = throttle::get(pool, &key).await?;
    if let Some(retry_after_seconds) = lockout.retry_after(&counters, now()) {
        return Err(AppError::Locked {
            retry_after_seconds,
        });
    }
    let wrong = FieldError::new("current_password", Rule::Incorrect);
    let given = &request.current_password;
    if given.chars().count() > PASSWORD_MAX {
        return Err(AppError::Validation(vec![wrong]));
    }
    // A directory person's current password is checked by the directory, as it takes the
    // new one.
    if !user.from_directory
        && !state
            .hasher
            .verify(Some(&user.password_hash), given)
            .await?
    {
        throttle::put(pool, &key, &lockout.after_failure(counters, now())).await?;
        return Err(AppError::Validation(vec![wrong]));
    }
    let rules = password_change::rules_of(&state, user).await?;
    let name = user.sign_in_name.as_str();
    let setting = Setting {
        user,
        purpose: Purpose::Change,
        must_change: false,
        current: user.from_directory.then_some(given.as_str()),
        flow_token_hash: None,
        actor: name,
        expected_version: user.password_version,
    };
    let prepared = password_change::prepare(
        &state,
        &rules,
        &request.password,
        &request.confirm,
        &setting,
    )
    .await;
    let ready = match prepared {
        Err(PasswordError::Refused(fields)) if fields.contains(&wrong) => {
            throttle::put(pool, &key, &lockout.after_failure(counters, now())).await?;
            return Err(AppError::Validation(fields));
        }
        other => other?,
    };
    let in_directory = ready.in_directory();
    let recorded = async {
        let mut tx = pool.begin().await?;
        let change = NewPassword {
            user,
            ready,
            expected_version: user.password_version,
            must_change: false,
            keep_session: Some(&current.token_hash),
        };
        if !password_change::commit(&mut tx, change, now()).await? {
            return Err(AppError::Conflict);
        }
        let mut details = directory_named(&state, user).await?.unwrap_or_default();
        if let Some(reason) = current.password_change_due {
            details["required"] = serde_json::json!(reason);
        }
        let details = (!details.is_null()).then_some(details);
        let event = audit::NewEvent::by(Some(name), AuditAction::PasswordChanged, name)
            .values(None, details.as_ref());
        audit::record(&mut tx, event).await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    };
    password_change::recorded(recorded.await, in_directory)?;
    sessions::set_password_change_due(pool, &current.token_hash, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
