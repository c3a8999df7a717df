//! API integration tests: real HTTP against a real server on SQLite and on PostgreSQL.

mod audit;
mod common;
mod contract;
mod directory;
mod email;
mod import_properties;
mod input;
mod ldap;
mod passwords;
mod portal;
mod reset;
mod scope;
mod security_info;
mod session;
mod sspr_sections;
mod sspr_settings;
mod users;
mod writeback;
