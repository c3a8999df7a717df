//! Loading the self-service password reset settings and deciding whom they cover.

use rekey_core::sspr::SsprSettings;
use sqlx::AnyPool;

use crate::store::{groups, settings};

pub const SETTINGS_KEY: &str = "sspr";

pub struct LoadedSspr {
    pub settings: SsprSettings,
    pub updated_at: Option<i64>,
    pub updated_by: Option<String>,
}

/// The stored settings, or the defaults (off for everyone) when never saved.
pub async fn load(pool: &AnyPool) -> Result<LoadedSspr, sqlx::Error> {
    Ok(match settings::get(pool, SETTINGS_KEY).await? {
        Some(stored) => LoadedSspr {
            settings: serde_json::from_value(stored.value)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            updated_at: Some(stored.updated_at),
            updated_by: stored.updated_by,
        },
        None => LoadedSspr {
            settings: SsprSettings::default(),
            updated_at: None,
            updated_by: None,
        },
    })
}

/// Whether self-service password reset is on for this user.
pub async fn applies_to(pool: &AnyPool, user_id: &str) -> Result<bool, sqlx::Error> {
    let sspr = load(pool).await?.settings;
    let in_group = match sspr.group_id.as_deref() {
        Some(group_id) => groups::is_member(pool, user_id, group_id).await?,
        None => false,
    };
    Ok(sspr.applies(in_group))
}
