//! Rekey's copy of the LDAP directory's users and groups, keyed by each entry's stable id, and
//! the one-at-a-time sync lease.

use sqlx::{AnyConnection, AnyPool, Row};

use super::search_text;
use crate::infra::db::new_id;
use rekey_core::validation::normalize_sign_in_name;

/// `users.source` / `directory_groups.source` of what the LDAP directory owns.
pub const LDAP: &str = "ldap";

/// A person as the directory describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryPerson {
    pub external_id: String,
    pub dn: String,
    pub sign_in_name: String,
    pub display_name: String,
    pub enabled: bool,
    /// When the directory says the password expires; `None`: never, or not known.
    pub password_expires_at: Option<i64>,
}

/// What writing one entry into the mirror did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mirrored {
    Added(String),
    Changed(String),
    Unchanged(String),
    /// Another account (Rekey's own, or another entry) has this name: not mirrored.
    NameTaken,
}

impl Mirrored {
    pub fn id(&self) -> Option<&str> {
        match self {
            Mirrored::Added(id) | Mirrored::Changed(id) | Mirrored::Unchanged(id) => Some(id),
            Mirrored::NameTaken => None,
        }
    }
}

/// Where one kind of entry is mirrored.
struct Mirror {
    table: &'static str,
    columns: &'static str,
    /// The unique, lower-cased name column.
    name_column: &'static str,
}

impl Mirror {
    /// The row mirroring `external_id` (or none yet); `None` when another row holds the name.
    async fn find(
        &self,
        conn: &mut AnyConnection,
        external_id: &str,
        name_lc: &str,
    ) -> Result<Option<Option<sqlx::any::AnyRow>>, sqlx::Error> {
        let (table, columns, name_column) = (self.table, self.columns, self.name_column);
        let sql = format!("SELECT {columns} FROM {table} WHERE external_id = $1");
        let existing = sqlx::query(&sql)
            .bind(external_id)
            .fetch_optional(&mut *conn)
            .await?;
        let existing_id = existing
            .as_ref()
            .map(|r| r.try_get::<String, _>("id"))
            .transpose()?;
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE {name_column} = $1 AND id <> $2");
        let taken: i64 = sqlx::query_scalar(&sql)
            .bind(name_lc)
            .bind(existing_id.as_deref().unwrap_or(""))
            .fetch_one(&mut *conn)
            .await?;
        Ok((taken == 0).then_some(existing))
    }
}

pub async fn upsert_user(
    conn: &mut AnyConnection,
    person: &DirectoryPerson,
    now: i64,
) -> Result<Mirrored, sqlx::Error> {
    // Twice at most: a sync and a live look-up may add the same person at the same moment,
    // and the one that loses updates the row the other added.
    for _ in 0..2 {
        if let Some(done) = upsert_user_once(conn, person, now).await? {
            return Ok(done);
        }
    }
    Ok(Mirrored::NameTaken)
}

/// `None` when someone else added the person between the look and the insert.
async fn upsert_user_once(
    conn: &mut AnyConnection,
    person: &DirectoryPerson,
    now: i64,
) -> Result<Option<Mirrored>, sqlx::Error> {
    let name_lc = normalize_sign_in_name(&person.sign_in_name);
    let mirror = Mirror {
        table: "users",
        columns: "id, sign_in_name, display_name, external_dn, enabled, \
                  directory_password_expires_at",
        name_column: "sign_in_name_lc",
    };
    let Some(existing) = mirror.find(conn, &person.external_id, &name_lc).await? else {
        return Ok(Some(Mirrored::NameTaken));
    };
    let search = search_text(&person.sign_in_name, &person.display_name);
    let Some(row) = existing else {
        let id = new_id();
        let done = sqlx::query(
            "INSERT INTO users (id, sign_in_name, sign_in_name_lc, display_name, search_text, \
             password_hash, enabled, created_at, password_changed_at, source, external_id, \
             external_dn, directory_password_expires_at) \
             VALUES ($1, $2, $3, $4, $5, '', $6, $7, $7, $8, $9, $10, $11) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(&person.sign_in_name)
        .bind(&name_lc)
        .bind(&person.display_name)
        .bind(&search)
        .bind(i64::from(person.enabled))
        .bind(now)
        .bind(LDAP)
        .bind(&person.external_id)
        .bind(&person.dn)
        .bind(person.password_expires_at)
        .execute(&mut *conn)
        .await?;
        return Ok((done.rows_affected() == 1).then_some(Mirrored::Added(id)));
    };
    let id: String = row.try_get("id")?;
    let same = row.try_get::<String, _>("sign_in_name")? == person.sign_in_name
        && row.try_get::<String, _>("display_name")? == person.display_name
        && row.try_get::<Option<String>, _>("external_dn")?.as_deref() == Some(&person.dn)
        && (row.try_get::<i64, _>("enabled")? != 0) == person.enabled
        && row.try_get::<Option<i64>, _>("directory_password_expires_at")?
            == person.password_expires_at;
    if same {
        return Ok(Some(Mirrored::Unchanged(id)));
    }
    sqlx::query(
        "UPDATE users SET sign_in_name = $1, sign_in_name_lc = $2, display_name = $3, \
         search_text = $4, external_dn = $5, enabled = $6, directory_password_expires_at = $8 \
         WHERE id = $7",
    )
    .bind(&person.sign_in_name)
    .bind(&name_lc)
    .bind(&person.display_name)
    .bind(&search)
    .bind(&person.dn)
    .bind(i64::from(person.enabled))
    .bind(&id)
    .bind(person.password_expires_at)
    .execute(&mut *conn)
    .await?;
    if !person.enabled {
        end_access(conn, &id).await?;
    }
    Ok(Some(Mirrored::Changed(id)))
}

/// Ends a user's sessions and unfinished reset flows: they lost access in the directory.
async fn end_access(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE reset_flows SET finished = 1 WHERE user_id = $1 AND finished = 0")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The directory's users in the mirror that are still enabled: (local id, stable id, name).
pub async fn enabled_users(pool: &AnyPool) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, external_id, sign_in_name FROM users WHERE source = $1 AND enabled = 1",
    )
    .bind(LDAP)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("external_id")?,
                r.try_get("sign_in_name")?,
            ))
        })
        .collect()
}

