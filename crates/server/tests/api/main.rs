//! API integration tests: real HTTP against a real server on SQLite and on PostgreSQL.

mod audit;
mod common;
mod contract;
mod directory;
mod email;
mod import_properties;
mod input;
mod ldap;
mod passkeys;
mod passwords;
mod portal;
mod reports;
mod reset;
mod scope;
mod security_info;
mod session;
mod sspr_sections;
mod sspr_settings;
mod users;
mod writeback;
