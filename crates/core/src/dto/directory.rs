//! The organisation's directory as admins see it: where users come from, whether the
//! connection works (Test connection), and what the last sync did.

use serde::{Deserialize, Serialize};

use crate::settings::LdapSettings;

/// Where users live now, and where that choice was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectoryStatus {
    /// `None`: Rekey's own directory.
    pub ldap: Option<LdapSettings>,
    /// `environment` (flags or REKEY_DIRECTORY_* variables: read-only here) or `none`.
    pub configured_by: String,
    /// The last sync's result, when there has been one.
    pub last_sync: Option<SyncResult>,
}

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
    /// `connect` (reach the server, TLS), `bind` (the service account), `users`, `groups`,
    /// `lockout` (the directory's lockout threshold against Rekey's).
    pub step: String,
    pub ok: bool,
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
    /// Every check passed.
    pub ok: bool,
    pub checks: Vec<DirectoryCheck>,
    pub users_found: Option<u64>,
    pub groups_found: Option<u64>,
    pub samples: Vec<DirectorySample>,
}
