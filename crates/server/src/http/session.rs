//! Sign-in, the current session, and sign-out.

use std::net::IpAddr;

use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use rekey_core::audit::AuditAction;
use rekey_core::dto::{
    Me, PasskeyOptions, PasskeySignInRequest, PasswordChangeReason, SessionInfo, SignInRequest,
};
use rekey_core::error::ApiError;
use rekey_core::i18n::Lang;
use rekey_core::security_info::MethodKind;
use rekey_core::settings::PasswordExpirySettings;
use rekey_core::validation::{check_sign_in, normalize_sign_in_name};

use super::error::AppError;
use super::extract::{ClientIp, Json, SignedIn, SESSION_COOKIE};
use crate::domain::account_notices::{self, AccountNotice};
use crate::domain::directory::SignInVerdict;
use crate::domain::lockout::LockoutPolicy;
use crate::domain::passkeys::{self, PasskeyFault, Purpose};
use crate::domain::registration::{prompt, Snapshot};
use crate::domain::sections;
use crate::domain::sspr_policy;
use crate::infra::db::now;
use crate::infra::secrets::{random_token, token_hash};
use crate::state::AppState;
use crate::store::throttle::ThrottleState;
use crate::store::{audit, sessions, throttle, users};

/// The counters a sign-in attempt is checked against: its sign-in name's (known or not) and,
/// when known, its client address's, which stops one client spraying many names.
fn throttles(state: &AppState, name: &str, ip: Option<IpAddr>) -> Vec<(String, LockoutPolicy)> {
    let config = &state.config;
    let by_name = LockoutPolicy::for_names(config);
    let by_ip = LockoutPolicy {
        threshold: config.ip_lockout_threshold,
        base_seconds: config.ip_lockout_seconds,
    };
    let mut keys = vec![(crate::domain::lockout::name_key(name), by_name)];
    keys.extend(ip.map(|ip| (format!("ip:{ip}"), by_ip)));
    keys
}

async fn session_info(
    state: &AppState,
    user: &users::UserRecord,
    csrf_token: String,
    expires_at: i64,
    registration_skipped: bool,
    password_change_due: Option<PasswordChangeReason>,
) -> Result<SessionInfo, AppError> {
    let pool = &state.db.pool;
    let roles = users::roles(pool, &user.id).await?;
    let snapshot = Snapshot::load(pool, &user.id, &roles).await?;
    let (registration_due, registration_can_skip) =
        prompt(pool, &user.id, &snapshot, registration_skipped, now()).await?;
    Ok(SessionInfo {
        user: Me {
            id: user.id.clone(),
            sign_in_name: user.sign_in_name.clone(),
            display_name: user.display_name.clone(),
            roles,
            sspr_enabled: sspr_policy::applies_to(pool, &user.id).await?,
            registration_due,
            registration_can_skip,
            password_change_due,
        },
        csrf_token,
        expires_at,
    })
}

/// Emails the person whose name was just locked, if it is a person's. In the background: the
/// answer to the attempt comes as fast for a known name as for an unknown one.
fn tell_locked(state: &AppState, name: &str, until: i64, now: i64) {
    let (state, name) = (state.clone(), name.to_string());
    tokio::spawn(async move {
        let sent = async {
            if let Some(user) = users::find_by_sign_in_name(&state.db.pool, &name).await? {
                let notice = AccountNotice::Locked { until };
                account_notices::send(&state, &user, notice, now).await?;
            }
            Ok::<(), sqlx::Error>(())
        };
        if let Err(error) = sent.await {
            tracing::warn!(%error, "could not queue the account-locked notice");
        }
    });
}

