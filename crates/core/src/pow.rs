//! The reset flow's anti-automation puzzle: find a nonce such that SHA-256 of
//! `"{prefix}:{nonce}"` starts with `difficulty` zero bits. Costs a phone a second or two once,
//! costs a bot that much per attempt; needs no third party and no image.

use sha2::{Digest, Sha256};

/// Leading zero bits of a hash.
fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in hash {
        if *byte == 0 {
            bits += 8;
        } else {
            return bits + byte.leading_zeros();
        }
    }
    bits
}

pub fn is_solution(prefix: &str, nonce: &str, difficulty: u8) -> bool {
    let hash = Sha256::digest(format!("{prefix}:{nonce}").as_bytes());
    leading_zero_bits(&hash) >= u32::from(difficulty)
}

/// Tries nonces `from..from + count`; the first solution, if any. The page calls it in slices
/// so it can show progress and stay responsive.
pub fn search(prefix: &str, difficulty: u8, from: u64, count: u64) -> Option<u64> {
    let mut hasher = Sha256::new();
    hasher.update(prefix.as_bytes());
    hasher.update(b":");
    (from..from.saturating_add(count)).find(|nonce| {
        let mut attempt = hasher.clone();
        attempt.update(nonce.to_string().as_bytes());
        leading_zero_bits(&attempt.finalize()) >= u32::from(difficulty)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_found_nonce_is_a_solution_and_others_are_not() {
        let nonce = search("abc", 12, 0, 1_000_000).expect("12 bits within a million tries");
        assert!(is_solution("abc", &nonce.to_string(), 12));
        // `search` returns the first solution: every nonce before it fails the check.
        assert!((0..nonce).all(|n| !is_solution("abc", &n.to_string(), 12)));
        assert!(is_solution("anything", "0", 0));
    }

    #[test]
    fn zero_bits_are_counted_across_bytes() {
        assert_eq!(leading_zero_bits(&[0, 0x0f, 0xff]), 12);
        assert_eq!(leading_zero_bits(&[0x80]), 0);
        assert_eq!(leading_zero_bits(&[0, 0]), 16);
    }
}
