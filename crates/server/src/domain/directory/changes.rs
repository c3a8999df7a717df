//! What changed in the directory since the last sync, so a sync reads only that: AD's update
//! sequence number (`uSNChanged`, counted per domain controller, so a mark is only good on the
//! one that gave it) or OpenLDAP's `modifyTimestamp` (set on every add and change).
//!
//! An AD mark is the highest number committed when a sync starts. OpenLDAP's root has no clock
//! to read, so its mark comes from the directory's own timestamps: the latest one a sync read,
//! and how long that sync ran, since a change made while it ran may carry an earlier time than
//! the latest it saw. No clock of Rekey's is compared with the directory's.
//!
//! A watermark also remembers the settings it was taken with: other settings (another server,
//! base or filter) list everything again.

use rekey_core::settings::{DirectoryKind, LdapSettings};
use sha2::{Digest, Sha256};

use super::{DirectoryError, LdapDirectory};

/// Timestamps count whole seconds: a change in the same second as the mark is read again.
const SECOND_SLACK: i64 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeMark {
    /// AD: the highest update sequence number committed on this domain controller.
    Usn { server: String, usn: u64 },
    /// OpenLDAP: the latest `modifyTimestamp` read (Unix seconds, 0 none yet), and for how many
    /// seconds before it a change may still be unread.
    Time { latest: i64, unread_for: i64 },
}

impl ChangeMark {
    /// The mark as a sync starts, going on from the last one (for OpenLDAP, whose marks build
    /// on what each sync reads: see [`ChangeMark::read`] and [`ChangeMark::finish`]).
    pub async fn start(
        ldap: &LdapDirectory,
        previous: Option<&ChangeMark>,
    ) -> Result<ChangeMark, DirectoryError> {
        if ldap.client().settings().kind == DirectoryKind::Openldap {
            let latest = match previous {
                Some(ChangeMark::Time { latest, .. }) => *latest,
                _ => 0,
            };
            return Ok(ChangeMark::Time {
                latest,
                unread_for: 0,
            });
        }
        let root = ldap
            .client()
            .read_entry("", &["highestCommittedUSN", "dsServiceName"])
            .await?;
        let read = |name| {
            root.as_ref()
                .and_then(|r| r.first(name))
                .map(str::to_string)
        };
        Ok(ChangeMark::Usn {
            server: read("dsServiceName").unwrap_or_default(),
            usn: read("highestCommittedUSN")
                .and_then(|u| u.parse().ok())
                .unwrap_or(0),
        })
    }

    /// Notes an entry's `modifyTimestamp` as the sync reads it.
    pub fn read(&mut self, modify_timestamp: Option<&str>) {
        if let (ChangeMark::Time { latest, .. }, Some(seen)) =
            (self, modify_timestamp.and_then(parse_generalized_time))
        {
            *latest = (*latest).max(seen);
        }
    }

    /// Closes the mark when the sync is done, `seconds` after it started.
    pub fn finish(&mut self, seconds: i64) {
        if let ChangeMark::Time { unread_for, .. } = self {
            *unread_for = seconds.max(0) + SECOND_SLACK;
        }
    }

    fn encode(&self) -> String {
        match self {
            ChangeMark::Usn { server, usn } => format!("usn {usn} {server}"),
            ChangeMark::Time { latest, unread_for } => format!("time {latest} {unread_for}"),
        }
    }

    fn decode(text: &str) -> Option<ChangeMark> {
        let (kind, rest) = text.split_once(' ')?;
        let (first, second) = rest.split_once(' ')?;
        match kind {
            "usn" => Some(ChangeMark::Usn {
                server: second.to_string(),
                usn: first.parse().ok()?,
            }),
            "time" => Some(ChangeMark::Time {
                latest: first.parse().ok()?,
                unread_for: second.parse().ok()?,
            }),
            _ => None,
        }
    }

    /// An LDAP filter for the entries changed since this mark, or `None` when `now` (the
    /// mark as this sync starts) cannot tell: another domain controller answers now, the
    /// kind of directory changed, or nothing was ever read.
    pub fn changed_since(&self, now: &ChangeMark) -> Option<String> {
        match (self, now) {
            (
                ChangeMark::Usn { server, usn },
                ChangeMark::Usn {
                    server: now_server, ..
                },
            ) if server == now_server && !server.is_empty() => {
                Some(format!("(uSNChanged>={})", usn + 1))
            }
            (ChangeMark::Time { latest, unread_for }, ChangeMark::Time { .. }) if *latest > 0 => {
                let since = generalized_time(latest - unread_for)?;
                Some(format!("(modifyTimestamp>={since})"))
            }
            _ => None,
        }
    }
}