/// Sign in. Unknown names, disabled accounts and wrong passwords get the same answer in the
/// same time; lockout counts per sign-in name whether or not the account exists.
#[utoipa::path(post, path = "/api/session", tag = "session",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in; sets the session cookie", body = SessionInfo),
        (status = 400, description = "invalid_json", body = ApiError),
        (status = 401, description = "invalid_credentials", body = ApiError),
        (status = 415, description = "unsupported_media_type", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
        (status = 429, description = "account_locked", body = ApiError),
    ))]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Json(request): Json<SignInRequest>,
) -> Result<(CookieJar, Json<SessionInfo>), AppError> {
    let problems = check_sign_in(&request.sign_in_name, &request.password);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let pool = &state.db.pool;
    let key = normalize_sign_in_name(&request.sign_in_name);
    let now = now();
    let throttles = throttles(&state, &key, ip);
    let mut counters = Vec::with_capacity(throttles.len());
    for (throttle_key, _) in &throttles {
        counters.push(throttle::get(pool, throttle_key).await?);
    }
    let locked_for = |counters: &[ThrottleState]| {
        throttles
            .iter()
            .zip(counters)
            .filter_map(|((_, policy), c)| policy.retry_after(c, now))
            .max()
    };
    if let Some(retry_after_seconds) = locked_for(&counters) {
        let refused = audit::NewEvent::by(None, AuditAction::SignInRefusedLocked, &key);
        audit::record_alone(pool, refused).await?;
        return Err(AppError::Locked {
            retry_after_seconds,
        });
    }

    let verdict = state
        .directories
        .current(pool)
        .await?
        .check_sign_in(pool, &state.hasher, &key, &request.password)
        .await?;
    // The directory says these only after the right password, so they reveal nothing to a
    // guesser. An expired or must-change password signs in to the forced change alone, which
    // writes the new one to the directory.
    let (user, directory_due) = match verdict {
        SignInVerdict::Accepted(user) => (Some(user), None),
        SignInVerdict::Refused => (None, None),
        SignInVerdict::PasswordExpired(user) => (Some(user), Some(PasswordChangeReason::Expired)),
        SignInVerdict::MustChange(user) => (Some(user), Some(PasswordChangeReason::AdminReset)),
        SignInVerdict::Disabled(_) => return Err(AppError::DirectoryAccountDisabled),
    };
    let Some(user) = user else {
        for ((throttle_key, policy), c) in throttles.iter().zip(counters.iter_mut()) {
            *c = policy.after_failure(*c, now);
            throttle::put(pool, throttle_key, c).await?;
        }
        let failed = audit::NewEvent::by(None, AuditAction::SignInFailed, &key);
        audit::record_alone(pool, failed).await?;
        if let Some(retry_after_seconds) = locked_for(&counters) {
            let locked = audit::NewEvent::by(None, AuditAction::SignInLocked, &key);
            audit::record_alone(pool, locked).await?;
            // The name's own counter (first) locked now: its owner, if any, hears of it.
            let (_, by_name) = &throttles[0];
            if by_name.retry_after(&counters[0], now).is_some() {
                tell_locked(&state, &key, counters[0].locked_until, now);
            }
            return Err(AppError::Locked {
                retry_after_seconds,
            });
        }
        return Err(AppError::InvalidCredentials);
    };

    // Only the name's counters: a success must not let one client reset its address's count.
    throttle::clear(pool, &throttles[0].0).await?;
    let lang = request.lang.as_deref().map(Lang::negotiate);
    open_session(&state, jar, &user, directory_due, lang, None).await
}

/// Starts a session for `user`, who just proved who they are (`method`: a passkey, or none
/// for the password); the cookie and what the page needs.
async fn open_session(
    state: &AppState,
    jar: CookieJar,
    user: &users::UserRecord,
    directory_due: Option<PasswordChangeReason>,
    lang: Option<Lang>,
    method: Option<MethodKind>,
) -> Result<(CookieJar, Json<SessionInfo>), AppError> {
    let pool = &state.db.pool;
    let now = now();
    let token = random_token();
    let hash = token_hash(&token);
    let csrf_token = random_token();
    let expires_at = now + state.config.session_max_hours * 3600;
    sessions::insert(pool, &hash, &user.id, &csrf_token, now, expires_at).await?;
    let expiry = sections::load::<PasswordExpirySettings>(pool)
        .await?
        .settings;
    let change_due =
        directory_due.or_else(|| crate::domain::password_change::change_due(user, &expiry, now));
    if change_due.is_some() {
        sessions::set_password_change_due(pool, &hash, change_due).await?;
    }
    users::record_sign_in(pool, &user.id, now, lang).await?;
    let name = user.sign_in_name.as_str();
    let how = method.map(|m| serde_json::json!({ "method": m.as_str() }));
    let event = audit::NewEvent::by(Some(name), AuditAction::SignInSucceeded, name)
        .values(None, how.as_ref());
    audit::record_alone(pool, event).await?;
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .path(format!("{}/", state.config.base_prefix()))
        .http_only(true)
        .secure(state.config.secure_cookies())
        // No Max-Age: the cookie ends with the browser; the server enforces its own expiry.
        .same_site(SameSite::Lax);
    let info = session_info(state, user, csrf_token, expires_at, false, change_due).await?;
    if info.user.registration_due.is_none() {
        // The wizard interrupts sign-in only: a policy changed later in this session waits
        // for the next sign-in.
        sessions::mark_registration_skipped(pool, &hash).await?;
    }
    Ok((jar.add(cookie), Json(info)))
}

