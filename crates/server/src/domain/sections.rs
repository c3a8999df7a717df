//! Loading and saving settings sections: one JSON document per section, saved together with
//! its audit event (old and new values) or not at all.

use rekey_core::dto::SettingsView;
use rekey_core::settings::SettingsSection;
use rekey_core::sspr::SsprSettings;
use sqlx::AnyPool;

use crate::infra::db::now;
use crate::store::{audit, coverage, settings};

/// The stored section, or its defaults when never saved (from the pool, or inside a
/// transaction that may have just changed it).
pub async fn load<'c, T: SettingsSection>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
) -> Result<SettingsView<T>, sqlx::Error> {
    Ok(match settings::get(db, T::KEY).await? {
        Some(stored) => SettingsView {
            settings: serde_json::from_value(stored.value)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            updated_at: Some(stored.updated_at),
            updated_by: stored.updated_by,
        },
        None => SettingsView {
            settings: T::default(),
            updated_at: None,
            updated_by: None,
        },
    })
}

/// Stores a validated section if it differs from what is stored, with its audit event.
pub async fn save<T: SettingsSection + 'static>(
    pool: &AnyPool,
    actor: &str,
    wanted: &T,
) -> Result<(), sqlx::Error> {
    let old = load::<T>(pool).await?.settings;
    if &old == wanted {
        return Ok(());
    }
    let encode = |v: &T| serde_json::to_value(v).map_err(|e| sqlx::Error::Encode(Box::new(e)));
    let (old_value, new_value) = (encode(&old)?, encode(wanted)?);
    let mut tx = pool.begin().await?;
    settings::put(&mut tx, T::KEY, &new_value, actor, now()).await?;
    let event = audit::NewEvent::by(Some(actor), T::AUDIT, T::KEY)
        .values(Some(&old_value), Some(&new_value));
    audit::record(&mut tx, event).await?;
    // Who self-service reset covers is kept on each user: a new scope moves them, here.
    if let Some(sspr) = (wanted as &dyn std::any::Any).downcast_ref::<SsprSettings>() {
        coverage::refresh(&mut tx, sspr, None).await?;
    }
    tx.commit().await
}
