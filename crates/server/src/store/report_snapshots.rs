//! Report figures as last computed, kept so that a busy page (or a monitoring system's
//! scrapes) does not count every user again each time.

use sqlx::{AnyPool, Row};

/// The figures stored under `key` and when they were computed, if any.
pub async fn find(pool: &AnyPool, key: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT computed_at, body FROM report_snapshots WHERE key = $1")
        .bind(key)
        .fetch_optional(pool)
        .await?;
    row.map(|row| Ok((row.try_get("computed_at")?, row.try_get("body")?)))
        .transpose()
}

/// Keeps `body` as the figures under `key`, computed at `computed_at`.
pub async fn put(
    pool: &AnyPool,
    key: &str,
    computed_at: i64,
    body: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO report_snapshots (key, computed_at, body) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET computed_at = excluded.computed_at, body = excluded.body",
    )
    .bind(key)
    .bind(computed_at)
    .bind(body)
    .execute(pool)
    .await?;
    Ok(())
}
