//! `AppError`: every way a request can fail, mapped to a stable code and status. Internal
//! details are logged, never sent.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rekey_core::error::{ApiError, ApiErrorDetail, ErrorCode};
use rekey_core::validation::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("the body is not valid JSON for this request: {0}")]
    InvalidJson(String),
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    #[error("the body is too large")]
    PayloadTooLarge,
    #[error("invalid parameter: {0}")]
    InvalidParameter(String),
    #[error("some fields are not valid")]
    Validation(Vec<FieldError>),
    #[error("sign in first")]
    Unauthenticated,
    #[error("your role does not allow this")]
    Forbidden,
    #[error("missing or wrong X-CSRF-Token header")]
    Csrf,
    #[error("requests from this site are not allowed")]
    ForeignOrigin,
    #[error("wrong sign-in name or password")]
    InvalidCredentials,
    #[error("too many failed sign-ins; try again later")]
    Locked { retry_after_seconds: u64 },
    #[error("no such resource")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("the database is not reachable")]
    Unavailable,
    #[error("prove it is you with a registered method first")]
    ProofRequired,
    #[error("change your password first")]
    PasswordChangeRequired,
    #[error("the code or answers are not right")]
    VerificationFailed { attempts_remaining: Option<u32> },
    #[error("the code has expired or was used; ask for a new one")]
    CodeExpired,
    #[error("that authenticator code was already used; wait for the next one")]
    CodeReused,
    #[error("too many requests; try again later")]
    RateLimited { retry_after_seconds: u64 },
    #[error("this reset has ended; start again")]
    ResetExpired,
    #[error("the password changed at the same moment; start again")]
    Conflict,
    #[error("the organisation's directory is not answering; try again shortly")]
    DirectoryUnavailable,
    #[error("the directory has turned the account off")]
    DirectoryAccountDisabled,
    #[error("this password is kept by the organisation's directory, which is not connected")]
    DirectoryOwnsPassword,
    #[error("the directory does not let Rekey change this account's password")]
    DirectoryRefusedAccount,
    #[error("the passkey was not accepted")]
    PasskeyRefused,
    #[error("passkeys need the public URL to name a domain")]
    PasskeysUnavailable,
    #[error("this passkey is registered already")]
    PasskeyExists,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("password hashing: {0}")]
    Hashing(#[from] crate::infra::passwords::HashError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::InvalidJson(_) => ErrorCode::InvalidJson,
            AppError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            AppError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            AppError::InvalidParameter(_) => ErrorCode::InvalidParameter,
            AppError::Validation(_) => ErrorCode::ValidationFailed,
            AppError::Unauthenticated => ErrorCode::Unauthenticated,
            AppError::Forbidden => ErrorCode::Forbidden,
            AppError::Csrf | AppError::ForeignOrigin => ErrorCode::CsrfFailed,
            AppError::InvalidCredentials => ErrorCode::InvalidCredentials,
            AppError::Locked { .. } => ErrorCode::AccountLocked,
            AppError::NotFound => ErrorCode::NotFound,
            AppError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            AppError::Unavailable => ErrorCode::Unavailable,
            AppError::ProofRequired => ErrorCode::ProofRequired,
            AppError::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
            AppError::VerificationFailed { .. } => ErrorCode::VerificationFailed,
            AppError::CodeExpired => ErrorCode::CodeExpired,
            AppError::CodeReused => ErrorCode::CodeReused,
            AppError::RateLimited { .. } => ErrorCode::RateLimited,
            AppError::ResetExpired => ErrorCode::ResetExpired,
            AppError::Conflict => ErrorCode::Conflict,
            AppError::DirectoryUnavailable => ErrorCode::DirectoryUnavailable,
            AppError::DirectoryAccountDisabled => ErrorCode::DirectoryAccountDisabled,
            AppError::DirectoryOwnsPassword => ErrorCode::DirectoryOwnsPassword,
            AppError::DirectoryRefusedAccount => ErrorCode::DirectoryRefusedAccount,
            AppError::PasskeyRefused => ErrorCode::PasskeyRefused,
            AppError::PasskeysUnavailable => ErrorCode::PasskeysUnavailable,
            AppError::PasskeyExists => ErrorCode::PasskeyExists,
            AppError::Database(_) | AppError::Hashing(_) | AppError::Internal(_) => {
                ErrorCode::Internal
            }
        }
    }

    pub fn body(&self) -> ApiError {
        let code = self.code();
        let message = if code == ErrorCode::Internal {
            "internal error; nothing was changed".to_string()
        } else {
            self.to_string()
        };
        ApiError {
            error: ApiErrorDetail {
                code,
                message,
                fields: match self {
                    AppError::Validation(fields) => fields.clone(),
                    _ => Vec::new(),
                },
                retry_after_seconds: self.retry_after_seconds(),
                attempts_remaining: match self {
                    AppError::VerificationFailed { attempts_remaining } => *attempts_remaining,
                    _ => None,
                },
            },
        }
    }
}

