//! The Users page's listing: search, filters and paging in SQL, so a page of 100,000 users costs
//! one indexed count and one page read.

use rekey_core::dto::{CoverageFilter, PasswordFilter, UserQuery, UserSummary};
use rekey_core::roles::Role;
use rekey_core::security_info::{MethodKind, MethodPolicy, RegistrationState};
use rekey_core::settings::{AuthMethodsSettings, PasswordExpirySettings};
use sqlx::{AnyPool, Row};

use super::conditions::{Conditions, Value};
use super::groups;
use super::security_info::{every_mask, held_bit, held_kinds};
use super::users::HELD_ROLES;
use super::{contains_pattern, offset};

/// The policies a filter depends on: "registered" follows the method policy, "expired" the
/// expiration policy.
#[derive(Clone)]
pub struct Policies {
    pub methods: AuthMethodsSettings,
    pub expiry: PasswordExpirySettings,
    pub now: i64,
}

/// Whether user `u` holds one method (security questions: at least `questions` answers).
fn holds(kind: MethodKind, questions: u8) -> String {
    match held_bit(kind) {
        Some(bit) => format!("(u.methods_held & {bit}) <> 0"),
        None => format!("u.answers_held >= {questions}"),
    }
}

/// Whether user `u` holds an admin role (themselves or through a group). Written as `IN` over
/// the few who hold one, which both databases read once (SQLite into an index of its own,
/// PostgreSQL into a hash), rather than once per user as a correlated `EXISTS`.
const IS_ADMIN: &str = "u.id IN (SELECT r.user_id FROM held_roles r)";

/// The values of `users.methods_held` for which `policy` puts a user in `state`, with enough
/// answers or without. Every value is put to the shared policy (`registration_state`), so the
/// filter says what the page, the reports and the reset say.
fn masks_in(policy: &MethodPolicy, state: RegistrationState, answers: bool) -> Vec<i64> {
    every_mask()
        .filter(|&mask| policy.registration_state(&held_kinds((mask, answers))) == state)
        .collect()
}

/// A test no user meets.
const NOBODY: &str = "1 = 0";

/// `u.methods_held IN (masks)`: an index range per value, none when there are none.
fn methods_in(masks: &[i64]) -> String {
    if masks.is_empty() {
        return NOBODY.to_string();
    }
    let list: Vec<String> = masks.iter().map(i64::to_string).collect();
    format!("u.methods_held IN ({})", list.join(", "))
}

/// Whether user `u`, under `policy`, is in `state`.
fn state_sql(policy: &MethodPolicy, state: RegistrationState) -> String {
    let (with, without) = (
        methods_in(&masks_in(policy, state, true)),
        methods_in(&masks_in(policy, state, false)),
    );
    if with == without {
        return with;
    }
    let questions = policy.questions_to_register;
    format!(
        "((u.answers_held >= {questions} AND {with}) OR (u.answers_held < {questions} AND {without}))"
    )
}

/// Whether user `u` is in `state` under their policy (admins under the admin policy). Where
/// only one policy can put anyone there, that side alone (from the few admins, or never asking
/// about them); otherwise the values of `methods_held` either policy allows come first, so an
/// index finds the users a rare state has, and most are decided without asking whether they
/// are an admin.
fn coverage_sql(methods: &AuthMethodsSettings, coverage: CoverageFilter) -> String {
    let state = match coverage {
        CoverageFilter::Registered => RegistrationState::Registered,
        CoverageFilter::Partly => RegistrationState::Partly,
        CoverageFilter::NotRegistered => RegistrationState::NotRegistered,
    };
    let (user, admin) = (
        MethodPolicy::for_user(methods, false),
        MethodPolicy::for_user(methods, true),
    );
    let mut any: Vec<i64> = [&user, &admin]
        .into_iter()
        .flat_map(|policy| [true, false].map(|answers| masks_in(policy, state, answers)))
        .flatten()
        .collect();
    any.sort_unstable();
    any.dedup();
    let (users, admins) = (state_sql(&user, state), state_sql(&admin, state));
    match (users == NOBODY, admins == NOBODY) {
        (true, true) => NOBODY.to_string(),
        (true, false) => format!("({admins} AND {IS_ADMIN})"),
        (false, true) => format!("({users} AND NOT {IS_ADMIN})"),
        (false, false) => format!(
            "({} AND (({users} AND NOT {IS_ADMIN}) OR ({admins} AND {IS_ADMIN})))",
            methods_in(&any),
        ),
    }
}

