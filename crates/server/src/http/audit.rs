//! The audit log: a filtered page of events, newest first; the same view as CSV; and the layer
//! that lets every event a request records name the request's client.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, USER_AGENT};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, TryStreamExt};
use rekey_core::dto::{AuditEvent, AuditPage, AuditQuery, AUDIT_EXPORT_MAX_ROWS};
use rekey_core::error::ApiError;

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
    let body =
        futures_util::stream::once(async { Ok(csv_row(&HEADER.map(String::from))) }).chain(rows);
    let date = time::OffsetDateTime::now_utc().date();
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"rekey-audit-{date}.csv\""),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

fn row_of(event: &AuditEvent) -> [String; 9] {
    let json = |value: &Option<serde_json::Value>| {
        value.as_ref().map(|v| v.to_string()).unwrap_or_default()
    };
    let time = time::OffsetDateTime::from_unix_timestamp(event.at)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    [
        time,
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

/// One CSV line. A field a spreadsheet would read as a formula (a typed sign-in name can be
/// anything) is quoted with a leading apostrophe, so opening the export runs nothing.
fn csv_row(fields: &[String]) -> Bytes {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let safe = fields.iter().map(|field| {
        if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{field}")
        } else {
            field.clone()
        }
    });
    // Writing to memory cannot fail.
    let _ = writer.write_record(safe);
    Bytes::from(writer.into_inner().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        let line = csv_row(&[
            "=HYPERLINK(\"x\")".to_string(),
            "a,b".to_string(),
            "plain".to_string(),
        ]);
        assert_eq!(
            std::str::from_utf8(&line).unwrap(),
            "\"'=HYPERLINK(\"\"x\"\")\",\"a,b\",plain\n"
        );
    }
}
