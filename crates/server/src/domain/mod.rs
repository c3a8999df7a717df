//! What Rekey decides: password changes, one-time codes, limits and lockout, the security-info
//! snapshot and its policy, settings sections, who self-service reset covers, expiry notices,
//! the texts of messages and their delivery from the outbox, password writeback to a directory.
//! It reads and writes through `store/` and uses `infra/`; it never imports `http/`.

pub mod account_notices;
pub mod app_codes;
pub mod branding;
pub mod codes;
pub mod delivery;
pub mod directory;
pub mod expiry_notices;
pub mod failed_proofs;
pub mod flow_outcomes;
pub mod lockout;
pub mod messages;
pub mod passkeys;
pub mod password_change;
pub mod rate;
pub mod registration;
pub mod reports;
pub mod sections;
pub mod sspr_policy;
pub mod writeback;