/// A mark and the settings it was taken with, as stored between syncs.
pub fn watermark(settings: &LdapSettings, mark: &ChangeMark) -> String {
    format!("{} {}", fingerprint(settings), mark.encode())
}

/// The mark a stored watermark holds, if it was taken with these settings.
pub fn mark_of(watermark: &str, settings: &LdapSettings) -> Option<ChangeMark> {
    let (taken_with, mark) = watermark.split_once(' ')?;
    (taken_with == fingerprint(settings))
        .then(|| ChangeMark::decode(mark))
        .flatten()
}

/// What decides which entries a sync sees, hashed: the server, bases, filters and attributes.
fn fingerprint(settings: &LdapSettings) -> String {
    let mut seen = settings.clone();
    // How long to wait for an answer changes nothing about what is listed.
    seen.timeout_seconds = 0;
    let json = serde_json::to_string(&seen).unwrap_or_default();
    Sha256::digest(json.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `YYYYMMDDHHMMSSZ`, LDAP's GeneralizedTime in UTC.
fn generalized_time(unix: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix).ok()?;
    Some(format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

/// Unix seconds of a GeneralizedTime in UTC (`YYYYMMDDHHMMSSZ`, fractions ignored).
pub(super) fn parse_generalized_time(text: &str) -> Option<i64> {
    let digits = text.get(..14)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !text.ends_with('Z') {
        return None;
    }
    let n = |range: std::ops::Range<usize>| digits[range].parse::<u8>().ok();
    let date = time::Date::from_calendar_date(
        digits[..4].parse().ok()?,
        time::Month::try_from(n(4..6)?).ok()?,
        n(6..8)?,
    )
    .ok()?;
    let at = time::Time::from_hms(n(8..10)?, n(10..12)?, n(12..14)?).ok()?;
    Some(
        time::PrimitiveDateTime::new(date, at)
            .assume_utc()
            .unix_timestamp(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_asks_for_what_changed_after_it() {
        let usn = |server: &str, usn| ChangeMark::Usn {
            server: server.into(),
            usn,
        };
        let dc1 = "CN=NTDS Settings,CN=DC1";
        assert_eq!(
            usn(dc1, 4100).changed_since(&usn(dc1, 4200)).as_deref(),
            Some("(uSNChanged>=4101)")
        );
        // Another domain controller counts its own numbers.
        assert_eq!(usn(dc1, 4100).changed_since(&usn("CN=DC2", 9)), None);

        // OpenLDAP: the latest time read, less the time the sync that read it ran.
        let mut mark = ChangeMark::Time {
            latest: 0,
            unread_for: 0,
        };
        mark.read(Some("20261206233300Z"));
        mark.read(Some("20261206233320.123456Z"));
        mark.read(Some("20261206230000Z"));
        mark.read(Some("not a time"));
        mark.finish(30);
        let next = ChangeMark::Time {
            latest: 1_796_600_000,
            unread_for: 0,
        };
        assert_eq!(
            mark.changed_since(&next).as_deref(),
            Some("(modifyTimestamp>=20261206233248Z)")
        );
        let stored = mark.encode();
        assert_eq!(ChangeMark::decode(&stored), Some(mark));
        // Nothing read yet: everything.
        let empty = ChangeMark::Time {
            latest: 0,
            unread_for: 2,
        };
        assert_eq!(empty.changed_since(&next), None);
        assert_eq!(next.changed_since(&usn(dc1, 1)), None);
    }

    #[test]
    fn a_watermark_holds_only_for_the_settings_it_was_taken_with() {
        let settings = LdapSettings::defaults(DirectoryKind::Ad);
        let mark = ChangeMark::Usn {
            server: "CN=NTDS Settings,CN=DC1,CN=Servers".into(),
            usn: 77,
        };
        let stored = watermark(&settings, &mark);
        assert_eq!(mark_of(&stored, &settings), Some(mark));
        let mut slower = settings.clone();
        slower.timeout_seconds = 30;
        assert!(mark_of(&stored, &slower).is_some());
        let mut elsewhere = settings.clone();
        elsewhere.users_base_dn = "ou=staff,dc=contoso,dc=example".into();
        assert_eq!(mark_of(&stored, &elsewhere), None);
        assert_eq!(mark_of("garbage", &settings), None);
    }
}
