//! Test connection's dry check of what password writeback needs from the service account, on
//! one of the people, without changing anything:
//! - OpenLDAP: each write is sent with the No-Op control, so slapd checks it, access included,
//!   and discards it.
//! - AD: `allowedAttributesEffective` lists the attributes the account may write (`lockoutTime`,
//!   `pwdLastSet`); the Reset Password right is a control access right, read from the entry's
//!   access list (its DACL) against the account's own SID and groups.

use rekey_core::dto::WritebackRight;
use rekey_core::settings::DirectoryKind;

use super::LdapDirectory;
use crate::infra::ldap::{Control, LdapError, WriteOp};

/// AD's Reset Password extended right (`User-Force-Change-Password`), as stored: the first
/// three fields of the GUID little-endian.
const RESET_PASSWORD: [u8; 16] = [
    0x70, 0x95, 0x29, 0x00, 0x6d, 0x24, 0xd0, 0x11, 0xa7, 0x68, 0x00, 0xaa, 0x00, 0x6e, 0x05, 0x29,
];
/// Everyone (S-1-1-0) and Authenticated Users (S-1-5-11), which every bound account holds.
const EVERYONE: [u8; 12] = [1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0];
const AUTHENTICATED_USERS: [u8; 12] = [1, 1, 0, 0, 0, 0, 0, 5, 11, 0, 0, 0];
/// Access mask bits that grant a control access right.
const CONTROL_ACCESS: u32 = 0x100;
const GENERIC_ALL: u32 = 0x1000_0000;

/// What the service account may not do to `person`; `None` when the directory cannot tell.
pub async fn missing(
    ldap: &LdapDirectory,
    person: &str,
) -> Result<Option<Vec<WritebackRight>>, LdapError> {
    match ldap.client().settings().kind {
        DirectoryKind::Openldap => openldap(ldap, person).await,
        DirectoryKind::Ad => ad(ldap, person).await,
    }
}

async fn openldap(
    ldap: &LdapDirectory,
    person: &str,
) -> Result<Option<Vec<WritebackRight>>, LdapError> {
    // A value ppolicy's quality check accepts, never written.
    let probe = format!("Rekey-probe-{}", crate::infra::secrets::random_token());
    let checks = [
        (
            WritebackRight::ResetPassword,
            WriteOp::replace("userPassword", &[probe.as_bytes()]),
        ),
        (
            WritebackRight::Unlock,
            WriteOp::replace("pwdAccountLockedTime", &[]),
        ),
        (
            WritebackRight::RequireChange,
            WriteOp::replace("pwdReset", &[b"TRUE"]),
        ),
    ];
    let mut missing = Vec::new();
    for (right, change) in checks {
        match ldap.client().may_modify(person, vec![change]).await? {
            Some(true) => {}
            Some(false) => missing.push(right),
            None => return Ok(None),
        }
    }
    Ok(Some(missing))
}

async fn ad(ldap: &LdapDirectory, person: &str) -> Result<Option<Vec<WritebackRight>>, LdapError> {
    let client = ldap.client();
    let attrs = ["allowedAttributesEffective", "nTSecurityDescriptor"];
    let Some(entry) = client
        .read_entry_with(person, &attrs, &[Control::DaclOnly])
        .await?
    else {
        return Ok(None);
    };
    let account = client
        .read_entry(&client.settings().bind_dn, &["objectSid", "tokenGroups"])
        .await?;
    let (Some(descriptor), Some(account)) = (entry.first_bytes("nTSecurityDescriptor"), account)
    else {
        return Ok(None);
    };
    let mut token: Vec<&[u8]> = account.all_bytes("objectSid");
    token.extend(account.all_bytes("tokenGroups"));
    token.extend([&EVERYONE[..], &AUTHENTICATED_USERS[..]]);
    let Some(may_reset) = grants_reset_password(descriptor, &token) else {
        return Ok(None);
    };
    let writable = entry.values("allowedAttributesEffective");
    let may_write = |attr: &str| writable.iter().any(|a| a.eq_ignore_ascii_case(attr));
    let mut missing = Vec::new();
    if !may_reset {
        missing.push(WritebackRight::ResetPassword);
    }
    if !may_write("lockoutTime") {
        missing.push(WritebackRight::Unlock);
    }
    if !may_write("pwdLastSet") {
        missing.push(WritebackRight::RequireChange);
    }
    Ok(Some(missing))
}

