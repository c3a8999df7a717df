//! Users and their admin roles.

use rekey_core::i18n::Lang;
use rekey_core::roles::Role;
use rekey_core::validation::normalize_sign_in_name;
use sqlx::{AnyConnection, AnyPool, Row};

use super::search_text;
use crate::infra::db::{new_id, now};

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: String,
    pub sign_in_name: String,
    pub display_name: String,
    pub password_hash: String,
    pub enabled: bool,
    pub created_at: i64,
    pub password_version: i64,
    pub password_changed_at: i64,
    pub password_never_expires: bool,
    pub must_change_password: bool,
    pub last_sign_in_at: i64,
    /// The language the user last signed in with.
    pub lang: Option<String>,
    /// Mirrored from the LDAP directory (which checks the password), not Rekey's own account.
    pub from_directory: bool,
    /// Where the directory keeps the entry (binds go there).
    pub external_dn: Option<String>,
    /// When the directory says the password expires (its own policy); `None`: never, or not
    /// known, or one of Rekey's own accounts.
    pub directory_password_expires_at: Option<i64>,
}

pub struct NewUser<'a> {
    pub sign_in_name: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub roles: &'a [Role],
    /// Change the password at first sign-in.
    pub must_change_password: bool,
}

fn record(row: &sqlx::any::AnyRow) -> Result<UserRecord, sqlx::Error> {
    Ok(UserRecord {
        id: row.try_get("id")?,
        sign_in_name: row.try_get("sign_in_name")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        enabled: row.try_get::<i64, _>("enabled")? != 0,
        created_at: row.try_get("created_at")?,
        password_version: row.try_get("password_version")?,
        password_changed_at: row.try_get("password_changed_at")?,
        password_never_expires: row.try_get::<i64, _>("password_never_expires")? != 0,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
        last_sign_in_at: row.try_get("last_sign_in_at")?,
        lang: row.try_get("lang")?,
        from_directory: row.try_get::<String, _>("source")? == super::directory_mirror::LDAP,
        external_dn: row.try_get("external_dn")?,
        directory_password_expires_at: row.try_get("directory_password_expires_at")?,
    })
}

const USER_COLUMNS: &str = "id, sign_in_name, display_name, password_hash, enabled, created_at, \
     password_version, password_changed_at, password_never_expires, must_change_password, \
     last_sign_in_at, lang, source, external_dn, directory_password_expires_at";

pub async fn find_by_sign_in_name(
    pool: &AnyPool,
    sign_in_name: &str,
) -> Result<Option<UserRecord>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE sign_in_name_lc = $1");
    let row = sqlx::query(&sql)
        .bind(normalize_sign_in_name(sign_in_name))
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(record).transpose()
}

pub async fn find_by_id(pool: &AnyPool, id: &str) -> Result<Option<UserRecord>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(pool).await?;
    row.as_ref().map(record).transpose()
}

fn parse_roles(rows: &[sqlx::any::AnyRow]) -> Vec<Role> {
    rows.iter()
        .filter_map(|r| r.try_get::<String, _>("role").ok())
        .filter_map(|r| Role::parse(&r))
        .collect()
}

/// Every role the user holds: their own and their groups' (nested membership counts).
pub async fn roles(pool: &AnyPool, user_id: &str) -> Result<Vec<Role>, sqlx::Error> {
    roles_in(&mut *pool.acquire().await?, user_id).await
}

