//! Reset flows and proof-of-work challenges.

use rekey_core::audit::StopReason;
use rekey_core::dto::ResetIntent;
use rekey_core::security_info::MethodKind;
use sqlx::{AnyConnection, AnyPool, Row};

#[derive(Debug, Clone)]
pub struct Flow {
    pub token_hash: String,
    pub name_key: String,
    pub user_id: Option<String>,
    pub password_version: i64,
    pub intent: Option<ResetIntent>,
    pub gates_passed: Vec<MethodKind>,
    pub questions: Vec<String>,
    pub expires_at: i64,
    pub finished: bool,
}

fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').filter(|s| !s.is_empty())
}

/// Stores a new flow with where it would stop if the person left now.
pub async fn insert(
    conn: &mut AnyConnection,
    flow: &Flow,
    stop_reason: StopReason,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO reset_flows (token_hash, name_key, user_id, password_version, intent, \
         created_at, expires_at, stop_reason, gates_passed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&flow.token_hash)
    .bind(&flow.name_key)
    .bind(&flow.user_id)
    .bind(flow.password_version)
    .bind(flow.intent.map(intent_name))
    .bind(now)
    .bind(flow.expires_at)
    .bind(stop_reason.as_str())
    .bind(gates_text(&flow.gates_passed))
    .execute(conn)
    .await?;
    Ok(())
}

/// Remembers the last thing that went wrong in a flow (`StopReason::with_rule`).
pub async fn set_stop_reason(
    pool: &AnyPool,
    token_hash: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE reset_flows SET stop_reason = $2 \
         WHERE token_hash = $1 AND stop_reason IS NOT NULL",
    )
    .bind(token_hash)
    .bind(reason)
    .execute(pool)
    .await?;
    Ok(())
}

/// A flow that ended unfinished.
#[derive(Debug, Clone)]
pub struct Abandoned {
    pub name_key: String,
    pub intent: Option<ResetIntent>,
    pub gates_passed: Vec<MethodKind>,
    pub stop_reason: String,
}

/// `finished` of a flow ended unfinished whose end is audited; 1 is a finished flow.
const ABANDONED: i64 = 2;

const ABANDONED_COLUMNS: &str = "name_key, intent, gates_passed, stop_reason";

fn abandoned_of(row: &sqlx::any::AnyRow) -> Result<Abandoned, sqlx::Error> {
    let intent: Option<String> = row.try_get("intent")?;
    let gates: String = row.try_get("gates_passed")?;
    Ok(Abandoned {
        name_key: row.try_get("name_key")?,
        intent: intent.as_deref().and_then(intent_of),
        gates_passed: list(&gates).filter_map(MethodKind::parse).collect(),
        stop_reason: row.try_get("stop_reason")?,
    })
}

