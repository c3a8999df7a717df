//! What the audit log records.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    SsprSettingsChanged,
    SignInSucceeded,
    SignInFailed,
    SignInLocked,
    SignedOut,
    GlobalAdminCreated,
    TestEmailQueued,
    SecurityInfoChanged,
    SecurityInfoConfirmed,
    TestSmsQueued,
    PasswordResetSelf,
    AccountUnlockedSelf,
    ResetBlocked,
    PasswordPolicyChanged,
    PasswordExpiryChanged,
    UserCreated,
    UserUpdated,
    UserDeleted,
    PasswordNeverExpiresChanged,
    PasswordResetByAdmin,
    AccountUnlockedByAdmin,
    SessionsRevoked,
    UsersImported,
    PasswordChanged,
    PasswordExpiryNoticeSent,
    BrandingChanged,
    EmbeddingChanged,
    DirectorySynced,
    DirectoryChanged,
    GroupRolesChanged,
    /// The organisation's directory refused a password Rekey tried to set (the reason, never
    /// the password).
    DirectoryRefusedPassword,
}

impl AuditAction {
    pub const ALL: [AuditAction; 31] = [
        AuditAction::SsprSettingsChanged,
        AuditAction::SignInSucceeded,
        AuditAction::SignInFailed,
        AuditAction::SignInLocked,
        AuditAction::SignedOut,
        AuditAction::GlobalAdminCreated,
        AuditAction::TestEmailQueued,
        AuditAction::SecurityInfoChanged,
        AuditAction::SecurityInfoConfirmed,
        AuditAction::TestSmsQueued,
        AuditAction::PasswordResetSelf,
        AuditAction::AccountUnlockedSelf,
        AuditAction::ResetBlocked,
        AuditAction::PasswordPolicyChanged,
        AuditAction::PasswordExpiryChanged,
        AuditAction::UserCreated,
        AuditAction::UserUpdated,
        AuditAction::UserDeleted,
        AuditAction::PasswordNeverExpiresChanged,
        AuditAction::PasswordResetByAdmin,
        AuditAction::AccountUnlockedByAdmin,
        AuditAction::SessionsRevoked,
        AuditAction::UsersImported,
        AuditAction::PasswordChanged,
        AuditAction::PasswordExpiryNoticeSent,
        AuditAction::BrandingChanged,
        AuditAction::EmbeddingChanged,
        AuditAction::DirectorySynced,
        AuditAction::DirectoryChanged,
        AuditAction::GroupRolesChanged,
        AuditAction::DirectoryRefusedPassword,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SsprSettingsChanged => "sspr_settings_changed",
            AuditAction::SignInSucceeded => "sign_in_succeeded",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignInLocked => "sign_in_locked",
            AuditAction::SignedOut => "signed_out",
            AuditAction::GlobalAdminCreated => "global_admin_created",
            AuditAction::TestEmailQueued => "test_email_queued",
            AuditAction::SecurityInfoChanged => "security_info_changed",
            AuditAction::SecurityInfoConfirmed => "security_info_confirmed",
            AuditAction::TestSmsQueued => "test_sms_queued",
            AuditAction::PasswordResetSelf => "password_reset_self",
            AuditAction::AccountUnlockedSelf => "account_unlocked_self",
            AuditAction::ResetBlocked => "reset_blocked",
            AuditAction::PasswordPolicyChanged => "password_policy_changed",
            AuditAction::PasswordExpiryChanged => "password_expiry_changed",
            AuditAction::UserCreated => "user_created",
            AuditAction::UserUpdated => "user_updated",
            AuditAction::UserDeleted => "user_deleted",
            AuditAction::PasswordNeverExpiresChanged => "password_never_expires_changed",
            AuditAction::PasswordResetByAdmin => "password_reset_by_admin",
            AuditAction::AccountUnlockedByAdmin => "account_unlocked_by_admin",
            AuditAction::SessionsRevoked => "sessions_revoked",
            AuditAction::UsersImported => "users_imported",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::PasswordExpiryNoticeSent => "password_expiry_notice_sent",
            AuditAction::BrandingChanged => "branding_changed",
            AuditAction::EmbeddingChanged => "embedding_changed",
            AuditAction::DirectorySynced => "directory_synced",
            AuditAction::DirectoryChanged => "directory_changed",
            AuditAction::GroupRolesChanged => "group_roles_changed",
            AuditAction::DirectoryRefusedPassword => "directory_refused_password",
        }
    }

    pub fn parse(name: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_match_the_wire_names() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            assert_eq!(
                serde_json::to_string(&action).unwrap(),
                format!("\"{}\"", action.as_str())
            );
        }
    }
}
