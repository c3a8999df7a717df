//! The append-only audit log: recording (with the client of the request it comes from),
//! listing by filters a page at a time, and reading a filtered view for export.

use std::future::Future;

use futures_util::{Stream, TryStreamExt};
use rekey_core::audit::{AuditAction, Flow, Outcome};
use rekey_core::dto::{AuditEvent, AuditQuery};
use rekey_core::security_info::MethodKind;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

use super::conditions::{Conditions, Value};
use super::contains_pattern;
use crate::infra::db::{new_id, now_ms};

/// Who sent the request an event comes from, as far as the server can tell.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The longest user agent kept; some clients send kilobytes.
const USER_AGENT_MAX: usize = 256;

tokio::task_local! {
    static CLIENT: Client;
}

/// Runs `work` (one request's handling) with its client known, so every event it records
/// carries the client without each call site passing it along. Work spawned off the request
/// (background tasks) records no client.
pub async fn with_client<F: Future>(client: Client, work: F) -> F::Output {
    let client = Client {
        user_agent: client
            .user_agent
            .map(|ua| ua.chars().take(USER_AGENT_MAX).collect()),
        ..client
    };
    CLIENT.scope(client, work).await
}

/// One event to record.
pub struct NewEvent<'a> {
    pub actor: Option<&'a str>,
    pub action: AuditAction,
    pub target: Option<&'a str>,
    pub old_value: Option<&'a serde_json::Value>,
    pub new_value: Option<&'a serde_json::Value>,
}

impl<'a> NewEvent<'a> {
    /// `actor` did `action` to `target`; no actor is the system, or someone not signed in.
    pub fn by(actor: Option<&'a str>, action: AuditAction, target: &'a str) -> NewEvent<'a> {
        NewEvent {
            actor,
            action,
            target: Some(target),
            old_value: None,
            new_value: None,
        }
    }

    /// The value before and after the change.
    pub fn values(
        self,
        old_value: Option<&'a serde_json::Value>,
        new_value: Option<&'a serde_json::Value>,
    ) -> NewEvent<'a> {
        NewEvent {
            old_value,
            new_value,
            ..self
        }
    }
}

/// Records an event on its own, outside any other transaction.
pub async fn record_alone(pool: &AnyPool, event: NewEvent<'_>) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    record(&mut tx, event).await?;
    tx.commit().await
}

/// Records an event, and counts it in the daily rollup when reports sum it. Call it inside a
/// transaction (or through `record_alone`) so the two commit together.
pub async fn record(conn: &mut AnyConnection, event: NewEvent<'_>) -> Result<(), sqlx::Error> {
    let client = CLIENT.try_with(Client::clone).unwrap_or_default();
    let facets = Facets::of(event.action, event.new_value);
    let at_ms = now_ms();
    sqlx::query(
        "INSERT INTO audit_events \
         (id, at_ms, actor, action, target, old_value, new_value, client_ip, user_agent, \
          flow, methods, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(new_id())
    .bind(at_ms)
    .bind(event.actor)
    .bind(event.action.as_str())
    .bind(event.target)
    .bind(event.old_value.map(|v| v.to_string()))
    .bind(event.new_value.map(|v| v.to_string()))
    .bind(client.ip)
    .bind(client.user_agent)
    .bind(facets.flow)
    .bind(facets.methods_text())
    .bind(facets.detail.as_deref())
    .execute(&mut *conn)
    .await?;
    if ROLLED_UP.contains(&event.action) {
        count_daily(conn, event.action, &facets, at_ms).await?;
    }
    Ok(())
}

/// The actions reports sum, counted per day as they are recorded.
pub const ROLLED_UP: [AuditAction; 10] = [
    AuditAction::ResetStarted,
    AuditAction::ResetAbandoned,
    AuditAction::PasswordResetSelf,
    AuditAction::AccountUnlockedSelf,
    AuditAction::PasswordResetByAdmin,
    AuditAction::AccountUnlockedByAdmin,
    AuditAction::ProofFailed,
    AuditAction::ResetBlocked,
    AuditAction::SecurityInfoChanged,
    AuditAction::SecurityInfoConfirmed,
];

/// The longest detail kept in its column (the JSON keeps all of it).
const DETAIL_MAX: usize = 64;

/// What reports group an event by, read from its detail: the flow, the methods it names and
/// its one-word detail (a failure's reason, a registration change's kind).
#[derive(Debug, Default, PartialEq)]
struct Facets {
    flow: Option<&'static str>,
    methods: Vec<MethodKind>,
    detail: Option<String>,
}

impl Facets {
    fn of(action: AuditAction, value: Option<&serde_json::Value>) -> Facets {
        let text = |key: &str| value.and_then(|v| v.get(key)).and_then(|v| v.as_str());
        let flow = text("flow")
            .and_then(|f| {
                [Flow::Reset, Flow::Unlock, Flow::StepUp]
                    .into_iter()
                    .find(|k| k.as_str() == f)
            })
            .or(match action {
                AuditAction::PasswordResetSelf => Some(Flow::Reset),
                AuditAction::AccountUnlockedSelf => Some(Flow::Unlock),
                _ => None,
            });
        let listed = value
            .and_then(|v| v.get("methods"))
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str());
        let named: Vec<&str> = text("method").into_iter().chain(listed).collect();
        Facets {
            flow: flow.map(Flow::as_str),
            methods: MethodKind::ALL
                .into_iter()
                .filter(|kind| named.contains(&kind.as_str()))
                .collect(),
            detail: text("reason")
                .or_else(|| text("change"))
                .map(|d| d.chars().take(DETAIL_MAX).collect()),
        }
    }

    /// As stored: comma-separated in the order of `MethodKind::ALL`, or none.
    fn methods_text(&self) -> Option<String> {
        let names: Vec<&str> = self.methods.iter().map(|m| m.as_str()).collect();
        (!names.is_empty()).then(|| names.join(","))
    }
}

