//! The organisation's directory as admins see it: where users come from, whether the
//! connection works (Test connection), and what the last sync did.

use serde::{Deserialize, Serialize};

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncResult {
    /// Unix seconds.
    pub finished_at: i64,
    pub users_added: u64,
    pub users_changed: u64,
    pub users_removed: u64,
    pub groups_added: u64,
    pub groups_changed: u64,
    pub groups_removed: u64,
    /// Entries not mirrored, and why (a name Rekey's own account holds, no stable id).
    pub skipped: Vec<String>,
    /// Why the sync stopped, when it did.
    pub error: Option<String>,
}

/// One step of Test connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectoryCheck {
    /// `connect` (reach the server), `tls` (its certificate), `bind` (the service account),
    /// `users`, `groups`, `lockout` (the directory's lockout threshold against Rekey's).
    pub step: String,
    pub ok: bool,
    /// A failure here stops the connection from being saved (`lockout` only warns).
    pub blocking: bool,
    /// What was found, or what is wrong and what to do, in plain words.
    pub detail: String,
}

/// A person as the attribute map reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectorySample {
    pub dn: String,
    pub sign_in_name: Option<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub stable_id: Option<String>,
}

/// Test connection's answer: every check, how many entries the filters find, five people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectoryTestResult {
    /// Every blocking check passed: the connection may be saved.
    pub ok: bool,
    pub checks: Vec<DirectoryCheck>,
    pub users_found: Option<u64>,
    pub groups_found: Option<u64>,
    pub samples: Vec<DirectorySample>,
}
