//! Password writes sent to the LDAP directory and not yet recorded (`directory_writes`): one
//! per person at a time.

use sqlx::{AnyConnection, AnyPool, Row};

/// A write under way, or left by a Rekey that stopped before recording it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingWrite {
    pub id: String,
    pub user_id: String,
    pub purpose: String,
    pub flow_token_hash: Option<String>,
    pub actor: String,
    pub must_change: bool,
    pub mark_before: String,
    pub started_at: i64,
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<PendingWrite, sqlx::Error> {
    Ok(PendingWrite {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        purpose: row.try_get("purpose")?,
        flow_token_hash: row.try_get("flow_token_hash")?,
        actor: row.try_get("actor")?,
        must_change: row.try_get::<i64, _>("must_change")? != 0,
        mark_before: row.try_get("mark_before")?,
        started_at: row.try_get("started_at")?,
    })
}

const COLUMNS: &str =
    "id, user_id, purpose, flow_token_hash, actor, must_change, mark_before, started_at";

/// Claims the person for one write, if their password is still at `expected_version` and no
/// other write holds them. False otherwise (nothing written).
pub async fn claim(
    conn: &mut AnyConnection,
    write: &PendingWrite,
    expected_version: i64,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(&format!(
        "INSERT INTO directory_writes ({COLUMNS}) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM users WHERE id = $2 AND password_version = $9 \
         ON CONFLICT (user_id) DO NOTHING"
    ))
    .bind(&write.id)
    .bind(&write.user_id)
    .bind(&write.purpose)
    .bind(&write.flow_token_hash)
    .bind(&write.actor)
    .bind(i64::from(write.must_change))
    .bind(&write.mark_before)
    .bind(write.started_at)
    .bind(expected_version)
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

pub async fn get(pool: &AnyPool, user_id: &str) -> Result<Option<PendingWrite>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM directory_writes WHERE user_id = $1"
    ))
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Every write not yet recorded, oldest first.
pub async fn all(pool: &AnyPool) -> Result<Vec<PendingWrite>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM directory_writes ORDER BY started_at"
    ))
    .fetch_all(pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Releases the person: the write was recorded, refused, or found not to have landed. False
/// when another instance released it first.
pub async fn release(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM directory_writes WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
