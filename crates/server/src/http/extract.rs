//! Extractors: JSON bodies and query strings whose failures become `AppError`s, and the
//! signed-in user (session cookie + CSRF check).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use rekey_core::dto::PasswordChangeReason;
use rekey_core::roles::{can_manage_sspr, can_manage_users, can_read_reports, is_admin, Role};
use rekey_core::text;
use rekey_core::validation::{FieldError, Rule};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::AppError;
use crate::infra::db::now;
use crate::infra::secrets::{constant_time_eq, token_hash};
use crate::state::AppState;
use crate::store::{sessions, users};

pub const SESSION_COOKIE: &str = "rekey_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A JSON body; any problem with it is a 4xx `AppError`, never a 5xx. Every string in it
/// (keys too) must pass the input rule (`rekey_core::text`), or the answer is 422 naming the
/// field, before the handler sees anything.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let axum::Json(value) =
            axum::Json::<serde_json::Value>::from_request(request, state).await?;
        if let Some(field) = unclean_field(&value, "") {
            return Err(AppError::Validation(vec![FieldError::new(
                &field,
                Rule::InvalidCharacters,
            )]));
        }
        T::deserialize(value)
            .map(Json)
            .map_err(|e| AppError::InvalidJson(e.to_string()))
    }
}

/// The name of the first field holding a character the input rule refuses (for an array
/// element, the array's field).
fn unclean_field(value: &serde_json::Value, field: &str) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(text) => {
            (!text::is_clean(text, text::is_multiline_field(field))).then(|| field.to_string())
        }
        Value::Array(items) => items.iter().find_map(|item| unclean_field(item, field)),
        Value::Object(entries) => entries.iter().find_map(|(key, item)| {
            if text::is_clean(key, false) {
                unclean_field(item, key)
            } else {
                Some(field.to_string())
            }
        }),
        _ => None,
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A query string; a value (once percent-decoded) holding a character the input rule refuses
/// is `invalid_parameter`, like any other malformed query.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Query(pairs) =
            axum::extract::Query::<Vec<(String, String)>>::from_request_parts(parts, state).await?;
        if let Some((name, _)) = pairs
            .iter()
            .find(|(name, value)| !text::is_clean(name, false) || !text::is_clean(value, false))
        {
            return Err(invalid_characters(name));
        }
        let axum::extract::Query(query) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(query))
    }
}

/// A path parameter: like axum's, but a value (once percent-decoded) holding a character the
/// input rule refuses is `invalid_parameter` before any look-up.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|e| AppError::InvalidParameter(e.body_text()))?;
        if let Some((name, _)) = params
            .iter()
            .find(|(_, value)| !text::is_clean(value, false))
        {
            return Err(invalid_characters(name));
        }
        let axum::extract::Path(value) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Path(value))
    }
}

fn invalid_characters(name: &str) -> AppError {
    AppError::InvalidParameter(format!("`{name}` holds characters that are not allowed"))
}

/// The client's address: the TCP peer, or the last `X-Forwarded-For` entry when the deployment
/// says a proxy sets it. `None` when neither is known (e.g. a server started without
/// connection info).
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let forwarded = || {
            let header = parts.headers.get("x-forwarded-for")?.to_str().ok()?;
            header.rsplit(',').next()?.trim().parse().ok()
        };
        let peer = || {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip())
        };
        let ip = if state.config.trust_forwarded_for {
            forwarded().or_else(peer)
        } else {
            peer()
        };
        Ok(ClientIp(ip))
    }
}

/// The signed-in person. State-changing requests must also carry the session's CSRF token.
pub struct CurrentUser {
    pub user: users::UserRecord,
    pub roles: Vec<Role>,
    pub token_hash: String,
    pub csrf_token: String,
    pub expires_at: i64,
    pub proved_until: i64,
    pub registration_skipped: bool,
    /// Nothing but the password change (and signing out) answers until it is done.
    pub password_change_due: Option<PasswordChangeReason>,
}

/// The signed-in person, even while a password change is due: for the few endpoints that
/// must answer then (the session, sign-out, the change itself).
pub struct SignedIn(pub CurrentUser);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(SESSION_COOKIE)
            .map(|c| c.value().to_string())
            .ok_or(AppError::Unauthenticated)?;
        let hash = token_hash(&token);
        let pool = &state.db.pool;
        let session = sessions::find(pool, &hash)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let now = now();
        let idle_limit = state.config.session_idle_minutes * 60;
        if session.expires_at <= now || session.last_seen_at + idle_limit <= now {
            sessions::delete(pool, &hash).await?;
            return Err(AppError::Unauthenticated);
        }
        if !parts.method.is_safe() {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent, &session.csrf_token) {
                return Err(AppError::Csrf);
            }
        }
        let user = users::find_by_id(pool, &session.user_id)
            .await?
            .filter(|u| u.enabled)
            .ok_or(AppError::Unauthenticated)?;
        // Refresh the idle timer at most once a minute to spare the database a write per request.
        if now - session.last_seen_at >= 60 {
            sessions::touch(pool, &hash, now).await?;
        }
        let roles = users::roles(pool, &user.id).await?;
        Ok(SignedIn(CurrentUser {
            user,
            roles,
            token_hash: hash,
            csrf_token: session.csrf_token,
            expires_at: session.expires_at,
            proved_until: session.proved_until,
            registration_skipped: session.registration_skipped,
            password_change_due: session.password_change_due,
        }))
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let SignedIn(current) = SignedIn::from_request_parts(parts, state).await?;
        if current.password_change_due.is_some() {
            return Err(AppError::PasswordChangeRequired);
        }
        Ok(current)
    }
}

/// The signed-in person, when their roles pass `allowed`; 403 otherwise.
async fn holding(
    parts: &mut Parts,
    state: &AppState,
    allowed: fn(&[Role]) -> bool,
) -> Result<CurrentUser, AppError> {
    let current = CurrentUser::from_request_parts(parts, state).await?;
    if allowed(&current.roles) {
        Ok(current)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Extractors for a signed-in person whose roles pass a test.
macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $allowed:path) => {
        $(#[$doc])*
        pub struct $name(pub CurrentUser);

        impl FromRequestParts<AppState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &AppState,
            ) -> Result<Self, AppError> {
                holding(parts, state, $allowed).await.map($name)
            }
        }
    };
}

role_extractor!(
    /// A signed-in person holding at least one admin role.
    AdminUser,
    is_admin
);
role_extractor!(
    /// A signed-in Global admin or Password admin: who may change self-service password reset.
    SsprManager,
    can_manage_sspr
);
role_extractor!(
    /// A signed-in Global admin or User admin: who may manage users' details.
    UserManager,
    can_manage_users
);
role_extractor!(
    /// A signed-in Global admin, Password admin or Reports reader: who may read the reports.
    ReportReader,
    can_read_reports
);
