//! Password writeback: what Rekey writes to each kind of directory when it sets or frees a
//! password, and what the directory's answers mean.
//!
//! - Active Directory: a reset replaces `unicodePwd` (the quoted password in UTF-16LE) as the
//!   service account, with the policy-hints control where the server offers it, and sets
//!   `pwdLastSet` (0: must change; -1: now) and `lockoutTime` 0 in the same modify. A change
//!   deletes the old value and adds the new one, bound as the user (or, when the directory
//!   will not let them bind because the password expired or must change, as the service
//!   account, which every user object lets "change password" with the old one).
//! - OpenLDAP: the Password Modify extended operation, so the server hashes and ppolicy
//!   applies; `pwdReset` for "must change"; unlock deletes `pwdAccountLockedTime`.

use rekey_core::dto::DirectoryPasswordPolicy;
use rekey_core::settings::DirectoryKind;

use super::LdapDirectory;
use crate::infra::ldap::{
    As, BindAnswer, Control, LdapError, WriteAnswer, WriteFailure, WriteOp, Written,
    POLICY_HINTS_OIDS,
};
/// ppolicy's `pwdAccountLockedTime` for an account turned off by an admin: never unlocked.
const LOCKED_FOR_GOOD: &str = "000001010000Z";
/// ppolicy response control errors.
const PP_EXPIRED: u8 = 0;
const PP_NOT_ALLOWED: u8 = 3;
const PP_QUALITY: u8 = 5;
const PP_TOO_SHORT: u8 = 6;
const PP_TOO_YOUNG: u8 = 7;
const PP_HISTORY: u8 = 8;
/// AD's seconds are counted in 100-nanosecond intervals.
const AD_TICKS_PER_SECOND: i64 = 10_000_000;

/// Why the directory would not take a new password (or the current one was wrong).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooShort,
    /// AD's complexity: three of lower case, upper case, digit, symbol, and not the names.
    Complexity,
    /// One of the person's earlier passwords, or the current one.
    History,
    /// Changed too recently (the minimum password age).
    TooSoon,
    /// The directory's rules, without saying which (Windows AD says only `0000052D`).
    Policy,
    /// The current password given is not right.
    WrongCurrentPassword,
    /// The service account may not do this to this person (a protected account, such as a
    /// domain admin, or rights the directory admin has not given).
    NotAllowed,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::TooShort => "too_short",
            Refusal::Complexity => "complexity",
            Refusal::History => "history",
            Refusal::TooSoon => "too_soon",
            Refusal::Policy => "policy",
            Refusal::WrongCurrentPassword => "wrong_current_password",
            Refusal::NotAllowed => "not_allowed",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The directory answered no; nothing changed.
    #[error("the directory refused the write ({reason:?}): {detail}")]
    Refused { reason: Refusal, detail: String },
    /// The directory could not be reached, or was too busy; nothing changed.
    #[error("the directory is unavailable: {0}")]
    Unavailable(LdapError),
    /// The write was sent and no answer came: it may have been applied.
    #[error("the directory did not answer a write it was sent: {0}")]
    Unknown(LdapError),
}

impl From<WriteFailure> for WriteError {
    fn from(e: WriteFailure) -> Self {
        match e {
            WriteFailure::NotSent(e) => WriteError::Unavailable(e),
            WriteFailure::Unknown(e) => WriteError::Unknown(e),
        }
    }
}

/// Where a password last changed, as the directory says: read before a write and again after
/// a crash, it tells whether the write landed. AD: `pwdLastSet` and the entry's `uSNChanged`;
/// OpenLDAP: `pwdChangedTime` and the entry's `entryCSN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordMark(pub String);

impl PasswordMark {
    /// Whether the password changed between `before` and this mark.
    pub fn moved_since(&self, before: &PasswordMark) -> bool {
        let parts = |m: &PasswordMark| {
            let mut words = m.0.split(' ');
            let changed = words.next().unwrap_or_default().to_string();
            (changed, words.next().unwrap_or_default().to_string())
        };
        let ((changed, entry), (changed_before, entry_before)) = (parts(self), parts(before));
        if changed != changed_before {
            return true;
        }
        if entry == entry_before {
            return false;
        }
        // The same "password changed" value, yet the entry changed. AD: a forced change
        // writes pwdLastSet 0 over a 0. ppolicy: its time has one-second resolution, so a
        // change in the same second as the last shows only in the entry's change stamp, whose
        // second then is the password's (a failed bind since would be stamped later).
        changed == "0" || (changed.len() == 15 && entry.get(..14) == changed.get(..14))
    }
}

