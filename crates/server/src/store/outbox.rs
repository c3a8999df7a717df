//! The outbox: queued messages, claimed one at a time by whichever instance's worker gets
//! there first, retried with growing delays, and given up after `MAX_ATTEMPTS`.

use sqlx::{AnyConnection, AnyPool, Row};

use crate::infra::db::{new_id, now};

/// Attempts before a message is given up (its last error stays in the row).
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claim holds before another worker may take the message over.
const CLAIM_SECONDS: i64 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// A message to queue. Text messages use only `text`.
pub struct Outgoing<'a> {
    pub channel: Channel,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// Unix seconds after which the message is not worth sending (a code that has expired);
    /// 0 keeps it until delivered.
    pub discard_after: i64,
}

pub struct Queued {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attempts: i64,
}

pub async fn enqueue(
    conn: &mut AnyConnection,
    message: Outgoing<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let now = now();
    sqlx::query(
        "INSERT INTO outbox (id, recipient, subject, body_text, body_html, created_at, \
         next_attempt_at, channel, discard_after) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)",
    )
    .bind(&id)
    .bind(message.to)
    .bind(message.subject)
    .bind(message.text)
    .bind(message.html)
    .bind(now)
    .bind(message.channel.as_str())
    .bind(message.discard_after)
    .execute(conn)
    .await?;
    Ok(id)
}

/// Claims the oldest message of a channel that is due (and not past its use), if any. The
/// repeated conditions in the outer `WHERE` make a second worker racing for the same row
/// update nothing.
pub async fn claim(
    pool: &AnyPool,
    channel: Channel,
    now: i64,
) -> Result<Option<Queued>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE outbox SET claimed_until = $1 + $2 \
         WHERE id = (SELECT id FROM outbox WHERE sent_at IS NULL AND attempts < $3 \
                     AND next_attempt_at <= $1 AND claimed_until < $1 AND channel = $4 \
                     AND (discard_after = 0 OR discard_after > $1) \
                     ORDER BY created_at LIMIT 1) \
           AND sent_at IS NULL AND claimed_until < $1 \
         RETURNING id, recipient, subject, body_text, body_html, attempts",
    )
    .bind(now)
    .bind(CLAIM_SECONDS)
    .bind(MAX_ATTEMPTS)
    .bind(channel.as_str())
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

/// Records delivery and forgets the body: codes and notices must not linger in the database.
pub async fn mark_sent(pool: &AnyPool, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET sent_at = $2, attempts = attempts + 1, last_error = NULL, \
         body_text = '', body_html = '' WHERE id = $1",
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
