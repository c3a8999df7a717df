//! Users: the filtered listing, one user's page, a new user and CSV import, with the parts
//! they share (roles, groups, a first or reset password).

mod delete_dialog;
mod detail;
mod facts;
pub(crate) mod groups;
mod import;
mod list;
mod new;
mod passkeys;
mod password;
mod reset_dialog;
pub(crate) mod roles;
mod user_store;

pub use detail::UserPage;
pub use import::ImportPage;
pub use list::{coverage_name, UsersPage};
pub use new::NewUserPage;

use rekey_core::i18n::AdminKey;
use rekey_core::roles::Role;

use crate::i18n::Locale;

/// The in-app path of a user's page.
fn user_path(id: &str) -> String {
    format!("/admin/users/{id}")
}

/// Admin roles as words ("Global admin, User admin"), or "None".
pub(crate) fn roles_text(lang: Locale, roles: &[Role]) -> String {
    if roles.is_empty() {
        lang.t(AdminKey::NoRole).to_string()
    } else {
        roles
            .iter()
            .map(|r| lang.role(*r))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
