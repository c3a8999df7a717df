//! Organisation settings, one JSON document per key.

use sqlx::{AnyConnection, Row};

pub struct StoredSetting {
    pub value: serde_json::Value,
    pub updated_at: i64,
    pub updated_by: Option<String>,
}

/// The section stored under `key`, read from the pool or inside a transaction.
pub async fn get<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
    key: &str,
) -> Result<Option<StoredSetting>, sqlx::Error> {
    let row = sqlx::query("SELECT value, updated_at, updated_by FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(db)
        .await?;
    row.map(|row| {
        let text: String = row.try_get("value")?;
        Ok(StoredSetting {
            value: serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            updated_at: row.try_get("updated_at")?,
            updated_by: row.try_get("updated_by")?,
        })
    })
    .transpose()
}

pub async fn put(
    conn: &mut AnyConnection,
    key: &str,
    value: &serde_json::Value,
    updated_by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(key)
    .bind(value.to_string())
    .bind(now)
    .bind(updated_by)
    .execute(conn)
    .await?;
    Ok(())
}
