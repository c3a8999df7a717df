//! The sums behind the Reports page: users grouped by what they hold, and the daily rollup of
//! the audit events reports count.

use rekey_core::security_info::MethodKind;
use sqlx::{AnyPool, Row};

use super::conditions::Conditions;
use super::groups::{member_of, members_include, with_nested};
use super::security_info::held_kinds;
use super::users::HELD_ROLES;

/// How many enabled users share one combination of facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserGroupCount {
    pub admin: bool,
    pub in_scope: bool,
    /// The methods held (security questions: enough answers).
    pub held: Vec<MethodKind>,
    pub users: u64,
}

/// Enabled users (members of `group`, when given) counted by admin or not, in the reset's
/// scope or not, and the methods they hold, from `users.methods_held` and
/// `users.sspr_covered`: every user by those (an index holds them all), and the admins one by
/// one (a few). Some rows, however many users.
pub async fn users_by_facts(
    pool: &AnyPool,
    questions_to_register: u8,
    group: Option<&str>,
) -> Result<Vec<UserGroupCount>, sqlx::Error> {
    let within = match group {
        Some(group) => Some(with_nested(pool, group).await?),
        None => None,
    };
    let counts = Counts {
        pool,
        questions: questions_to_register,
        within: within.as_deref(),
    };
    let all = counts.held().await?;
    let admins = counts.admins().await?;
    Ok(all
        .into_iter()
        .flat_map(|(facts, users)| {
            let admins = admins.iter().filter(|a| **a == facts).count() as u64;
            let (held, in_scope) = facts;
            [(true, admins), (false, users.saturating_sub(admins))]
                .into_iter()
                .filter(|(_, users)| *users > 0)
                .map(move |(admin, users)| UserGroupCount {
                    admin,
                    in_scope,
                    held: held_kinds(held),
                    users,
                })
        })
        .collect())
}

/// `users.methods_held`, and whether the user has answered enough security questions.
type Held = (i64, bool);

/// What a user is counted by: what they hold, and whether self-service reset covers them.
type Facts = (Held, bool);

/// The counting queries, over enabled users (in `within`'s groups, when given).
struct Counts<'a> {
    pool: &'a AnyPool,
    questions: u8,
    within: Option<&'a [String]>,
}

impl Counts<'_> {
    fn select(&self) -> String {
        format!(
            "SELECT u.methods_held AS held, \
             CASE WHEN u.answers_held >= {} THEN 1 ELSE 0 END AS questions, \
             u.sspr_covered AS covered",
            self.questions
        )
    }

    /// Users by their facts.
    async fn held(&self) -> Result<Vec<(Facts, u64)>, sqlx::Error> {
        let mut found = Conditions::default();
        found.sql.push("u.enabled = 1".into());
        if let Some(within) = self.within {
            let (test, values) = members_include(within);
            found.push_all(&test, values);
        }
        let sql = format!(
            "{}, COUNT(*) AS users FROM users u {} GROUP BY 1, 2, 3",
            self.select(),
            found.clause()
        );
        let rows = found.bind(sqlx::query(&sql)).fetch_all(self.pool).await?;
        rows.iter()
            .map(|row| Ok((facts(row)?, row.try_get::<i64, _>("users")?.max(0) as u64)))
            .collect()
    }

    /// Each enabled admin's facts.
    async fn admins(&self) -> Result<Vec<Facts>, sqlx::Error> {
        let mut found = Conditions::default();
        found.sql.push("u.enabled = 1".into());
        if let Some(within) = self.within {
            // Looked up per admin (a few), not by reading the group's memberships again.
            let (test, values) = member_of(within);
            found.push_all(&test, values);
        }
        // From the few who hold a role to their rows, not the other way round.
        let sql = format!(
            "{HELD_ROLES} {} FROM (SELECT DISTINCT r.user_id FROM held_roles r) a \
             CROSS JOIN users u {} AND u.id = a.user_id",
            self.select(),
            found.clause()
        );
        let rows = found.bind(sqlx::query(&sql)).fetch_all(self.pool).await?;
        rows.iter().map(facts).collect()
    }
}

fn facts(row: &sqlx::any::AnyRow) -> Result<Facts, sqlx::Error> {
    let flag = |name: &str| row.try_get::<i64, _>(name).map(|v| v != 0);
    Ok(((row.try_get("held")?, flag("questions")?), flag("covered")?))
}

/// One row of the daily rollup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyCount {
    /// UTC days since 1970-01-01.
    pub day: i64,
    pub action: String,
    pub flow: String,
    pub detail: String,
    /// Empty on the row counting the events themselves.
    pub method: String,
    pub events: u64,
}

/// The rollup's rows for days `from_day..to_day`.
pub async fn daily_counts(
    pool: &AnyPool,
    from_day: i64,
    to_day: i64,
) -> Result<Vec<DailyCount>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT day, action, flow, detail, method, events FROM audit_daily \
         WHERE day >= $1 AND day < $2",
    )
    .bind(from_day)
    .bind(to_day)
    .fetch_all(pool)
    .await?;
    rows.iter().map(daily_count_of).collect()
}

/// Every day's events of each action and detail, summed (the method rows left out).
pub async fn all_time_counts(pool: &AnyPool) -> Result<Vec<DailyCount>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT CAST(0 AS BIGINT) AS day, action, flow, detail, '' AS method, \
         CAST(SUM(events) AS BIGINT) AS events \
         FROM audit_daily WHERE method = '' GROUP BY action, flow, detail",
    )
    .fetch_all(pool)
    .await?;
    rows.iter().map(daily_count_of).collect()
}

fn daily_count_of(row: &sqlx::any::AnyRow) -> Result<DailyCount, sqlx::Error> {
    Ok(DailyCount {
        day: row.try_get("day")?,
        action: row.try_get("action")?,
        flow: row.try_get("flow")?,
        detail: row.try_get("detail")?,
        method: row.try_get("method")?,
        events: row.try_get::<i64, _>("events")?.max(0) as u64,
    })
}
