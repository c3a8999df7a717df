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

/// Global admins and User admins manage users, including the authentication email and phone
/// on file for them.
pub fn can_manage_users(roles: &[Role]) -> bool {
    roles
        .iter()
        .any(|r| matches!(r, Role::GlobalAdmin | Role::UserAdmin))
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
}
