//! Setting the password of a person the LDAP directory keeps: the person is claimed (one write
//! at a time, so of two resets at once exactly one goes through), the directory is written,
//! and the caller records the write in the same transaction that releases the claim. A write
//! whose outcome Rekey did not learn (no answer in time, or Rekey stopped before recording
//! it) is settled later against the directory: if the directory's password-changed mark
//! moved, the write landed and is recorded then, audited as reconciled; if not, the claim is
//! dropped. Rekey never stores such a password, nor a hash of it.

use rekey_core::audit::AuditAction;
use serde_json::json;

use crate::domain::directory::writeback::{PasswordMark, Refusal, WriteError};
use crate::domain::directory::{Directory, DirectoryError, LdapDirectory};
use crate::infra::db::now;
use crate::infra::ldap::LdapError;
use crate::infra::secrets::random_token;
use crate::state::AppState;
use crate::store::directory_writes::{self, PendingWrite};
use crate::store::users::{self, UserRecord};
use crate::store::{audit, reset, sessions};

/// Set only by the crash test: the process aborts between the directory's acknowledgement and
/// Rekey's record of it, as a `kill -9` there would.
const CRASH_AFTER_WRITE: &str = "REKEY_TEST_ABORT_AFTER_DIRECTORY_WRITE";

/// Why the write was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    SelfReset,
    AdminReset,
    Change,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::SelfReset => "self_reset",
            Purpose::AdminReset => "admin_reset",
            Purpose::Change => "change",
        }
    }

    fn parse(s: &str) -> Purpose {
        match s {
            "self_reset" => Purpose::SelfReset,
            "admin_reset" => Purpose::AdminReset,
            _ => Purpose::Change,
        }
    }

    /// The audit action of the write once recorded.
    pub fn action(self) -> AuditAction {
        match self {
            Purpose::SelfReset => AuditAction::PasswordResetSelf,
            Purpose::AdminReset => AuditAction::PasswordResetByAdmin,
            Purpose::Change => AuditAction::PasswordChanged,
        }
    }
}

/// What to write.
#[derive(Debug, Clone, Copy)]
pub enum How<'a> {
    /// By the service account; "must change at next sign-in" as asked.
    Reset { must_change: bool },
    /// By the person, from their current password.
    Change { current: &'a str },
}

pub struct Request<'a> {
    pub user: &'a UserRecord,
    pub purpose: Purpose,
    pub how: How<'a>,
    pub password: &'a str,
    /// The reset flow making the write (a self-service reset).
    pub flow_token_hash: Option<&'a str>,
    /// Who asks: the person, or the admin.
    pub actor: &'a str,
    /// The password version the change started from.
    pub expected_version: i64,
}