/// [`roles`] as a transaction sees them.
pub async fn roles_in(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<Role>, sqlx::Error> {
    let rows = sqlx::query(
        "WITH RECURSIVE containing(id) AS ( \
             SELECT group_id FROM group_user_members WHERE user_id = $1 \
             UNION \
             SELECT gg.group_id FROM group_group_members gg \
             JOIN containing c ON gg.child_group_id = c.id \
         ) \
         SELECT role FROM user_roles WHERE user_id = $1 \
         UNION \
         SELECT gr.role FROM group_roles gr JOIN containing c ON gr.group_id = c.id \
         ORDER BY role",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(parse_roles(&rows))
}

/// The roles granted to the user themselves (not through a group): what the user's page edits.
pub async fn own_roles(pool: &AnyPool, user_id: &str) -> Result<Vec<Role>, sqlx::Error> {
    let rows = sqlx::query("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    Ok(parse_roles(&rows))
}

pub async fn create(conn: &mut AnyConnection, user: NewUser<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    let name = user.sign_in_name.trim();
    let search = search_text(name, user.display_name);
    sqlx::query(
        "INSERT INTO users (id, sign_in_name, sign_in_name_lc, display_name, search_text, \
         password_hash, enabled, created_at, password_changed_at, must_change_password) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $8)",
    )
    .bind(&id)
    .bind(name)
    .bind(normalize_sign_in_name(name))
    .bind(user.display_name.trim())
    .bind(search)
    .bind(user.password_hash)
    .bind(now())
    .bind(i64::from(user.must_change_password))
    .execute(&mut *conn)
    .await?;
    for role in user.roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(&id)
            .bind(role.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

pub async fn count(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await
}

/// Bumped by every password change, so a reset commits only over the password it started from.
pub async fn password_version(pool: &AnyPool, user_id: &str) -> Result<i64, sqlx::Error> {
    let version: Option<i64> =
        sqlx::query_scalar("SELECT password_version FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
    Ok(version.unwrap_or(0))
}

/// Sets a new password hash if the version is still `expected`; false when another change
/// got there first.
pub async fn replace_password(
    conn: &mut AnyConnection,
    user_id: &str,
    password_hash: &str,
    expected_version: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET password_hash = $2, password_version = password_version + 1, \
         password_changed_at = $4 WHERE id = $1 AND password_version = $3",
    )
    .bind(user_id)
    .bind(password_hash)
    .bind(expected_version)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records that a directory person's password changed (the directory keeps it): a new
/// version, so flows started before it end, and when.
pub async fn mark_password_changed(
    conn: &mut AnyConnection,
    user_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_version = password_version + 1, password_changed_at = $2 \
         WHERE id = $1",
    )
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A query prefix naming `held_roles(user_id, role)`: every role each user holds, their own
/// and their groups' (nested membership counts). It walks down from the groups that grant a
/// role, so it costs the size of those groups, not of every membership (`CROSS JOIN` keeps
/// SQLite's planner from starting at the memberships).
pub(super) const HELD_ROLES: &str = "WITH RECURSIVE granting(group_id, role) AS ( \
         SELECT group_id, role FROM group_roles \
         UNION \
         SELECT gg.child_group_id, g.role FROM group_group_members gg \
         JOIN granting g ON gg.group_id = g.group_id \
     ), held_roles(user_id, role) AS ( \
         SELECT user_id, role FROM user_roles \
         UNION \
         SELECT m.user_id, g.role FROM granting g CROSS JOIN group_user_members m \
         WHERE m.group_id = g.group_id \
     ) ";

/// Sign-in names of the users holding a role, themselves or through a group.
pub async fn with_role(pool: &AnyPool, role: Role) -> Result<Vec<String>, sqlx::Error> {
    let sql = format!(
        "{HELD_ROLES} SELECT DISTINCT u.sign_in_name FROM users u \
         JOIN held_roles r ON r.user_id = u.id \
         WHERE r.role = $1 AND u.enabled = 1 ORDER BY u.sign_in_name"
    );
    sqlx::query_scalar(&sql)
        .bind(role.as_str())
        .fetch_all(pool)
        .await
}

pub async fn set_display_name(
    conn: &mut AnyConnection,
    user: &UserRecord,
    display_name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET display_name = $2, search_text = $3 WHERE id = $1")
        .bind(&user.id)
        .bind(display_name)
        .bind(search_text(&user.sign_in_name, display_name))
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets one of the user's yes/no columns.
pub async fn set_flag(
    conn: &mut AnyConnection,
    user_id: &str,
    flag: Flag,
    on: bool,
) -> Result<(), sqlx::Error> {
    let column = match flag {
        Flag::Enabled => "enabled",
        Flag::PasswordNeverExpires => "password_never_expires",
        Flag::MustChangePassword => "must_change_password",
    };
    sqlx::query(&format!("UPDATE users SET {column} = $2 WHERE id = $1"))
        .bind(user_id)
        .bind(i64::from(on))
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub enum Flag {
    Enabled,
    PasswordNeverExpires,
    MustChangePassword,
}

pub async fn set_roles(
    conn: &mut AnyConnection,
    user_id: &str,
    roles: &[Role],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for role in roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(user_id)
            .bind(role.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Deletes the user; their roles, memberships, sessions and security info go with them.
pub async fn delete(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Remembers when the user signed in, and in which language (a known tag, or left as it was).
pub async fn record_sign_in(
    pool: &AnyPool,
    user_id: &str,
    now: i64,
    lang: Option<Lang>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_sign_in_at = $2, lang = COALESCE($3, lang) WHERE id = $1")
        .bind(user_id)
        .bind(now)
        .bind(lang.map(Lang::tag))
        .execute(pool)
        .await?;
    Ok(())
}

/// Enabled users an expiration policy covers, how many of their passwords were set at or
/// before `expired_before`, and how many after it but at or before `notice_before`.
pub async fn expiry_counts(
    pool: &AnyPool,
    expired_before: i64,
    notice_before: i64,
) -> Result<(i64, i64, i64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS covered, \
           COALESCE(SUM(CASE WHEN password_changed_at <= $1 THEN 1 ELSE 0 END), 0) AS expired, \
           COALESCE(SUM(CASE WHEN password_changed_at > $1 AND password_changed_at <= $2 \
             THEN 1 ELSE 0 END), 0) AS notified \
         FROM users WHERE enabled = 1 AND password_never_expires = 0 AND source = 'local'",
    )
    .bind(expired_before)
    .bind(notice_before)
    .fetch_one(pool)
    .await?;
    Ok((
        row.try_get("covered")?,
        row.try_get("expired")?,
        row.try_get("notified")?,
    ))
}

/// Someone to tell that their password expires soon.
pub struct NoticeDue {
    pub id: String,
    pub sign_in_name: String,
    pub lang: Option<String>,
    pub expires_at: i64,
    /// What marks this notice as sent ([`claim_expiry_notice`]): the password's version for
    /// Rekey's own accounts, the expiry time itself for the directory's people (whose
    /// passwords change outside Rekey).
    pub mark: i64,
}

/// Up to `limit` enabled own accounts whose password was changed in
/// `(expired_before, notice_before]` and who were not told about this password yet.
pub async fn expiry_notices_due(
    pool: &AnyPool,
    notice_before: i64,
    expired_before: i64,
    max_age_seconds: i64,
    limit: i64,
) -> Result<Vec<NoticeDue>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, sign_in_name, password_changed_at, password_version, lang FROM users \
         WHERE enabled = 1 AND password_never_expires = 0 AND source = 'local' \
         AND password_changed_at <= $1 \
         AND password_changed_at > $2 AND expiry_notice_version <> password_version LIMIT $3",
    )
    .bind(notice_before)
    .bind(expired_before)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(NoticeDue {
                id: row.try_get("id")?,
                sign_in_name: row.try_get("sign_in_name")?,
                lang: row.try_get("lang")?,
                expires_at: row.try_get::<i64, _>("password_changed_at")? + max_age_seconds,
                mark: row.try_get("password_version")?,
            })
        })
        .collect()
}

/// Up to `limit` enabled directory people whose password the directory says expires in
/// `(now, until]`, not yet told about that expiry.
pub async fn directory_expiry_notices_due(
    pool: &AnyPool,
    now: i64,
    until: i64,
    limit: i64,
) -> Result<Vec<NoticeDue>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, sign_in_name, directory_password_expires_at, lang FROM users \
         WHERE enabled = 1 AND source = 'ldap' AND directory_password_expires_at > $1 \
         AND directory_password_expires_at <= $2 \
         AND expiry_notice_version <> directory_password_expires_at LIMIT $3",
    )
    .bind(now)
    .bind(until)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let expires_at: i64 = row.try_get("directory_password_expires_at")?;
            Ok(NoticeDue {
                id: row.try_get("id")?,
                sign_in_name: row.try_get("sign_in_name")?,
                lang: row.try_get("lang")?,
                expires_at,
                mark: expires_at,
            })
        })
        .collect()
}

/// Claims the notice marked `mark` for the caller; false when another instance claimed it, or
/// an own account's password changed since it was listed.
pub async fn claim_expiry_notice(
    conn: &mut AnyConnection,
    id: &str,
    mark: i64,
) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "UPDATE users SET expiry_notice_version = $2 WHERE id = $1 \
         AND expiry_notice_version <> $2 AND (password_version = $2 OR source = 'ldap')",
    )
    .bind(id)
    .bind(mark)
    .execute(conn)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Back-dates a password change (the demo's account with an old password).
pub async fn set_password_changed_at(
    conn: &mut AnyConnection,
    id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_changed_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}
