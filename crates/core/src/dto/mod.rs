//! Request and response bodies of the JSON API, shared by the SPA's client and the server.

mod audit;
mod directory;
mod reports;
mod reset;
mod security;
mod users;

pub use audit::*;
pub use directory::*;
pub use reports::*;
pub use reset::*;
pub use security::*;
pub use users::*;

use serde::{Deserialize, Serialize};

use crate::roles::Role;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub sign_in_name: String,
    pub password: String,
    /// The page's language tag (e.g. `zh-CN`), remembered for messages sent to the user later.
    #[serde(default)]
    pub lang: Option<String>,
}

/// The signed-in person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: String,
    pub sign_in_name: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// Whether self-service password reset is turned on for this person.
    pub sspr_enabled: bool,
    /// Why sign-in continues into the registration wizard, if it does.
    pub registration_due: Option<crate::security_info::RegistrationReason>,
    /// Whether the wizard may be skipped for now.
    pub registration_can_skip: bool,
    /// Sign-in continues into a forced password change; nothing else answers until then.
    pub password_change_due: Option<PasswordChangeReason>,
}

/// Returned by sign-in and `GET /api/session`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub user: Me,
    /// Send this in the `X-CSRF-Token` header with every state-changing request.
    pub csrf_token: String,
    /// Unix seconds when the session ends at the latest.
    pub expires_at: i64,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many match in all.
    pub total: u64,
    /// 1-based page number.
    pub page: u32,
    pub per_page: u32,
}

/// Paging and search for listings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Case-insensitive text to look for.
    #[serde(default)]
    pub q: Option<String>,
    /// 1-based page number (default 1).
    #[serde(default)]
    pub page: Option<u32>,
    /// Items per page, 1-100 (default 25).
    #[serde(default)]
    pub per_page: Option<u32>,
}

impl ListQuery {
    pub const DEFAULT_PER_PAGE: u32 = 25;
    pub const MAX_PER_PAGE: u32 = 100;
    /// The longest search text accepted.
    pub const MAX_Q: usize = 200;

    /// The page and page size to use, clamped to what the API allows.
    pub fn paging(&self) -> (u32, u32) {
        let per_page = self
            .per_page
            .unwrap_or(Self::DEFAULT_PER_PAGE)
            .clamp(1, Self::MAX_PER_PAGE);
        let page = self.page.unwrap_or(1).clamp(1, 1_000_000);
        (page, per_page)
    }

    /// The search text, trimmed and lower-cased, or `None` when blank.
    pub fn search(&self) -> Option<String> {
        self.q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| {
                q.chars()
                    .take(Self::MAX_Q)
                    .collect::<String>()
                    .to_lowercase()
            })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub id: String,
    pub sign_in_name: String,
    pub display_name: String,
    pub enabled: bool,
    pub roles: Vec<Role>,
    pub registration: RegistrationSummary,
    /// Exempt from the expiration policy.
    pub password_never_expires: bool,
    /// Older than the expiration policy allows (changes at next sign-in).
    pub password_expired: bool,
    /// When the password was last set here (Unix seconds); for a directory's people, when
    /// Rekey last set it.
    #[serde(default)]
    pub password_changed_at: i64,
    /// When the password expires: by Rekey's policy, or by the directory's word for its
    /// people; none when it never does (or is not known).
    #[serde(default)]
    pub password_expires_at: Option<i64>,
    /// Locked out of sign-in until then (smart lockout), if locked now.
    #[serde(default)]
    pub locked_until: Option<i64>,
    /// Mirrored from the organisation's LDAP directory (which owns the name and password);
    /// false for Rekey's own accounts, the break-glass ones beside a directory.
    #[serde(default)]
    pub from_directory: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Direct members: users and nested groups.
    pub member_count: u64,
    /// Mirrored from the organisation's LDAP directory, which owns its name and members.
    #[serde(default)]
    pub from_directory: bool,
    /// Admin roles everyone in the group holds (nested members too).
    #[serde(default)]
    pub roles: Vec<Role>,
}

/// The admin roles granted to a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GroupRolesRequest {
    pub roles: Vec<Role>,
}

/// A settings section with when and by whom it last changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsView<T> {
    pub settings: T,
    /// Unix seconds of the last change, if ever changed.
    pub updated_at: Option<i64>,
    /// Who made the last change.
    pub updated_by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_is_clamped() {
        let q = ListQuery {
            page: Some(0),
            per_page: Some(10_000),
            ..Default::default()
        };
        assert_eq!(q.paging(), (1, ListQuery::MAX_PER_PAGE));
        assert_eq!(
            ListQuery::default().paging(),
            (1, ListQuery::DEFAULT_PER_PAGE)
        );
    }

    #[test]
    fn search_text_is_trimmed_lowercased_and_bounded() {
        let q = |s: &str| ListQuery {
            q: Some(s.to_string()),
            ..Default::default()
        };
        assert_eq!(q("  Ada ").search().as_deref(), Some("ada"));
        assert_eq!(q("   ").search(), None);
        assert_eq!(
            q(&"x".repeat(500)).search().unwrap().len(),
            ListQuery::MAX_Q
        );
    }
}

/// Ask for a test email, to check that delivery works.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TestEmailRequest {
    pub to: String,
    /// The message's language tag (e.g. `zh-CN`); English when absent or unknown.
    #[serde(default)]
    pub lang: Option<String>,
}

impl TestEmailRequest {
    pub fn validate(&self) -> Vec<crate::validation::FieldError> {
        if crate::settings::looks_like_email(self.to.trim()) && self.to.trim().len() <= 254 {
            Vec::new()
        } else {
            vec![crate::validation::FieldError::new(
                "to",
                crate::validation::Rule::NotEmail,
            )]
        }
    }
}

/// Whether outgoing email can be delivered, and from whom it comes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailStatus {
    /// False when no SMTP server is configured: messages wait in the outbox.
    pub configured: bool,
    pub sender: String,
}

/// Whether passkeys can work at this deployment's address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyStatus {
    /// The relying party every passkey made here is bound to: the public URL's domain. None
    /// when the public URL is an IP address, where browsers refuse passkeys.
    pub relying_party: Option<String>,
}

/// A message accepted for delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuedMessage {
    pub id: String,
}

/// Ask for a test text message, to check that SMS delivery works.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TestSmsRequest {
    /// A mobile number in E.164 form.
    pub to: String,
    #[serde(default)]
    pub lang: Option<String>,
}

impl TestSmsRequest {
    pub fn validate(&self) -> Vec<crate::validation::FieldError> {
        crate::security_info::check_phone("to", &self.to)
    }
}

/// Whether text messages can be delivered, and through which kind of provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsStatus {
    /// False when no provider is configured: messages wait in the outbox.
    pub configured: bool,
    /// `webhook`, `twilio` or `none`.
    pub provider: String,
}
