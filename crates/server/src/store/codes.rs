//! `verification_codes`: one-time codes as keyed hashes, with what they are bound to and the
//! sends they count towards (`domain::codes` decides).

use sqlx::{AnyConnection, AnyPool, Row};

/// Which column a send limit counts by.
#[derive(Debug, Clone, Copy)]
pub enum SentBy {
    Destination,
    User,
    Client,
}

impl SentBy {
    fn column(self) -> &'static str {
        match self {
            SentBy::Destination => "destination",
            SentBy::User => "user_id",
            SentBy::Client => "client_ip",
        }
    }
}

/// A code to store.
pub struct NewCode<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub flow: &'a str,
    pub purpose: &'a str,
    pub destination: &'a str,
    pub client_ip: &'a str,
    pub code_hash: &'a str,
    pub created_at: i64,
    pub expires_at: i64,
}

/// The newest unused code of a flow and purpose.
pub struct LiveCode {
    pub id: String,
    pub destination: String,
    pub code_hash: String,
    pub expires_at: i64,
    pub attempts: i64,
}

/// When a code last went to `destination` for this user and purpose.
pub async fn last_sent(
    conn: &mut AnyConnection,
    user_id: &str,
    purpose: &str,
    destination: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT MAX(created_at) FROM verification_codes \
         WHERE user_id = $1 AND purpose = $2 AND destination = $3",
    )
    .bind(user_id)
    .bind(purpose)
    .bind(destination)
    .fetch_one(conn)
    .await
}

/// How many codes went out by `by` = `value` after `since`, and when the oldest of them did.
pub async fn sent_since(
    conn: &mut AnyConnection,
    by: SentBy,
    value: &str,
    since: i64,
) -> Result<(i64, Option<i64>), sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM verification_codes \
         WHERE {} = $1 AND created_at > $2",
        by.column()
    ))
    .bind(value)
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok((row.try_get("n")?, row.try_get("oldest")?))
}

/// Ends the unused codes of a flow and purpose.
pub async fn void(
    conn: &mut AnyConnection,
    user_id: &str,
    flow: &str,
    purpose: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE verification_codes SET used = 1 \
         WHERE user_id = $1 AND flow = $2 AND purpose = $3 AND used = 0",
    )
    .bind(user_id)
    .bind(flow)
    .bind(purpose)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert(conn: &mut AnyConnection, code: NewCode<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO verification_codes (id, user_id, flow, purpose, destination, client_ip, \
         code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(code.id)
    .bind(code.user_id)
    .bind(code.flow)
    .bind(code.purpose)
    .bind(code.destination)
    .bind(code.client_ip)
    .bind(code.code_hash)
    .bind(code.created_at)
    .bind(code.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn latest_unused(
    conn: &mut AnyConnection,
    user_id: &str,
    flow: &str,
    purpose: &str,
) -> Result<Option<LiveCode>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, destination, code_hash, expires_at, attempts FROM verification_codes \
         WHERE user_id = $1 AND flow = $2 AND purpose = $3 AND used = 0 \
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(flow)
    .bind(purpose)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(LiveCode {
            id: row.try_get("id")?,
            destination: row.try_get("destination")?,
            code_hash: row.try_get("code_hash")?,
            expires_at: row.try_get("expires_at")?,
            attempts: row.try_get("attempts")?,
        })
    })
    .transpose()
}

pub async fn count_attempt(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE verification_codes SET attempts = attempts + 1 WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Uses the code up; false when another request already did (the update is conditional, so
/// two requests racing with the same code cannot both succeed).
pub async fn claim(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query("UPDATE verification_codes SET used = 1 WHERE id = $1 AND used = 0")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(claimed.rows_affected() == 1)
}

pub async fn delete_before(pool: &AnyPool, before: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM verification_codes WHERE created_at < $1")
        .bind(before)
        .execute(pool)
        .await?;
    Ok(())
}
