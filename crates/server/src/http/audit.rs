//! The audit log: a filtered page of events, newest first; the same view as CSV; and the layer
//! that lets every event a request records name the request's client.

use axum::extract::{Request, State};
use axum::http::header::USER_AGENT;
use axum::middleware::Next;
use axum::response::Response;
use futures_util::TryStreamExt;
use rekey_core::dto::{AuditEvent, AuditPage, AuditQuery, AUDIT_EXPORT_MAX_ROWS};
use rekey_core::error::ApiError;

use super::csv_body::{self, csv_row, time_text};
use super::error::AppError;
use super::extract::{AdminUser, ClientIp, Json, Query};
use crate::state::AppState;
use crate::store::audit::{self, Client};

/// Runs the request with its client's address and user agent known to the audit log.
pub async fn client_context(ClientIp(ip): ClientIp, request: Request, next: Next) -> Response {
    let user_agent = request
        .headers()
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let client = Client {
        ip: ip.map(|ip| ip.to_string()),
        user_agent,
    };
    audit::with_client(client, next.run(request)).await
}

#[utoipa::path(get, path = "/api/audit", tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, body = AuditPage),
        (status = 400, description = "invalid_parameter", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _admin: AdminUser,
    Query(query): Query<AuditQuery>,
) -> Result<Json<AuditPage>, AppError> {
    let (items, next) = audit::list(&state.db.pool, &query).await?;
    Ok(Json(AuditPage { items, next }))
}

/// The CSV's columns, in order.
const HEADER: [&str; 9] = [
    "time_utc",
    "actor",
    "action",
    "outcome",
    "target",
    "client_ip",
    "user_agent",
    "old_value",
    "new_value",
];

/// The events the filters select (ignoring `before` and `per_page`), newest first, at most
/// 100,000 rows, as CSV streamed while it is read.
#[utoipa::path(get, path = "/api/audit/export", tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "text/csv, one event per row, newest first", content_type = "text/csv", body = String),
        (status = 400, description = "invalid_parameter", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn export(
    State(state): State<AppState>,
    _admin: AdminUser,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let query = AuditQuery {
        before: None,
        ..query
    };
    let rows = audit::export(state.db.pool.clone(), query, AUDIT_EXPORT_MAX_ROWS)
        .map_ok(|event| csv_row(&row_of(&event)));
    Ok(csv_body::download("rekey-audit", &HEADER, rows))
}

fn row_of(event: &AuditEvent) -> [String; 9] {
    let json = |value: &Option<serde_json::Value>| {
        value.as_ref().map(|v| v.to_string()).unwrap_or_default()
    };
    [
        time_text(Some(event.at)),
        event.actor.clone().unwrap_or_default(),
        event.action.as_str().to_string(),
        event.outcome.as_str().to_string(),
        event.target.clone().unwrap_or_default(),
        event.client_ip.clone().unwrap_or_default(),
        event.user_agent.clone().unwrap_or_default(),
        json(&event.old_value),
        json(&event.new_value),
    ]
}
