//! The Users page's listing: search, filters and paging in SQL, so a page of 100,000 users costs
//! one indexed count and one page read.

use rekey_core::dto::{PasswordFilter, UserQuery, UserSummary};
use rekey_core::roles::Role;
use rekey_core::security_info::{MethodKind, MethodPolicy};
use rekey_core::settings::{AuthMethodsSettings, PasswordExpirySettings};
use sqlx::{AnyPool, Row};

use super::conditions::{Conditions, Value};
use super::users::HELD_ROLES;
use super::{contains_pattern, offset};

/// The policies a filter depends on: "registered" follows the method policy, "expired" the
/// expiration policy.
pub struct Policies<'a> {
    pub methods: &'a AuthMethodsSettings,
    pub expiry: &'a PasswordExpirySettings,
    pub now: i64,
}

/// How many methods of `policy` user `u` holds, as SQL. The kinds and numbers come from the
/// server's own policy, never from the request, so they are written inline.
fn methods_held(policy: &MethodPolicy) -> String {
    let kinds: Vec<String> = policy
        .available
        .iter()
        .filter(|k| **k != MethodKind::SecurityQuestions)
        .map(|k| format!("'{}'", k.as_str()))
        .collect();
    let listed = if kinds.is_empty() {
        "0".to_string()
    } else {
        format!(
            "(SELECT COUNT(*) FROM auth_methods m WHERE m.user_id = u.id AND m.method IN ({}))",
            kinds.join(", ")
        )
    };
    if policy.available.contains(&MethodKind::SecurityQuestions) {
        format!(
            "{listed} + CASE WHEN (SELECT COUNT(*) FROM security_answers a WHERE a.user_id = u.id) \
             >= {} THEN 1 ELSE 0 END",
            policy.questions_to_register
        )
    } else {
        listed
    }
}

/// Whether user `u` holds enough methods for a reset: admins under the admin policy.
fn registered_sql(methods: &AuthMethodsSettings) -> String {
    let user = MethodPolicy::for_user(methods, false);
    let admin = MethodPolicy::for_user(methods, true);
    format!(
        "(CASE WHEN EXISTS (SELECT 1 FROM held_roles r WHERE r.user_id = u.id) \
         THEN ({}) >= {} ELSE ({}) >= {} END)",
        methods_held(&admin),
        admin.required,
        methods_held(&user),
        user.required
    )
}

fn conditions(query: &UserQuery, policies: &Policies) -> Conditions {
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
    if let Some(group) = &query.group {
        found.push(
            "u.id IN (SELECT g.user_id FROM group_user_members g WHERE g.group_id = ?)",
            Value::Text(group.clone()),
        );
    }
    if let Some(enabled) = query.enabled {
        found.push("u.enabled = ?", Value::Int(i64::from(enabled)));
    }
    if let Some(registered) = query.registered {
        let test = registered_sql(policies.methods);
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
    policies: &Policies<'_>,
) -> Result<(Vec<UserSummary>, u64), sqlx::Error> {
    let (page, per_page) = query.listing().paging();
    let found = conditions(query, policies);
    let clause = found.clause();
    // Roles (the column and the filters) count those held through groups.
    let count_sql = format!("{HELD_ROLES} SELECT COUNT(*) FROM users u {clause}");
    let total: i64 = found
        .bind(sqlx::query(&count_sql))
        .fetch_one(pool)
        .await?
        .try_get(0)?;
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
        .bind(i64::from(per_page))
        .bind(offset(page, per_page))
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
    Ok((users, total.max(0) as u64))
}
