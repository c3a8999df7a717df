//! Server-side sessions. Only a hash of the cookie's token is stored, so a database leak
//! gives nobody a usable session.

use rekey_core::dto::PasswordChangeReason;
use sqlx::{AnyPool, Row};

pub struct SessionRow {
    pub user_id: String,
    pub csrf_token: String,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// Until when the session may change security info without proving a method again.
    pub proved_until: i64,
    /// The user skipped the registration wizard in this session.
    pub registration_skipped: bool,
    /// The session must change its password before anything else.
    pub password_change_due: Option<PasswordChangeReason>,
}

pub async fn insert(
    pool: &AnyPool,
    token_hash: &str,
    user_id: &str,
    csrf_token: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf_token)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn find(pool: &AnyPool, token_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT user_id, csrf_token, last_seen_at, expires_at, proved_until, registration_skipped, \
         password_change_due FROM sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(SessionRow {
            user_id: row.try_get("user_id")?,
            csrf_token: row.try_get("csrf_token")?,
            last_seen_at: row.try_get("last_seen_at")?,
            expires_at: row.try_get("expires_at")?,
            proved_until: row.try_get("proved_until")?,
            registration_skipped: row.try_get::<i64, _>("registration_skipped")? != 0,
            password_change_due: row
                .try_get::<Option<String>, _>("password_change_due")?
                .as_deref()
                .and_then(parse_reason),
        })
    })
    .transpose()
}

pub async fn touch(pool: &AnyPool, token_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete(pool: &AnyPool, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Drops sessions that ended, so the table does not grow without bound.
pub async fn delete_expired(
    pool: &AnyPool,
    now: i64,
    idle_cutoff: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(idle_cutoff)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// Lets the session change security info until `until` (after proving a method).
pub async fn mark_proved(pool: &AnyPool, token_hash: &str, until: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET proved_until = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(until)
        .execute(pool)
        .await?;
    Ok(())
}

/// Remembers that the user skipped the registration wizard until they sign in again.
pub async fn mark_registration_skipped(
    pool: &AnyPool,
    token_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET registration_skipped = 1 WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of a user (after their password changes), but `keep` (the session that
/// changed it). Returns how many ended.
pub async fn delete_for_user(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    keep: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Sessions of a user that have not ended.
pub async fn count_for_user(pool: &AnyPool, user_id: &str, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expires_at > $2")
        .bind(user_id)
        .bind(now)
        .fetch_one(pool)
        .await
}

/// Records why this session must change its password first (`None` once changed).
pub async fn set_password_change_due(
    pool: &AnyPool,
    token_hash: &str,
    due: Option<PasswordChangeReason>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET password_change_due = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(due.map(reason_name))
        .execute(pool)
        .await?;
    Ok(())
}

fn reason_name(reason: PasswordChangeReason) -> &'static str {
    match reason {
        PasswordChangeReason::Expired => "expired",
        PasswordChangeReason::AdminReset => "admin_reset",
    }
}

fn parse_reason(name: &str) -> Option<PasswordChangeReason> {
    [
        PasswordChangeReason::Expired,
        PasswordChangeReason::AdminReset,
    ]
    .into_iter()
    .find(|r| reason_name(*r) == name)
}
