//! The LDAP directory behind the seam: live look-ups mirrored into the store, and passwords
//! checked by binding as the user.

use std::time::{Duration, Instant};

use rekey_core::security_info::MethodKind;
use rekey_core::security_info::{check_email, check_phone, normalize_email, normalize_phone};
use rekey_core::settings::{DirectoryKind, LdapSettings};
use sqlx::{AnyConnection, AnyPool};

use super::{DirectoryError, SignInVerdict};
use crate::infra::db::now;
use crate::infra::ldap::{BindAnswer, Entry, LdapClient, LdapError};
use crate::store::directory_mirror::{self, DirectoryPerson, Mirrored};
use crate::store::security_info;
use crate::store::users::{self, UserRecord};

/// AD's `userAccountControl` bit for a disabled account.
const AD_ACCOUNT_DISABLE: i64 = 0x2;
/// ppolicy's `pwdAccountLockedTime` value for "locked until an admin unlocks": disabled.
const PPOLICY_LOCKED_FOR_GOOD: &str = "000001010000Z";
/// ppolicy response control errors.
const PPOLICY_EXPIRED: u8 = 0;
const PPOLICY_CHANGE_AFTER_RESET: u8 = 2;
/// Result codes that mean the server, not the credentials, failed.
const SERVER_TROUBLE: [u32; 3] = [51, 52, 80];

/// How long a password policy read from the directory is used before it is read again.
const POLICY_READ_EVERY: Duration = Duration::from_secs(300);
/// Seconds from 1601-01-01 (AD's epoch) to 1970-01-01.
const AD_EPOCH_OFFSET: i64 = 11_644_473_600;

#[derive(Debug)]
pub struct LdapDirectory {
    client: LdapClient,
    /// ppolicy's `pwdMaxAge` in seconds (`None`: passwords never expire), and when it was read.
    max_age: tokio::sync::Mutex<Option<(Instant, Option<i64>)>>,
    /// Which policy-hints control the domain controller lists (`None`: neither), read once
    /// for this connection's settings (writeback.rs).
    pub(super) policy_hints_oid: tokio::sync::OnceCell<Option<&'static str>>,
}

impl LdapDirectory {
    pub fn new(client: LdapClient) -> LdapDirectory {
        LdapDirectory {
            client,
            max_age: tokio::sync::Mutex::new(None),
            policy_hints_oid: tokio::sync::OnceCell::new(),
        }
    }

    pub fn client(&self) -> &LdapClient {
        &self.client
    }

    fn settings(&self) -> &LdapSettings {
        self.client.settings()
    }

    /// The attributes read of every person.
    pub(super) fn person_attributes(&self) -> Vec<&str> {
        let a = &self.settings().attributes;
        let mut attrs = vec![
            a.sign_in_name.as_str(),
            a.display_name.as_str(),
            a.stable_id.as_str(),
            "cn",
            "memberOf",
            "userAccountControl",
            "nsAccountLock",
            "pwdAccountLockedTime",
            // What a sync goes on from (OpenLDAP).
            "modifyTimestamp",
            // When the password expires: AD computes it; ppolicy counts from the last change.
            "msDS-UserPasswordExpiryTimeComputed",
            "pwdChangedTime",
        ];
        attrs.extend(
            [a.email.as_str(), a.mobile.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty()),
        );
        attrs
    }

    /// A person as Rekey keeps them, or `None` for an entry without a name or stable id.
    /// `max_age` is ppolicy's ([`LdapDirectory::password_max_age`]).
    pub(super) fn person(&self, entry: &Entry, max_age: Option<i64>) -> Option<DirectoryPerson> {
        let a = &self.settings().attributes;
        let sign_in_name = entry.first(&a.sign_in_name)?.trim().to_string();
        let external_id = stable_id(entry, &a.stable_id)?;
        let display_name = entry
            .first(&a.display_name)
            .or_else(|| entry.first("cn"))
            .unwrap_or(&sign_in_name)
            .trim()
            .to_string();
        let enabled = match self.settings().kind {
            DirectoryKind::Ad => entry
                .first("userAccountControl")
                .and_then(|v| v.parse::<i64>().ok())
                .is_none_or(|uac| uac & AD_ACCOUNT_DISABLE == 0),
            DirectoryKind::Openldap => {
                !entry
                    .first("nsAccountLock")
                    .is_some_and(|v| v.eq_ignore_ascii_case("true"))
                    && entry.first("pwdAccountLockedTime") != Some(PPOLICY_LOCKED_FOR_GOOD)
            }
        };
        let password_expires_at = match self.settings().kind {
            DirectoryKind::Ad => entry
                .first("msDS-UserPasswordExpiryTimeComputed")
                .and_then(|v| v.parse::<i64>().ok())
                .and_then(ad_expiry),
            DirectoryKind::Openldap => entry
                .first("pwdChangedTime")
                .and_then(super::changes::parse_generalized_time)
                .zip(max_age)
                .map(|(changed, age)| changed + age),
        };
        (!sign_in_name.is_empty()).then_some(DirectoryPerson {
            external_id,
            dn: entry.dn.clone(),
            sign_in_name,
            display_name,
            enabled,
            password_expires_at,
        })
    }

