//! Stable error codes of the JSON API. Every error body is
//! `{"error": {"code": "...", "message": "...", ...}}`; clients branch on `code`, never on text.

use serde::{Deserialize, Serialize};

use crate::validation::FieldError;

/// A machine-readable error code. The serialised names are a public contract: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not valid JSON, or does not match the expected shape.
    InvalidJson,
    /// The request needs `Content-Type: application/json`.
    UnsupportedMediaType,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// A query string or path parameter is malformed.
    InvalidParameter,
    /// One or more fields break a rule; see `fields`.
    ValidationFailed,
    /// No valid session: sign in first.
    Unauthenticated,
    /// Signed in, but the role does not allow this.
    Forbidden,
    /// A state-changing request without the session's CSRF token.
    CsrfFailed,
    /// Wrong sign-in name or password (deliberately not saying which).
    InvalidCredentials,
    /// Too many failed sign-ins: wait `retry_after_seconds`.
    AccountLocked,
    /// Nothing at this address.
    NotFound,
    /// The method is not allowed on this address.
    MethodNotAllowed,
    /// The server failed; nothing was changed.
    Internal,
    /// The server is not ready (e.g. the database is unreachable).
    Unavailable,
    /// Changing security info needs proof with a registered method first.
    ProofRequired,
    /// The password must be changed (expired, or set by an admin) before anything else.
    PasswordChangeRequired,
    /// The code or answers are not right; see `attempts_remaining`.
    VerificationFailed,
    /// The code has expired, was used, or had too many wrong tries: ask for a new one.
    CodeExpired,
    /// An authenticator app code that was right but already used: each works once, so wait
    /// for the next one.
    CodeReused,
    /// Too many requests of this kind: wait `retry_after_seconds`.
    RateLimited,
    /// The reset flow ended (expired, finished, or a gate was exhausted): start over.
    ResetExpired,
    /// Someone else changed this password at the same moment: start over.
    Conflict,
    /// The organisation's directory did not answer in time (or refused Rekey's service
    /// account); nothing was changed: try again shortly.
    DirectoryUnavailable,
    /// The right password of an account the directory has turned off (AD says so only then).
    DirectoryAccountDisabled,
    /// This password is kept by the organisation's directory, which Rekey is not connected
    /// to now.
    DirectoryOwnsPassword,
    /// The directory does not let Rekey's service account change this account's password (a
    /// protected account, such as a domain admin, or rights not given).
    DirectoryRefusedAccount,
    /// The passkey was not accepted (it did not verify, or is not registered here).
    PasskeyRefused,
    /// Passkeys work only where Rekey's public address names a domain.
    PasskeysUnavailable,
    /// This passkey (or this device's) is registered already.
    PasskeyExists,
}

impl ErrorCode {
    /// The HTTP status that always accompanies this code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InvalidJson | ErrorCode::InvalidParameter => 400,
            ErrorCode::ValidationFailed => 422,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::Unauthenticated | ErrorCode::InvalidCredentials => 401,
            ErrorCode::Forbidden | ErrorCode::CsrfFailed => 403,
            ErrorCode::AccountLocked => 429,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
            ErrorCode::ProofRequired | ErrorCode::PasswordChangeRequired => 403,
            ErrorCode::VerificationFailed | ErrorCode::CodeExpired | ErrorCode::CodeReused => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::ResetExpired => 410,
            ErrorCode::Conflict | ErrorCode::DirectoryOwnsPassword => 409,
            ErrorCode::DirectoryUnavailable => 503,
            ErrorCode::DirectoryAccountDisabled | ErrorCode::DirectoryRefusedAccount => 403,
            ErrorCode::PasskeyRefused => 422,
            ErrorCode::PasskeysUnavailable | ErrorCode::PasskeyExists => 409,
        }
    }

    /// Every code, for documentation and exhaustive tests.
    pub const ALL: [ErrorCode; 29] = [
        ErrorCode::InvalidJson,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::PayloadTooLarge,
        ErrorCode::InvalidParameter,
        ErrorCode::ValidationFailed,
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::CsrfFailed,
        ErrorCode::InvalidCredentials,
        ErrorCode::AccountLocked,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
        ErrorCode::ProofRequired,
        ErrorCode::PasswordChangeRequired,
        ErrorCode::VerificationFailed,
        ErrorCode::CodeExpired,
        ErrorCode::CodeReused,
        ErrorCode::RateLimited,
        ErrorCode::ResetExpired,
        ErrorCode::Conflict,
        ErrorCode::DirectoryUnavailable,
        ErrorCode::DirectoryAccountDisabled,
        ErrorCode::DirectoryOwnsPassword,
        ErrorCode::DirectoryRefusedAccount,
        ErrorCode::PasskeyRefused,
        ErrorCode::PasskeysUnavailable,
        ErrorCode::PasskeyExists,
    ];
}

/// The `error` object inside every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorDetail {
    pub code: ErrorCode,
    /// English text for logs and developers; the SPA shows its own translation of `code`.
    pub message: String,
    /// Which fields broke which rule (with `validation_failed`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// When the caller may try again (with `account_locked` and `rate_limited`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
    /// Wrong tries left before the code stops working (with `verification_failed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_remaining: Option<u32>,
}

/// Every error response body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub error: ApiErrorDetail,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_stable_snake_case() {
        let json = serde_json::to_string(&ErrorCode::CsrfFailed).unwrap();
        assert_eq!(json, "\"csrf_failed\"");
        let back: ErrorCode = serde_json::from_str("\"account_locked\"").unwrap();
        assert_eq!(back, ErrorCode::AccountLocked);
    }

    #[test]
    fn client_errors_are_4xx_and_only_server_side_failures_are_5xx() {
        for code in ErrorCode::ALL {
            let status = code.http_status();
            let server_side = matches!(
                code,
                ErrorCode::Internal | ErrorCode::Unavailable | ErrorCode::DirectoryUnavailable
            );
            assert_eq!(status >= 500, server_side, "{code:?} -> {status}");
            assert!((400..600).contains(&status));
        }
    }
}
