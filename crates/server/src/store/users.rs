//! Users and their admin roles.

use rekey_core::dto::UserSummary;
use rekey_core::roles::Role;
use rekey_core::validation::normalize_sign_in_name;
use sqlx::{AnyConnection, AnyPool, Row};

use super::{count_matching, offset, search_filter};
use crate::db::{new_id, now};

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: String,
    pub sign_in_name: String,
    pub display_name: String,
    pub password_hash: String,
    pub enabled: bool,
}

pub struct NewUser<'a> {
    pub sign_in_name: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub roles: &'a [Role],
}

fn record(row: &sqlx::any::AnyRow) -> Result<UserRecord, sqlx::Error> {
    Ok(UserRecord {
        id: row.try_get("id")?,
        sign_in_name: row.try_get("sign_in_name")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        enabled: row.try_get::<i64, _>("enabled")? != 0,
    })
}

const USER_COLUMNS: &str = "id, sign_in_name, display_name, password_hash, enabled";

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

pub async fn roles(pool: &AnyPool, user_id: &str) -> Result<Vec<Role>, sqlx::Error> {
    let rows = sqlx::query("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| r.try_get::<String, _>("role").ok())
        .filter_map(|r| Role::parse(&r))
        .collect())
}

pub async fn create(conn: &mut AnyConnection, user: NewUser<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    let name = user.sign_in_name.trim();
    let search = format!("{} {}", name, user.display_name).to_lowercase();
    sqlx::query(
        "INSERT INTO users (id, sign_in_name, sign_in_name_lc, display_name, search_text, \
         password_hash, enabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7)",
    )
    .bind(&id)
    .bind(name)
    .bind(normalize_sign_in_name(name))
    .bind(user.display_name.trim())
    .bind(search)
    .bind(user.password_hash)
    .bind(now())
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

/// One page of users ordered by sign-in name, and how many match in all.
pub async fn list(
    pool: &AnyPool,
    search: Option<&str>,
    page: u32,
    per_page: u32,
) -> Result<(Vec<UserSummary>, u64), sqlx::Error> {
    let filter = search_filter("search_text", search);
    let total = count_matching(pool, "users", &filter).await?;
    // The page and its users' roles in one pass: one row per (user, role).
    let rows = sqlx::query(&format!(
        "SELECT u.id, u.sign_in_name, u.display_name, u.enabled, r.role FROM ( \
           SELECT id, sign_in_name, sign_in_name_lc, display_name, enabled FROM users {} \
           ORDER BY sign_in_name_lc LIMIT $2 OFFSET $3 \
         ) u LEFT JOIN user_roles r ON r.user_id = u.id ORDER BY u.sign_in_name_lc, r.role",
        filter.clause
    ))
    .bind(filter.pattern)
    .bind(i64::from(per_page))
    .bind(offset(page, per_page))
    .fetch_all(pool)
    .await?;
    let mut users: Vec<UserSummary> = Vec::new();
    for row in &rows {
        let id: String = row.try_get("id")?;
        if users.last().is_none_or(|u| u.id != id) {
            users.push(UserSummary {
                id,
                sign_in_name: row.try_get("sign_in_name")?,
                display_name: row.try_get("display_name")?,
                enabled: row.try_get::<i64, _>("enabled")? != 0,
                roles: Vec::new(),
                // filled in by `registration::fill_summaries`
                registration: Default::default(),
            });
        }
        let role: Option<String> = row.try_get("role")?;
        if let (Some(user), Some(role)) = (users.last_mut(), role.as_deref().and_then(Role::parse))
        {
            user.roles.push(role);
        }
    }
    Ok((users, total))
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

/// Sign-in names of the users holding a role.
pub async fn with_role(pool: &AnyPool, role: Role) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT u.sign_in_name FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.role = $1 AND u.enabled = 1 ORDER BY u.sign_in_name",
    )
    .bind(role.as_str())
    .fetch_all(pool)
    .await
}
