//! The server key and what is derived from it: sealing (authenticated encryption) of
//! authenticator secrets at rest, and the keyed hash of one-time codes, so a copy of the
//! database alone reveals neither.

use std::path::Path;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::config::Config;

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("REKEY_SECRET_KEY must be 32 bytes in base64")]
    BadKey,
    #[error("cannot read or create the key file {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("a sealed value could not be opened (wrong key or damaged data)")]
    Unseal,
}

pub struct ServerKeys {
    seal: XChaCha20Poly1305,
    code_mac: [u8; 32],
}

impl ServerKeys {
    pub fn from_config(config: &Config) -> Result<ServerKeys, KeyError> {
        let master = if config.secret_key.trim().is_empty() {
            key_file(&config.data_dir.join("secret.key"))?
        } else {
            decode(config.secret_key.trim())?
        };
        Ok(ServerKeys::from_master(&master))
    }

    fn from_master(master: &[u8; 32]) -> ServerKeys {
        ServerKeys {
            seal: XChaCha20Poly1305::new(&derive(master, b"rekey seal v1").into()),
            code_mac: derive(master, b"rekey code v1"),
        }
    }

    /// Encrypts `plain`, bound to `context` (e.g. the user id) so a sealed value copied to
    /// another row does not open.
    pub fn seal(&self, plain: &[u8], context: &str) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: plain,
            aad: context.as_bytes(),
        };
        // Encryption only fails for messages far beyond any secret we store.
        let sealed = self.seal.encrypt(&nonce, payload).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(sealed);
        URL_SAFE_NO_PAD.encode(out)
    }

    pub fn unseal(&self, sealed: &str, context: &str) -> Result<Vec<u8>, KeyError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(sealed)
            .map_err(|_| KeyError::Unseal)?;
        if bytes.len() < 24 {
            return Err(KeyError::Unseal);
        }
        let (nonce, body) = bytes.split_at(24);
        let payload = Payload {
            msg: body,
            aad: context.as_bytes(),
        };
        self.seal
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| KeyError::Unseal)
    }

    /// The stored form of a one-time code: keyed, so 10^8 codes cannot be tried offline.
    pub fn code_hash(&self, code_id: &str, code: &str) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.code_mac)
            .expect("HMAC accepts any key length");
        mac.update(code_id.as_bytes());
        mac.update(b":");
        mac.update(code.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(master).expect("HMAC accepts any key length");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

fn decode(text: &str) -> Result<[u8; 32], KeyError> {
    let bytes = STANDARD
        .decode(text)
        .or_else(|_| URL_SAFE_NO_PAD.decode(text))
        .map_err(|_| KeyError::BadKey)?;
    bytes.try_into().map_err(|_| KeyError::BadKey)
}

/// Reads the key file, creating it (readable by the owner only) on first start.
fn key_file(path: &Path) -> Result<[u8; 32], KeyError> {
    let file_error = |source| KeyError::File {
        path: path.display().to_string(),
        source,
    };
    if let Ok(text) = std::fs::read_to_string(path) {
        return decode(text.trim());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(file_error)?;
    }
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(file_error)?;
    std::io::Write::write_all(&mut file, STANDARD.encode(key).as_bytes()).map_err(file_error)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_same_key_and_context() {
        let keys = ServerKeys::from_master(&[7; 32]);
        let sealed = keys.seal(b"JBSWY3DPEHPK3PXP", "user-1");
        assert!(!sealed.contains("JBSWY3DP"));
        assert_eq!(keys.unseal(&sealed, "user-1").unwrap(), b"JBSWY3DPEHPK3PXP");
        assert!(keys.unseal(&sealed, "user-2").is_err());
        let other = ServerKeys::from_master(&[8; 32]);
        assert!(other.unseal(&sealed, "user-1").is_err());
        assert_ne!(
            keys.seal(b"x", "c"),
            keys.seal(b"x", "c"),
            "fresh nonce each time"
        );
    }

    #[test]
    fn code_hashes_depend_on_key_id_and_code() {
        let keys = ServerKeys::from_master(&[7; 32]);
        let h = keys.code_hash("id", "12345678");
        assert_eq!(h, keys.code_hash("id", "12345678"));
        assert_ne!(h, keys.code_hash("id2", "12345678"));
        assert_ne!(h, keys.code_hash("id", "12345679"));
        assert_ne!(
            h,
            ServerKeys::from_master(&[8; 32]).code_hash("id", "12345678")
        );
    }

    #[test]
    fn the_key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        let first = key_file(&path).unwrap();
        assert_eq!(key_file(&path).unwrap(), first);
        assert!(decode("too short").is_err());
    }
}
