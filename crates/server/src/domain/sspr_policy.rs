//! Whom self-service password reset covers.

use rekey_core::sspr::SsprSettings;
use sqlx::{AnyConnection, AnyPool};

use crate::domain::sections;
use crate::store::{coverage, groups};

/// Whether self-service password reset is on for this user.
pub async fn applies_to(pool: &AnyPool, user_id: &str) -> Result<bool, sqlx::Error> {
    let sspr = sections::load::<SsprSettings>(pool).await?.settings;
    let in_group = match sspr.group_id.as_deref() {
        Some(group_id) => groups::is_member(pool, user_id, group_id).await?,
        None => false,
    };
    Ok(sspr.applies(in_group))
}

/// Brings one user's "covered" flag (what reports and the Users page's filters read) in step
/// with the scope, after their groups changed; inside the transaction that changed them.
pub async fn refresh_user(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    let sspr = sections::load::<SsprSettings>(&mut *conn).await?.settings;
    coverage::refresh(conn, &sspr, Some(user_id)).await?;
    Ok(())
}

/// Brings every user's flag in step, after the scope or a nesting changed, inside that
/// change's transaction. Returns how many flags changed.
pub async fn refresh_everyone(conn: &mut AnyConnection) -> Result<u64, sqlx::Error> {
    let sspr = sections::load::<SsprSettings>(&mut *conn).await?.settings;
    coverage::refresh(conn, &sspr, None).await
}

/// `refresh_everyone` on a connection of its own: after a directory sync, and now and then to
/// mend any drift.
pub async fn refresh_all(pool: &AnyPool) -> Result<u64, sqlx::Error> {
    refresh_everyone(&mut *pool.acquire().await?).await
}