/// `query`'s group and the groups nested in it, when it names one.
async fn query_groups(
    pool: &AnyPool,
    query: &UserQuery,
) -> Result<Option<Vec<String>>, sqlx::Error> {
    match &query.group {
        Some(group) => Ok(Some(groups::with_nested(pool, group).await?)),
        None => Ok(None),
    }
}

fn conditions(query: &UserQuery, policies: &Policies, within: Option<&[String]>) -> Conditions {
    let mut found = Conditions::default();
    if let Some(search) = query.listing().search() {
        found.push(
            "u.search_text LIKE ? ESCAPE '\\'",
            Value::Text(contains_pattern(&search)),
        );
    }
    if let Some(role) = query.role {
        found.push(
            "u.id IN (SELECT r.user_id FROM held_roles r WHERE r.role = ?)",
            Value::Text(role.as_str().to_string()),
        );
    }
    if let Some(within) = within {
        let (test, values) = groups::member_of(within);
        found.push_all(&test, values);
    }
    if let Some(sspr) = query.sspr {
        // Kept per user as the scope and memberships change (`store::coverage`).
        found
            .sql
            .push(format!("u.sspr_covered = {}", i64::from(sspr)));
    }
    if let Some(coverage) = query.coverage {
        found.sql.push(coverage_sql(&policies.methods, coverage));
    }
    if let Some(kind) = query.method {
        found
            .sql
            .push(holds(kind, policies.methods.questions_to_register));
    }
    if let Some(admin) = query.admin {
        found.sql.push(if admin {
            IS_ADMIN.to_string()
        } else {
            format!("NOT {IS_ADMIN}")
        });
    }
    if let Some(enabled) = query.enabled {
        found.push("u.enabled = ?", Value::Int(i64::from(enabled)));
    }
    if let Some(registered) = query.registered {
        let test = coverage_sql(&policies.methods, CoverageFilter::Registered);
        let wanted = if registered {
            test
        } else {
            format!("NOT {test}")
        };
        found.sql.push(wanted);
    }
    match query.password {
        Some(PasswordFilter::NeverExpires) => found.sql.push("u.password_never_expires = 1".into()),
        Some(PasswordFilter::Expired) => {
            // Rekey's policy for its own accounts; the directory's word for its people.
            let cutoff = policies.expiry.expired_if_changed_before(policies.now);
            found.push_all(
                "((u.source = 'local' AND u.password_never_expires = 0 \
                   AND u.password_changed_at <= ?) \
                  OR (u.source = 'ldap' AND u.directory_password_expires_at <= ?))",
                vec![
                    Value::Int(cutoff.unwrap_or(i64::MIN)),
                    Value::Int(policies.now),
                ],
            );
        }
        Some(PasswordFilter::Locked) => found.push(
            &format!("EXISTS (SELECT 1 FROM sign_in_throttle t WHERE {NAME_COUNTER} AND t.locked_until > ?)"),
            Value::Int(policies.now),
        ),
        None => {}
    }
    found
}

/// Joins user `u` to the lockout counter of their sign-in name (`domain::lockout::name_key`).
const NAME_COUNTER: &str = "t.name_key = 'name:' || u.sign_in_name_lc";

