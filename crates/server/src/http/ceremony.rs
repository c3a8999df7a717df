//! A started passkey ceremony as the page receives it, and whether passkeys can work here.

use axum::extract::State;
use rekey_core::dto::{PasskeyOptions, PasskeyStatus};
use rekey_core::error::ApiError;

use super::extract::{AdminUser, Json};
use crate::domain::passkeys::{Challenge, CEREMONY_SECONDS};
use crate::state::AppState;

pub fn options_of(challenge: Challenge) -> PasskeyOptions {
    PasskeyOptions {
        challenge_id: challenge.id,
        options: challenge.options,
        expires_in_seconds: CEREMONY_SECONDS as u32,
    }
}

/// The domain passkeys are bound to here, or none where they cannot work (an IP address), so
/// the Authentication methods section can say so before anyone tries.
#[utoipa::path(get, path = "/api/settings/passkeys", tag = "settings",
    responses(
        (status = 200, body = PasskeyStatus),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn status(State(state): State<AppState>, _admin: AdminUser) -> Json<PasskeyStatus> {
    Json(PasskeyStatus {
        relying_party: state.passkeys.relying_party().map(str::to_string),
    })
}