    /// Writes one directory person into the mirror with the contact details the directory
    /// holds, and (with `with_groups`, at a live look-up) the mirrored groups their `memberOf`
    /// names; a sync copies membership from the groups' side instead.
    pub(super) async fn mirror(
        &self,
        conn: &mut AnyConnection,
        entry: &Entry,
        person: &DirectoryPerson,
        with_groups: bool,
        now: i64,
    ) -> Result<Mirrored, sqlx::Error> {
        let mirrored = directory_mirror::upsert_user(conn, person, now).await?;
        let Some(id) = mirrored.id() else {
            return Ok(mirrored);
        };
        let a = &self.settings().attributes;
        let email = entry.first(&a.email).map(normalize_email);
        if let Some(email) = email.filter(|e| check_email("email", e).is_empty()) {
            let method = MethodKind::Email.as_str();
            security_info::put_admin_contact(conn, id, method, &email, now).await?;
        }
        let phone = entry.first(&a.mobile).map(normalize_phone);
        if let Some(phone) = phone.filter(|p| check_phone("phone", p).is_empty()) {
            let method = MethodKind::MobilePhone.as_str();
            security_info::put_admin_contact(conn, id, method, &phone, now).await?;
        }
        if with_groups {
            // Only the person's own groups are resolved: a sign-in never reads every group.
            let group_ids =
                directory_mirror::group_ids_by_dn(conn, entry.values("memberOf")).await?;
            directory_mirror::set_user_groups(conn, id, &group_ids).await?;
            crate::domain::sspr_policy::refresh_user(conn, id).await?;
        }
        Ok(mirrored)
    }

    /// Finds a person by sign-in name in the directory now, and brings the mirror in step:
    /// added or changed as the directory says, removed from Rekey when the directory no
    /// longer lists them.
    pub(super) async fn look_up(
        &self,
        pool: &AnyPool,
        name: &str,
    ) -> Result<Option<UserRecord>, DirectoryError> {
        let s = self.settings();
        let filter = format!(
            "(&{}({}={}))",
            s.users_filter,
            s.attributes.sign_in_name,
            ldap3::ldap_escape(name.trim())
        );
        let found = self
            .client
            .search(&s.users_base_dn, &filter, &self.person_attributes())
            .await?;
        let max_age = self.password_max_age().await;
        let person = match found.as_slice() {
            [entry] => self.person(entry, max_age).map(|p| (entry, p)),
            _ => None,
        };
        let Some((entry, person)) = person else {
            if let Some(gone) = users::find_by_sign_in_name(pool, name).await? {
                if gone.from_directory && gone.enabled {
                    let mut tx = pool.begin().await?;
                    directory_mirror::remove_user(&mut tx, &gone.id).await?;
                    tx.commit().await?;
                }
            }
            return Ok(None);
        };
        let mut tx = pool.begin().await?;
        let mirrored = self.mirror(&mut tx, entry, &person, true, now()).await?;
        tx.commit().await?;
        match mirrored.id() {
            Some(id) => Ok(users::find_by_id(pool, id).await?),
            None => Ok(None),
        }
    }

    /// Binds as the user. Someone unknown is still bound for (as a name that cannot exist),
    /// so the answer comes in the same time.
    pub(super) async fn check_password(
        &self,
        user: Option<UserRecord>,
        password: &str,
    ) -> Result<SignInVerdict, DirectoryError> {
        let user = user.filter(|u| u.from_directory);
        let dn = match user.as_ref().and_then(|u| u.external_dn.clone()) {
            Some(dn) => dn,
            None => format!("cn=rekey-no-such-user,{}", self.settings().users_base_dn),
        };
        let answer = self.client.bind_as(&dn, password).await?;
        if SERVER_TROUBLE.contains(&answer.code) {
            return Err(DirectoryError::Unavailable(LdapError::Refused {
                code: answer.code,
                message: answer.message,
            }));
        }
        let Some(user) = user else {
            return Ok(SignInVerdict::Refused);
        };
        Ok(verdict(&answer, user))
    }
}