/// One page of users ordered by sign-in name, and how many match in all. Registration is
/// filled in afterwards (`registration::fill_summaries`).
pub async fn list(
    pool: &AnyPool,
    query: &UserQuery,
    policies: &Policies,
) -> Result<(Vec<UserSummary>, u64), sqlx::Error> {
    let (page, per_page) = query.listing().paging();
    let within = query_groups(pool, query).await?;
    let found = conditions(query, policies, within.as_deref());
    // Roles (the column and the filters) count those held through groups.
    let count_sql = format!(
        "{HELD_ROLES} SELECT COUNT(*) FROM users u {}",
        found.clause()
    );
    let total: i64 = found
        .bind(sqlx::query(&count_sql))
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    let users = read(
        pool,
        query,
        policies,
        i64::from(per_page),
        offset(page, per_page),
    )
    .await?;
    Ok((users, total.max(0) as u64))
}

/// `limit` users that match from `skip` on, ordered by sign-in name (for the CSV export,
/// which reads every match a chunk at a time).
pub async fn read(
    pool: &AnyPool,
    query: &UserQuery,
    policies: &Policies,
    limit: i64,
    skip: i64,
) -> Result<Vec<UserSummary>, sqlx::Error> {
    let within = query_groups(pool, query).await?;
    let found = conditions(query, policies, within.as_deref());
    let clause = found.clause();
    let n = found.values.len();
    // The page and its users' roles in one pass: one row per (user, role).
    let page_sql = format!(
        "{HELD_ROLES} SELECT p.id, p.sign_in_name, p.display_name, p.enabled, p.password_changed_at, \
           p.password_never_expires, p.source, p.directory_password_expires_at, p.locked_until, \
           r.role FROM ( \
           SELECT u.id, u.sign_in_name, u.sign_in_name_lc, u.display_name, u.enabled, \
             u.password_changed_at, u.password_never_expires, u.source, \
             u.directory_password_expires_at, \
             (SELECT t.locked_until FROM sign_in_throttle t WHERE {NAME_COUNTER}) AS locked_until \
           FROM users u {clause} \
           ORDER BY u.sign_in_name_lc LIMIT ${} OFFSET ${} \
         ) p LEFT JOIN held_roles r ON r.user_id = p.id ORDER BY p.sign_in_name_lc, r.role",
        n + 1,
        n + 2
    );
    let rows = found
        .bind(sqlx::query(&page_sql))
        .bind(limit)
        .bind(skip)
        .fetch_all(pool)
        .await?;
    let mut users: Vec<UserSummary> = Vec::new();
    for row in &rows {
        let id: String = row.try_get("id")?;
        if users.last().is_none_or(|u| u.id != id) {
            let never = row.try_get::<i64, _>("password_never_expires")? != 0;
            let from_directory =
                row.try_get::<String, _>("source")? == super::directory_mirror::LDAP;
            let changed_at: i64 = row.try_get("password_changed_at")?;
            let directory_expiry: Option<i64> = row.try_get("directory_password_expires_at")?;
            // Rekey's expiry policy covers the passwords Rekey keeps; the directory says when
            // its people's expire.
            let expires_at = if from_directory {
                directory_expiry
            } else {
                policies.expiry.expires_at(changed_at, never)
            };
            let locked_until: Option<i64> = row.try_get("locked_until")?;
            users.push(UserSummary {
                id,
                sign_in_name: row.try_get("sign_in_name")?,
                display_name: row.try_get("display_name")?,
                enabled: row.try_get::<i64, _>("enabled")? != 0,
                roles: Vec::new(),
                registration: Default::default(),
                password_never_expires: never,
                password_expired: expires_at.is_some_and(|at| at <= policies.now),
                password_changed_at: changed_at,
                password_expires_at: expires_at,
                locked_until: locked_until.filter(|&at| at > policies.now),
                from_directory,
            });
        }
        let role: Option<String> = row.try_get("role")?;
        if let (Some(user), Some(role)) = (users.last_mut(), role.as_deref().and_then(Role::parse))
        {
            user.roles.push(role);
        }
    }
    Ok(users)
}
