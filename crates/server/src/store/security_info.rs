//! Users' registered methods, security answers (hashes only) and when they last confirmed them.

use rekey_core::security_info::MethodKind;
use sqlx::{AnyConnection, AnyPool, Row};

/// Where an authenticator secret waits until the user proves it with one code.
pub const PENDING_APP: &str = "authenticator_app_pending";

#[derive(Debug, Clone)]
pub struct StoredMethod {
    /// `None` for a pending authenticator.
    pub kind: Option<MethodKind>,
    pub value: String,
    pub last_step: i64,
    pub set_by_admin: bool,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct StoredAnswer {
    pub question_id: String,
    pub question_text: Option<String>,
    pub answer_hash: String,
    pub updated_at: i64,
}

/// A user's methods, the pending authenticator (if any) included.
pub async fn methods(pool: &AnyPool, user_id: &str) -> Result<Vec<StoredMethod>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT method, value, last_step, set_by_admin, updated_at FROM auth_methods \
         WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StoredMethod {
                kind: MethodKind::parse(&row.try_get::<String, _>("method")?),
                value: row.try_get("value")?,
                last_step: row.try_get("last_step")?,
                set_by_admin: row.try_get::<i64, _>("set_by_admin")? != 0,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect()
}

pub struct MethodWrite<'a> {
    pub user_id: &'a str,
    /// A `MethodKind` name or `PENDING_APP`.
    pub method: &'a str,
    pub value: &'a str,
    pub last_step: i64,
    pub set_by_admin: bool,
}

/// A method's bit in `users.methods_held` (security questions are counted apart, in
/// `users.answers_held`, since how many make the method depends on the policy).
pub fn held_bit(kind: MethodKind) -> Option<i64> {
    match kind {
        MethodKind::AuthenticatorApp => Some(1),
        MethodKind::MobilePhone => Some(2),
        MethodKind::Email => Some(4),
        MethodKind::Passkey => Some(8),
        MethodKind::SecurityQuestions => None,
    }
}

/// The methods a `(users.methods_held, enough answers)` pair stands for.
pub(super) fn held_kinds((mask, questions): (i64, bool)) -> Vec<MethodKind> {
    MethodKind::ALL
        .into_iter()
        .filter(|kind| match held_bit(*kind) {
            Some(bit) => mask & bit != 0,
            None => questions,
        })
        .collect()
}

/// Every value `users.methods_held` can take.
pub(super) fn every_mask() -> std::ops::RangeInclusive<i64> {
    0..=MethodKind::ALL.into_iter().filter_map(held_bit).sum()
}

/// Brings `users.methods_held` and `users.answers_held` up to date with what the user holds;
/// every change of methods or answers calls it in its transaction.
async fn refresh_held(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    let bits: Vec<String> = MethodKind::ALL
        .into_iter()
        .filter_map(|kind| held_bit(kind).map(|bit| format!("WHEN '{}' THEN {bit}", kind.as_str())))
        .collect();
    let sql = format!(
        "UPDATE users SET \
           methods_held = (SELECT COALESCE(SUM(CASE a.method {} ELSE 0 END), 0) \
             FROM auth_methods a WHERE a.user_id = $1), \
           answers_held = (SELECT COUNT(*) FROM security_answers s WHERE s.user_id = $1) \
         WHERE id = $1",
        bits.join(" ")
    );
    sqlx::query(&sql).bind(user_id).execute(conn).await?;
    Ok(())
}

pub async fn put_method(
    conn: &mut AnyConnection,
    write: MethodWrite<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO auth_methods (user_id, method, value, last_step, set_by_admin, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, method) DO UPDATE SET \
         value = excluded.value, last_step = excluded.last_step, \
         set_by_admin = excluded.set_by_admin, updated_at = excluded.updated_at",
    )
    .bind(write.user_id)
    .bind(write.method)
    .bind(write.value)
    .bind(write.last_step)
    .bind(i64::from(write.set_by_admin))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    refresh_held(conn, write.user_id).await
}

/// Contact details the organisation's directory holds count as admin-filled: written when the
/// user has none of that kind, or when the one on file was filled in for them (never over
/// what the user registered).
pub async fn put_admin_contact(
    conn: &mut AnyConnection,
    user_id: &str,
    method: &str,
    value: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO auth_methods (user_id, method, value, last_step, set_by_admin, updated_at) \
         VALUES ($1, $2, $3, 0, 1, $4) ON CONFLICT (user_id, method) DO UPDATE SET \
         value = excluded.value, updated_at = excluded.updated_at \
         WHERE auth_methods.set_by_admin = 1 AND auth_methods.value <> excluded.value",
    )
    .bind(user_id)
    .bind(method)
    .bind(value)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    refresh_held(conn, user_id).await
}

