//! The signed-in user's own password, and what a proposed expiration policy would do.

use gloo_net::http::Request;
use rekey_core::dto::{ChangePasswordRequest, ExpiryImpact, PasswordRules};

use super::{get, url, write_only, Failure};

/// The rules a new password of the signed-in user must meet.
pub async fn rules() -> Result<PasswordRules, Failure> {
    get("/me/password-rules", &[]).await
}

/// Changes the signed-in user's password; the server signs out their other sessions.
pub async fn change(request: &ChangePasswordRequest) -> Result<(), Failure> {
    write_only(Request::post(&url("/me/password")), request).await
}

/// How many users an expiration policy of these numbers would cover, expire and notify today.
pub async fn expiry_impact(max_age_days: u16, notice_days: u16) -> Result<ExpiryImpact, Failure> {
    let query = [
        ("max_age_days", max_age_days.to_string()),
        ("notice_days", notice_days.to_string()),
    ];
    get("/settings/password-expiry/impact", &query).await
}