impl LdapDirectory {
    fn kind(&self) -> DirectoryKind {
        self.client().settings().kind
    }

    /// The kind of directory, as the audit names it.
    pub fn kind_name(&self) -> &'static str {
        match self.kind() {
            DirectoryKind::Ad => "active_directory",
            DirectoryKind::Openldap => "openldap",
        }
    }

    /// Sets a new password as the service account: a self-service reset (`must_change`
    /// false, any "must change" cleared and the account unlocked) or an admin's reset.
    pub async fn reset_password(
        &self,
        dn: &str,
        password: &str,
        must_change: bool,
    ) -> Result<(), WriteError> {
        match self.kind() {
            DirectoryKind::Ad => {
                let pwd_last_set: &[u8] = if must_change { b"0" } else { b"-1" };
                let op = WriteOp::Modify(vec![
                    WriteOp::replace("unicodePwd", &[&ad_password(password)]),
                    WriteOp::replace("pwdLastSet", &[pwd_last_set]),
                    WriteOp::replace("lockoutTime", &[b"0"]),
                ]);
                let controls = self.policy_hints().await;
                self.service_write(dn, &op, &controls).await
            }
            DirectoryKind::Openldap => {
                let op = WriteOp::PasswordModify {
                    old: None,
                    new: password.to_string(),
                };
                self.service_write(dn, &op, &[Control::PasswordPolicy])
                    .await?;
                // The password is set: what follows only sets the flags, and a failure there
                // must not make a set password look unset.
                if let Err(e) = self.openldap_flags(dn, must_change).await {
                    tracing::warn!(dn, error = %e, "the new password is set, its flags are not");
                }
                Ok(())
            }
        }
    }

    /// "Must change" as asked, and the lockout lifted (unless an admin turned it off).
    async fn openldap_flags(&self, dn: &str, must_change: bool) -> Result<(), WriteError> {
        let mut mods = vec![if must_change {
            WriteOp::replace("pwdReset", &[b"TRUE"])
        } else {
            WriteOp::replace("pwdReset", &[])
        }];
        if self.openldap_lock(dn).await? {
            mods.push(WriteOp::replace("pwdAccountLockedTime", &[]));
        }
        self.service_write(dn, &WriteOp::Modify(mods), &[]).await
    }

    /// Whether ppolicy holds a lockout that an unlock may lift (not an admin's lock for good).
    async fn openldap_lock(&self, dn: &str) -> Result<bool, WriteError> {
        let entry = self
            .client()
            .read_entry(dn, &["pwdAccountLockedTime"])
            .await
            .map_err(WriteError::Unavailable)?;
        Ok(entry
            .as_ref()
            .and_then(|e| e.first("pwdAccountLockedTime"))
            .is_some_and(|t| t != LOCKED_FOR_GOOD))
    }

    /// The person's own change, from `old` to `new`: bound as them; when the directory will
    /// not let them bind because the password expired or must change (the right password,
    /// said only after it), the same change is made through the service account.
    pub async fn change_password(&self, dn: &str, old: &str, new: &str) -> Result<(), WriteError> {
        let op = match self.kind() {
            DirectoryKind::Ad => WriteOp::Modify(vec![
                WriteOp::delete("unicodePwd", &[&ad_password(old)]),
                WriteOp::add("unicodePwd", &[&ad_password(new)]),
            ]),
            DirectoryKind::Openldap => WriteOp::PasswordModify {
                old: Some(old.to_string()),
                new: new.to_string(),
            },
        };
        let controls = [Control::PasswordPolicy];
        let user = As::User { dn, password: old };
        match self.client().write(user, dn, &op, &controls).await? {
            Written::Answered(answer) => answered(answer),
            Written::BindRefused(bind) if self.bind_says_change_due(&bind) => {
                self.service_write(dn, &op, &controls).await
            }
            Written::BindRefused(bind) => Err(WriteError::Refused {
                reason: Refusal::WrongCurrentPassword,
                detail: bind.message,
            }),
        }
    }

    /// The right password, refused only because it has expired or must change.
    fn bind_says_change_due(&self, bind: &BindAnswer) -> bool {
        match self.kind() {
            DirectoryKind::Ad => ["data 532", "data 773"]
                .iter()
                .any(|d| bind.message.contains(d)),
            DirectoryKind::Openldap => bind.ppolicy_error == Some(PP_EXPIRED),
        }
    }

    /// Lifts the directory's own lockout, keeping the password.
    pub async fn unlock(&self, dn: &str) -> Result<(), WriteError> {
        match self.kind() {
            DirectoryKind::Ad => {
                let op = WriteOp::Modify(vec![WriteOp::replace("lockoutTime", &[b"0"])]);
                self.service_write(dn, &op, &[]).await
            }
            DirectoryKind::Openldap => {
                if !self.openldap_lock(dn).await? {
                    return Ok(());
                }
                let op = WriteOp::Modify(vec![WriteOp::replace("pwdAccountLockedTime", &[])]);
                self.service_write(dn, &op, &[]).await
            }
        }
    }

    /// When the person's password last changed, as the directory keeps it ([`PasswordMark`]).
    pub async fn password_mark(&self, dn: &str) -> Result<PasswordMark, LdapError> {
        let attrs: &[&str] = match self.kind() {
            DirectoryKind::Ad => &["pwdLastSet", "uSNChanged"],
            DirectoryKind::Openldap => &["pwdChangedTime", "entryCSN"],
        };
        let entry = self.client().read_entry(dn, attrs).await?;
        let mark = attrs
            .iter()
            .map(|a| entry.as_ref().and_then(|e| e.first(a)).unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" ");
        Ok(PasswordMark(mark))
    }

    /// The directory's password rules for this person, where it exposes them.
    pub async fn password_policy(
        &self,
        dn: &str,
    ) -> Result<Option<DirectoryPasswordPolicy>, LdapError> {
        match self.kind() {
            DirectoryKind::Ad => self.ad_policy(dn).await,
            DirectoryKind::Openldap => self.ppolicy(dn).await,
        }
    }

    /// The person's fine-grained policy (`msDS-ResultantPSO`) or else the domain's.
    async fn ad_policy(&self, dn: &str) -> Result<Option<DirectoryPasswordPolicy>, LdapError> {
        let client = self.client();
        let person = client.read_entry(dn, &["msDS-ResultantPSO"]).await?;
        if let Some(pso) = person.as_ref().and_then(|p| p.first("msDS-ResultantPSO")) {
            let attrs = [
                "msDS-MinimumPasswordLength",
                "msDS-PasswordHistoryLength",
                "msDS-PasswordComplexityEnabled",
                "msDS-MinimumPasswordAge",
            ];
            // A PSO is readable only where the directory's admin allowed it (Password
            // Settings Container); unread, the person's rules are not known, and the domain's
            // are not theirs.
            let entry = client.read_entry(pso, &attrs).await?;
            let Some(e) = entry.filter(|e| e.first(attrs[0]).is_some()) else {
                return Ok(None);
            };
            return Ok(Some(DirectoryPasswordPolicy {
                min_length: number(e.first(attrs[0])),
                history: number(e.first(attrs[1])),
                complexity: e.first(attrs[2]).is_some_and(|v| v == "TRUE"),
                min_age_seconds: ad_duration(e.first(attrs[3])),
            }));
        }
        let root = client.read_entry("", &["defaultNamingContext"]).await?;
        let Some(domain) = root.as_ref().and_then(|r| r.first("defaultNamingContext")) else {
            return Ok(None);
        };
        let attrs = [
            "minPwdLength",
            "pwdHistoryLength",
            "pwdProperties",
            "minPwdAge",
        ];
        Ok(client
            .read_entry(domain, &attrs)
            .await?
            .map(|e| DirectoryPasswordPolicy {
                min_length: number(e.first(attrs[0])),
                history: number(e.first(attrs[1])),
                // DOMAIN_PASSWORD_COMPLEX
                complexity: e
                    .first(attrs[2])
                    .and_then(|v| v.parse::<i64>().ok())
                    .is_some_and(|p| p & 1 == 1),
                min_age_seconds: ad_duration(e.first(attrs[3])),
            }))
    }

    /// The person's ppolicy (their own, or the directory's only one).
    async fn ppolicy(&self, dn: &str) -> Result<Option<DirectoryPasswordPolicy>, LdapError> {
        let attrs = [
            "pwdMinLength",
            "pwdInHistory",
            "pwdCheckQuality",
            "pwdMinAge",
        ];
        let policy = self.ppolicy_entry(Some(dn), &attrs).await?;
        Ok(policy.map(|e| {
            let quality = number(e.first(attrs[2])) > 0;
            DirectoryPasswordPolicy {
                // ppolicy checks the length only when it checks quality.
                min_length: if quality {
                    number(e.first(attrs[0]))
                } else {
                    0
                },
                history: number(e.first(attrs[1])),
                complexity: false,
                min_age_seconds: u64::from(number(e.first(attrs[3]))),
            }
        }))
    }

    /// The policy-hints control, when the server lists one of its OIDs (Samba 4.17 does not).
    /// The root DSE is read once per connection settings, not on every reset; a failed read is
    /// not remembered.
    async fn policy_hints(&self) -> Vec<Control> {
        let listed = self
            .policy_hints_oid
            .get_or_try_init(|| async {
                let root = self.client().read_entry("", &["supportedControl"]).await?;
                let supported = root
                    .as_ref()
                    .map_or(&[][..], |r| r.values("supportedControl"));
                Ok::<_, LdapError>(
                    POLICY_HINTS_OIDS
                        .iter()
                        .copied()
                        .find(|oid| supported.iter().any(|s| s == oid)),
                )
            })
            .await;
        listed
            .ok()
            .copied()
            .flatten()
            .map(Control::PolicyHints)
            .into_iter()
            .collect()
    }

    async fn service_write(
        &self,
        dn: &str,
        op: &WriteOp,
        controls: &[Control],
    ) -> Result<(), WriteError> {
        match self.client().write(As::Service, dn, op, controls).await? {
            Written::Answered(answer) => answered(answer),
            // A service bind is never refused this way (it fails as unavailable instead).
            Written::BindRefused(bind) => Err(WriteError::Refused {
                reason: Refusal::NotAllowed,
                detail: bind.message,
            }),
        }
    }
}