/// Adds the event to its day's count, and to its day's count for each method it names.
async fn count_daily(
    conn: &mut AnyConnection,
    action: AuditAction,
    facets: &Facets,
    at_ms: i64,
) -> Result<(), sqlx::Error> {
    let methods = std::iter::once("").chain(facets.methods.iter().map(|m| m.as_str()));
    for method in methods {
        sqlx::query(
            "INSERT INTO audit_daily (day, action, flow, detail, method, events) \
             VALUES ($1, $2, $3, $4, $5, 1) \
             ON CONFLICT (day, action, flow, detail, method) \
             DO UPDATE SET events = audit_daily.events + 1",
        )
        .bind(at_ms.div_euclid(DAY_MS))
        .bind(action.as_str())
        .bind(facets.flow.unwrap_or(""))
        .bind(facets.detail.as_deref().unwrap_or(""))
        .bind(method)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A UTC day in milliseconds: the rollup's days are `at_ms / DAY_MS`.
pub const DAY_MS: i64 = 86_400_000;

const COLUMNS: &str =
    "id, at_ms, actor, action, target, old_value, new_value, client_ip, user_agent";

/// The filters as SQL. Each one can use an index: `(action, at_ms)`, `(actor, at_ms)`,
/// `(target, at_ms)` and `(at_ms, id)`; the text search alone reads events newest first until
/// the page is full.
fn conditions(query: &AuditQuery) -> Conditions {
    let mut conditions = Conditions::default();
    if let Some(user) = query.user() {
        conditions.push_all(
            "(actor = ? OR target = ?)",
            vec![Value::Text(user.clone()), Value::Text(user)],
        );
    }
    if let Some(action) = query.action {
        conditions.push("action = ?", Value::Text(action.as_str().into()));
    }
    if let Some(outcome) = query.outcome {
        let failures: Vec<String> = AuditAction::FAILURES
            .iter()
            .map(|a| format!("'{}'", a.as_str()))
            .collect();
        // The names are the server's own constants, never the request's. `action || ''`
        // keeps the planner off the action index: an outcome is a large share of all events,
        // found fastest by reading the newest first.
        let not = if outcome == Outcome::Success {
            "NOT "
        } else {
            ""
        };
        let names = failures.join(", ");
        conditions.push_all(&format!("action || '' {not}IN ({names})"), vec![]);
    }
    if let Some(flow) = query.flow {
        conditions.push("flow = ?", Value::Text(flow.as_str().into()));
    }
    if let Some(method) = query.method {
        conditions.push(
            "(',' || methods || ',') LIKE ?",
            Value::Text(format!("%,{},%", method.as_str())),
        );
    }
    if let Some(detail) = query.detail.as_deref().filter(|d| !d.is_empty()) {
        conditions.push("detail = ?", Value::Text(detail.to_string()));
    }
    if let Some(from) = query.from {
        conditions.push("at_ms >= ?", Value::Int(from.saturating_mul(1000)));
    }
    if let Some(to) = query.to {
        conditions.push("at_ms < ?", Value::Int(to.saturating_mul(1000)));
    }
    if let Some(search) = query.search() {
        let pattern = contains_pattern(&search);
        conditions.push_all(
            "(LOWER(COALESCE(actor, '')) LIKE ? ESCAPE '\\' \
             OR LOWER(COALESCE(target, '')) LIKE ? ESCAPE '\\' \
             OR COALESCE(client_ip, '') LIKE ? ESCAPE '\\')",
            vec![
                Value::Text(pattern.clone()),
                Value::Text(pattern.clone()),
                Value::Text(pattern),
            ],
        );
    }
    conditions
}

/// Where a page ends: the last event's time and id, newest first.
pub fn cursor_of(event: &AuditEvent, at_ms: i64) -> String {
    format!("{at_ms}.{}", event.id)
}

fn parse_cursor(cursor: &str) -> Option<(i64, String)> {
    let (at, id) = cursor.split_once('.')?;
    Some((at.parse().ok()?, id.to_string()))
}

fn event_of(row: &AnyRow) -> Option<(AuditEvent, i64)> {
    let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    let action = AuditAction::parse(&row.try_get::<String, _>("action").ok()?)?;
    let at_ms: i64 = row.try_get("at_ms").ok()?;
    let event = AuditEvent {
        id: row.try_get("id").ok()?,
        at: at_ms.div_euclid(1000),
        actor: row.try_get("actor").ok()?,
        action,
        outcome: action.outcome(),
        target: row.try_get("target").ok()?,
        old_value: parse(row.try_get("old_value").ok()?),
        new_value: parse(row.try_get("new_value").ok()?),
        client_ip: row.try_get("client_ip").ok()?,
        user_agent: row.try_get("user_agent").ok()?,
    };
    Some((event, at_ms))
}

/// One page of the events that match, newest first, and the cursor of the next page. A
/// malformed cursor reads as "from the newest".
pub async fn list(
    pool: &AnyPool,
    query: &AuditQuery,
) -> Result<(Vec<AuditEvent>, Option<String>), sqlx::Error> {
    page(pool, query, query.before.as_deref(), query.per_page()).await
}

async fn page(
    pool: &AnyPool,
    query: &AuditQuery,
    before: Option<&str>,
    size: u32,
) -> Result<(Vec<AuditEvent>, Option<String>), sqlx::Error> {
    let mut conditions = conditions(query);
    if let Some((at_ms, id)) = before.and_then(parse_cursor) {
        // A row-value comparison, which both databases read as one range of the time index.
        conditions.push_all(
            "(at_ms, id) < (?, ?)",
            vec![Value::Int(at_ms), Value::Text(id)],
        );
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_events {} ORDER BY at_ms DESC, id DESC LIMIT {}",
        conditions.clause(),
        size + 1
    );
    let rows = conditions.bind(sqlx::query(&sql)).fetch_all(pool).await?;
    let mut events: Vec<(AuditEvent, i64)> = rows.iter().filter_map(event_of).collect();
    let more = events.len() > size as usize;
    events.truncate(size as usize);
    let next = more
        .then(|| events.last().map(|(event, at_ms)| cursor_of(event, *at_ms)))
        .flatten();
    Ok((events.into_iter().map(|(event, _)| event).collect(), next))
}

/// Rows read per round trip while exporting.
const EXPORT_CHUNK: u32 = 1_000;

/// The events that match, newest first, at most `limit`: read a chunk at a time as they are
/// sent, so an export never holds the whole view in memory.
pub fn export(
    pool: AnyPool,
    query: AuditQuery,
    limit: u32,
) -> impl Stream<Item = Result<AuditEvent, sqlx::Error>> + Send + 'static {
    // (where the next chunk starts, rows still to send); `None` once the view is read.
    let start = Some((None::<String>, limit));
    futures_util::stream::try_unfold(start, move |position| {
        let (pool, query) = (pool.clone(), query.clone());
        async move {
            let Some((before, left)) = position.filter(|(_, left)| *left > 0) else {
                return Ok::<_, sqlx::Error>(None);
            };
            let size = left.min(EXPORT_CHUNK);
            let (events, next) = page(&pool, &query, before.as_deref(), size).await?;
            let sent = events.len() as u32;
            let position = next.map(|next| (Some(next), left - sent));
            Ok(Some((
                futures_util::stream::iter(events.into_iter().map(Ok)),
                position,
            )))
        }
    })
    .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn facets_come_from_the_detail_and_the_action() {
        let proof = json!({"flow": "unlock", "method": "email", "reason": "wrong_code"});
        let facets = Facets::of(AuditAction::ProofFailed, Some(&proof));
        assert_eq!(facets.flow, Some("unlock"));
        assert_eq!(facets.methods_text().as_deref(), Some("email"));
        assert_eq!(facets.detail.as_deref(), Some("wrong_code"));

        let reset = json!({"methods": ["security_questions", "authenticator_app", "nonsense"]});
        let facets = Facets::of(AuditAction::PasswordResetSelf, Some(&reset));
        assert_eq!(facets.flow, Some("reset"));
        assert_eq!(
            facets.methods_text().as_deref(),
            Some("authenticator_app,security_questions")
        );
        assert_eq!(facets.detail, None);

        let change = json!({"method": "mobile_phone", "change": "removed"});
        let facets = Facets::of(AuditAction::SecurityInfoChanged, Some(&change));
        assert_eq!(
            (facets.flow, facets.detail.as_deref()),
            (None, Some("removed"))
        );
        assert_eq!(Facets::of(AuditAction::SignedOut, None), Facets::default());
    }
}