impl LdapDirectory {
    /// ppolicy's maximum password age in seconds, `None` when passwords never expire (or AD,
    /// which computes each person's expiry itself). Read again every few minutes.
    pub(super) async fn password_max_age(&self) -> Option<i64> {
        if self.settings().kind != DirectoryKind::Openldap {
            return None;
        }
        let mut cached = self.max_age.lock().await;
        if let Some((read_at, age)) = *cached {
            if read_at.elapsed() < POLICY_READ_EVERY {
                return age;
            }
        }
        let policy = self.ppolicy_entry(None, &["pwdMaxAge"]).await;
        let age = match policy {
            Ok(entry) => entry
                .and_then(|e| e.first("pwdMaxAge")?.parse::<i64>().ok())
                .filter(|age| *age > 0),
            // Not known now: keep what was known, and try again next time.
            Err(_) => return cached.and_then(|(_, age)| age),
        };
        *cached = Some((Instant::now(), age));
        age
    }

    /// The ppolicy entry that governs a person: their `pwdPolicySubentry`, or else the only
    /// password policy the directory holds (the overlay's default is named in cn=config,
    /// which a service account cannot read).
    pub(super) async fn ppolicy_entry(
        &self,
        person: Option<&str>,
        attrs: &[&str],
    ) -> Result<Option<Entry>, LdapError> {
        let client = &self.client;
        let own = match person {
            Some(dn) => client
                .read_entry(dn, &["pwdPolicySubentry"])
                .await?
                .and_then(|p| p.first("pwdPolicySubentry").map(str::to_string)),
            None => None,
        };
        if let Some(policy) = own {
            return client.read_entry(&policy, attrs).await;
        }
        let mut found = Vec::new();
        let root = client.read_entry("", &["namingContexts"]).await?;
        for context in root
            .as_ref()
            .map_or(&[][..], |r| r.values("namingContexts"))
        {
            found.extend(
                client
                    .search_all(context, "(objectClass=pwdPolicy)", attrs)
                    .await?,
            );
        }
        Ok((found.len() == 1).then(|| found.remove(0)))
    }
}

/// AD's computed expiry (a FILETIME) in Unix seconds: 0 means the password must change now,
/// the largest value that it never expires.
fn ad_expiry(filetime: i64) -> Option<i64> {
    match filetime {
        i64::MAX => None,
        0 => Some(0),
        t if t > 0 => Some(t / 10_000_000 - AD_EPOCH_OFFSET),
        _ => None,
    }
}

/// What a bind's answer means. AD says why in its diagnostic text (`data 532`: expired,
/// `data 773`: must change, `data 533`: disabled, each only after a right password); OpenLDAP
/// in the ppolicy control. A person the mirror holds as disabled never gets in: a directory
/// that does not enforce its own flag (OpenLDAP's `nsAccountLock`) accepts the bind, and
/// Rekey says the account is off, the password having been right.
fn verdict(answer: &BindAnswer, user: UserRecord) -> SignInVerdict {
    let ad_data = |code: &str| answer.message.contains(&format!("data {code}"));
    if !user.enabled {
        return match answer.code {
            0 => SignInVerdict::Disabled(user),
            49 if ad_data("533") => SignInVerdict::Disabled(user),
            _ => SignInVerdict::Refused,
        };
    }
    match (answer.code, answer.ppolicy_error) {
        (0, Some(PPOLICY_CHANGE_AFTER_RESET)) => SignInVerdict::MustChange(user),
        (0, _) => SignInVerdict::Accepted(user),
        (49, Some(PPOLICY_EXPIRED)) => SignInVerdict::PasswordExpired(user),
        (49, _) if ad_data("532") => SignInVerdict::PasswordExpired(user),
        (49, _) if ad_data("773") => SignInVerdict::MustChange(user),
        (49, _) if ad_data("533") => SignInVerdict::Disabled(user),
        _ => SignInVerdict::Refused,
    }
}

/// The entry's stable id as text: `entryUUID` as it comes (lower case), a 16-byte value
/// (AD's binary `objectGUID`) in the usual written form of a GUID. Both are one-to-one, so
/// ids stay unique and stable whatever the attribute.
pub(super) fn stable_id(entry: &Entry, attribute: &str) -> Option<String> {
    let bytes = entry.first_bytes(attribute).filter(|b| !b.is_empty())?;
    let Ok(guid) = <[u8; 16]>::try_from(bytes) else {
        return Some(String::from_utf8_lossy(bytes).to_lowercase());
    };
    Some(guid_text(&guid))
}

