//! Which directory is in use: the one the deployment's flags name (fixed, read-only in the
//! admin centre), or the one an admin saved in Org settings › Directory (kept in the database,
//! the service account's password sealed under the server key, so every instance uses the same
//! and picks up a change at its next request).

use std::sync::{Arc, Mutex};

use rekey_core::dto::SettingsView;
use rekey_core::settings::{DirectorySettings, DirectorySource, LdapSettings, SettingsSection};
use rekey_core::validation::FieldError;
use serde::{Deserialize, Serialize};
use sqlx::AnyPool;

use super::{check, Directory, DirectoryError, LdapDirectory};
use crate::infra::db::now;
use crate::infra::keys::ServerKeys;
use crate::infra::ldap::{LdapClient, LdapError};
use crate::store::{audit, settings};

/// Binds the sealed password to its purpose, so it opens nowhere else.
const SEAL_CONTEXT: &str = "directory bind password";

/// What the database keeps: never the password in clear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Stored {
    source: DirectorySource,
    ldap: LdapSettings,
    #[serde(default)]
    sealed_password: String,
}

/// Why a directory connection was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("the directory is set by the deployment's configuration")]
    FixedByConfiguration,
    /// The fields to fix: the shared rules, or a check of Test connection that failed.
    #[error("the directory settings are not acceptable")]
    Refused(Vec<FieldError>),
    #[error(transparent)]
    Directory(#[from] DirectoryError),
}

impl From<sqlx::Error> for SaveError {
    fn from(e: sqlx::Error) -> Self {
        SaveError::Directory(DirectoryError::Database(e))
    }
}

pub struct Directories {
    /// Given by flags or environment variables, with the service account's password.
    fixed: Option<(Directory, LdapSettings, String)>,
    keys: Arc<ServerKeys>,
    /// The last stored settings read and the directory built from them.
    cache: Mutex<Option<(Stored, Directory)>>,
}

impl std::fmt::Debug for Directories {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directories").finish_non_exhaustive()
    }
}

impl Directories {
    pub fn new(
        fixed: Option<(LdapSettings, String)>,
        keys: Arc<ServerKeys>,
    ) -> Result<Directories, LdapError> {
        let fixed = match fixed {
            None => None,
            Some((settings, password)) => {
                let client = LdapClient::new(settings.clone(), &password)?;
                let directory = Directory::Ldap(Arc::new(LdapDirectory::new(client)));
                Some((directory, settings, password))
            }
        };
        Ok(Directories {
            fixed,
            keys,
            cache: Mutex::new(None),
        })
    }

    async fn stored(
        &self,
        pool: &AnyPool,
    ) -> Result<Option<(Stored, i64, Option<String>)>, sqlx::Error> {
        let Some(row) = settings::get(pool, DirectorySettings::KEY).await? else {
            return Ok(None);
        };
        let stored =
            serde_json::from_value(row.value).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        Ok(Some((stored, row.updated_at, row.updated_by)))
    }

    /// The directory in use now.
    pub async fn current(&self, pool: &AnyPool) -> Result<Directory, DirectoryError> {
        if let Some((directory, _, _)) = &self.fixed {
            return Ok(directory.clone());
        }
        let Some((stored, _, _)) = self.stored(pool).await? else {
            return Ok(Directory::Own);
        };
        if stored.source == DirectorySource::Own {
            return Ok(Directory::Own);
        }
        if let Some((cached, directory)) = self.cache.lock().expect("cache").as_ref() {
            if *cached == stored {
                return Ok(directory.clone());
            }
        }
        let client = self.client(&stored.ldap, &stored.sealed_password, "")?;
        let directory = Directory::Ldap(Arc::new(LdapDirectory::new(client)));
        *self.cache.lock().expect("cache") = Some((stored, directory.clone()));
        Ok(directory)
    }

    /// A client for `settings` with `password`, or the stored password when it is empty.
    fn client(
        &self,
        settings: &LdapSettings,
        sealed: &str,
        password: &str,
    ) -> Result<LdapClient, DirectoryError> {
        let password = if password.is_empty() && !sealed.is_empty() {
            let plain = self
                .keys
                .unseal(sealed, SEAL_CONTEXT)
                .map_err(|_| LdapError::ServiceBindRefused)?;
            String::from_utf8(plain).map_err(|_| LdapError::ServiceBindRefused)?
        } else {
            password.to_string()
        };
        Ok(LdapClient::new(settings.clone(), &password)?)
    }