/// Done, or why not.
fn answered(answer: WriteAnswer) -> Result<(), WriteError> {
    if answer.code == 0 {
        return Ok(());
    }
    match refusal(&answer) {
        Some(reason) => Err(WriteError::Refused {
            reason,
            detail: answer.message,
        }),
        None => Err(WriteError::Unavailable(LdapError::Refused {
            code: answer.code,
            message: answer.message,
        })),
    }
}

/// What a refused write means, from ppolicy's control, AD's diagnostic text, or the result
/// code; `None` for the server's own trouble (busy, unavailable), which is not a refusal.
fn refusal(answer: &WriteAnswer) -> Option<Refusal> {
    let text = answer.message.to_ascii_lowercase();
    let said = |words: &[&str]| words.iter().any(|w| text.contains(w));
    match answer.ppolicy_error {
        // ppolicy's quality is whatever its check module decides: its reasons are not known.
        Some(PP_QUALITY) => return Some(Refusal::Policy),
        Some(PP_TOO_SHORT) => return Some(Refusal::TooShort),
        Some(PP_TOO_YOUNG) => return Some(Refusal::TooSoon),
        Some(PP_HISTORY) => return Some(Refusal::History),
        Some(PP_NOT_ALLOWED) => return Some(Refusal::NotAllowed),
        _ => {}
    }
    match answer.code {
        // 00000056: AD's "the old password does not match"; slapd's "unwilling to verify".
        _ if said(&["00000056", "unwilling to verify old password"]) => {
            Some(Refusal::WrongCurrentPassword)
        }
        19 | 53 if said(&["too short"]) => Some(Refusal::TooShort),
        19 | 53
            if said(&[
                "history",
                "already used",
                "not being changed from existing value",
            ]) =>
        {
            Some(Refusal::History)
        }
        19 | 53 if said(&["complexity"]) => Some(Refusal::Complexity),
        19 | 53 if said(&["too recently", "too young", "minimum password age"]) => {
            Some(Refusal::TooSoon)
        }
        19 => Some(Refusal::Policy),
        50 => Some(Refusal::NotAllowed),
        51 | 52 | 80 => None,
        _ => Some(Refusal::Policy),
    }
}