/// A user the directory no longer lists (deleted, or outside the filter): disabled here at
/// once, kept with their security info in case they come back under the same stable id.
pub async fn remove_user(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET enabled = 0 WHERE id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    end_access(conn, user_id).await
}

/// A group as the directory describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryGroup {
    pub external_id: String,
    pub dn: String,
    pub name: String,
    pub description: String,
}

pub async fn upsert_group(
    conn: &mut AnyConnection,
    group: &DirectoryGroup,
    now: i64,
) -> Result<Mirrored, sqlx::Error> {
    let name_lc = group.name.trim().to_lowercase();
    let mirror = Mirror {
        table: "directory_groups",
        columns: "id, name, description, external_dn",
        name_column: "name_lc",
    };
    let Some(existing) = mirror.find(conn, &group.external_id, &name_lc).await? else {
        return Ok(Mirrored::NameTaken);
    };
    let Some(row) = existing else {
        let id = new_id();
        sqlx::query(
            "INSERT INTO directory_groups (id, name, name_lc, description, created_at, source, \
             external_id, external_dn) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(group.name.trim())
        .bind(&name_lc)
        .bind(&group.description)
        .bind(now)
        .bind(LDAP)
        .bind(&group.external_id)
        .bind(&group.dn)
        .execute(&mut *conn)
        .await?;
        return Ok(Mirrored::Added(id));
    };
    let id: String = row.try_get("id")?;
    let same = row.try_get::<String, _>("name")? == group.name.trim()
        && row.try_get::<String, _>("description")? == group.description
        && row.try_get::<Option<String>, _>("external_dn")?.as_deref() == Some(&group.dn);
    if same {
        return Ok(Mirrored::Unchanged(id));
    }
    sqlx::query(
        "UPDATE directory_groups SET name = $1, name_lc = $2, description = $3, \
         external_dn = $4 WHERE id = $5",
    )
    .bind(group.name.trim())
    .bind(&name_lc)
    .bind(&group.description)
    .bind(&group.dn)
    .bind(&id)
    .execute(&mut *conn)
    .await?;
    Ok(Mirrored::Changed(id))
}

/// The directory's groups in the mirror: (local id, stable id).
pub async fn groups(pool: &AnyPool) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, external_id FROM directory_groups WHERE source = $1")
        .bind(LDAP)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("external_id")?)))
        .collect()
}

pub async fn remove_group(conn: &mut AnyConnection, group_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM directory_groups WHERE id = $1 AND source = $2")
        .bind(group_id)
        .bind(LDAP)
        .execute(conn)
        .await?;
    Ok(())
}

/// Local ids of mirrored entries by their DNs (members and memberOf name entries by DN),
/// compared without regard to case.
pub async fn ids_by_dn(
    pool: &AnyPool,
    table: &str,
) -> Result<std::collections::HashMap<String, String>, sqlx::Error> {
    let sql = format!("SELECT id, external_dn FROM {table} WHERE source = $1");
    let rows = sqlx::query(&sql).bind(LDAP).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let dn: Option<String> = r.try_get("external_dn")?;
            Ok((dn.unwrap_or_default().to_lowercase(), r.try_get("id")?))
        })
        .collect()
}

/// Local ids of the mirrored groups at these DNs (compared without regard to case); DNs of
/// groups not mirrored are skipped.
pub async fn group_ids_by_dn(
    conn: &mut AnyConnection,
    dns: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    let mut ids = Vec::with_capacity(dns.len());
    for dn in dns {
        let id: Option<String> = sqlx::query_scalar(
            "SELECT id FROM directory_groups WHERE source = $1 AND LOWER(external_dn) = $2",
        )
        .bind(LDAP)
        .bind(dn.to_lowercase())
        .fetch_optional(&mut *conn)
        .await?;
        ids.extend(id);
    }
    Ok(ids)
}

