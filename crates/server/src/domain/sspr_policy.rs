//! Whom self-service password reset covers.

use rekey_core::sspr::SsprSettings;
use sqlx::AnyPool;

use crate::domain::sections;
use crate::store::groups;

/// Whether self-service password reset is on for this user.
pub async fn applies_to(pool: &AnyPool, user_id: &str) -> Result<bool, sqlx::Error> {
    let sspr = sections::load::<SsprSettings>(pool).await?.settings;
    let in_group = match sspr.group_id.as_deref() {
        Some(group_id) => groups::is_member(pool, user_id, group_id).await?,
        None => false,
    };
    Ok(sspr.applies(in_group))
}
