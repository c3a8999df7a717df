//! Groups, their members, and nested membership.

use rekey_core::dto::{GroupRef, GroupSummary};
use rekey_core::roles::Role;
use sqlx::{AnyConnection, AnyPool, Row};

use super::conditions::Value;
use super::{count_matching, offset, search_filter};
use crate::infra::db::{new_id, now};

pub async fn create(
    conn: &mut AnyConnection,
    name: &str,
    description: &str,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO directory_groups (id, name, name_lc, description, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(name.trim())
    .bind(name.trim().to_lowercase())
    .bind(description)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn add_user(
    conn: &mut AnyConnection,
    group_id: &str,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO group_user_members (group_id, user_id) VALUES ($1, $2)")
        .bind(group_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn add_group(
    conn: &mut AnyConnection,
    group_id: &str,
    child_group_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO group_group_members (group_id, child_group_id) VALUES ($1, $2)")
        .bind(group_id)
        .bind(child_group_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The groups a user is a direct member of, by name.
pub async fn of_user(pool: &AnyPool, user_id: &str) -> Result<Vec<GroupRef>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT g.id, g.name FROM directory_groups g \
         JOIN group_user_members m ON m.group_id = g.id WHERE m.user_id = $1 ORDER BY g.name_lc",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(GroupRef {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}

/// Makes `group_ids` exactly the user's direct groups.
pub async fn set_user_groups(
    conn: &mut AnyConnection,
    user_id: &str,
    group_ids: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM group_user_members WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for group_id in group_ids {
        add_user(&mut *conn, group_id, user_id).await?;
    }
    Ok(())
}

/// Every group's id by its lower-cased name (for CSV import, which names groups).
pub async fn ids_by_name(
    pool: &AnyPool,
) -> Result<std::collections::HashMap<String, String>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name_lc FROM directory_groups")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("name_lc")?, r.try_get("id")?)))
        .collect()
}

/// `within(id)`: group `$1` and every group nested in it, at any depth, for a
/// `WITH RECURSIVE`. `UNION` stops at groups already seen, so a cycle cannot loop.
pub(super) const NESTED_IN_FIRST: &str = "within(id) AS ( \
     SELECT CAST($1 AS TEXT) \
     UNION \
     SELECT gg.child_group_id FROM group_group_members gg JOIN within w ON gg.group_id = w.id)";

/// A group and every group nested in it, at any depth.
pub async fn with_nested(pool: &AnyPool, group_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "WITH RECURSIVE {NESTED_IN_FIRST} SELECT id FROM within"
    ))
    .bind(group_id)
    .fetch_all(pool)
    .await
}

/// Whether user `u` is a member of one of `groups` (a group `with_nested`), as a condition
/// with a `?` per group. It looks up `u`'s own memberships by an index on the user; both
/// databases run it (and its `NOT`) as a semi-join (anti-join), once over the memberships.
pub(super) fn member_of(groups: &[String]) -> (String, Vec<Value>) {
    let (marks, values) = group_list(groups);
    (
        format!(
            "EXISTS (SELECT 1 FROM group_user_members gm \
             WHERE gm.user_id = u.id AND gm.group_id IN ({marks}))"
        ),
        values,
    )
}

/// The same test written as `u.id IN (members)`, which SQLite answers faster when most users
/// match (one pass over the memberships); for a `WHERE` clause, never under `NOT` (PostgreSQL
/// cannot turn `NOT IN` into an anti-join).
pub(super) fn members_include(groups: &[String]) -> (String, Vec<Value>) {
    let (marks, values) = group_list(groups);
    (
        format!(
            "u.id IN (SELECT gm.user_id FROM group_user_members gm \
             WHERE gm.group_id IN ({marks}))"
        ),
        values,
    )
}

/// A `?` per group, and the groups as values (one that matches no group when there are none).
fn group_list(groups: &[String]) -> (String, Vec<Value>) {
    let mut values: Vec<Value> = groups.iter().map(|g| Value::Text(g.clone())).collect();
    if values.is_empty() {
        values.push(Value::Text(String::new()));
    }
    (vec!["?"; values.len()].join(", "), values)
}

/// Whether the user is in the group directly or through any depth of nested groups.
/// `UNION` (not `UNION ALL`) stops at groups already seen, so a cycle cannot loop.
pub async fn is_member(pool: &AnyPool, user_id: &str, group_id: &str) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar(
        "WITH RECURSIVE containing(id) AS ( \
             SELECT group_id FROM group_user_members WHERE user_id = $1 \
             UNION \
             SELECT gg.group_id FROM group_group_members gg \
             JOIN containing c ON gg.child_group_id = c.id \
         ) SELECT COUNT(*) FROM containing WHERE id = $2",
    )
    .bind(user_id)
    .bind(group_id)
    .fetch_one(pool)
    .await?;
    Ok(count > 0)
}

/// The columns of a `GroupSummary`, with direct members (users and nested groups) counted.
const SUMMARY_COLUMNS: &str = "g.id, g.name, g.description, g.source, \
    (SELECT COUNT(*) FROM group_user_members m WHERE m.group_id = g.id) \
    + (SELECT COUNT(*) FROM group_group_members n WHERE n.group_id = g.id) AS member_count";

fn summary(row: &sqlx::any::AnyRow) -> Result<GroupSummary, sqlx::Error> {
    Ok(GroupSummary {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        member_count: row.try_get::<i64, _>("member_count")?.max(0) as u64,
        from_directory: row.try_get::<String, _>("source")? == super::directory_mirror::LDAP,
        roles: Vec::new(),
    })
}

/// Fills in each group's admin roles (few groups hold any: one read of them all).
async fn fill_roles(pool: &AnyPool, groups: &mut [GroupSummary]) -> Result<(), sqlx::Error> {
    let rows = sqlx::query("SELECT group_id, role FROM group_roles ORDER BY role")
        .fetch_all(pool)
        .await?;
    for row in &rows {
        let group_id: String = row.try_get("group_id")?;
        let role = row
            .try_get::<String, _>("role")
            .ok()
            .and_then(|r| Role::parse(&r));
        if let (Some(group), Some(role)) = (groups.iter_mut().find(|g| g.id == group_id), role) {
            group.roles.push(role);
        }
    }
    Ok(())
}

/// Replaces the admin roles granted to a group.
pub async fn set_roles(
    conn: &mut AnyConnection,
    group_id: &str,
    roles: &[Role],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM group_roles WHERE group_id = $1")
        .bind(group_id)
        .execute(&mut *conn)
        .await?;
    for role in roles {
        sqlx::query("INSERT INTO group_roles (group_id, role) VALUES ($1, $2)")
            .bind(group_id)
            .bind(role.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn find(pool: &AnyPool, id: &str) -> Result<Option<GroupSummary>, sqlx::Error> {
    let sql = format!("SELECT {SUMMARY_COLUMNS} FROM directory_groups g WHERE g.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(pool).await?;
    let mut found: Vec<GroupSummary> = row.as_ref().map(summary).transpose()?.into_iter().collect();
    fill_roles(pool, &mut found).await?;
    Ok(found.pop())
}

/// One page of groups ordered by name, with direct member counts, and how many match.
pub async fn list(
    pool: &AnyPool,
    search: Option<&str>,
    page: u32,
    per_page: u32,
) -> Result<(Vec<GroupSummary>, u64), sqlx::Error> {
    let filter = search_filter("g.name_lc", search);
    let total = count_matching(pool, "directory_groups g", &filter).await?;
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM directory_groups g {} ORDER BY g.name_lc LIMIT $2 OFFSET $3",
        filter.clause
    ))
    .bind(filter.pattern)
    .bind(i64::from(per_page))
    .bind(offset(page, per_page))
    .fetch_all(pool)
    .await?;
    let mut groups = rows.iter().map(summary).collect::<Result<Vec<_>, _>>()?;
    fill_roles(pool, &mut groups).await?;
    Ok((groups, total))
}
