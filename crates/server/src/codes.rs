//! One-time verification codes: 8 digits from the OS CSPRNG, stored as a keyed hash, bound to
//! one user, one flow (a session or a reset), one purpose and one destination; short-lived,
//! single-use, a few wrong tries each; sends limited per destination, user and client address.

use std::net::IpAddr;

use rand::rngs::OsRng;
use rand::Rng;
use sqlx::{AnyConnection, Row};

use rekey_core::dto::CodeSent;
use rekey_core::i18n::Lang;
use rekey_core::security_info::MethodKind;

use crate::db::{new_id, now};
use crate::delivery::messages::{queue_code, CodeMessage};
use crate::delivery::outbox::Channel;
use crate::keys::ServerKeys;
use crate::secrets::constant_time_eq;
use crate::state::AppState;

/// Wrong tries before a code stops working.
pub const MAX_ATTEMPTS: i64 = 5;
/// The window sends are counted in, and how many each key may have in it.
const WINDOW_SECONDS: i64 = 600;
const SENDS_PER_DESTINATION: i64 = 10;
const SENDS_PER_USER: i64 = 10;
const SENDS_PER_CLIENT: i64 = 30;

#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    #[error("wrong code")]
    Wrong { attempts_remaining: u32 },
    #[error("no usable code")]
    Expired,
    #[error("too many codes sent")]
    RateLimited { retry_after_seconds: u64 },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// What a code is for, and where it goes.
pub struct CodeTarget<'a> {
    pub user_id: &'a str,
    /// The session (its token hash) or reset flow the code belongs to.
    pub flow: &'a str,
    pub purpose: &'a str,
    pub destination: &'a str,
}

pub struct Timing {
    pub ttl_seconds: i64,
    pub resend_seconds: i64,
}

/// A new code for `target`, unless a limit says wait. Earlier codes of the same flow and
/// purpose stop working.
pub async fn issue(
    conn: &mut AnyConnection,
    keys: &ServerKeys,
    target: &CodeTarget<'_>,
    client_ip: &str,
    timing: &Timing,
    now: i64,
) -> Result<String, CodeError> {
    let since = now - WINDOW_SECONDS;
    // The resend cooldown: the same destination for the same purpose.
    let last: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(created_at) FROM verification_codes \
         WHERE user_id = $1 AND purpose = $2 AND destination = $3",
    )
    .bind(target.user_id)
    .bind(target.purpose)
    .bind(target.destination)
    .fetch_one(&mut *conn)
    .await?;
    if let Some(wait) = last
        .map(|t| t + timing.resend_seconds - now)
        .filter(|w| *w > 0)
    {
        return Err(CodeError::RateLimited {
            retry_after_seconds: wait as u64,
        });
    }
    for (column, value, limit) in [
        ("destination", target.destination, SENDS_PER_DESTINATION),
        ("user_id", target.user_id, SENDS_PER_USER),
        ("client_ip", client_ip, SENDS_PER_CLIENT),
    ] {
        let row = sqlx::query(&format!(
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM verification_codes \
             WHERE {column} = $1 AND created_at > $2"
        ))
        .bind(value)
        .bind(since)
        .fetch_one(&mut *conn)
        .await?;
        let sent: i64 = row.try_get("n")?;
        if sent >= limit {
            let oldest: Option<i64> = row.try_get("oldest")?;
            let wait = oldest.unwrap_or(now) + WINDOW_SECONDS - now;
            return Err(CodeError::RateLimited {
                retry_after_seconds: wait.max(1) as u64,
            });
        }
    }
    sqlx::query(
        "UPDATE verification_codes SET used = 1 \
         WHERE user_id = $1 AND flow = $2 AND purpose = $3 AND used = 0",
    )
    .bind(target.user_id)
    .bind(target.flow)
    .bind(target.purpose)
    .execute(&mut *conn)
    .await?;
    let code = format!("{:08}", OsRng.gen_range(0..100_000_000u32));
    let id = new_id();
    sqlx::query(
        "INSERT INTO verification_codes (id, user_id, flow, purpose, destination, client_ip, \
         code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(target.user_id)
    .bind(target.flow)
    .bind(target.purpose)
    .bind(target.destination)
    .bind(client_ip)
    .bind(keys.code_hash(&id, &code))
    .bind(now)
    .bind(now + timing.ttl_seconds)
    .execute(&mut *conn)
    .await?;
    Ok(code)
}

