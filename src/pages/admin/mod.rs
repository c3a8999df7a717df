//! The admin centre.

pub mod audit;
pub mod branding;
pub mod contact_info;
pub mod dates;
pub mod directory;
pub mod embedding;
pub mod groups;
pub mod home;
pub mod org_settings;
pub mod password_expiry;
pub mod password_policy;
pub mod reports;
pub mod shell;
pub mod sspr;
pub mod users;