/// Whether a self-relative security descriptor's DACL gives one of `token`'s SIDs the Reset
/// Password right: its entries are read in order, and the first that speaks of the right for
/// one of them decides, as Windows decides. `None` for a descriptor that cannot be read.
fn grants_reset_password(descriptor: &[u8], token: &[&[u8]]) -> Option<bool> {
    let u16_at = |at: usize| {
        Some(u16::from_le_bytes(
            descriptor.get(at..at + 2)?.try_into().ok()?,
        ))
    };
    let u32_at = |at: usize| {
        Some(u32::from_le_bytes(
            descriptor.get(at..at + 4)?.try_into().ok()?,
        ))
    };
    let dacl = usize::try_from(u32_at(16)?).ok()?;
    if dacl == 0 {
        // No DACL at all grants everything.
        return Some(true);
    }
    let count = u16_at(dacl + 4)?;
    let mut at = dacl + 8;
    for _ in 0..count {
        let (kind, flags, size) = (
            *descriptor.get(at)?,
            *descriptor.get(at + 1)?,
            u16_at(at + 2)?,
        );
        let next = at + usize::from(size);
        let inherit_only = flags & 0x08 != 0;
        let mask = u32_at(at + 4)?;
        let (allow, sid_at, applies) = match kind {
            // ACCESS_ALLOWED / ACCESS_DENIED: every right the mask names.
            0x00 | 0x01 => (kind == 0x00, at + 8, true),
            // The object kinds: only for the named right, when one is named.
            0x05 | 0x06 => {
                let object_flags = u32_at(at + 8)?;
                let mut sid_at = at + 12;
                let mut applies = true;
                if object_flags & 1 != 0 {
                    applies = descriptor.get(sid_at..sid_at + 16)? == RESET_PASSWORD;
                    sid_at += 16;
                }
                if object_flags & 2 != 0 {
                    sid_at += 16;
                }
                (kind == 0x05, sid_at, applies)
            }
            _ => (false, next, false),
        };
        let sid = descriptor.get(sid_at..next)?;
        let speaks = applies && !inherit_only && mask & (CONTROL_ACCESS | GENERIC_ALL) != 0;
        if speaks
            && token
                .iter()
                .any(|t| sid.starts_with(t) && sid_len(sid) == t.len())
        {
            return Some(allow);
        }
        at = next;
    }
    Some(false)
}

/// The length of a binary SID (8 bytes and 4 per sub-authority); ACEs may pad after it.
fn sid_len(sid: &[u8]) -> usize {
    8 + 4 * usize::from(sid.get(1).copied().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: [u8; 16] = [1, 2, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0x4e, 4, 0, 0];
    const OTHER: [u8; 16] = [1, 2, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0x4f, 4, 0, 0];

    /// An object ACE for Reset Password (allowed or denied) to `sid`.
    fn object_ace(allow: bool, sid: &[u8], right: [u8; 16]) -> Vec<u8> {
        let size = 4 + 4 + 4 + 16 + sid.len();
        let mut ace = vec![if allow { 0x05 } else { 0x06 }, 0, size as u8, 0];
        ace.extend(CONTROL_ACCESS.to_le_bytes());
        ace.extend(1u32.to_le_bytes());
        ace.extend(right);
        ace.extend(sid);
        ace
    }

    fn descriptor(aces: &[Vec<u8>]) -> Vec<u8> {
        let mut sd = vec![1, 0, 0x04, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        sd.extend(20u32.to_le_bytes());
        let size: usize = 8 + aces.iter().map(Vec::len).sum::<usize>();
        sd.extend([2, 0]);
        sd.extend((size as u16).to_le_bytes());
        sd.extend((aces.len() as u16).to_le_bytes());
        sd.extend([0, 0]);
        for ace in aces {
            sd.extend(ace);
        }
        sd
    }

    #[test]
    fn the_first_entry_about_the_right_decides() {
        let token: [&[u8]; 1] = [&SERVICE];
        let allowed = descriptor(&[object_ace(true, &SERVICE, RESET_PASSWORD)]);
        assert_eq!(grants_reset_password(&allowed, &token), Some(true));
        let denied_first = descriptor(&[
            object_ace(false, &SERVICE, RESET_PASSWORD),
            object_ace(true, &SERVICE, RESET_PASSWORD),
        ]);
        assert_eq!(grants_reset_password(&denied_first, &token), Some(false));
        let someone_else = descriptor(&[object_ace(true, &OTHER, RESET_PASSWORD)]);
        assert_eq!(grants_reset_password(&someone_else, &token), Some(false));
        let other_right = descriptor(&[object_ace(true, &SERVICE, [0; 16])]);
        assert_eq!(grants_reset_password(&other_right, &token), Some(false));
        assert_eq!(grants_reset_password(&[1, 2, 3], &token), None);
    }
}
