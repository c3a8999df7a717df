//! The append-only audit log.

use rekey_core::audit::AuditAction;
use rekey_core::dto::AuditEvent;
use sqlx::{AnyConnection, AnyPool, Row};

use super::offset;
use crate::infra::db::{new_id, now_ms};

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

/// Records an event on its own, outside any transaction.
pub async fn record_alone(pool: &AnyPool, event: NewEvent<'_>) -> Result<(), sqlx::Error> {
    record(&mut *pool.acquire().await?, event).await
}

pub async fn record(conn: &mut AnyConnection, event: NewEvent<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_events (id, at_ms, actor, action, target, old_value, new_value) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(now_ms())
    .bind(event.actor)
    .bind(event.action.as_str())
    .bind(event.target)
    .bind(event.old_value.map(|v| v.to_string()))
    .bind(event.new_value.map(|v| v.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Newest first.
pub async fn list(
    pool: &AnyPool,
    page: u32,
    per_page: u32,
) -> Result<(Vec<AuditEvent>, u64), sqlx::Error> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events")
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query(
        "SELECT id, at_ms, actor, action, target, old_value, new_value FROM audit_events \
         ORDER BY at_ms DESC, id DESC LIMIT $1 OFFSET $2",
    )
    .bind(i64::from(per_page))
    .bind(offset(page, per_page))
    .fetch_all(pool)
    .await?;
    let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    let events = rows
        .iter()
        .filter_map(|row| {
            let action = AuditAction::parse(&row.try_get::<String, _>("action").ok()?)?;
            Some(AuditEvent {
                id: row.try_get("id").ok()?,
                at: row.try_get::<i64, _>("at_ms").ok()? / 1000,
                actor: row.try_get("actor").ok()?,
                action,
                target: row.try_get("target").ok()?,
                old_value: parse(row.try_get("old_value").ok()?),
                new_value: parse(row.try_get("new_value").ok()?),
            })
        })
        .collect();
    Ok((events, total.max(0) as u64))
}
