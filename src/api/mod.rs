//! The typed client of the JSON API: one function per endpoint, the shared DTOs from
//! `rekey_core`, and the CSRF token attached to every change.

pub mod password;
pub mod reports;
pub mod reset;
mod security_info;
pub mod users;

pub use security_info::*;

use std::cell::RefCell;

use gloo_net::http::{Request, RequestBuilder, Response};
use rekey_core::dto::{
    AuditPage, AuditQuery, DirectoryTestResult, EmailStatus, GroupRolesRequest, GroupSummary,
    ListQuery, Page, PasskeyOptions, PasskeySignInRequest, PasskeyStatus, QueuedMessage,
    SessionInfo, SettingsView, SignInRequest, SmsStatus, SyncResult, SyncStatus, TestEmailRequest,
    TestSmsRequest,
};
use rekey_core::error::{ApiError, ErrorCode};
use rekey_core::settings::{
    BrandingSettings, DirectorySettings, EmbeddingSettings, SettingsSection,
};
use rekey_core::validation::FieldError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use web_sys::RequestCredentials;

use crate::{json, runtime_config};

thread_local! {
    static CSRF_TOKEN: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Remembers the session's CSRF token, sent with every state-changing request.
pub fn set_csrf_token(token: &str) {
    CSRF_TOKEN.with(|t| *t.borrow_mut() = token.to_string());
}

/// Why a call failed, as the API said it (or `unavailable` when it could not be reached).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub code: ErrorCode,
    pub fields: Vec<FieldError>,
    pub retry_after_seconds: Option<u64>,
    pub attempts_remaining: Option<u32>,
}

impl Failure {
    pub fn of(code: ErrorCode) -> Failure {
        Failure {
            code,
            fields: Vec::new(),
            retry_after_seconds: None,
            attempts_remaining: None,
        }
    }
}

fn url(path: &str) -> String {
    format!("{}{}", runtime_config::get().api_base, path)
}

fn with_credentials(builder: RequestBuilder) -> RequestBuilder {
    let csrf = CSRF_TOKEN.with(|t| t.borrow().clone());
    builder
        .credentials(RequestCredentials::Include)
        .header("X-CSRF-Token", &csrf)
}

/// The request with `body` as its JSON.
fn with_json<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<Request, gloo_net::Error> {
    let text = json::stringify(body)
        .ok_or_else(|| gloo_net::Error::GlooError("unencodable body".to_string()))?;
    builder
        .header("Content-Type", "application/json")
        .body(text)
}

/// The answer's body as a `T`, parsed by the browser; `None` when it is missing or of another
/// shape.
async fn body_of<T: DeserializeOwned>(response: Response) -> Option<T> {
    let parsed = web_sys::Response::from(response).json().ok()?;
    json::decode(wasm_bindgen_futures::JsFuture::from(parsed).await.ok()?)
}

async fn error_of(response: Response) -> Failure {
    match body_of::<ApiError>(response).await {
        Some(body) => Failure {
            code: body.error.code,
            fields: body.error.fields,
            retry_after_seconds: body.error.retry_after_seconds,
            attempts_remaining: body.error.attempts_remaining,
        },
        None => Failure::of(ErrorCode::Unavailable),
    }
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, Failure> {
    let request = request.map_err(|_| Failure::of(ErrorCode::Internal))?;
    let response = request
        .send()
        .await
        .map_err(|_| Failure::of(ErrorCode::Unavailable))?;
    if response.ok() {
        Ok(response)
    } else {
        Err(error_of(response).await)
    }
}

async fn json_of<T: DeserializeOwned>(response: Response) -> Result<T, Failure> {
    body_of(response)
        .await
        .ok_or(Failure::of(ErrorCode::Internal))
}

async fn get<T: DeserializeOwned>(path: &str, query: &[(&str, String)]) -> Result<T, Failure> {
    let builder = with_credentials(Request::get(&url(path)))
        .query(query.iter().map(|(k, v)| (*k, v.as_str())));
    json_of(send(builder.build()).await?).await
}

async fn write<B: Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    body: &B,
) -> Result<T, Failure> {
    json_of(send(with_json(with_credentials(builder), body)).await?).await
}

/// A change with a body, answered with no content (202 or 204).
async fn write_only<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<(), Failure> {
    send(with_json(with_credentials(builder), body))
        .await
        .map(|_| ())
}

/// A change without a body, answered with JSON.
async fn act<T: DeserializeOwned>(builder: RequestBuilder) -> Result<T, Failure> {
    json_of(send(with_credentials(builder).build()).await?).await
}

/// A change without a body or an answer.
async fn act_only(builder: RequestBuilder) -> Result<(), Failure> {
    send(with_credentials(builder).build()).await.map(|_| ())
}

/// Paging and search parameters for listings.
pub fn list_query(search: &str, page: u32) -> Vec<(&'static str, String)> {
    let mut query = vec![("page", page.to_string())];
    if !search.trim().is_empty() {
        query.push(("q", search.trim().to_string()));
    }
    query
}

pub async fn current_session() -> Result<SessionInfo, Failure> {
    get("/session", &[]).await
}

pub async fn sign_in(request: &SignInRequest) -> Result<SessionInfo, Failure> {
    write(Request::post(&url("/session")), request).await
}

/// A passkey ceremony to sign in with.
pub async fn passkey_sign_in_options() -> Result<PasskeyOptions, Failure> {
    act(Request::post(&url("/session/passkey/start"))).await
}

