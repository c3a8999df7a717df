//! Sign-in failure counters for smart lockout (the policy itself is in `lockout`), keyed
//! `name:<sign-in name>` or `ip:<client address>`.

use sqlx::{AnyPool, Row};

/// Failure counters of one key (a sign-in name or a client address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThrottleState {
    pub failures: i64,
    pub lockouts: i64,
    pub locked_until: i64,
    /// When the last failure was counted.
    pub last_failure_at: i64,
}

pub async fn get(pool: &AnyPool, key: &str) -> Result<ThrottleState, sqlx::Error> {
    let row = sqlx::query(
        "SELECT failures, lockouts, locked_until, updated_at FROM sign_in_throttle WHERE name_key = $1",
    )
    .bind(key)
    .fetch_optional(pool)
    .await?;
    match row {
        None => Ok(ThrottleState::default()),
        Some(row) => Ok(ThrottleState {
            failures: row.try_get("failures")?,
            lockouts: row.try_get("lockouts")?,
            locked_until: row.try_get("locked_until")?,
            last_failure_at: row.try_get("updated_at")?,
        }),
    }
}

pub async fn put(pool: &AnyPool, key: &str, state: &ThrottleState) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sign_in_throttle (name_key, failures, lockouts, locked_until, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name_key) DO UPDATE SET \
         failures = excluded.failures, lockouts = excluded.lockouts, \
         locked_until = excluded.locked_until, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(state.failures)
    .bind(state.lockouts)
    .bind(state.locked_until)
    .bind(state.last_failure_at)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn clear(pool: &AnyPool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE name_key = $1")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}
