//! Whom self-service reset covers, kept on each user (`users.sspr_covered`) so that reports
//! and the Users page's filters read a column instead of the scope group's memberships.
//!
//! The scope is a settings section, which SQL cannot read: whoever changes a membership, a
//! nesting or the scope passes the scope in (`domain::sspr_policy`, `domain::sections::save`). A refresh writes only the
//! rows whose flag is wrong, so running it again (as the sweeper does) changes nothing.

use rekey_core::sspr::{SsprScope, SsprSettings};
use sqlx::AnyConnection;

use super::groups::NESTED_IN_FIRST;

/// Sets `users.sspr_covered` from the scope: for one user, or for everyone when `user` is
/// `None`. Returns how many flags changed.
pub async fn refresh(
    conn: &mut AnyConnection,
    sspr: &SsprSettings,
    user: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let one = if user.is_some() { " AND id = $2" } else { "" };
    let group = match (sspr.scope, sspr.group_id.as_deref()) {
        (SsprScope::Selected, Some(group)) => group,
        (scope, _) => {
            let covered = i64::from(scope == SsprScope::All);
            let sql = format!("UPDATE users SET sspr_covered = $1 WHERE sspr_covered <> $1{one}");
            let query = and_user(sqlx::query(&sql).bind(covered), user);
            return Ok(query.execute(conn).await?.rows_affected());
        }
    };
    // Members of the group or of a group nested in it, at any depth.
    let members = "SELECT gm.user_id FROM group_user_members gm \
                   WHERE gm.group_id IN (SELECT id FROM within)";
    let mut changed = 0;
    for (flag, test) in [
        (1, format!("sspr_covered = 0 AND id IN ({members})")),
        (
            0,
            format!("sspr_covered = 1 AND NOT EXISTS ({members} AND gm.user_id = users.id)"),
        ),
    ] {
        let sql = format!(
            "WITH RECURSIVE {NESTED_IN_FIRST} \
             UPDATE users SET sspr_covered = {flag} WHERE {test}{one}"
        );
        let query = and_user(sqlx::query(&sql).bind(group), user);
        changed += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(changed)
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds the user (`$2`) when the refresh is for one.
fn and_user<'q>(query: Query<'q>, user: Option<&'q str>) -> Query<'q> {
    match user {
        Some(user) => query.bind(user),
        None => query,
    }
}
