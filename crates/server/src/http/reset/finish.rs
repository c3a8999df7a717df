//! The end of a reset: a new password (or only an unlock), committed once.

use axum::extract::State;
use rekey_core::audit::AuditAction;
use rekey_core::dto::{NewPasswordRequest, ResetStage, ResetState};
use rekey_core::error::ApiError;
use rekey_core::i18n::{Lang, MessageKey};
use rekey_core::roles::{is_admin, Role};
use rekey_core::security_info::MethodKind;
use rekey_core::settings::{looks_like_email, NotificationSettings};
use sqlx::AnyConnection;

use super::super::error::AppError;
use super::super::extract::Json;
use super::super::security_info::lang_of;
use super::{checks_key, failures_key, stage, view, LiveFlow, Subject};
use crate::domain::account_notices::{self, AccountNotice};
use crate::domain::flow_outcomes;
use crate::domain::messages::{self, Notice};
use crate::domain::password_change::{self, directory_named, NewPassword, PasswordError, Setting};
use crate::domain::rate;
use crate::domain::sections;
use crate::domain::writeback::{Purpose, WritebackError};
use crate::infra::db::now;
use crate::state::AppState;
use crate::store::reset::{self as store, Flow};
use crate::store::users::{self, UserRecord};
use crate::store::{audit, throttle};

fn require_stage(flow: &Flow, subject: &Subject, wanted: ResetStage) -> Result<(), AppError> {
    if stage(flow, subject) == wanted {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The user did it themselves.
fn by_themselves(action: AuditAction, user: &UserRecord) -> audit::NewEvent<'_> {
    audit::NewEvent::by(Some(&user.sign_in_name), action, &user.sign_in_name)
}

/// For the audit: the methods the person proved who they are with, and the directory that
/// holds the password when it is a directory's.
async fn self_service_details(
    state: &AppState,
    flow: &Flow,
    user: &UserRecord,
) -> Result<serde_json::Value, AppError> {
    let mut details = directory_named(state, user)
        .await?
        .unwrap_or_else(|| serde_json::json!({}));
    let methods: Vec<&str> = flow.gates_passed.iter().map(|kind| kind.as_str()).collect();
    details["methods"] = serde_json::json!(methods);
    Ok(details)
}

/// After success the user starts with clean counters: lockout and reset limits.
async fn clear_counters(
    state: &AppState,
    flow: &Flow,
    user: &UserRecord,
) -> Result<(), sqlx::Error> {
    let pool = &state.db.pool;
    throttle::clear(pool, &crate::domain::lockout::name_key(&user.sign_in_name)).await?;
    rate::clear(pool, &failures_key(flow)).await?;
    rate::clear(pool, &checks_key(flow)).await
}

async fn done(
    state: &AppState,
    flow: &Flow,
    subject: &Subject,
) -> Result<Json<ResetState>, AppError> {
    let mut flow = flow.clone();
    flow.finished = true;
    Ok(Json(view(state, &flow, subject)))
}

/// The last step: the new password, checked by the shared rules. It replaces the old one only
/// if nobody changed it since the flow started; every session of the user ends.
#[utoipa::path(post, path = "/api/reset/password", tag = "reset",
    params(("X-Reset-Token" = String, Header, description = "The flow token from the start")),
    request_body = NewPasswordRequest,
    responses(
        (status = 200, description = "Done", body = ResetState),
        (status = 403, description = "forbidden (gates not passed)", body = ApiError),
        (status = 409, description = "conflict (the password changed meanwhile)", body = ApiError),
        (status = 410, description = "reset_expired", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
    ))]
