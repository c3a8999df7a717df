//! What Rekey runs on: the database connection, the server key and what it seals, password
//! hashing, TOTP, the email (SMTP) and SMS (HTTP provider) senders, metrics, HTML escaping
//! and the built SPA's pages.
//! It knows nothing of Rekey's rules.

pub mod db;
pub mod html;
pub mod keys;
pub mod ldap;
pub mod mail;
pub mod metrics;
pub mod passkeys;
pub mod passwords;
pub mod secrets;
pub mod sms;
pub mod spa_pages;
pub mod totp;
