//! Admin roles and what each may do. The SPA uses these to show a page read-only; the API uses
//! the same functions to refuse the change.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    GlobalAdmin,
    PasswordAdmin,
    HelpdeskAdmin,
    UserAdmin,
    ReportsReader,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::GlobalAdmin,
        Role::PasswordAdmin,
        Role::HelpdeskAdmin,
        Role::UserAdmin,
        Role::ReportsReader,
    ];

    /// The stored and serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::GlobalAdmin => "global_admin",
            Role::PasswordAdmin => "password_admin",
            Role::HelpdeskAdmin => "helpdesk_admin",
            Role::UserAdmin => "user_admin",
            Role::ReportsReader => "reports_reader",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// Any admin role opens the admin centre (read access to the directory, settings and audit).
pub fn is_admin(roles: &[Role]) -> bool {
    !roles.is_empty()
}

/// Only Global admins and Password admins may change self-service password reset settings.
pub fn can_manage_sspr(roles: &[Role]) -> bool {
    roles
        .iter()
        .any(|r| matches!(r, Role::GlobalAdmin | Role::PasswordAdmin))
}

/// Global admins, Password admins and Reports readers read usage & insights.
pub fn can_read_reports(roles: &[Role]) -> bool {
    roles.iter().any(|r| {
        matches!(
            r,
            Role::GlobalAdmin | Role::PasswordAdmin | Role::ReportsReader
        )
    })
}

/// Global admins and User admins manage users, including the authentication email and phone
/// on file for them.
pub fn can_manage_users(roles: &[Role]) -> bool {
    roles
        .iter()
        .any(|r| matches!(r, Role::GlobalAdmin | Role::UserAdmin))
}

/// The roles whose holders `role` may act on (reset the password, unlock, sign out) besides
/// users with no admin role, as Entra scopes them: nobody below Global may touch a Global admin.
fn reaches(role: Role) -> &'static [Role] {
    match role {
        Role::GlobalAdmin => &Role::ALL,
        Role::UserAdmin => &[
            Role::UserAdmin,
            Role::HelpdeskAdmin,
            Role::PasswordAdmin,
            Role::ReportsReader,
        ],
        Role::HelpdeskAdmin => &[
            Role::HelpdeskAdmin,
            Role::PasswordAdmin,
            Role::ReportsReader,
        ],
        Role::PasswordAdmin => &[Role::PasswordAdmin],
        Role::ReportsReader => &[],
    }
}

/// Roles that may reset passwords, unlock accounts and revoke sessions (each within its scope).
fn resets_passwords(role: Role) -> bool {
    !matches!(role, Role::ReportsReader)
}

/// Whether someone holding `actor` may reset the password of (and unlock, and sign out) a user
/// holding `target`.
pub fn can_reset_password_of(actor: &[Role], target: &[Role]) -> bool {
    actor
        .iter()
        .any(|&role| resets_passwords(role) && target.iter().all(|t| reaches(role).contains(t)))
}

/// Whether someone holding `actor` may edit, disable or delete a user holding `target`: a user
/// manager (Global or User admin) within the same scope as a password reset.
pub fn can_manage_user(actor: &[Role], target: &[Role]) -> bool {
    actor.iter().any(|&role| {
        matches!(role, Role::GlobalAdmin | Role::UserAdmin)
            && target.iter().all(|t| reaches(role).contains(t))
    })
}

/// Whether someone holding `actor` may give or take away `role`: only a Global admin touches
/// Global admin; a User admin handles the rest.
pub fn can_grant(actor: &[Role], role: Role) -> bool {
    actor.contains(&Role::GlobalAdmin)
        || (actor.contains(&Role::UserAdmin) && role != Role::GlobalAdmin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_global_and_password_admins_manage_sspr() {
        assert!(can_manage_sspr(&[Role::GlobalAdmin]));
        assert!(can_manage_sspr(&[Role::ReportsReader, Role::PasswordAdmin]));
        assert!(!can_manage_sspr(&[Role::HelpdeskAdmin]));
        assert!(!can_manage_sspr(&[Role::UserAdmin, Role::ReportsReader]));
        assert!(can_read_reports(&[Role::ReportsReader]));
        assert!(can_read_reports(&[Role::PasswordAdmin]));
        assert!(!can_read_reports(&[Role::HelpdeskAdmin, Role::UserAdmin]));
        assert!(!can_manage_sspr(&[]));
    }

    #[test]
    fn only_global_and_user_admins_manage_users() {
        assert!(can_manage_users(&[Role::UserAdmin]));
        assert!(can_manage_users(&[Role::GlobalAdmin]));
        assert!(!can_manage_users(&[
            Role::PasswordAdmin,
            Role::HelpdeskAdmin
        ]));
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn password_resets_stay_within_scope() {
        use Role::*;
        let none: &[Role] = &[];
        for actor in [GlobalAdmin, UserAdmin, HelpdeskAdmin, PasswordAdmin] {
            assert!(can_reset_password_of(&[actor], none), "{actor:?}");
            assert_eq!(
                can_reset_password_of(&[actor], &[GlobalAdmin]),
                actor == GlobalAdmin
            );
        }
        assert!(!can_reset_password_of(&[ReportsReader], none));
        assert!(can_reset_password_of(&[HelpdeskAdmin], &[PasswordAdmin]));
        assert!(!can_reset_password_of(&[HelpdeskAdmin], &[UserAdmin]));
        assert!(!can_reset_password_of(&[PasswordAdmin], &[HelpdeskAdmin]));
        assert!(!can_reset_password_of(&[PasswordAdmin], &[ReportsReader]));
        assert!(can_reset_password_of(
            &[UserAdmin],
            &[HelpdeskAdmin, ReportsReader]
        ));
        // every target role must be in reach: a Helpdesk admin who is also Global is out of it
        assert!(!can_reset_password_of(
            &[HelpdeskAdmin],
            &[HelpdeskAdmin, GlobalAdmin]
        ));
    }

    #[test]
    fn only_user_managers_edit_users_and_only_global_grants_global() {
        use Role::*;
        assert!(can_manage_user(&[UserAdmin], &[]));
        assert!(!can_manage_user(&[UserAdmin], &[GlobalAdmin]));
        assert!(can_manage_user(&[GlobalAdmin], &[GlobalAdmin]));
        assert!(!can_manage_user(&[HelpdeskAdmin], &[]));
        assert!(can_grant(&[GlobalAdmin], GlobalAdmin));
        assert!(can_grant(&[UserAdmin], HelpdeskAdmin));
        assert!(!can_grant(&[UserAdmin], GlobalAdmin));
        assert!(!can_grant(&[PasswordAdmin], ReportsReader));
    }
}