/// Checks a code against the flow's latest one for `purpose`; on success it is used up and
/// its destination returned (the address that proved to be the user's).
pub async fn verify(
    conn: &mut AnyConnection,
    keys: &ServerKeys,
    user_id: &str,
    flow: &str,
    purpose: &str,
    code: &str,
    now: i64,
) -> Result<String, CodeError> {
    let row = sqlx::query(
        "SELECT id, destination, code_hash, expires_at, attempts FROM verification_codes \
         WHERE user_id = $1 AND flow = $2 AND purpose = $3 AND used = 0 \
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(flow)
    .bind(purpose)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(CodeError::Expired)?;
    let id: String = row.try_get("id")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    let attempts: i64 = row.try_get("attempts")?;
    if expires_at <= now || attempts >= MAX_ATTEMPTS {
        return Err(CodeError::Expired);
    }
    let stored: String = row.try_get("code_hash")?;
    if !constant_time_eq(&keys.code_hash(&id, code), &stored) {
        sqlx::query("UPDATE verification_codes SET attempts = attempts + 1 WHERE id = $1")
            .bind(&id)
            .execute(&mut *conn)
            .await?;
        return Err(CodeError::Wrong {
            attempts_remaining: (MAX_ATTEMPTS - attempts - 1).max(0) as u32,
        });
    }
    // Conditional, so two requests racing with the same code cannot both succeed.
    let claimed = sqlx::query("UPDATE verification_codes SET used = 1 WHERE id = $1 AND used = 0")
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    if claimed.rows_affected() != 1 {
        return Err(CodeError::Expired);
    }
    Ok(row.try_get("destination")?)
}

/// Forgets codes older than a day (they no longer count towards any limit).
pub async fn sweep(pool: &sqlx::AnyPool, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM verification_codes WHERE created_at < $1")
        .bind(now - 86_400)
        .execute(pool)
        .await?;
    Ok(())
}

/// How a new code leaves: by email or text, in which language, and whether at all (a decoy
/// flow issues codes exactly like a real one but never sends them).
pub struct Outgoing {
    pub kind: MethodKind,
    pub lang: Lang,
    pub deliver: bool,
}

/// Issues a code for `target` and queues its message, together or not at all.
pub async fn send(
    state: &AppState,
    target: &CodeTarget<'_>,
    ip: Option<IpAddr>,
    outgoing: Outgoing,
) -> Result<(), CodeError> {
    let now = now();
    let config = &state.config;
    let timing = Timing {
        ttl_seconds: config.code_ttl_minutes * 60,
        resend_seconds: config.code_resend_seconds,
    };
    let client = ip.map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
    let org = crate::branding::org_name(state).await?;
    let mut tx = state.db.pool.begin().await?;
    let code = issue(&mut tx, &state.keys, target, &client, &timing, now).await?;
    if outgoing.deliver {
        let message = CodeMessage {
            channel: if outgoing.kind == MethodKind::Email {
                Channel::Email
            } else {
                Channel::Sms
            },
            to: target.destination,
            lang: outgoing.lang,
            org: &org,
            code: &code,
            ttl_minutes: config.code_ttl_minutes,
            expires_at: now + timing.ttl_seconds,
        };
        queue_code(&mut tx, message).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What the caller is told about a code sent to `shown`.
pub fn sent(state: &AppState, shown: String) -> CodeSent {
    CodeSent {
        destination: shown,
        expires_in_seconds: (state.config.code_ttl_minutes * 60).max(0) as u32,
        resend_after_seconds: state.config.code_resend_seconds.max(0) as u32,
    }
}
