//! The sums behind the Reports page: users grouped by what they hold, and the daily rollup of
//! the audit events reports count.

use rekey_core::security_info::MethodKind;
use rekey_core::sspr::{SsprScope, SsprSettings};
use sqlx::{AnyPool, Row};

use super::conditions::Conditions;
use super::groups::{member_of, members_include, with_nested};
use super::security_info::held_bit;
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
/// scope or not, and the methods they hold, from `users.methods_held`: every user by what they
/// hold (an index holds it all), those in scope by the same, and the admins one by one (a
/// few). Some rows, however many users.
pub async fn users_by_facts(
    pool: &AnyPool,
    sspr: &SsprSettings,
    questions_to_register: u8,
    group: Option<&str>,
) -> Result<Vec<UserGroupCount>, sqlx::Error> {
    let within = match group {
        Some(group) => Some(with_nested(pool, group).await?),
        None => None,
    };
    let scope = match (sspr.scope, &sspr.group_id) {
        (SsprScope::All, _) => Scope::Everyone,
        (SsprScope::Selected, Some(group)) => {
            let covered = with_nested(pool, group).await?;
            // A group inside the scope's (or the scope's own): all its members are covered,
            // and counting them again through the memberships would find the same.
            match &within {
                Some(within) if within.iter().all(|g| covered.contains(g)) => Scope::Everyone,
                _ => Scope::Members(covered),
            }
        }
        _ => Scope::Nobody,
    };
    let counts = Counts {
        pool,
        questions: questions_to_register,
        within: within.as_deref(),
    };
    let all = counts.held(None).await?;
    let in_scope = match &scope {
        Scope::Everyone => all.clone(),
        Scope::Members(groups) => counts.held(Some(groups)).await?,
        Scope::Nobody => Vec::new(),
    };
    let admins = counts.admins(&scope).await?;
    let find = |list: &[(Held, u64)], key: Held| {
        list.iter().find(|(k, _)| *k == key).map_or(0, |(_, n)| *n)
    };
    let mut groups = Vec::new();
    for &(key, total) in &all {
        let admin = |covered: bool| {
            admins
                .iter()
                .filter(|(held, in_scope)| *held == key && *in_scope == covered)
                .count() as u64
        };
        let (admins_in, admins_out) = (admin(true), admin(false));
        let scoped = find(&in_scope, key);
        for (is_admin, covered, users) in [
            (true, true, admins_in),
            (true, false, admins_out),
            (false, true, scoped.saturating_sub(admins_in)),
            (
                false,
                false,
                total.saturating_sub(scoped).saturating_sub(admins_out),
            ),
        ] {
            if users > 0 {
                groups.push(UserGroupCount {
                    admin: is_admin,
                    in_scope: covered,
                    held: held_kinds(key),
                    users,
                });
            }
        }
    }
    Ok(groups)
}

/// Whom self-service reset covers (of the users counted): its group and the groups nested in
/// it, when it is a group.
enum Scope {
    Everyone,
    Members(Vec<String>),
    Nobody,
}

/// `users.methods_held`, and whether the user has answered enough security questions.
type Held = (i64, bool);

/// The counting queries, over enabled users (in `within`'s groups, when given).
struct Counts<'a> {
    pool: &'a AnyPool,
    questions: u8,
    within: Option<&'a [String]>,
}

impl Counts<'_> {
    /// Enabled, and in `within`'s groups when given.
    fn enabled(&self, found: &mut Conditions) {
        found.sql.push("u.enabled = 1".into());
        if let Some(within) = self.within {
            let (test, values) = members_include(within);
            found.push_all(&test, values);
        }
    }

    fn questions(&self) -> String {
        format!(
            "CASE WHEN u.answers_held >= {} THEN 1 ELSE 0 END",
            self.questions
        )
    }

    /// Users by what they hold: all of them, or the members of `groups`.
    async fn held(&self, groups: Option<&[String]>) -> Result<Vec<(Held, u64)>, sqlx::Error> {
        let mut found = Conditions::default();
        self.enabled(&mut found);
        if let Some(groups) = groups {
            let (test, values) = members_include(groups);
            found.push_all(&test, values);
        }
        let questions = self.questions();
        let sql = format!(
            "SELECT u.methods_held AS held, {questions} AS questions, COUNT(*) AS users \
             FROM users u {} GROUP BY u.methods_held, {questions}",
            found.clause()
        );
        let rows = found.bind(sqlx::query(&sql)).fetch_all(self.pool).await?;
        rows.iter()
            .map(|row| {
                let held = (
                    row.try_get("held")?,
                    row.try_get::<i64, _>("questions")? != 0,
                );
                Ok((held, row.try_get::<i64, _>("users")?.max(0) as u64))
            })
            .collect()
    }

    /// Each enabled admin: what they hold, and whether the scope covers them.
    async fn admins(&self, scope: &Scope) -> Result<Vec<(Held, bool)>, sqlx::Error> {
        let mut found = Conditions::default();
        self.enabled(&mut found);
        let covered = match scope {
            Scope::Everyone => "1".to_string(),
            Scope::Nobody => "0".to_string(),
            Scope::Members(groups) => {
                let (test, values) = member_of(groups);
                format!(
                    "CASE WHEN {} THEN 1 ELSE 0 END",
                    found.numbered(&test, values)
                )
            }
        };
        let questions = self.questions();
        // From the few who hold a role to their rows, not the other way round.
        let sql = format!(
            "{HELD_ROLES} SELECT u.methods_held AS held, {questions} AS questions, \
               {covered} AS covered \
             FROM (SELECT DISTINCT r.user_id FROM held_roles r) a \
             CROSS JOIN users u {} AND u.id = a.user_id",
            found.clause()
        );
        let rows = found.bind(sqlx::query(&sql)).fetch_all(self.pool).await?;
        rows.iter()
            .map(|row| {
                let flag = |name: &str| row.try_get::<i64, _>(name).map(|v| v != 0);
                Ok(((row.try_get("held")?, flag("questions")?), flag("covered")?))
            })
            .collect()
    }
}

/// The methods a `(methods_held, enough answers)` pair stands for.
fn held_kinds((mask, questions): (i64, bool)) -> Vec<MethodKind> {
    MethodKind::ALL
        .into_iter()
        .filter(|kind| match held_bit(*kind) {
            Some(bit) => mask & bit != 0,
            None => questions,
        })
        .collect()
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
