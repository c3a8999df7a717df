//! Managing users: the filtered listing, one user's details, creating and changing users,
//! admin password resets, CSV import, and a user changing their own password.

use serde::{Deserialize, Serialize};

use super::{ListQuery, UserSummary};
use crate::roles::Role;
use crate::security_info::MethodKind;
use crate::validation::FieldError;

/// Why sign-in continues into a forced password change before anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PasswordChangeReason {
    /// The password is older than the organisation's expiration policy allows.
    Expired,
    /// An admin set it and asked for a change at next sign-in.
    AdminReset,
}

/// Password state filter of the Users page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PasswordFilter {
    Expired,
    NeverExpires,
    /// Sign-in is locked out now (smart lockout).
    Locked,
}

/// The Users page's search, filters and paging.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Case-insensitive text in the sign-in or display name.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
    /// Holds this admin role.
    #[serde(default)]
    pub role: Option<Role>,
    /// A member of this group (id), directly or through nested groups.
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Registered enough methods for a reset under the current policy.
    #[serde(default)]
    pub registered: Option<bool>,
    #[serde(default)]
    pub password: Option<PasswordFilter>,
    /// Covered by self-service password reset (its scope).
    #[serde(default)]
    pub sspr: Option<bool>,
    /// Registered enough, some, or none of the methods their policy allows (the Reports
    /// page's three figures).
    #[serde(default)]
    pub coverage: Option<CoverageFilter>,
    /// Holds this method (security questions: enough answers).
    #[serde(default)]
    pub method: Option<MethodKind>,
    /// Holds any admin role.
    #[serde(default)]
    pub admin: Option<bool>,
}

/// Registration state filter, as the Reports page counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CoverageFilter {
    Registered,
    Partly,
    NotRegistered,
}

impl UserQuery {
    /// The search and paging part, clamped like every listing.
    pub fn listing(&self) -> ListQuery {
        ListQuery {
            q: self.q.clone(),
            page: self.page,
            per_page: self.per_page,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRef {
    pub id: String,
    pub name: String,
}

/// Everything an admin sees about one user. Times are Unix seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserDetail {
    #[serde(flatten)]
    pub summary: UserSummary,
    /// Groups the user is a direct member of.
    pub groups: Vec<GroupRef>,
    /// Admin roles the user holds through their groups (the summary's `roles` are their own).
    #[serde(default)]
    pub group_roles: Vec<Role>,
    pub created_at: i64,
    pub last_sign_in_at: Option<i64>,
    /// Must change the password at next sign-in (after an admin reset, or expiry).
    pub password_change_due: Option<PasswordChangeReason>,
    /// Signed in sessions right now.
    pub active_sessions: u64,
}

/// A new password an admin sets: typed, or generated and shown once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdminPasswordRequest {
    /// The password to set; absent to generate a temporary one.
    #[serde(default)]
    pub password: Option<String>,
    /// Ask for a change at next sign-in (default on).
    #[serde(default = "yes")]
    pub require_change: bool,
    /// Email the temporary password to the user's authentication email.
    #[serde(default)]
    pub email_user: bool,
    /// The email's language tag; English when absent.
    #[serde(default)]
    pub lang: Option<String>,
}

fn yes() -> bool {
    true
}

impl Default for AdminPasswordRequest {
    /// Generated, change required, not emailed: the safe choice.
    fn default() -> Self {
        AdminPasswordRequest {
            password: None,
            require_change: true,
            email_user: false,
            lang: None,
        }
    }
}

/// The outcome of an admin reset: the generated password, shown this once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminPasswordResult {
    pub temporary_password: Option<String>,
    /// Where the password was emailed, if it was.
    pub emailed_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    pub sign_in_name: String,
    pub display_name: String,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Groups (ids) to add the user to.
    #[serde(default)]
    pub group_ids: Vec<String>,
    /// The first password, and whether to change it at first sign-in.
    #[serde(default)]
    pub password: AdminPasswordRequest,
}

/// The created user and, when generated, the first password (shown this once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUserResult {
    pub user: UserDetail,
    pub password: AdminPasswordResult,
}

/// A change to a user; absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
    /// The full set of admin roles the user should hold.
    #[serde(default)]
    pub roles: Option<Vec<Role>>,
    /// The full set of groups (ids) the user should be a direct member of.
    #[serde(default)]
    pub group_ids: Option<Vec<String>>,
    #[serde(default)]
    pub password_never_expires: Option<bool>,
}

/// Users from CSV: header `sign_in_name,display_name,email,mobile_phone,groups` (the last three
/// optional; groups by name, separated by `;`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    pub csv: String,
    /// Check every row and report; import nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// A bad cell of an import: 1-based line of the file, the column, and the rule it broke.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    pub line: u32,
    #[serde(flatten)]
    pub error: FieldError,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Data rows read.
    pub rows: u32,
    /// Users created: 0 on a dry run or when any row is bad (nothing is imported then).
    pub created: u32,
    pub problems: Vec<ImportProblem>,
}

/// Changing one's own password while signed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub password: String,
    pub confirm: String,
}

/// What a proposed expiration policy would do today, for the settings form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpiryImpact {
    /// Enabled users the policy covers (not exempt by "never expires").
    pub covered: u64,
    /// Of those, passwords already older than the limit: asked to change at next sign-in.
    pub expired: u64,
    /// Of those, passwords within the notice window: told by email.
    pub notified: u64,
}

/// The proposed policy to measure (query of the impact endpoint).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ExpiryImpactQuery {
    pub max_age_days: u16,
    pub notice_days: u16,
}