/// The value AD takes for `unicodePwd`: the password in double quotes, in UTF-16LE.
fn ad_password(password: &str) -> Vec<u8> {
    format!("\"{password}\"")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect()
}

fn number(value: Option<&str>) -> u16 {
    value
        .and_then(|v| v.parse::<i64>().ok())
        .map_or(0, |n| u16::try_from(n.max(0)).unwrap_or(u16::MAX))
}

/// AD's durations are negative counts of 100-nanosecond intervals.
fn ad_duration(value: Option<&str>) -> u64 {
    value
        .and_then(|v| v.parse::<i64>().ok())
        .map_or(0, |t| t.unsigned_abs() / AD_TICKS_PER_SECOND as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(code: u32, message: &str, ppolicy_error: Option<u8>) -> Option<Refusal> {
        refusal(&WriteAnswer {
            code,
            message: message.into(),
            ppolicy_error,
        })
    }

    #[test]
    fn refusals_mean_what_each_directory_says() {
        let samba = "0000052D: Constraint violation - check_password_restrictions: ";
        let cases = [
            (said(19, &format!("{samba}the password is too short. It should be equal or longer than 7 characters!"), None), Some(Refusal::TooShort)),
            (said(19, &format!("{samba}the password does not meet the complexity criteria!"), None), Some(Refusal::Complexity)),
            (said(19, &format!("{samba}the password was already used (in history)!"), None), Some(Refusal::History)),
            (said(19, &format!("{samba}the password was already used (previous password)!"), None), Some(Refusal::History)),
            (said(19, "00000056: Constraint violation - check_password_restrictions: The old password specified doesn't match!", None), Some(Refusal::WrongCurrentPassword)),
            // Windows AD gives no reason.
            (said(19, "0000052D: SvcErr: DSID-031A1254, problem 5003 (WILL_NOT_PERFORM), data 0", None), Some(Refusal::Policy)),
            (said(19, "Password fails quality checking policy", Some(5)), Some(Refusal::Policy)),
            (said(19, "Password is in history of old passwords", Some(8)), Some(Refusal::History)),
            (said(19, "Password is too young to change", Some(7)), Some(Refusal::TooSoon)),
            (said(53, "unwilling to verify old password", None), Some(Refusal::WrongCurrentPassword)),
            (said(50, "error in module acl: insufficient access rights during LDB_MODIFY (50)", None), Some(Refusal::NotAllowed)),
            (said(51, "busy", None), None),
            (said(52, "unavailable", None), None),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn a_mark_tells_whether_the_password_changed() {
        let mark = |s: &str| PasswordMark(s.to_string());
        // AD: a new pwdLastSet; a forced change over a forced change; something else changed.
        assert!(mark("134410837 4100").moved_since(&mark("134410830 4000")));
        assert!(mark("0 4100").moved_since(&mark("0 4000")));
        assert!(!mark("134410830 4100").moved_since(&mark("134410830 4000")));
        assert!(!mark("134410830 4000").moved_since(&mark("134410830 4000")));
        // ppolicy: a new time; the same second, the entry stamped in it; a failed bind later.
        let at = |changed: &str, stamped: &str| {
            mark(&format!("{changed}Z {stamped}Z#000000#000#000000"))
        };
        let before = at("20261207022255", "20261207022255.100000");
        assert!(at("20261207022256", "20261207022256.5").moved_since(&before));
        assert!(at("20261207022255", "20261207022255.900000").moved_since(&before));
        assert!(!at("20261207022255", "20261207022259.100000").moved_since(&before));
        assert!(!before.moved_since(&before));
    }

    #[test]
    fn ad_takes_the_quoted_password_in_utf16le() {
        assert_eq!(
            ad_password("Ab1é"),
            vec![b'"', 0, b'A', 0, b'b', 0, b'1', 0, 0xe9, 0, b'"', 0]
        );
    }

    #[test]
    fn ad_durations_are_negative_tick_counts() {
        assert_eq!(ad_duration(Some("-864000000000")), 86_400);
        assert_eq!(ad_duration(Some("0")), 0);
        assert_eq!(ad_duration(None), 0);
        assert_eq!(number(Some("24")), 24);
        assert_eq!(number(Some("-3")), 0);
        assert_eq!(number(Some("junk")), 0);
    }
}