pub async fn sign_in_with_passkey(request: &PasskeySignInRequest) -> Result<SessionInfo, Failure> {
    write(Request::post(&url("/session/passkey")), request).await
}

pub async fn sign_out() -> Result<(), Failure> {
    act_only(Request::delete(&url("/session"))).await
}

pub async fn groups(search: &str, page: u32) -> Result<Page<GroupSummary>, Failure> {
    get("/groups", &list_query(search, page)).await
}

/// The groups to choose from in a list (filters, membership): the first page at its largest.
pub async fn group_choices() -> Result<Vec<GroupSummary>, Failure> {
    let page: Page<GroupSummary> = get(
        "/groups",
        &[("per_page", ListQuery::MAX_PER_PAGE.to_string())],
    )
    .await?;
    Ok(page.items)
}

/// The audit log's filters and cursor as query parameters, leaving out what is unset.
fn audit_pairs(query: &AuditQuery) -> Vec<(&'static str, String)> {
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let mut pairs = Vec::new();
    pairs.extend(text(&query.q).map(|q| ("q", q)));
    pairs.extend(text(&query.user).map(|u| ("user", u)));
    pairs.extend(query.action.map(|a| ("action", a.as_str().to_string())));
    pairs.extend(query.outcome.map(|o| ("outcome", o.as_str().to_string())));
    pairs.extend(query.flow.map(|f| ("flow", f.as_str().to_string())));
    pairs.extend(query.method.map(|m| ("method", m.as_str().to_string())));
    pairs.extend(text(&query.detail).map(|d| ("detail", d)));
    pairs.extend(query.from.map(|t| ("from", t.to_string())));
    pairs.extend(query.to.map(|t| ("to", t.to_string())));
    pairs.extend(query.before.clone().map(|b| ("before", b)));
    pairs
}

pub async fn audit(query: &AuditQuery) -> Result<AuditPage, Failure> {
    get("/audit", &audit_pairs(query)).await
}

/// The audit log's filters as query parameters (for its page's address too).
pub fn audit_query_pairs(query: &AuditQuery) -> Vec<(&'static str, String)> {
    audit_pairs(&AuditQuery {
        before: None,
        ..query.clone()
    })
}

/// Where the browser downloads the filtered audit log as CSV (the session cookie goes along).
pub fn audit_export_url(query: &AuditQuery) -> String {
    download_url("/audit/export", &audit_query_pairs(query))
}

/// An API address with query parameters, for the browser to open or download itself.
pub fn download_url(path: &str, pairs: &[(&'static str, String)]) -> String {
    with_query(&url(path), pairs)
}

/// `base` with the query parameters (none: `base` as it is).
pub fn with_query(base: &str, pairs: &[(&'static str, String)]) -> String {
    let Ok(params) = web_sys::UrlSearchParams::new() else {
        return base.to_string();
    };
    for (name, value) in pairs {
        params.append(name, value);
    }
    let search = String::from(params.to_string());
    if search.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{search}")
    }
}

pub async fn group(id: &str) -> Result<GroupSummary, Failure> {
    get(&format!("/groups/{id}"), &[]).await
}

pub async fn set_group_roles(
    id: &str,
    request: &GroupRolesRequest,
) -> Result<GroupSummary, Failure> {
    write(Request::put(&url(&format!("/groups/{id}/roles"))), request).await
}

/// The organisation's name, logo and accent for the user screens (public).
pub async fn branding() -> Result<BrandingSettings, Failure> {
    get("/branding", &[]).await
}

/// The origins that may embed Rekey (public): the page posts events only to one of them.
pub async fn embedding_allowlist() -> Result<EmbeddingSettings, Failure> {
    get("/embedding", &[]).await
}

/// One settings section, with when and by whom it last changed.
pub async fn section<T: SettingsSection>() -> Result<SettingsView<T>, Failure> {
    get(T::PATH, &[]).await
}

pub async fn save_section<T: SettingsSection>(settings: &T) -> Result<SettingsView<T>, Failure> {
    write(Request::put(&url(T::PATH)), settings).await
}

pub async fn test_directory(settings: &DirectorySettings) -> Result<DirectoryTestResult, Failure> {
    write(Request::post(&url("/settings/directory/test")), settings).await
}

pub async fn directory_sync_status() -> Result<SyncStatus, Failure> {
    get("/settings/directory/sync", &[]).await
}

/// Syncs what changed since the last sync, or with `full` the whole directory.
pub async fn sync_directory(full: bool) -> Result<SyncResult, Failure> {
    let path = if full {
        "/settings/directory/sync?full=true"
    } else {
        "/settings/directory/sync"
    };
    act(Request::post(&url(path))).await
}

/// The domain passkeys are bound to here, if they can work here.
pub async fn passkey_status() -> Result<PasskeyStatus, Failure> {
    get("/settings/passkeys", &[]).await
}

pub async fn email_status() -> Result<EmailStatus, Failure> {
    get("/settings/email", &[]).await
}

pub async fn send_test_email(request: &TestEmailRequest) -> Result<QueuedMessage, Failure> {
    write(Request::post(&url("/settings/email/test")), request).await
}

pub async fn sms_status() -> Result<SmsStatus, Failure> {
    get("/settings/sms", &[]).await
}

pub async fn send_test_sms(request: &TestSmsRequest) -> Result<QueuedMessage, Failure> {
    write(Request::post(&url("/settings/sms/test")), request).await
}
