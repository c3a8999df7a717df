//! Authenticator apps (RFC 6238 TOTP: SHA-1, 6 digits, 30-second steps, as every app
//! supports): new secrets, their `otpauth://` URI, and checking a code within one step either
//! way of now.

use rand::rngs::OsRng;
use rand::RngCore;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::infra::secrets::constant_time_eq;

const STEP_SECONDS: u64 = 30;
const DIGITS: usize = 6;

/// 160 random bits, the size RFC 4226 recommends.
pub fn new_secret() -> Vec<u8> {
    let mut bytes = vec![0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// The secret as apps take it typed in (base32, no padding).
pub fn encoded(secret: &[u8]) -> String {
    Secret::Raw(secret.to_vec()).to_encoded().to_string()
}

fn totp(secret: &[u8], issuer: &str, account: &str) -> Option<TOTP> {
    // The otpauth label uses ':' as its separator, so it may not appear in either part.
    TOTP::new(
        Algorithm::SHA1,
        DIGITS,
        1,
        STEP_SECONDS,
        secret.to_vec(),
        Some(issuer.replace(':', " ")),
        account.replace(':', " "),
    )
    .ok()
}

/// The `otpauth://totp/...` URI an app scans from the QR code.
pub fn uri(secret: &[u8], issuer: &str, account: &str) -> String {
    totp(secret, issuer, account)
        .map(|t| t.get_url())
        .unwrap_or_default()
}

/// The time step `code` is valid for, checking the previous, current and next step; `None`
/// when it matches none. Callers refuse a step at or before the last one accepted.
pub fn matching_step(secret: &[u8], code: &str, now: i64) -> Option<i64> {
    let totp = totp(secret, "x", "x")?;
    let now = u64::try_from(now).ok()?;
    let step = (now / STEP_SECONDS) as i64;
    [step - 1, step, step + 1].into_iter().find(|s| {
        let at = (*s as u64) * STEP_SECONDS;
        constant_time_eq(&totp.generate(at), code)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B, SHA-1: the 20-byte ASCII secret "12345678901234567890".
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_the_rfc_vectors() {
        // At T=59 the 8-digit code is 94287082, so the 6-digit one is 287082.
        assert_eq!(matching_step(RFC_SECRET, "287082", 59), Some(1));
        // At T=1111111109 the 8-digit code is 07081804.
        assert_eq!(
            matching_step(RFC_SECRET, "081804", 1_111_111_109),
            Some(1_111_111_109 / 30)
        );
    }

    #[test]
    fn one_step_either_way_is_accepted_and_no_further() {
        let at = 1_111_111_109;
        assert!(matching_step(RFC_SECRET, "081804", at + 30).is_some());
        assert!(matching_step(RFC_SECRET, "081804", at - 30).is_some());
        assert!(matching_step(RFC_SECRET, "081804", at + 60).is_none());
        assert!(matching_step(RFC_SECRET, "000000", at).is_none());
    }

    #[test]
    fn secrets_are_random_and_encoded_for_apps() {
        let a = new_secret();
        assert_ne!(a, new_secret());
        assert_eq!(encoded(RFC_SECRET), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        let uri = uri(&a, "Contoso: IT", "adele@contoso.example");
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        assert!(uri.contains(&format!("secret={}", encoded(&a))));
        assert!(uri.contains("issuer=Contoso"));
    }
}
