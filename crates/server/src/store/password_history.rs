//! Earlier password hashes, for the policy's "don't reuse the last N".

use rekey_core::settings::HISTORY_MAX;
use sqlx::{AnyConnection, AnyPool};

/// The `n` most recent earlier hashes, newest first.
pub async fn recent(pool: &AnyPool, user_id: &str, n: usize) -> Result<Vec<String>, sqlx::Error> {
    if n == 0 {
        return Ok(Vec::new());
    }
    sqlx::query_scalar(
        "SELECT password_hash FROM password_history WHERE user_id = $1 \
         ORDER BY set_at DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(n as i64)
    .fetch_all(pool)
    .await
}

/// Keeps the hash being replaced, and no more than the longest history a policy may ask for.
pub async fn push(
    conn: &mut AnyConnection,
    user_id: &str,
    old_hash: &str,
    set_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO password_history (user_id, password_hash, set_at) VALUES ($1, $2, $3)",
    )
    .bind(user_id)
    .bind(old_hash)
    .bind(set_at)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM password_history WHERE user_id = $1 AND set_at NOT IN ( \
           SELECT set_at FROM password_history WHERE user_id = $1 ORDER BY set_at DESC LIMIT $2)",
    )
    .bind(user_id)
    .bind(i64::from(HISTORY_MAX))
    .execute(conn)
    .await?;
    Ok(())
}
