//! Sliding-window rate limits: events per key, counted over a window. Shared by every
//! instance through the database (`store::rate_events`).

use sqlx::AnyPool;

use crate::store::rate_events as events;

/// At most `limit` events per `window_seconds` for a key.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub limit: i64,
    pub window_seconds: i64,
}

/// Seconds until the key is under its limit again; `None` when it is under now.
pub async fn wait(
    pool: &AnyPool,
    key: &str,
    limit: Limit,
    now: i64,
) -> Result<Option<u64>, sqlx::Error> {
    let since = now - limit.window_seconds;
    if events::count_since(pool, key, since).await? < limit.limit {
        return Ok(None);
    }
    // The window frees up when the oldest of the last `limit` events leaves it.
    let oldest = events::oldest_of_newest(pool, key, since, limit.limit).await?;
    let wait = oldest.unwrap_or(now) + limit.window_seconds - now;
    Ok(Some(wait.max(1) as u64))
}

/// Events of a key in the last `window_seconds`.
pub async fn count(
    pool: &AnyPool,
    key: &str,
    window_seconds: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    events::count_since(pool, key, now - window_seconds).await
}

pub async fn record(pool: &AnyPool, key: &str, now: i64) -> Result<(), sqlx::Error> {
    events::insert(pool, key, now).await
}

/// Counts an event unless the key is over its limit; the wait when it is.
pub async fn hit(
    pool: &AnyPool,
    key: &str,
    limit: Limit,
    now: i64,
) -> Result<Option<u64>, sqlx::Error> {
    if let Some(wait) = wait(pool, key, limit, now).await? {
        return Ok(Some(wait));
    }
    record(pool, key, now).await?;
    Ok(None)
}

pub async fn clear(pool: &AnyPool, key: &str) -> Result<(), sqlx::Error> {
    events::delete_key(pool, key).await
}

/// Forgets events older than a day and a bit (no window is longer).
pub async fn sweep(pool: &AnyPool, now: i64) -> Result<(), sqlx::Error> {
    events::delete_before(pool, now - 2 * 86_400).await
}
