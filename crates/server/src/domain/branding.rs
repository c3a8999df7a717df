//! The organisation's branding as users meet it: the name on screens and in every message
//! (the Branding settings, or the deployment's `--org-name` until an admin sets one), the logo
//! and the accent colour.

use rekey_core::settings::BrandingSettings;

use crate::domain::sections;
use crate::state::AppState;

/// The branding with the organisation's name resolved.
pub async fn current(state: &AppState) -> Result<BrandingSettings, sqlx::Error> {
    let mut branding = sections::load::<BrandingSettings>(&state.db.pool)
        .await?
        .settings;
    if branding.organisation_name.is_empty() {
        branding.organisation_name = state.config.org_name.clone();
    }
    Ok(branding)
}

pub async fn org_name(state: &AppState) -> Result<String, sqlx::Error> {
    Ok(current(state).await?.organisation_name)
}
