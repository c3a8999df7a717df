//! Sliding-window rate limits: events per key, counted over a window. Shared by every
//! instance through the database.

use sqlx::AnyPool;

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
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM rate_events WHERE key = $1 AND at > $2")
            .bind(key)
            .bind(since)
            .fetch_one(pool)
            .await?;
    if count < limit.limit {
        return Ok(None);
    }
    // The window frees up when the oldest of the last `limit` events leaves it.
    let oldest: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(at) FROM (SELECT at FROM rate_events WHERE key = $1 AND at > $2 \
         ORDER BY at DESC LIMIT $3) recent",
    )
    .bind(key)
    .bind(since)
    .bind(limit.limit)
    .fetch_one(pool)
    .await?;
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
    sqlx::query_scalar("SELECT COUNT(*) FROM rate_events WHERE key = $1 AND at > $2")
        .bind(key)
        .bind(now - window_seconds)
        .fetch_one(pool)
        .await
}

pub async fn record(pool: &AnyPool, key: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO rate_events (key, at) VALUES ($1, $2)")
        .bind(key)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
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
    sqlx::query("DELETE FROM rate_events WHERE key = $1")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}

/// Forgets events older than a day and a bit (no window is longer).
pub async fn sweep(pool: &AnyPool, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_events WHERE at < $1")
        .bind(now - 2 * 86_400)
        .execute(pool)
        .await?;
    Ok(())
}