/// Ends an open flow unfinished (its code's tries are used up); what it was, when it was open
/// and begun since reports count flows.
pub async fn abandon(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<Abandoned>, sqlx::Error> {
    let sql = format!(
        "UPDATE reset_flows SET finished = {ABANDONED} \
         WHERE token_hash = $1 AND finished = 0 AND stop_reason IS NOT NULL \
         RETURNING {ABANDONED_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(token_hash)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(abandoned_of).transpose()
}

/// Ends up to `limit` open flows that ran out of time before `now`. Of two instances sweeping
/// at once, each flow is ended (and so audited) by one.
pub async fn abandon_expired(
    conn: &mut AnyConnection,
    now: i64,
    limit: i64,
) -> Result<Vec<Abandoned>, sqlx::Error> {
    let sql = format!(
        "UPDATE reset_flows SET finished = {ABANDONED} \
         WHERE token_hash IN (SELECT token_hash FROM reset_flows \
           WHERE finished = 0 AND expires_at < $1 AND stop_reason IS NOT NULL LIMIT $2) \
         AND finished = 0 \
         RETURNING {ABANDONED_COLUMNS}"
    );
    let rows = sqlx::query(&sql)
        .bind(now)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    rows.iter().map(abandoned_of).collect()
}

fn intent_of(name: &str) -> Option<ResetIntent> {
    match name {
        "reset" => Some(ResetIntent::Reset),
        "unlock" => Some(ResetIntent::Unlock),
        _ => None,
    }
}

fn intent_name(intent: ResetIntent) -> &'static str {
    match intent {
        ResetIntent::Reset => "reset",
        ResetIntent::Unlock => "unlock",
    }
}

pub async fn find(pool: &AnyPool, token_hash: &str) -> Result<Option<Flow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT token_hash, name_key, user_id, password_version, intent, gates_passed, \
         questions, expires_at, finished FROM reset_flows WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let intent: Option<String> = row.try_get("intent")?;
    let gates: String = row.try_get("gates_passed")?;
    let questions: String = row.try_get("questions")?;
    Ok(Some(Flow {
        token_hash: row.try_get("token_hash")?,
        name_key: row.try_get("name_key")?,
        user_id: row.try_get("user_id")?,
        password_version: row.try_get("password_version")?,
        intent: intent.as_deref().and_then(intent_of),
        gates_passed: list(&gates).filter_map(MethodKind::parse).collect(),
        questions: list(&questions).map(str::to_string).collect(),
        expires_at: row.try_get("expires_at")?,
        finished: row.try_get::<i64, _>("finished")? != 0,
    }))
}

pub async fn set_intent(
    pool: &AnyPool,
    token_hash: &str,
    intent: ResetIntent,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE reset_flows SET intent = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(intent_name(intent))
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn set_questions(
    pool: &AnyPool,
    token_hash: &str,
    ids: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE reset_flows SET questions = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(ids.join(","))
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn pass_gate(pool: &AnyPool, flow: &Flow, kind: MethodKind) -> Result<(), sqlx::Error> {
    let mut passed = flow.gates_passed.clone();
    passed.push(kind);
    sqlx::query("UPDATE reset_flows SET gates_passed = $2, questions = '' WHERE token_hash = $1")
        .bind(&flow.token_hash)
        .bind(gates_text(&passed))
        .execute(pool)
        .await?;
    Ok(())
}

/// The gates passed as stored: comma-separated method names.
fn gates_text(passed: &[MethodKind]) -> String {
    let names: Vec<&str> = passed.iter().map(|k| k.as_str()).collect();
    names.join(",")
}

/// Ends a flow; false when it had already ended (another request got there first).
pub async fn finish(conn: &mut AnyConnection, token_hash: &str) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE reset_flows SET finished = 1 WHERE token_hash = $1 AND finished = 0")
            .bind(token_hash)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_challenge(
    pool: &AnyPool,
    id: &str,
    prefix: &str,
    difficulty: u8,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pow_challenges (id, prefix, difficulty, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(prefix)
    .bind(i64::from(difficulty))
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// Uses up a live challenge; its prefix and difficulty, or `None` when there is no such live,
/// unused challenge.
pub async fn take_challenge(
    pool: &AnyPool,
    id: &str,
    now: i64,
) -> Result<Option<(String, u8)>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE pow_challenges SET used = 1 WHERE id = $1 AND used = 0 AND expires_at > $2 \
         RETURNING prefix, difficulty",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        let difficulty: i64 = row.try_get("difficulty")?;
        Ok((row.try_get("prefix")?, difficulty.clamp(0, 64) as u8))
    })
    .transpose()
}

/// Forgets ended flows, puzzles and passkey ceremonies after a day.
pub async fn sweep(pool: &AnyPool, now: i64) -> Result<(), sqlx::Error> {
    for table in ["reset_flows", "pow_challenges", "passkey_challenges"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE expires_at < $1"))
            .bind(now - 86_400)
            .execute(pool)
            .await?;
    }
    Ok(())
}
