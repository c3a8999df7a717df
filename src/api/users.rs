//! Managing users: the filtered listing, one user, changes, admin password resets, CSV import.

use gloo_net::http::Request;
use rekey_core::dto::{
    AdminPasswordRequest, AdminPasswordResult, ImportReport, ImportRequest, NewUserRequest,
    NewUserResult, Page, PasskeyView, PasswordRules, UpdateUserRequest, UserDetail, UserQuery,
    UserSummary,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{act_only, get, url, write, Failure};

fn at(id: &str, rest: &str) -> String {
    url(&format!("/users/{id}{rest}"))
}

/// A value's name on the wire (a role, a password filter), as serde spells it.
pub fn wire_name<T: Serialize>(value: &T) -> String {
    serde_wasm_bindgen::to_value(value)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The value a wire name stands for, if any.
pub fn from_wire_name<T: DeserializeOwned>(name: &str) -> Option<T> {
    crate::json::decode(name.into())
}

/// The listing's search, filters and page as query parameters, leaving out what is unset (and
/// the first page). The Users page keeps the same parameters in its own address.
pub fn query_pairs(query: &UserQuery) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        pairs.push(("q", q.to_string()));
    }
    if let Some(role) = query.role {
        pairs.push(("role", wire_name(&role)));
    }
    if let Some(group) = &query.group {
        pairs.push(("group", group.clone()));
    }
    if let Some(enabled) = query.enabled {
        pairs.push(("enabled", enabled.to_string()));
    }
    if let Some(registered) = query.registered {
        pairs.push(("registered", registered.to_string()));
    }
    if let Some(password) = query.password {
        pairs.push(("password", wire_name(&password)));
    }
    if let Some(sspr) = query.sspr {
        pairs.push(("sspr", sspr.to_string()));
    }
    if let Some(coverage) = query.coverage {
        pairs.push(("coverage", wire_name(&coverage)));
    }
    if let Some(method) = query.method {
        pairs.push(("method", method.as_str().to_string()));
    }
    if let Some(admin) = query.admin {
        pairs.push(("admin", admin.to_string()));
    }
    if let Some(page) = query.page.filter(|&page| page > 1) {
        pairs.push(("page", page.to_string()));
    }
    pairs
}

/// Where the browser downloads every user the filters select as CSV.
pub fn export_url(query: &UserQuery) -> String {
    let whole = UserQuery {
        page: None,
        ..query.clone()
    };
    super::download_url("/users/export", &query_pairs(&whole))
}

pub async fn list(query: &UserQuery) -> Result<Page<UserSummary>, Failure> {
    get("/users", &query_pairs(query)).await
}

pub async fn detail(id: &str) -> Result<UserDetail, Failure> {
    get(&format!("/users/{id}"), &[]).await
}

/// Creates a user; a generated first password comes back this once.
pub async fn create(request: &NewUserRequest) -> Result<NewUserResult, Failure> {
    write(Request::post(&url("/users")), request).await
}

pub async fn update(id: &str, request: &UpdateUserRequest) -> Result<UserDetail, Failure> {
    write(Request::patch(&at(id, "")), request).await
}

pub async fn delete(id: &str) -> Result<(), Failure> {
    act_only(Request::delete(&at(id, ""))).await
}

/// What a new password of this user must meet, so the page checks it as the server will.
pub async fn password_rules(id: &str) -> Result<PasswordRules, Failure> {
    get(&format!("/users/{id}/password-rules"), &[]).await
}

/// Sets a typed or generated password; the server signs the user out everywhere.
pub async fn reset_password(
    id: &str,
    request: &AdminPasswordRequest,
) -> Result<AdminPasswordResult, Failure> {
    write(Request::post(&at(id, "/password")), request).await
}

/// Ends a sign-in lockout.
pub async fn unlock(id: &str) -> Result<(), Failure> {
    act_only(Request::post(&at(id, "/unlock"))).await
}

/// The user's passkeys, oldest first.
pub async fn passkeys(id: &str) -> Result<Vec<PasskeyView>, Failure> {
    get(&format!("/users/{id}/passkeys"), &[]).await
}

/// Removes one of the user's passkeys (lost or stolen).
pub async fn remove_passkey(id: &str, passkey: &str) -> Result<(), Failure> {
    act_only(Request::delete(&at(id, &format!("/passkeys/{passkey}")))).await
}

/// Signs the user out of every session.
pub async fn revoke_sessions(id: &str) -> Result<(), Failure> {
    act_only(Request::delete(&at(id, "/sessions"))).await
}

/// Checks (dry run) or imports users from CSV.
pub async fn import(request: &ImportRequest) -> Result<ImportReport, Failure> {
    write(Request::post(&url("/users/import")), request).await
}
