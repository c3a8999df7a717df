//! Password hashing with argon2id on a bounded pool of blocking threads, so a flood of
//! sign-ins queues up instead of starving the rest of the API.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("the hashing pool is shut down")]
    Closed,
}

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    /// Verified against when the user is unknown, so both cases cost the same time.
    dummy_hash: Arc<str>,
}

impl Hasher {
    pub fn new(concurrency: usize) -> Result<Hasher, HashError> {
        let dummy_hash = hash_now(&crate::infra::secrets::random_token())?;
        Ok(Hasher {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: dummy_hash.into(),
        })
    }

    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let password = password.to_string();
        self.run(move || hash_now(&password)).await?
    }

    /// Checks a password against a stored hash; with no hash, checks against a dummy so the
    /// time taken does not reveal whether the account exists.
    pub async fn verify(&self, stored: Option<&str>, password: &str) -> Result<bool, HashError> {
        let found = stored.is_some();
        let stored = stored.unwrap_or(&self.dummy_hash).to_string();
        let password = password.to_string();
        let matches = self.run(move || verify_now(&stored, &password)).await?;
        Ok(found && matches)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| HashError::Closed)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| HashError::Hash(e.to_string()))
    }
}

/// argon2id with the crate's defaults (19 MiB, 2 passes: the OWASP recommendation).
pub fn hash_now(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Hash(e.to_string()))
}

fn verify_now(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let hasher = Hasher::new(1).unwrap();
        let hash = hasher.hash("correct horse").await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(hasher.verify(Some(&hash), "correct horse").await.unwrap());
        assert!(!hasher.verify(Some(&hash), "Correct horse").await.unwrap());
        assert!(!hasher.verify(None, "correct horse").await.unwrap());
        assert!(!hasher.verify(Some("not a hash"), "x").await.unwrap());
    }
}