/// Start signing in with a passkey: the options for `navigator.credentials.get`, offering any
/// of this site's passkeys (the browser's autofill on the name field, or its prompt).
#[utoipa::path(post, path = "/api/session/passkey/start", tag = "session",
    responses(
        (status = 200, body = PasskeyOptions),
        (status = 403, description = "forbidden (passkeys are not allowed, or the public URL names no domain)", body = ApiError),
        (status = 429, description = "rate_limited", body = ApiError),
    ))]
pub async fn passkey_start(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
) -> Result<Json<PasskeyOptions>, AppError> {
    super::reset::passkey::public_ceremony(&state, "sign-in-passkey", ip, Purpose::SignIn).await
}

/// Sign in with a passkey. A passkey that matches no one, a removed one and a disabled
/// user's all get the same answer.
#[utoipa::path(post, path = "/api/session/passkey", tag = "session",
    request_body = PasskeySignInRequest,
    responses(
        (status = 200, description = "Signed in; sets the session cookie", body = SessionInfo),
        (status = 400, description = "invalid_json (not a WebAuthn credential)", body = ApiError),
        (status = 422, description = "passkey_refused, or code_expired (the ceremony was used or ran out)", body = ApiError),
    ))]
pub async fn passkey_sign_in(
    State(state): State<AppState>,
    jar: CookieJar,
    Json(request): Json<PasskeySignInRequest>,
) -> Result<(CookieJar, Json<SessionInfo>), AppError> {
    let answer = &request.passkey;
    let verified = passkeys::verify_discoverable(
        &state,
        Purpose::SignIn,
        super::reset::passkey::UNBOUND,
        &answer.challenge_id,
        &answer.credential,
    )
    .await;
    let user = match verified {
        Ok(verified) => verified.user,
        Err(refusal) => {
            if let Some(user) = &refusal.claimed {
                let name = user.sign_in_name.as_str();
                let mut detail = serde_json::json!({ "method": MethodKind::Passkey.as_str() });
                if let PasskeyFault::Refused { cloned: true } = refusal.fault {
                    // A copy of the key may be in use: the one failure an admin must look into.
                    detail["counter_went_back"] = serde_json::Value::Bool(true);
                }
                let event = audit::NewEvent::by(None, AuditAction::SignInFailed, name)
                    .values(None, Some(&detail));
                audit::record_alone(&state.db.pool, event).await?;
            }
            return Err(refusal.fault.into());
        }
    };
    let lang = request.lang.as_deref().map(Lang::negotiate);
    let method = Some(MethodKind::Passkey);
    open_session(&state, jar, &user, None, lang, method).await
}

/// The signed-in person and the CSRF token to send with changes.
#[utoipa::path(get, path = "/api/session", tag = "session",
    responses(
        (status = 200, body = SessionInfo),
        (status = 401, description = "unauthenticated", body = ApiError),
    ))]
pub async fn current(
    State(state): State<AppState>,
    SignedIn(current): SignedIn,
) -> Result<Json<SessionInfo>, AppError> {
    let info = session_info(
        &state,
        &current.user,
        current.csrf_token,
        current.expires_at,
        current.registration_skipped,
        current.password_change_due,
    )
    .await?;
    Ok(Json(info))
}

/// Sign out: the session ends on the server, not just in this browser.
#[utoipa::path(delete, path = "/api/session", tag = "session",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "csrf_failed", body = ApiError),
    ))]
pub async fn sign_out(
    State(state): State<AppState>,
    jar: CookieJar,
    SignedIn(current): SignedIn,
) -> Result<(CookieJar, StatusCode), AppError> {
    sessions::delete(&state.db.pool, &current.token_hash).await?;
    let name = current.user.sign_in_name.as_str();
    let event = audit::NewEvent::by(Some(name), AuditAction::SignedOut, name);
    audit::record_alone(&state.db.pool, event).await?;
    let removal = Cookie::build(SESSION_COOKIE).path(format!("{}/", state.config.base_prefix()));
    Ok((jar.remove(removal), StatusCode::NO_CONTENT))
}
