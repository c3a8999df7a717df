//! One-time verification codes: 8 digits from the OS CSPRNG, stored as a keyed hash, bound to
//! one user, one flow (a session or a reset), one purpose and one destination; short-lived,
//! single-use, a few wrong tries each; sends limited per destination, user and client address.

use std::net::IpAddr;

use rand::rngs::OsRng;
use rand::Rng;
use sqlx::AnyConnection;

use rekey_core::dto::CodeSent;
use rekey_core::i18n::Lang;
use rekey_core::security_info::MethodKind;

use crate::domain::messages::{queue_code, CodeMessage};
use crate::infra::db::{new_id, now};
use crate::infra::keys::ServerKeys;
use crate::infra::secrets::constant_time_eq;
use crate::state::AppState;
use crate::store::codes::{self as store, NewCode, SentBy};
use crate::store::outbox::Channel;

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
    let last = store::last_sent(conn, target.user_id, target.purpose, target.destination).await?;
    if let Some(wait) = last
        .map(|t| t + timing.resend_seconds - now)
        .filter(|w| *w > 0)
    {
        return Err(CodeError::RateLimited {
            retry_after_seconds: wait as u64,
        });
    }
    for (by, value, limit) in [
        (
            SentBy::Destination,
            target.destination,
            SENDS_PER_DESTINATION,
        ),
        (SentBy::User, target.user_id, SENDS_PER_USER),
        (SentBy::Client, client_ip, SENDS_PER_CLIENT),
    ] {
        let (sent, oldest) = store::sent_since(conn, by, value, since).await?;
        if sent >= limit {
            let wait = oldest.unwrap_or(now) + WINDOW_SECONDS - now;
            return Err(CodeError::RateLimited {
                retry_after_seconds: wait.max(1) as u64,
            });
        }
    }
    store::void(conn, target.user_id, target.flow, target.purpose).await?;
    let code = format!("{:08}", OsRng.gen_range(0..100_000_000u32));
    let id = new_id();
    let code_hash = keys.code_hash(&id, &code);
    let new = NewCode {
        id: &id,
        user_id: target.user_id,
        flow: target.flow,
        purpose: target.purpose,
        destination: target.destination,
        client_ip,
        code_hash: &code_hash,
        created_at: now,
        expires_at: now + timing.ttl_seconds,
    };
    store::insert(conn, new).await?;
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
    let live = store::latest_unused(conn, user_id, flow, purpose)
        .await?
        .ok_or(CodeError::Expired)?;
    if live.expires_at <= now || live.attempts >= MAX_ATTEMPTS {
        return Err(CodeError::Expired);
    }
    if !constant_time_eq(&keys.code_hash(&live.id, code), &live.code_hash) {
        store::count_attempt(conn, &live.id).await?;
        return Err(CodeError::Wrong {
            attempts_remaining: (MAX_ATTEMPTS - live.attempts - 1).max(0) as u32,
        });
    }
    if !store::claim(conn, &live.id).await? {
        return Err(CodeError::Expired);
    }
    Ok(live.destination)
}

/// Forgets codes older than a day (they no longer count towards any limit).
pub async fn sweep(pool: &sqlx::AnyPool, now: i64) -> Result<(), sqlx::Error> {
    store::delete_before(pool, now - 86_400).await
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
    let org = crate::domain::branding::org_name(state).await?;
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