impl AppError {
    fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            AppError::Locked {
                retry_after_seconds,
            }
            | AppError::RateLimited {
                retry_after_seconds,
            } => Some(*retry_after_seconds),
            _ => None,
        }
    }
}

impl From<crate::domain::directory::DirectoryError> for AppError {
    fn from(error: crate::domain::directory::DirectoryError) -> Self {
        use crate::domain::directory::DirectoryError;
        match error {
            DirectoryError::Unavailable(e) => {
                tracing::warn!(error = %e, "the directory did not answer");
                AppError::DirectoryUnavailable
            }
            DirectoryError::Database(e) => AppError::Database(e),
            DirectoryError::Hashing(e) => AppError::Hashing(e),
        }
    }
}

impl From<crate::domain::reports::ReportError> for AppError {
    fn from(error: crate::domain::reports::ReportError) -> Self {
        use crate::domain::reports::ReportError;
        match error {
            ReportError::Period(problem) => AppError::Validation(vec![problem]),
            ReportError::Database(e) => e.into(),
        }
    }
}

impl From<crate::domain::passkeys::PasskeyFault> for AppError {
    fn from(error: crate::domain::passkeys::PasskeyFault) -> Self {
        use crate::domain::passkeys::PasskeyFault;
        match error {
            PasskeyFault::Unavailable => AppError::PasskeysUnavailable,
            PasskeyFault::Malformed(why) => AppError::InvalidJson(format!("credential: {why}")),
            PasskeyFault::Expired => AppError::CodeExpired,
            PasskeyFault::Refused { .. } => AppError::PasskeyRefused,
            PasskeyFault::Stored(why) => AppError::Internal(format!("passkey: {why}")),
            PasskeyFault::Database(e) => AppError::Database(e),
        }
    }
}

impl From<crate::domain::codes::CodeError> for AppError {
    fn from(error: crate::domain::codes::CodeError) -> Self {
        use crate::domain::codes::CodeError;
        match error {
            CodeError::Wrong { attempts_remaining } => AppError::VerificationFailed {
                attempts_remaining: Some(attempts_remaining),
            },
            CodeError::Expired => AppError::CodeExpired,
            CodeError::RateLimited {
                retry_after_seconds,
            } => AppError::RateLimited {
                retry_after_seconds,
            },
            CodeError::Database(e) => AppError::Database(e),
        }
    }
}

impl From<crate::domain::password_change::PasswordError> for AppError {
    fn from(error: crate::domain::password_change::PasswordError) -> Self {
        use crate::domain::password_change::PasswordError;
        match error {
            PasswordError::Refused(fields) => AppError::Validation(fields),
            PasswordError::DirectoryOwned => AppError::DirectoryOwnsPassword,
            PasswordError::Writeback(e) => e.into(),
            PasswordError::Database(e) => AppError::Database(e),
            PasswordError::Hashing(e) => AppError::Hashing(e),
        }
    }
}

impl From<crate::domain::writeback::WritebackError> for AppError {
    fn from(error: crate::domain::writeback::WritebackError) -> Self {
        use crate::domain::writeback::WritebackError;
        match error {
            // A refusal of the password itself arrives as field errors (PasswordError).
            WritebackError::Refused(_) => AppError::DirectoryRefusedAccount,
            WritebackError::Busy | WritebackError::LandedEarlier => AppError::Conflict,
            WritebackError::Unavailable(e) => {
                tracing::warn!(error = %e, "the directory could not take a password");
                AppError::DirectoryUnavailable
            }
            WritebackError::Directory(e) => e.into(),
            WritebackError::Database(e) => AppError::Database(e),
        }
    }
}

impl From<crate::domain::directory::writeback::WriteError> for AppError {
    fn from(error: crate::domain::directory::writeback::WriteError) -> Self {
        use crate::domain::directory::writeback::WriteError;
        match error {
            WriteError::Refused { .. } => AppError::DirectoryRefusedAccount,
            WriteError::Unavailable(e) | WriteError::Unknown(e) => {
                tracing::warn!(error = %e, "the directory could not take a write");
                AppError::DirectoryUnavailable
            }
        }
    }
}

impl From<crate::domain::app_codes::AppCodeError> for AppError {
    fn from(error: crate::domain::app_codes::AppCodeError) -> Self {
        use crate::domain::app_codes::AppCodeError;
        match error {
            AppCodeError::Unseal(e) => AppError::Internal(e.to_string()),
            AppCodeError::Database(e) => AppError::Database(e),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if self.code() == ErrorCode::Internal {
            tracing::error!(error = %self, "request failed");
        }
        let status = StatusCode::from_u16(self.code().http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(self.body())).into_response();
        if let Some(seconds) = self.retry_after_seconds() {
            if let Ok(value) = seconds.to_string().parse() {
                response.headers_mut().insert("retry-after", value);
            }
        }
        response
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return AppError::PayloadTooLarge;
        }
        match rejection {
            JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
            other => AppError::InvalidJson(other.body_text()),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::InvalidParameter(rejection.body_text())
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::InvalidParameter(rejection.body_text())
    }
}
