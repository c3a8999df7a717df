//! The organisation's LDAP directory, given by flags or environment variables for headless
//! deployments. Unset (`REKEY_DIRECTORY_KIND` empty), Rekey keeps its own directory.

use clap::Args;
use rekey_core::settings::{DirectoryKind, LdapSettings};
use rekey_core::validation::FieldError;

#[derive(Debug, Clone, Args)]
pub struct DirectoryConfig {
    /// `ad` (Active Directory, Samba AD) or `openldap`; empty: Rekey's own directory.
    #[arg(long, env = "REKEY_DIRECTORY_KIND", default_value = "")]
    pub directory_kind: String,

    /// `ldaps://host[:port]` or `ldap://host[:port]` (StartTLS); several, comma-separated,
    /// tried in order.
    #[arg(long, env = "REKEY_DIRECTORY_URL", default_value = "")]
    pub directory_url: String,

    /// Upgrade `ldap://` connections with StartTLS. `false` is accepted only for a server on
    /// this machine (127.0.0.1, ::1, localhost).
    #[arg(long, env = "REKEY_DIRECTORY_STARTTLS", default_value_t = true, action = clap::ArgAction::Set)]
    pub directory_starttls: bool,

    /// The CA certificate file (PEM) the directory's certificate must chain to; empty: the
    /// system's trust store.
    #[arg(long, env = "REKEY_DIRECTORY_CA_FILE", default_value = "")]
    pub directory_ca_file: String,

    /// The service account's DN (never the root DN: ppolicy ignores it).
    #[arg(long, env = "REKEY_DIRECTORY_BIND_DN", default_value = "")]
    pub directory_bind_dn: String,

    #[arg(
        long,
        env = "REKEY_DIRECTORY_BIND_PASSWORD",
        default_value = "",
        hide_env_values = true
    )]
    pub directory_bind_password: String,

    /// Where people are searched for.
    #[arg(long, env = "REKEY_DIRECTORY_BASE_DN", default_value = "")]
    pub directory_base_dn: String,

    /// Which entries are people; empty: the kind's default.
    #[arg(long, env = "REKEY_DIRECTORY_USER_FILTER", default_value = "")]
    pub directory_user_filter: String,

    /// Where groups are searched for; empty: the base DN.
    #[arg(long, env = "REKEY_DIRECTORY_GROUP_BASE_DN", default_value = "")]
    pub directory_group_base_dn: String,

    /// Which entries are groups; empty: the kind's default.
    #[arg(long, env = "REKEY_DIRECTORY_GROUP_FILTER", default_value = "")]
    pub directory_group_filter: String,

    /// The attribute people sign in with; empty: `userPrincipalName` (AD) or `uid`.
    #[arg(long, env = "REKEY_DIRECTORY_SIGN_IN_ATTRIBUTE", default_value = "")]
    pub directory_sign_in_attribute: String,

    /// Seconds one directory operation may take.
    #[arg(long, env = "REKEY_DIRECTORY_TIMEOUT_SECONDS", default_value_t = 5)]
    pub directory_timeout_seconds: u32,

    /// Minutes between syncs of the directory's users and groups; 0: no scheduled sync (people
    /// are still looked up live at sign-in and at the start of a reset).
    #[arg(long, env = "REKEY_DIRECTORY_SYNC_MINUTES", default_value_t = 15)]
    pub directory_sync_minutes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum DirectoryConfigError {
    #[error("REKEY_DIRECTORY_KIND must be `ad` or `openldap`, not {0:?}")]
    Kind(String),
    #[error("cannot read REKEY_DIRECTORY_CA_FILE {path}: {error}")]
    CaFile { path: String, error: std::io::Error },
    #[error("the directory settings are not valid: {}", describe(.0))]
    Invalid(Vec<FieldError>),
}

fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{} ({:?})", e.field, e.rule))
        .collect::<Vec<_>>()
        .join(", ")
}

impl DirectoryConfig {
    /// The LDAP connection these settings describe, with the service account's password;
    /// `None` when no directory is configured.
    pub fn ldap(&self) -> Result<Option<(LdapSettings, String)>, DirectoryConfigError> {
        if self.directory_kind.trim().is_empty() {
            return Ok(None);
        }
        let kind = DirectoryKind::parse(&self.directory_kind)
            .ok_or_else(|| DirectoryConfigError::Kind(self.directory_kind.clone()))?;
        let mut s = LdapSettings::defaults(kind);
        s.urls = self.directory_url.split(',').map(str::to_string).collect();
        s.starttls = self.directory_starttls;
        if !self.directory_ca_file.trim().is_empty() {
            let path = self.directory_ca_file.trim();
            s.ca_pem =
                std::fs::read_to_string(path).map_err(|error| DirectoryConfigError::CaFile {
                    path: path.to_string(),
                    error,
                })?;
        }
        s.bind_dn = self.directory_bind_dn.clone();
        s.users_base_dn = self.directory_base_dn.clone();
        s.groups_base_dn = self.directory_group_base_dn.clone();
        let or_default = |given: &str, default: String| {
            if given.trim().is_empty() {
                default
            } else {
                given.to_string()
            }
        };
        s.users_filter = or_default(&self.directory_user_filter, s.users_filter.clone());
        s.groups_filter = or_default(&self.directory_group_filter, s.groups_filter.clone());
        s.attributes.sign_in_name = or_default(
            &self.directory_sign_in_attribute,
            s.attributes.sign_in_name.clone(),
        );
        s.timeout_seconds = self.directory_timeout_seconds;
        s.normalize();
        let problems = s.validate();
        if !problems.is_empty() {
            return Err(DirectoryConfigError::Invalid(problems));
        }
        Ok(Some((s, self.directory_bind_password.clone())))
    }
}