fn guid_text(bytes: &[u8; 16]) -> String {
    // The first three fields are little-endian, the rest as stored.
    let (a, b, c) = (
        u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]),
        u16::from_le_bytes([bytes[4], bytes[5]]),
        u16::from_le_bytes([bytes[6], bytes[7]]),
    );
    let tail: String = bytes[10..].iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{a:08x}-{b:04x}-{c:04x}-{:02x}{:02x}-{tail}",
        bytes[8], bytes[9]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> UserRecord {
        UserRecord {
            id: "u".into(),
            sign_in_name: "adele".into(),
            display_name: "Adele".into(),
            password_hash: String::new(),
            enabled: true,
            created_at: 0,
            password_version: 0,
            password_changed_at: 0,
            password_never_expires: false,
            must_change_password: false,
            last_sign_in_at: 0,
            lang: None,
            from_directory: true,
            external_dn: Some("uid=adele".into()),
            directory_password_expires_at: None,
        }
    }

    fn answer(code: u32, message: &str, ppolicy_error: Option<u8>) -> BindAnswer {
        BindAnswer {
            code,
            message: message.into(),
            ppolicy_error,
        }
    }

    #[test]
    fn ad_expiry_times_are_filetimes() {
        // 2026-12-07 00:00:00 UTC
        assert_eq!(ad_expiry(134_410_752_000_000_000), Some(1_796_601_600));
        assert_eq!(ad_expiry(i64::MAX), None);
        assert_eq!(ad_expiry(0), Some(0));
        assert_eq!(ad_expiry(-1), None);
    }

    #[test]
    fn a_guid_is_written_the_way_windows_writes_it() {
        // objectGUID c5FRC4AjCEefrdjTnVp0GQ== as Samba sent it.
        let bytes = [
            0x73, 0x91, 0x51, 0x0b, 0x80, 0x23, 0x08, 0x47, 0x9f, 0xad, 0xd8, 0xd3, 0x9d, 0x5a,
            0x74, 0x19,
        ];
        assert_eq!(guid_text(&bytes), "0b519173-2380-4708-9fad-d8d39d5a7419");
    }

    fn said(answer: &BindAnswer, user: UserRecord) -> &'static str {
        match verdict(answer, user) {
            SignInVerdict::Accepted(_) => "accepted",
            SignInVerdict::Refused => "refused",
            SignInVerdict::PasswordExpired(_) => "expired",
            SignInVerdict::MustChange(_) => "must_change",
            SignInVerdict::Disabled(_) => "disabled",
        }
    }

    #[test]
    fn bind_answers_mean_what_each_directory_says() {
        let cases = [
            (answer(0, "", None), "accepted"),
            (answer(0, "", Some(2)), "must_change"),
            (answer(49, "", Some(0)), "expired"),
            (answer(49, "", Some(1)), "refused"),
            (
                answer(
                    49,
                    "80090308: LdapErr: DSID-0C09044E, data 52e, v4563",
                    None,
                ),
                "refused",
            ),
            (
                answer(
                    49,
                    "80090308: LdapErr: DSID-0C09044E, data 532, v4563",
                    None,
                ),
                "expired",
            ),
            (
                answer(
                    49,
                    "80090308: LdapErr: DSID-0C09044E, data 773, v4563",
                    None,
                ),
                "must_change",
            ),
            (
                answer(
                    49,
                    "80090308: LdapErr: DSID-0C09044E, data 775, v4563",
                    None,
                ),
                "refused",
            ),
        ];
        for (a, want) in cases {
            assert_eq!(said(&a, user()), want, "{a:?}");
        }
        // Someone the directory has turned off: said only after the right password.
        let off = UserRecord {
            enabled: false,
            ..user()
        };
        let disabled_ad = "80090308: LdapErr: DSID-0C09044E, data 533, v4563";
        assert_eq!(
            said(&answer(49, disabled_ad, None), off.clone()),
            "disabled"
        );
        assert_eq!(said(&answer(0, "", None), off.clone()), "disabled");
        let wrong = "80090308: LdapErr: DSID-0C09044E, data 52e, v4563";
        assert_eq!(said(&answer(49, wrong, None), off.clone()), "refused");
        assert_eq!(said(&answer(49, "", Some(1)), off), "refused");
    }
}
