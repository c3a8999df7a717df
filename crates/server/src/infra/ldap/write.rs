//! Writes to the directory (password writeback): a modify or the Password Modify extended
//! operation, bound as the service account or as the user, under the same deadline as every
//! other call. A write that timed out after it was sent may have been applied: the caller is
//! told so, to find out later instead of guessing.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use ldap3::controls::RawControl;
use ldap3::exop::PasswordModify;
use ldap3::{Ldap, LdapResult, Mod};

use super::controls::{self, Control, PPOLICY_CONTROL};
use super::{classify, ppolicy_error, BindAnswer, LdapClient, LdapError};

/// The result code of a modify the No-Op control discarded after every check passed.
pub const NOOP_PASSED: u32 = 0x410e;

/// Who the write is done as.
#[derive(Debug, Clone, Copy)]
pub enum As<'a> {
    /// Rekey's service account (a reset, an unlock, a change the user cannot bind for).
    Service,
    /// The user, with their current password (their own change).
    User { dn: &'a str, password: &'a str },
}

/// What is written.
#[derive(Debug, Clone)]
pub enum WriteOp {
    /// An LDAP modify: its changes, applied together or not at all.
    Modify(Vec<Mod<Vec<u8>>>),
    /// RFC 3062's Password Modify: the server hashes the password and applies its policy.
    PasswordModify { old: Option<String>, new: String },
}

impl WriteOp {
    pub fn replace(attr: &str, values: &[&[u8]]) -> Mod<Vec<u8>> {
        Mod::Replace(attr.as_bytes().to_vec(), set(values))
    }

    pub fn add(attr: &str, values: &[&[u8]]) -> Mod<Vec<u8>> {
        Mod::Add(attr.as_bytes().to_vec(), set(values))
    }

    pub fn delete(attr: &str, values: &[&[u8]]) -> Mod<Vec<u8>> {
        Mod::Delete(attr.as_bytes().to_vec(), set(values))
    }
}

fn set(values: &[&[u8]]) -> HashSet<Vec<u8>> {
    values.iter().map(|v| v.to_vec()).collect()
}

/// The directory's answer to a write: 0 is done, anything else a refusal with its reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteAnswer {
    pub code: u32,
    /// The server's diagnostic text (AD's `0000052D: ...`, ppolicy's words).
    pub message: String,
    /// The ppolicy response control's error (5 quality, 6 too short, 7 too young, 8 history).
    pub ppolicy_error: Option<u8>,
}

/// How a write went.
#[derive(Debug)]
pub enum Written {
    /// The bind as the user was refused (wrong, expired or must-change password): nothing
    /// was sent.
    BindRefused(BindAnswer),
    /// The directory answered the write.
    Answered(WriteAnswer),
}

/// A write that got no answer.
#[derive(Debug, thiserror::Error)]
pub enum WriteFailure {
    /// It was never sent (no connection, the service account refused): nothing changed.
    #[error("{0}")]
    NotSent(LdapError),
    /// It was sent and the answer never came: the directory may have applied it.
    #[error("no answer after the write was sent: {0}")]
    Unknown(LdapError),
}

impl LdapClient {
    /// One write on a fresh connection, bound as `who`, under the deadline. `controls` go
    /// with the write (policy hints, ppolicy, no-op).
    pub async fn write(
        &self,
        who: As<'_>,
        dn: &str,
        op: &WriteOp,
        controls: &[Control],
    ) -> Result<Written, WriteFailure> {
        let controls = controls::raw(controls);
        let sent = Arc::new(AtomicBool::new(false));
        let flag = sent.clone();
        let work = async move {
            let mut ldap = match who {
                As::Service => self.service().await?,
                As::User { dn, password } => {
                    let mut ldap = self.connect().await?;
                    let answer = self.bind_user(&mut ldap, dn, password).await?;
                    if answer.code != 0 {
                        let _ = ldap.unbind().await;
                        return Ok(Written::BindRefused(answer));
                    }
                    ldap
                }
            };
            flag.store(true, Ordering::SeqCst);
            let result = send(&mut ldap, dn, op, controls).await?;
            let _ = ldap.unbind().await;
            Ok(Written::Answered(WriteAnswer {
                code: result.rc,
                message: result.text.clone(),
                ppolicy_error: ppolicy_of(&result),
            }))
        };
        match self.deadline(work).await {
            Ok(written) => Ok(written),
            Err(e) if sent.load(Ordering::SeqCst) => Err(WriteFailure::Unknown(e)),
            Err(e) => Err(WriteFailure::NotSent(e)),
        }
    }

    /// Whether the service account may make this modify: sent with the No-Op control, so the
    /// directory checks it (access included) and discards it. `None` when the directory does
    /// not understand the control.
    pub async fn may_modify(
        &self,
        dn: &str,
        mods: Vec<Mod<Vec<u8>>>,
    ) -> Result<Option<bool>, LdapError> {
        let answer = self
            .write(As::Service, dn, &WriteOp::Modify(mods), &[Control::NoOp])
            .await
            .map_err(|e| match e {
                WriteFailure::NotSent(e) | WriteFailure::Unknown(e) => e,
            })?;
        Ok(match answer {
            Written::Answered(a) if a.code == NOOP_PASSED => Some(true),
            Written::Answered(a) if a.code == 50 => Some(false),
            _ => None,
        })
    }

    /// A bind as the user on `ldap`, asking for ppolicy's reasons.
    pub(super) async fn bind_user(
        &self,
        ldap: &mut Ldap,
        dn: &str,
        password: &str,
    ) -> Result<BindAnswer, LdapError> {
        if password.is_empty() {
            // An unauthenticated bind would "succeed" as anonymous.
            return Ok(BindAnswer {
                code: 49,
                message: "empty password".into(),
                ppolicy_error: None,
            });
        }
        let result = ldap
            .with_controls(Control::PasswordPolicy.raw())
            .simple_bind(dn, password)
            .await
            .map_err(|e| classify("", e))?;
        Ok(BindAnswer {
            code: result.rc,
            message: result.text.clone(),
            ppolicy_error: ppolicy_of(&result),
        })
    }
}

async fn send(
    ldap: &mut Ldap,
    dn: &str,
    op: &WriteOp,
    controls: Vec<RawControl>,
) -> Result<LdapResult, LdapError> {
    let ldap = if controls.is_empty() {
        ldap
    } else {
        ldap.with_controls(controls)
    };
    let result = match op {
        WriteOp::Modify(mods) => ldap.modify(dn, mods.clone()).await,
        WriteOp::PasswordModify { old, new } => ldap
            .extended(PasswordModify {
                user_id: Some(dn),
                old_pass: old.as_deref(),
                new_pass: Some(new),
            })
            .await
            .map(|r| r.1),
    };
    result.map_err(|e| classify("", e))
}

fn ppolicy_of(result: &LdapResult) -> Option<u8> {
    result
        .ctrls
        .iter()
        .find(|c| c.1.ctype == PPOLICY_CONTROL)
        .and_then(|c| c.1.val.as_deref())
        .and_then(ppolicy_error)
}
