//! Checking a code from the user's authenticator app: right for the current time step (or the
//! one either side), and accepted once only, so a code seen over a shoulder or replayed does
//! not work again.

use crate::infra::keys::KeyError;
use crate::infra::totp;
use crate::state::AppState;
use crate::store::security_info as store;

/// What a typed code turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppCode {
    Accepted,
    /// Right, but already used (by this request's user, or another request at once).
    Reused,
    Wrong,
}

#[derive(Debug, thiserror::Error)]
pub enum AppCodeError {
    #[error("cannot open the authenticator secret: {0}")]
    Unseal(#[from] KeyError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Checks `code` against the user's sealed secret at `now`.
pub async fn check(
    state: &AppState,
    user_id: &str,
    sealed: &str,
    code: &str,
    now: i64,
) -> Result<AppCode, AppCodeError> {
    let secret = state.keys.unseal(sealed, user_id)?;
    let Some(step) = totp::matching_step(&secret, code, now) else {
        return Ok(AppCode::Wrong);
    };
    Ok(
        if store::advance_app_step(&state.db.pool, user_id, step).await? {
            AppCode::Accepted
        } else {
            AppCode::Reused
        },
    )
}