/// Removes a method; true when there was one.
pub async fn delete_method(
    conn: &mut AnyConnection,
    user_id: &str,
    method: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM auth_methods WHERE user_id = $1 AND method = $2")
        .bind(user_id)
        .bind(method)
        .execute(&mut *conn)
        .await?;
    refresh_held(conn, user_id).await?;
    Ok(done.rows_affected() > 0)
}

/// Accepts an authenticator time step only if it is later than the last one accepted, so a
/// code is never accepted twice, even by two requests at once.
pub async fn advance_app_step(
    pool: &AnyPool,
    user_id: &str,
    step: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE auth_methods SET last_step = $3 \
         WHERE user_id = $1 AND method = $2 AND last_step < $3",
    )
    .bind(user_id)
    .bind(MethodKind::AuthenticatorApp.as_str())
    .bind(step)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn answers(pool: &AnyPool, user_id: &str) -> Result<Vec<StoredAnswer>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT question_id, question_text, answer_hash, updated_at FROM security_answers \
         WHERE user_id = $1 ORDER BY question_id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StoredAnswer {
                question_id: row.try_get("question_id")?,
                question_text: row.try_get("question_text")?,
                answer_hash: row.try_get("answer_hash")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect()
}

/// Replaces all of a user's answers with `answers`.
pub async fn replace_answers(
    conn: &mut AnyConnection,
    user_id: &str,
    answers: &[StoredAnswer],
) -> Result<(), sqlx::Error> {
    delete_answers(&mut *conn, user_id).await?;
    for answer in answers {
        sqlx::query(
            "INSERT INTO security_answers (user_id, question_id, question_text, answer_hash, \
             updated_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(&answer.question_id)
        .bind(&answer.question_text)
        .bind(&answer.answer_hash)
        .bind(answer.updated_at)
        .execute(&mut *conn)
        .await?;
    }
    refresh_held(conn, user_id).await
}

pub async fn delete_answers(conn: &mut AnyConnection, user_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM security_answers WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    refresh_held(conn, user_id).await?;
    Ok(done.rows_affected() > 0)
}

pub async fn confirmed_at(pool: &AnyPool, user_id: &str) -> Result<i64, sqlx::Error> {
    let at: Option<i64> = sqlx::query_scalar("SELECT info_confirmed_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(pool)
        .await?;
    Ok(at.unwrap_or(0))
}

pub async fn set_confirmed(
    conn: &mut AnyConnection,
    user_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET info_confirmed_at = $2 WHERE id = $1")
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// For a page of users: each one's methods (kinds), answer count and latest change.
pub struct UserMethods {
    pub user_id: String,
    pub kinds: Vec<MethodKind>,
    pub answer_count: i64,
    pub updated_at: Option<i64>,
}

pub async fn methods_of_users(
    pool: &AnyPool,
    user_ids: &[String],
) -> Result<Vec<UserMethods>, sqlx::Error> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=user_ids.len()).map(|i| format!("${i}")).collect();
    let list = placeholders.join(", ");
    // One row per method, and one per user with answers (method NULL, count in n).
    let sql = format!(
        "SELECT user_id, method, 0 AS n, updated_at FROM auth_methods WHERE user_id IN ({list}) \
         UNION ALL \
         SELECT user_id, NULL AS method, COUNT(*) AS n, MAX(updated_at) AS updated_at \
         FROM security_answers WHERE user_id IN ({list}) GROUP BY user_id"
    );
    let mut query = sqlx::query(&sql);
    for id in user_ids {
        query = query.bind(id);
    }
    let rows = query.fetch_all(pool).await?;
    let mut out: Vec<UserMethods> = user_ids
        .iter()
        .map(|id| UserMethods {
            user_id: id.clone(),
            kinds: Vec::new(),
            answer_count: 0,
            updated_at: None,
        })
        .collect();
    for row in &rows {
        let user_id: String = row.try_get("user_id")?;
        let Some(entry) = out.iter_mut().find(|u| u.user_id == user_id) else {
            continue;
        };
        let method: Option<String> = row.try_get("method")?;
        match method {
            Some(name) => entry.kinds.extend(MethodKind::parse(&name)),
            None => entry.answer_count = row.try_get("n")?,
        }
        let at: i64 = row.try_get("updated_at")?;
        entry.updated_at = Some(entry.updated_at.map_or(at, |u| u.max(at)));
    }
    Ok(out)
}