/// Replaces a mirrored group's direct members (users and nested groups).
pub async fn set_members(
    conn: &mut AnyConnection,
    group_id: &str,
    user_ids: &[String],
    child_group_ids: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM group_user_members WHERE group_id = $1")
        .bind(group_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM group_group_members WHERE group_id = $1")
        .bind(group_id)
        .execute(&mut *conn)
        .await?;
    for user_id in user_ids {
        add_member(conn, "group_user_members", "user_id", group_id, user_id).await?;
    }
    for child in child_group_ids {
        add_member(
            conn,
            "group_group_members",
            "child_group_id",
            group_id,
            child,
        )
        .await?;
    }
    Ok(())
}

/// One membership row (users' or nested groups'), unless it is there already.
async fn add_member(
    conn: &mut AnyConnection,
    table: &str,
    member_column: &str,
    group_id: &str,
    member: &str,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO {table} (group_id, {member_column}) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    );
    sqlx::query(&sql)
        .bind(group_id)
        .bind(member)
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces the mirrored groups a user is directly in (from the entry's `memberOf`, at a live
/// look-up); groups Rekey owns are left alone.
pub async fn set_user_groups(
    conn: &mut AnyConnection,
    user_id: &str,
    group_ids: &[String],
) -> Result<(), sqlx::Error> {
    // Most look-ups find the groups as they were: then nothing is written.
    let rows = sqlx::query(
        "SELECT m.group_id FROM group_user_members m JOIN directory_groups g ON g.id = m.group_id \
         WHERE m.user_id = $1 AND g.source = $2",
    )
    .bind(user_id)
    .bind(LDAP)
    .fetch_all(&mut *conn)
    .await?;
    let mut now_in: Vec<String> = rows
        .iter()
        .map(|r| r.try_get("group_id"))
        .collect::<Result<_, _>>()?;
    let mut wanted = group_ids.to_vec();
    now_in.sort();
    wanted.sort();
    wanted.dedup();
    if now_in == wanted {
        return Ok(());
    }
    sqlx::query(
        "DELETE FROM group_user_members WHERE user_id = $1 AND group_id IN \
         (SELECT id FROM directory_groups WHERE source = $2)",
    )
    .bind(user_id)
    .bind(LDAP)
    .execute(&mut *conn)
    .await?;
    for group_id in group_ids {
        add_member(conn, "group_user_members", "user_id", group_id, user_id).await?;
    }
    Ok(())
}

/// Takes (or renews) the sync lease for `holder` until `until`; false when another instance
/// holds it.
pub async fn take_lease(
    pool: &AnyPool,
    holder: &str,
    now: i64,
    until: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE directory_sync SET holder = $1, lease_until = $2 \
         WHERE id = 1 AND (lease_until < $3 OR holder = $1)",
    )
    .bind(holder)
    .bind(until)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the sync's result and where it left off (`None` after a failed sync: the next one
/// lists everything), and lets the lease go.
pub async fn finish_sync(
    pool: &AnyPool,
    holder: &str,
    result: &str,
    watermark: Option<&str>,
    full_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE directory_sync SET last_result = $1, watermark = $2, \
         last_full_at = COALESCE($3, last_full_at), lease_until = 0, progress = NULL \
         WHERE id = 1 AND holder = $4",
    )
    .bind(result)
    .bind(watermark)
    .bind(full_at)
    .bind(holder)
    .execute(pool)
    .await?;
    Ok(())
}

/// Where the last sync left off, and when the last full listing ran (Unix seconds, 0 never).
pub async fn watermark(pool: &AnyPool) -> Result<(Option<String>, i64), sqlx::Error> {
    let row = sqlx::query("SELECT watermark, last_full_at FROM directory_sync WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    match row {
        Some(row) => Ok((row.try_get("watermark")?, row.try_get("last_full_at")?)),
        None => Ok((None, 0)),
    }
}

/// Notes how far the holder's sync has come (JSON), for admins to see while it runs.
pub async fn record_progress(
    pool: &AnyPool,
    holder: &str,
    progress: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE directory_sync SET progress = $1 WHERE id = 1 AND holder = $2")
        .bind(progress)
        .bind(holder)
        .execute(pool)
        .await?;
    Ok(())
}

/// The progress of a sync holding the lease now (JSON), if one runs.
pub async fn progress(pool: &AnyPool, now: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT progress FROM directory_sync WHERE id = 1 AND lease_until > $1")
        .bind(now)
        .fetch_optional(pool)
        .await
        .map(Option::flatten)
}

pub async fn last_result(pool: &AnyPool) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT last_result FROM directory_sync WHERE id = 1")
        .fetch_optional(pool)
        .await
        .map(Option::flatten)
}
