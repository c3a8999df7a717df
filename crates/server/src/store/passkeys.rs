//! `passkeys`, users' passkey handles, and `passkey_challenges` (ceremonies between their two
//! requests). A user holding any passkey also has an `auth_methods` row of kind `passkey`, kept
//! here in the same transaction, so everything that counts methods counts passkeys too.

use rekey_core::security_info::MethodKind;
use sqlx::{AnyConnection, AnyPool, Row};

use super::security_info::{self, MethodWrite};

#[derive(Debug, Clone)]
pub struct StoredPasskey {
    pub id: String,
    pub user_id: String,
    pub name: String,
    /// webauthn-rs's record of the key (public key, counter, backup flags), as JSON.
    pub credential: String,
    pub created_at: i64,
    pub last_used_at: i64,
}

const COLUMNS: &str = "id, user_id, name, credential, created_at, last_used_at";

/// [`COLUMNS`] of the table called `alias`.
fn qualified(alias: &str) -> String {
    COLUMNS
        .split(", ")
        .map(|column| format!("{alias}.{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn read(row: &sqlx::any::AnyRow) -> Result<StoredPasskey, sqlx::Error> {
    Ok(StoredPasskey {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        credential: row.try_get("credential")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
    })
}

/// A user's passkeys, oldest first.
pub async fn of_user(pool: &AnyPool, user_id: &str) -> Result<Vec<StoredPasskey>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, id"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(read).collect()
}

/// The passkey with this credential id (base64url), when its owner is enabled and holds
/// `handle` (the user handle the authenticator gave back): one query for both checks.
pub async fn owned(
    pool: &AnyPool,
    credential_id: &str,
    handle: &str,
) -> Result<Option<StoredPasskey>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM passkeys p JOIN users u ON u.id = p.user_id \
         WHERE p.credential_id = $1 AND u.passkey_handle = $2 AND u.enabled = 1",
        qualified("p")
    ))
    .bind(credential_id)
    .bind(handle)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(read).transpose()
}

pub struct NewPasskey<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub credential_id: &'a str,
    pub name: &'a str,
    pub credential: &'a str,
}

/// Adds a passkey; false when its credential is already registered (to anyone).
pub async fn insert(
    conn: &mut AnyConnection,
    passkey: NewPasskey<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO passkeys (id, user_id, credential_id, name, credential, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (credential_id) DO NOTHING",
    )
    .bind(passkey.id)
    .bind(passkey.user_id)
    .bind(passkey.credential_id)
    .bind(passkey.name)
    .bind(passkey.credential)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sync_method(conn, passkey.user_id, now).await?;
    Ok(done.rows_affected() > 0)
}

/// Renames one of the user's passkeys; false when they have no such passkey.
pub async fn rename(
    conn: &mut AnyConnection,
    user_id: &str,
    id: &str,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE passkeys SET name = $1 WHERE id = $2 AND user_id = $3")
        .bind(name)
        .bind(id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes one of the user's passkeys; false when they have no such passkey.
pub async fn delete(
    conn: &mut AnyConnection,
    user_id: &str,
    id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM passkeys WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sync_method(conn, user_id, now).await?;
    Ok(done.rows_affected() > 0)
}

/// Removes every passkey of the user (with the `passkey` method).
pub async fn delete_all(conn: &mut AnyConnection, user_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM passkeys WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    security_info::delete_method(conn, user_id, MethodKind::Passkey.as_str()).await?;
    Ok(done.rows_affected() > 0)
}

/// After a verified use: the key's new counter and backup flags, and when.
pub async fn record_use(
    pool: &AnyPool,
    id: &str,
    credential: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE passkeys SET last_used_at = $1, credential = COALESCE($2, credential) \
         WHERE id = $3",
    )
    .bind(now)
    .bind(credential)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Keeps the user's `passkey` method row in step with their passkeys: present (holding how
/// many) while they have one.
async fn sync_method(conn: &mut AnyConnection, user_id: &str, now: i64) -> Result<(), sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM passkeys WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    let method = MethodKind::Passkey.as_str();
    if count == 0 {
        security_info::delete_method(conn, user_id, method).await?;
        return Ok(());
    }
    let write = MethodWrite {
        user_id,
        method,
        value: &count.to_string(),
        last_step: 0,
        set_by_admin: false,
    };
    security_info::put_method(conn, write, now).await
}

/// The user's WebAuthn handle, if they were given one.
pub async fn handle_of(pool: &AnyPool, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    let handle: Option<Option<String>> =
        sqlx::query_scalar("SELECT passkey_handle FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
    Ok(handle.flatten())
}

/// Gives the user `handle` unless they have one; returns the one they have.
pub async fn ensure_handle(
    pool: &AnyPool,
    user_id: &str,
    handle: &str,
) -> Result<String, sqlx::Error> {
    sqlx::query("UPDATE users SET passkey_handle = $1 WHERE id = $2 AND passkey_handle IS NULL")
        .bind(handle)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(handle_of(pool, user_id).await?.unwrap_or_default())
}

pub struct NewChallenge<'a> {
    pub id_hash: &'a str,
    pub purpose: &'a str,
    pub bound_to: &'a str,
    pub state: &'a str,
    pub expires_at: i64,
}

pub async fn insert_challenge(
    pool: &AnyPool,
    challenge: NewChallenge<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO passkey_challenges (id_hash, purpose, bound_to, state, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(challenge.id_hash)
    .bind(challenge.purpose)
    .bind(challenge.bound_to)
    .bind(challenge.state)
    .bind(challenge.expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// Takes a ceremony's state, once: only for its purpose and what it is bound to, and only
/// while it lasts. A second take of the same challenge finds nothing.
pub async fn take_challenge(
    pool: &AnyPool,
    id_hash: &str,
    purpose: &str,
    bound_to: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query(
        "DELETE FROM passkey_challenges WHERE id_hash = $1 RETURNING purpose, bound_to, state, \
         expires_at",
    )
    .bind(id_hash)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let matches = row.try_get::<String, _>("purpose")? == purpose
        && row.try_get::<String, _>("bound_to")? == bound_to
        && row.try_get::<i64, _>("expires_at")? > now;
    Ok(if matches {
        Some(row.try_get("state")?)
    } else {
        None
    })
}
