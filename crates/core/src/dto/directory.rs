//! The organisation's directory as admins see it: where users come from, whether the
//! connection works (Test connection), and what the last sync did.

use serde::{Deserialize, Serialize};

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncResult {
    /// Unix seconds.
    pub finished_at: i64,
    /// Only what changed since the last sync was read (otherwise: the whole directory).
    #[serde(default)]
    pub incremental: bool,
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

/// A sync under way, as far as it has come.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncProgress {
    /// Unix seconds.
    pub started_at: i64,
    /// Only what changed since the last sync is being read.
    pub incremental: bool,
    pub groups_read: u64,
    pub people_read: u64,
}

/// The sync as admins see it: the one under way, if any, and the last one's result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncStatus {
    pub running: Option<SyncProgress>,
    pub last: Option<SyncResult>,
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
    /// What was found, or what is wrong, for the page to say in the reader's language.
    pub outcome: CheckOutcome,
    /// The same in English, for logs and scripts.
    pub detail: String,
}

/// How a Test connection step came out. Texts from the directory itself (a TLS or search
/// error) are passed on as they are: they are the directory's words, not Rekey's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CheckOutcome {
    /// Reached the servers, over `ldaps`, `starttls` or `plain` (this machine only).
    Reached {
        urls: String,
        transport: String,
    },
    SignedIn {
        dn: String,
    },
    BindRefused,
    Failed {
        detail: String,
    },
    PeopleFound {
        count: u64,
    },
    /// People found, but no sample has these mapped attributes.
    AttributesMissing {
        count: u64,
        attributes: String,
    },
    NobodyFound {
        filter: String,
        base: String,
    },
    GroupsFound {
        count: u64,
    },
    LockoutUnknown,
    LockoutFirst {
        rekey: i64,
        directory: i64,
    },
    LockoutAfter {
        rekey: i64,
        directory: i64,
    },
    /// The service account may do everything password writeback needs.
    WritebackAllowed,
    /// What the service account may not do (password writeback fails there).
    WritebackMissing {
        rights: Vec<WritebackRight>,
    },
    /// The directory cannot tell what the service account may do without trying it.
    WritebackUnknown,
}

/// What password writeback needs the service account to be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WritebackRight {
    /// Set a new password (AD's Reset Password; ppolicy: write `userPassword`).
    ResetPassword,
    /// Lift a lockout (AD: write `lockoutTime`; ppolicy: `pwdAccountLockedTime`).
    Unlock,
    /// Ask for a new password at next sign-in (AD: write `pwdLastSet`; ppolicy: `pwdReset`).
    RequireChange,
}

impl CheckOutcome {
    /// The outcome in plain words, in `lang`.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::AdminKey as K;
        let n = |v: &i64| v.to_string();
        match self {
            CheckOutcome::Reached { urls, transport } => {
                let over = match transport.as_str() {
                    "ldaps" => "LDAPS",
                    "starttls" => "StartTLS",
                    _ => lang.t(K::DirectoryPlainLdap),
                };
                lang.format(K::DirectoryReached, &[("urls", urls), ("transport", over)])
            }
            CheckOutcome::SignedIn { dn } => lang.format(K::DirectorySignedIn, &[("dn", dn)]),
            CheckOutcome::BindRefused => lang.t(K::DirectoryBindRefusedDetail).to_string(),
            CheckOutcome::Failed { detail } => detail.clone(),
            CheckOutcome::PeopleFound { count } => {
                lang.format(K::DirectoryPeopleFound, &[("count", &count.to_string())])
            }
            CheckOutcome::AttributesMissing { count, attributes } => lang.format(
                K::DirectoryAttributesMissing,
                &[("count", &count.to_string()), ("attributes", attributes)],
            ),
            CheckOutcome::NobodyFound { filter, base } => lang.format(
                K::DirectoryNobodyFound,
                &[("filter", filter), ("base", base)],
            ),
            CheckOutcome::GroupsFound { count } => {
                lang.format(K::DirectoryGroupsFound, &[("count", &count.to_string())])
            }
            CheckOutcome::LockoutUnknown => lang.t(K::DirectoryLockoutUnknown).to_string(),
            CheckOutcome::LockoutFirst { rekey, directory } => lang.format(
                K::DirectoryLockoutFirst,
                &[("rekey", &n(rekey)), ("directory", &n(directory))],
            ),
            CheckOutcome::LockoutAfter { rekey, directory } => lang.format(
                K::DirectoryLockoutAfter,
                &[("rekey", &n(rekey)), ("directory", &n(directory))],
            ),
            CheckOutcome::WritebackAllowed => lang.t(K::DirectoryWritebackAllowed).to_string(),
            CheckOutcome::WritebackMissing { rights } => {
                let rights: Vec<&str> = rights
                    .iter()
                    .map(|r| {
                        lang.t(match r {
                            WritebackRight::ResetPassword => K::DirectoryRightResetPassword,
                            WritebackRight::Unlock => K::DirectoryRightUnlock,
                            WritebackRight::RequireChange => K::DirectoryRightRequireChange,
                        })
                    })
                    .collect();
                lang.format(
                    K::DirectoryWritebackMissing,
                    &[("rights", &rights.join(lang.t(K::ListSeparator)))],
                )
            }
            CheckOutcome::WritebackUnknown => lang.t(K::DirectoryWritebackUnknown).to_string(),
        }
    }
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
