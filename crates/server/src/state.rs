//! What every request handler can reach. Nothing here is per-instance data another instance
//! would need: sessions, counters and settings all live in the database.

use std::sync::Arc;

use crate::config::Config;
use crate::infra::db::Db;
use crate::infra::mail::Mailer;
use crate::infra::metrics::Metrics;
use crate::infra::passwords::Hasher;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub hasher: Hasher,
    pub config: Arc<Config>,
    pub metrics: Arc<Metrics>,
    pub mailer: Arc<Mailer>,
    pub sms: Arc<crate::infra::sms::SmsSender>,
    /// Seals authenticator secrets and keys code hashes.
    pub keys: Arc<crate::infra::keys::ServerKeys>,
    /// The WebAuthn relying party (the public URL's host).
    pub passkeys: Arc<crate::infra::passkeys::Passkeys>,
    /// The SPA bundles' pages with this deployment's base path and API URL filled in, and
    /// their security policy; `None` when the SPA has not been built.
    pub spa_pages: Option<Arc<crate::infra::spa_pages::PreparedPages>>,
    /// Where users live: Rekey's own store or the organisation's LDAP directory.
    pub directories: Arc<crate::domain::directory::Directories>,
    /// This instance's name, as the holder of shared leases (the directory sync).
    pub instance_id: Arc<str>,
}