pub async fn password(
    State(state): State<AppState>,
    LiveFlow(flow): LiveFlow,
    Json(request): Json<NewPasswordRequest>,
) -> Result<Json<ResetState>, AppError> {
    let subject = Subject::load(&state, &flow).await?;
    require_stage(&flow, &subject, ResetStage::NewPassword)?;
    let (user, snapshot) = subject.user.as_ref().ok_or(AppError::Forbidden)?;
    let rules = subject.rules(user);
    let setting = Setting {
        user,
        purpose: Purpose::SelfReset,
        must_change: false,
        current: None,
        flow_token_hash: Some(&flow.token_hash),
        actor: &user.sign_in_name,
        expected_version: flow.password_version,
    };
    let prepared = password_change::prepare(
        &state,
        &rules,
        &request.password,
        &request.confirm,
        &setting,
    )
    .await;
    let refused = match &prepared {
        Err(PasswordError::Refused(problems)) => Some(Some(problems.as_slice())),
        Err(PasswordError::Writeback(WritebackError::Refused(_))) => Some(None),
        _ => None,
    };
    if let Some(problems) = refused {
        flow_outcomes::password_refused(&state.db.pool, &flow.token_hash, problems).await?;
    }
    let ready = match prepared {
        // The answer to this flow's earlier try was lost, and that try had set the password.
        Err(PasswordError::Writeback(WritebackError::LandedEarlier)) => {
            clear_counters(&state, &flow, user).await?;
            return done(&state, &flow, &subject).await;
        }
        other => other?,
    };
    let in_directory = ready.in_directory();
    let recorded = async {
        let mut tx = state.db.pool.begin().await?;
        if !store::finish(&mut tx, &flow.token_hash).await? && !in_directory {
            return Err(AppError::ResetExpired);
        }
        let change = NewPassword {
            user,
            ready,
            expected_version: flow.password_version,
            must_change: false,
            keep_session: None,
        };
        if !password_change::commit(&mut tx, change, now()).await? {
            return Err(AppError::Conflict);
        }
        let event = by_themselves(AuditAction::PasswordResetSelf, user);
        let details = Some(self_service_details(&state, &flow, user).await?);
        audit::record(&mut tx, event.values(None, details.as_ref())).await?;
        let lang = lang_of(request.lang.as_deref());
        let alternate = snapshot.method(MethodKind::Email).map(|m| m.value.as_str());
        notify(&state, &mut tx, user, alternate, lang).await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    };
    password_change::recorded(recorded.await, in_directory)?;
    clear_counters(&state, &flow, user).await?;
    done(&state, &flow, &subject).await
}

/// Tells the user (when the organisation wants it) and, when they hold an admin role and the
/// organisation wants it, every Global admin.
async fn notify(
    state: &AppState,
    conn: &mut AnyConnection,
    user: &UserRecord,
    alternate_email: Option<&str>,
    lang: Lang,
) -> Result<(), sqlx::Error> {
    let settings = sections::load::<NotificationSettings>(&state.db.pool)
        .await?
        .settings;
    let org = crate::domain::branding::org_name(state).await?;
    let org = org.as_str();
    let args = [("org", org), ("account", user.sign_in_name.as_str())];
    let mut notices = Vec::new();
    if settings.notify_users {
        for to in messages::own_addresses(&user.sign_in_name, alternate_email) {
            notices.push((
                to.to_string(),
                lang,
                MessageKey::PasswordChangedSubject,
                MessageKey::PasswordChangedBody,
            ));
        }
    }
    let roles = users::roles(&state.db.pool, &user.id).await?;
    if settings.notify_admins && is_admin(&roles) {
        for admin in users::with_role(&state.db.pool, Role::GlobalAdmin).await? {
            if admin != user.sign_in_name && looks_like_email(&admin) {
                notices.push((
                    admin,
                    Lang::En,
                    MessageKey::AdminPasswordResetSubject,
                    MessageKey::AdminPasswordResetBody,
                ));
            }
        }
    }
    for (to, lang, subject, body) in notices {
        let notice = Notice {
            to: &to,
            lang,
            subject,
            body,
            args: &args,
            discard_after: 0,
        };
        messages::queue_notice(conn, notice).await?;
    }
    Ok(())
}

/// Unlock only: the lockout ends, the password stays.
#[utoipa::path(post, path = "/api/reset/unlock", tag = "reset",
    params(("X-Reset-Token" = String, Header, description = "The flow token from the start")),
    responses(
        (status = 200, description = "Done", body = ResetState),
        (status = 403, description = "forbidden (gates not passed, or not an unlock)", body = ApiError),
        (status = 410, description = "reset_expired", body = ApiError),
    ))]
pub async fn unlock(
    State(state): State<AppState>,
    LiveFlow(flow): LiveFlow,
) -> Result<Json<ResetState>, AppError> {
    let subject = Subject::load(&state, &flow).await?;
    require_stage(&flow, &subject, ResetStage::ReadyToUnlock)?;
    let (user, _) = subject.user.as_ref().ok_or(AppError::Forbidden)?;
    let directory = state.directories.current(&state.db.pool).await?;
    directory.unlock(user).await?;
    let mut tx = state.db.pool.begin().await?;
    if !store::finish(&mut tx, &flow.token_hash).await? {
        return Err(AppError::ResetExpired);
    }
    let event = by_themselves(AuditAction::AccountUnlockedSelf, user);
    let details = Some(self_service_details(&state, &flow, user).await?);
    audit::record(&mut tx, event.values(None, details.as_ref())).await?;
    tx.commit().await?;
    clear_counters(&state, &flow, user).await?;
    account_notices::tell(&state, user, AccountNotice::Unlocked, now()).await;
    done(&state, &flow, &subject).await
}
