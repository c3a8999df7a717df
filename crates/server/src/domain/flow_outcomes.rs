//! How each reset flow ends, for the audit and the reports: begun (`reset_started`), then
//! finished (`password_reset_self`, `account_unlocked_self`) or abandoned (`reset_abandoned`,
//! with the last thing that went wrong). Every flow ends one way only, so the figures add up.

use rekey_core::audit::{AuditAction, StopReason};
use rekey_core::validation::FieldError;
use sqlx::{AnyConnection, AnyPool};

use crate::store::audit::{self, NewEvent};
use crate::store::reset::{self as store, Abandoned};

/// Audits a flow just begun for the name as typed, with why it cannot go on when it cannot.
/// Runs the same for every name, so its cost tells nothing.
pub async fn started(
    conn: &mut AnyConnection,
    name_key: &str,
    stop: StopReason,
) -> Result<(), sqlx::Error> {
    let detail = (stop != StopReason::Left).then(|| serde_json::json!({"reason": stop.as_str()}));
    let event =
        NewEvent::by(None, AuditAction::ResetStarted, name_key).values(None, detail.as_ref());
    audit::record(conn, event).await
}

/// Remembers what just went wrong in a flow: if the person leaves now, it is why.
pub async fn stopped(
    pool: &AnyPool,
    token_hash: &str,
    stop: StopReason,
) -> Result<(), sqlx::Error> {
    store::set_stop_reason(pool, token_hash, stop.as_str()).await
}

/// A new password refused by `problems` (the first names the rule) or by the directory.
pub async fn password_refused(
    pool: &AnyPool,
    token_hash: &str,
    problems: Option<&[FieldError]>,
) -> Result<(), sqlx::Error> {
    let reason = match problems {
        Some(problems) => {
            StopReason::PasswordRefused.with_rule(problems.first().map(|problem| problem.rule))
        }
        None => StopReason::DirectoryRefused.as_str().to_string(),
    };
    store::set_stop_reason(pool, token_hash, &reason).await
}

/// Ends a flow now, unfinished (its code's tries are used up), and audits it.
pub async fn abandon(pool: &AnyPool, token_hash: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    if let Some(flow) = store::abandon(&mut tx, token_hash).await? {
        record_abandoned(&mut tx, &flow).await?;
    }
    tx.commit().await
}

/// Flows ended and audited per transaction by the sweep.
const SWEEP_BATCH: i64 = 500;

/// Ends and audits every flow that ran out of time unfinished before `now`; how many.
pub async fn sweep(pool: &AnyPool, now: i64) -> Result<u64, sqlx::Error> {
    let mut ended = 0;
    loop {
        let mut tx = pool.begin().await?;
        let flows = store::abandon_expired(&mut tx, now, SWEEP_BATCH).await?;
        for flow in &flows {
            record_abandoned(&mut tx, flow).await?;
        }
        tx.commit().await?;
        ended += flows.len() as u64;
        if (flows.len() as i64) < SWEEP_BATCH {
            return Ok(ended);
        }
    }
}

async fn record_abandoned(conn: &mut AnyConnection, flow: &Abandoned) -> Result<(), sqlx::Error> {
    let methods: Vec<&str> = flow.gates_passed.iter().map(|m| m.as_str()).collect();
    let detail = serde_json::json!({
        "flow": rekey_core::dto::flow_of(flow.intent).as_str(),
        "reason": flow.stop_reason,
        "methods": methods,
    });
    let event =
        NewEvent::by(None, AuditAction::ResetAbandoned, &flow.name_key).values(None, Some(&detail));
    audit::record(conn, event).await
}