    /// The settings as the admin centre shows them (never the password).
    pub async fn view(
        &self,
        pool: &AnyPool,
    ) -> Result<SettingsView<DirectorySettings>, DirectoryError> {
        if let Some((_, settings, _)) = &self.fixed {
            return Ok(SettingsView {
                settings: DirectorySettings {
                    source: DirectorySource::Ldap,
                    ldap: settings.clone(),
                    bind_password: String::new(),
                    bind_password_set: true,
                    from_environment: true,
                },
                updated_at: None,
                updated_by: None,
            });
        }
        Ok(match self.stored(pool).await? {
            None => SettingsView {
                settings: DirectorySettings::default(),
                updated_at: None,
                updated_by: None,
            },
            Some((stored, updated_at, updated_by)) => SettingsView {
                settings: DirectorySettings {
                    source: stored.source,
                    ldap: stored.ldap,
                    bind_password: String::new(),
                    bind_password_set: !stored.sealed_password.is_empty(),
                    from_environment: false,
                },
                updated_at: Some(updated_at),
                updated_by,
            },
        })
    }

    /// A directory for a draft of the settings (Test connection before saving): the stored
    /// password stands in for an empty one.
    pub async fn draft(
        &self,
        pool: &AnyPool,
        wanted: &DirectorySettings,
    ) -> Result<LdapDirectory, DirectoryError> {
        let mut ldap = wanted.ldap.clone();
        ldap.normalize();
        if let Some((_, _, password)) = &self.fixed {
            let password = match wanted.bind_password.as_str() {
                "" => password.as_str(),
                typed => typed,
            };
            return Ok(LdapDirectory::new(LdapClient::new(ldap, password)?));
        }
        let sealed = self
            .stored(pool)
            .await?
            .map(|(s, _, _)| s.sealed_password)
            .unwrap_or_default();
        Ok(LdapDirectory::new(self.client(
            &ldap,
            &sealed,
            &wanted.bind_password,
        )?))
    }

    /// Saves the settings once they obey the shared rules and, for an LDAP directory, pass
    /// Test connection's checks; audited without the password.
    pub async fn save(
        &self,
        pool: &AnyPool,
        actor: &str,
        mut wanted: DirectorySettings,
        rekey_threshold: i64,
    ) -> Result<(), SaveError> {
        if self.fixed.is_some() {
            return Err(SaveError::FixedByConfiguration);
        }
        let old = self.stored(pool).await?.map(|(s, _, _)| s);
        let old_sealed = old
            .as_ref()
            .map(|s| s.sealed_password.clone())
            .unwrap_or_default();
        wanted.normalize();
        wanted.bind_password_set = !old_sealed.is_empty();
        wanted.from_environment = false;
        let problems = wanted.validate();
        if !problems.is_empty() {
            return Err(SaveError::Refused(problems));
        }
        if wanted.source == DirectorySource::Ldap {
            let draft = self.draft(pool, &wanted).await?;
            let result = check::test_connection(&draft, rekey_threshold).await;
            let problems = check::field_errors(&result);
            if !problems.is_empty() {
                return Err(SaveError::Refused(problems));
            }
        }
        let sealed_password = if wanted.bind_password.is_empty() {
            old_sealed
        } else {
            self.keys
                .seal(wanted.bind_password.as_bytes(), SEAL_CONTEXT)
        };
        let new = Stored {
            source: wanted.source,
            ldap: wanted.ldap,
            sealed_password,
        };
        if old.as_ref() == Some(&new) {
            return Ok(());
        }
        // The audit shows what changed, and that the password did, never the password.
        let describe = |s: &Stored| serde_json::json!({"source": s.source, "ldap": s.ldap});
        let old_value = old.as_ref().map(describe);
        let mut new_value = describe(&new);
        if old.as_ref().map(|o| &o.sealed_password) != Some(&new.sealed_password) {
            new_value["bind_password_changed"] = true.into();
        }
        let value = serde_json::to_value(&new).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let mut tx = pool.begin().await?;
        settings::put(&mut tx, DirectorySettings::KEY, &value, actor, now()).await?;
        let event = audit::NewEvent::by(
            Some(actor),
            DirectorySettings::AUDIT,
            DirectorySettings::KEY,
        )
        .values(old_value.as_ref(), Some(&new_value));
        audit::record(&mut tx, event).await?;
        tx.commit().await?;
        Ok(())
    }
}