/// A write the directory acknowledged: record it in the transaction that releases it
/// ([`release_in`]).
#[derive(Debug)]
pub struct Acknowledged {
    id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum WritebackError {
    /// Another write holds the person, or their password changed since the flow started.
    #[error("another change of this password is under way or was just made")]
    Busy,
    /// The directory refused; nothing changed (the refusal is audited).
    #[error("the directory refused the password: {0:?}")]
    Refused(Refusal),
    /// The directory could not be reached, or did not answer; try again shortly.
    #[error("the directory is unavailable: {0}")]
    Unavailable(LdapError),
    /// An earlier write of this same flow, whose answer was lost, turned out to have landed:
    /// it is now recorded and the flow is finished.
    #[error("an earlier write of this flow landed")]
    LandedEarlier,
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// How a write left over from earlier stands.
#[derive(Debug, PartialEq, Eq)]
pub enum Settled {
    /// Nothing holds the person.
    Free,
    /// A write is still under way.
    Busy,
    /// It had landed, and is recorded now; `flow` was its reset flow.
    Landed { flow: Option<String> },
}

/// How long a write may still be under way: the directory's deadline and a margin.
fn write_window(ldap: &LdapDirectory) -> i64 {
    i64::from(ldap.client().settings().timeout_seconds) + 5
}

/// Claims the person, writes the new password to the directory, and says whether it landed.
pub async fn write(
    state: &AppState,
    ldap: &LdapDirectory,
    request: Request<'_>,
) -> Result<Acknowledged, WritebackError> {
    let user = request.user;
    let dn = user.external_dn.as_deref().unwrap_or_default();
    if let Some(pending) = directory_writes::get(&state.db.pool, &user.id).await? {
        match settle(state, ldap, &pending).await? {
            Settled::Free => {}
            Settled::Busy => return Err(WritebackError::Busy),
            Settled::Landed { flow } => {
                return Err(
                    if flow.is_some() && flow.as_deref() == request.flow_token_hash {
                        WritebackError::LandedEarlier
                    } else {
                        WritebackError::Busy
                    },
                );
            }
        }
    }
    let mark = ldap
        .password_mark(dn)
        .await
        .map_err(WritebackError::Unavailable)?;
    let pending = PendingWrite {
        id: random_token(),
        user_id: user.id.clone(),
        purpose: request.purpose.as_str().to_string(),
        flow_token_hash: request.flow_token_hash.map(str::to_string),
        actor: request.actor.to_string(),
        must_change: matches!(request.how, How::Reset { must_change: true }),
        mark_before: mark.0,
        started_at: now(),
    };
    let mut conn = state.db.pool.acquire().await?;
    if !directory_writes::claim(&mut conn, &pending, request.expected_version).await? {
        return Err(WritebackError::Busy);
    }
    let written = match request.how {
        How::Reset { must_change } => ldap.reset_password(dn, request.password, must_change).await,
        How::Change { current } => ldap.change_password(dn, current, request.password).await,
    };
    match written {
        Ok(()) => {
            if std::env::var_os(CRASH_AFTER_WRITE).is_some() {
                std::process::abort();
            }
            Ok(Acknowledged { id: pending.id })
        }
        Err(WriteError::Refused { reason, detail }) => {
            directory_writes::release(&mut conn, &pending.id).await?;
            tracing::info!(user = %user.sign_in_name, ?reason, detail, "the directory refused a password");
            let details = json!({
                "reason": reason.as_str(),
                "purpose": request.purpose.as_str(),
                "directory": ldap.kind_name(),
            });
            let event = audit::NewEvent::by(
                Some(request.actor),
                AuditAction::DirectoryRefusedPassword,
                &user.sign_in_name,
            )
            .values(None, Some(&details));
            audit::record(&mut conn, event).await?;
            Err(WritebackError::Refused(reason))
        }
        Err(WriteError::Unavailable(e)) => {
            directory_writes::release(&mut conn, &pending.id).await?;
            Err(WritebackError::Unavailable(e))
        }
        // It may have landed: the claim stays, for the next attempt (or the reconciler) to
        // settle against the directory.
        Err(WriteError::Unknown(e)) => Err(WritebackError::Unavailable(e)),
    }
}

/// Releases the claim of an acknowledged write, inside the transaction that records it.
pub async fn release_in(
    conn: &mut sqlx::AnyConnection,
    acknowledged: Acknowledged,
) -> Result<(), sqlx::Error> {
    directory_writes::release(conn, &acknowledged.id).await?;
    Ok(())
}

/// Settles a write left over from earlier against the directory.
pub async fn settle(
    state: &AppState,
    ldap: &LdapDirectory,
    pending: &PendingWrite,
) -> Result<Settled, WritebackError> {
    if now() - pending.started_at < write_window(ldap) {
        return Ok(Settled::Busy);
    }
    let pool = &state.db.pool;
    let user = users::find_by_id(pool, &pending.user_id).await?;
    let Some((user, dn)) = user.and_then(|u| u.external_dn.clone().map(|dn| (u, dn))) else {
        // Gone from the directory's mirror: nothing left to settle.
        directory_writes::release(&mut *pool.acquire().await?, &pending.id).await?;
        return Ok(Settled::Free);
    };
    let mark = ldap
        .password_mark(&dn)
        .await
        .map_err(WritebackError::Unavailable)?;
    let mut tx = pool.begin().await?;
    if !directory_writes::release(&mut tx, &pending.id).await? {
        // Another instance settled it.
        return Ok(Settled::Free);
    }
    if !mark.moved_since(&PasswordMark(pending.mark_before.clone())) {
        tx.commit().await?;
        return Ok(Settled::Free);
    }
    users::mark_password_changed(&mut tx, &user.id, now()).await?;
    sessions::delete_for_user(&mut tx, &user.id, None).await?;
    if let Some(flow) = &pending.flow_token_hash {
        reset::finish(&mut tx, flow).await?;
    }
    let purpose = Purpose::parse(&pending.purpose);
    let details = json!({
        "reconciled": true,
        "directory": ldap.kind_name(),
        "require_change": pending.must_change,
    });
    let event = audit::NewEvent::by(Some(&pending.actor), purpose.action(), &user.sign_in_name)
        .values(None, Some(&details));
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    tracing::warn!(user = %user.sign_in_name, "a directory write whose answer was lost had landed: recorded now");
    Ok(Settled::Landed {
        flow: pending.flow_token_hash.clone(),
    })
}

/// Settles every write left over for longer than a write can take (after a restart, and now
/// and then): run by each instance's background work. Says in how many seconds the next
/// write still under way will be due, if any.
pub async fn settle_all(state: &AppState) -> Result<Option<i64>, WritebackError> {
    let pool = &state.db.pool;
    let Directory::Ldap(ldap) = state.directories.current(pool).await? else {
        return Ok(None);
    };
    let window = write_window(&ldap);
    let mut next_due = None;
    for pending in directory_writes::all(pool).await? {
        match now() - pending.started_at {
            age if age < window => {
                let left = window - age;
                next_due = Some(next_due.map_or(left, |n: i64| n.min(left)));
            }
            _ => {
                settle(state, &ldap, &pending).await?;
            }
        }
    }
    Ok(next_due)
}
