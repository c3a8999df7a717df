//! Reset flows and proof-of-work challenges.

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

pub async fn insert(pool: &AnyPool, flow: &Flow, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO reset_flows (token_hash, name_key, user_id, password_version, intent, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&flow.token_hash)
    .bind(&flow.name_key)
    .bind(&flow.user_id)
    .bind(flow.password_version)
    .bind(flow.intent.map(intent_name))
    .bind(now)
    .bind(flow.expires_at)
    .execute(pool)
    .await?;
    Ok(())
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
        intent: match intent.as_deref() {
            Some("reset") => Some(ResetIntent::Reset),
            Some("unlock") => Some(ResetIntent::Unlock),
            _ => None,
        },
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
    let mut passed: Vec<&str> = flow.gates_passed.iter().map(|k| k.as_str()).collect();
    passed.push(kind.as_str());
    sqlx::query("UPDATE reset_flows SET gates_passed = $2, questions = '' WHERE token_hash = $1")
        .bind(&flow.token_hash)
        .bind(passed.join(","))
        .execute(pool)
        .await?;
    Ok(())
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

/// Forgets ended flows and challenges after a day.
pub async fn sweep(pool: &AnyPool, now: i64) -> Result<(), sqlx::Error> {
    for table in ["reset_flows", "pow_challenges"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE expires_at < $1"))
            .bind(now - 86_400)
            .execute(pool)
            .await?;
    }
    Ok(())
}
