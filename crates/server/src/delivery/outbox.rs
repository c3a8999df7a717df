//! The outbox: queued messages, claimed one at a time by whichever instance's worker gets
//! there first, retried with growing delays, and given up after `MAX_ATTEMPTS`.

use sqlx::{AnyConnection, AnyPool, Row};

use crate::db::{new_id, now};

/// Attempts before a message is given up (its last error stays in the row).
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claim holds before another worker may take the message over.
const CLAIM_SECONDS: i64 = 120;

pub struct Email<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
}

pub struct Queued {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attempts: i64,
}

pub async fn enqueue(conn: &mut AnyConnection, email: Email<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    let now = now();
    sqlx::query(
        "INSERT INTO outbox (id, recipient, subject, body_text, body_html, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&id)
    .bind(email.to)
    .bind(email.subject)
    .bind(email.text)
    .bind(email.html)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}

/// Claims the oldest message that is due, if any. The repeated conditions in the outer
/// `WHERE` make a second worker racing for the same row update nothing.
pub async fn claim(pool: &AnyPool, now: i64) -> Result<Option<Queued>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE outbox SET claimed_until = $1 + $2 \
         WHERE id = (SELECT id FROM outbox WHERE sent_at IS NULL AND attempts < $3 \
                     AND next_attempt_at <= $1 AND claimed_until < $1 \
                     ORDER BY created_at LIMIT 1) \
           AND sent_at IS NULL AND claimed_until < $1 \
         RETURNING id, recipient, subject, body_text, body_html, attempts",
    )
    .bind(now)
    .bind(CLAIM_SECONDS)
    .bind(MAX_ATTEMPTS)
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(Queued {
            id: row.try_get("id")?,
            recipient: row.try_get("recipient")?,
            subject: row.try_get("subject")?,
            body_text: row.try_get("body_text")?,
            body_html: row.try_get("body_html")?,
            attempts: row.try_get("attempts")?,
        })
    })
    .transpose()
}

pub async fn mark_sent(pool: &AnyPool, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records a failed attempt and when to try again: 30 s, then doubling, at most an hour.
pub async fn mark_failed(
    pool: &AnyPool,
    message: &Queued,
    error: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let delay = (30_i64 << message.attempts.clamp(0, 7)).min(3600);
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, claimed_until = 0, \
         last_error = $3 WHERE id = $1",
    )
    .bind(&message.id)
    .bind(now + delay)
    .bind(error)
    .execute(pool)
    .await?;
    Ok(())
}
