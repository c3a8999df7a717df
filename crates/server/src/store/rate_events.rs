//! `rate_events`: one row per counted event of a key (a client, a name), for the sliding-window
//! limits of `domain::rate`.

use sqlx::AnyPool;

/// Events of `key` after `since`.
pub async fn count_since(pool: &AnyPool, key: &str, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM rate_events WHERE key = $1 AND at > $2")
        .bind(key)
        .bind(since)
        .fetch_one(pool)
        .await
}

/// The oldest of the last `newest` events of `key` after `since`.
pub async fn oldest_of_newest(
    pool: &AnyPool,
    key: &str,
    since: i64,
    newest: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT MIN(at) FROM (SELECT at FROM rate_events WHERE key = $1 AND at > $2 \
         ORDER BY at DESC LIMIT $3) recent",
    )
    .bind(key)
    .bind(since)
    .bind(newest)
    .fetch_one(pool)
    .await
}

pub async fn insert(pool: &AnyPool, key: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO rate_events (key, at) VALUES ($1, $2)")
        .bind(key)
        .bind(at)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete_key(pool: &AnyPool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_events WHERE key = $1")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete_before(pool: &AnyPool, before: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_events WHERE at < $1")
        .bind(before)
        .execute(pool)
        .await?;
    Ok(())
}
