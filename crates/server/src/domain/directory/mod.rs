//! Where users live: the seam between what Rekey decides and the directory that holds the
//! people. Sign-in, the reset flow and the user pages ask [`Directory`]; it answers from Rekey's
//! own store, or from the organisation's LDAP directory (Active Directory, Samba AD, OpenLDAP)
//! with a mirror in the store, and none of them knows which.
//!
//! Rekey's own accounts (the first Global admin, break-glass accounts) keep signing in beside
//! an LDAP directory; a directory entry whose sign-in name one of them holds is never mirrored.

mod changes;
pub mod check;
mod ldap;
mod rights;
pub mod settings;
pub mod sync;
pub mod writeback;

use std::sync::Arc;

use sqlx::AnyPool;

pub use ldap::LdapDirectory;
pub use settings::Directories;

use crate::infra::ldap::LdapError;
use crate::infra::passwords::{HashError, Hasher};
use crate::store::users::{self, UserRecord};

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// The LDAP directory could not answer (down, slow, TLS, refused the service account).
    #[error("the directory is unavailable: {0}")]
    Unavailable(#[from] LdapError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("password hashing: {0}")]
    Hashing(#[from] HashError),
}

/// What a sign-in name and password come to.
#[derive(Debug)]
pub enum SignInVerdict {
    /// The right password of an enabled account.
    Accepted(UserRecord),
    /// Unknown name, disabled or locked account, or wrong password: one answer for all.
    Refused,
    /// The right password, but the directory says it has expired.
    PasswordExpired(UserRecord),
    /// The right password, but the directory asks for a new one first (set by an admin).
    MustChange(UserRecord),
    /// The right password of an account the directory has turned off.
    Disabled(UserRecord),
}

#[derive(Clone, Debug)]
pub enum Directory {
    /// Rekey's own user store: names, groups and argon2id password hashes in its database.
    Own,
    /// The organisation's LDAP directory, mirrored into the store.
    Ldap(Arc<LdapDirectory>),
}

impl Directory {
    /// The user with this sign-in name, looked up live in an LDAP directory (so someone added
    /// a minute ago is found, and someone removed is gone at once).
    pub async fn find_by_sign_in_name(
        &self,
        pool: &AnyPool,
        name: &str,
    ) -> Result<Option<UserRecord>, DirectoryError> {
        let own = users::find_by_sign_in_name(pool, name).await?;
        match self {
            Directory::Own => Ok(own),
            Directory::Ldap(_) if own.as_ref().is_some_and(|u| !u.from_directory) => Ok(own),
            Directory::Ldap(ldap) => ldap.look_up(pool, name).await,
        }
    }

    /// Checks a sign-in name and password. Every refusal takes about as long as a success:
    /// a password hash is always computed, and an LDAP directory is always bound to.
    pub async fn check_sign_in(
        &self,
        pool: &AnyPool,
        hasher: &Hasher,
        name: &str,
        password: &str,
    ) -> Result<SignInVerdict, DirectoryError> {
        let own = users::find_by_sign_in_name(pool, name)
            .await?
            .filter(|u| !u.from_directory);
        let ldap = match self {
            Directory::Ldap(ldap) if own.is_none() => ldap,
            _ => return check_own(hasher, own, password).await,
        };
        // The same hashing cost as an own account, so timing does not tell them apart.
        hasher.verify(None, password).await?;
        let user = ldap.look_up(pool, name).await?;
        ldap.check_password(user, password).await
    }
}

impl Directory {
    /// Lifts the directory's own lockout of one of its people; Rekey's own accounts have only
    /// Rekey's lockout, which the caller clears.
    pub async fn unlock(&self, user: &UserRecord) -> Result<(), writeback::WriteError> {
        match (self, user.external_dn.as_deref()) {
            (Directory::Ldap(ldap), Some(dn)) if user.from_directory => ldap.unlock(dn).await,
            _ => Ok(()),
        }
    }
}

async fn check_own(
    hasher: &Hasher,
    user: Option<UserRecord>,
    password: &str,
) -> Result<SignInVerdict, DirectoryError> {
    let user = user.filter(|u| u.enabled);
    let stored = user.as_ref().map(|u| u.password_hash.as_str());
    let password_ok = hasher.verify(stored, password).await?;
    Ok(match user {
        Some(user) if password_ok => SignInVerdict::Accepted(user),
        _ => SignInVerdict::Refused,
    })
}
