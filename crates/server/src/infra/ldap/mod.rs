//! The LDAP client (the `ldap3` crate): connects over LDAPS, StartTLS or, to this machine only,
//! plain LDAP; binds; searches page by page. Every call has one deadline covering connect,
//! TLS, bind and search, so a slow or stopped directory fails fast instead of holding a
//! request.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use ldap3::controls::{ControlType, PagedResults};
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, Scope, SearchEntry, StdStream};
use rekey_core::settings::{LdapSettings, LdapUrl};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

mod controls;
mod write;

pub use controls::{Control, POLICY_HINTS_OIDS};
pub use write::{As, WriteAnswer, WriteFailure, WriteOp, Written, NOOP_PASSED};

/// Why the directory could not answer. The words are shown to admins (Test connection); users
/// see `directory_unavailable`.
#[derive(Debug, thiserror::Error)]
pub enum LdapError {
    #[error("cannot reach {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("the TLS connection to {url} failed ({detail}): check that the CA certificate is the one that signed the server's certificate and that the address is one of the names in it")]
    Tls { url: String, detail: String },
    #[error("the directory did not answer within {0} seconds")]
    Timeout(u32),
    #[error("the service account's DN or password was refused")]
    ServiceBindRefused,
    #[error("the base DN {0} does not exist")]
    NoSuchBase(String),
    #[error("the directory refused the request (result {code}): {message}")]
    Refused { code: u32, message: String },
    #[error("the CA certificate cannot be used: {0}")]
    BadCa(String),
}

/// One entry found, with its attributes (names as the directory spells them).
#[derive(Debug, Clone)]
pub struct Entry {
    pub dn: String,
    attrs: HashMap<String, Vec<String>>,
    bin_attrs: HashMap<String, Vec<Vec<u8>>>,
}

impl Entry {
    fn from_search(e: SearchEntry) -> Entry {
        fn lower<V>(m: HashMap<String, V>) -> HashMap<String, V> {
            m.into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect()
        }
        Entry {
            dn: e.dn,
            attrs: lower(e.attrs),
            bin_attrs: lower(e.bin_attrs),
        }
    }

    /// Moves the values of `attr;range=lo-hi` (AD's answer for a long multi-valued attribute)
    /// into `attr`, and says which attributes have values still to read, from where.
    fn fold_ranges(&mut self) -> Vec<(String, u32)> {
        let ranged: Vec<String> = self
            .attrs
            .keys()
            .filter(|k| k.contains(";range="))
            .cloned()
            .collect();
        let mut more = Vec::new();
        for key in ranged {
            let values = self.attrs.remove(&key).unwrap_or_default();
            let Some((attr, next)) = value_range(&key) else {
                continue;
            };
            self.attrs
                .entry(attr.to_string())
                .or_default()
                .extend(values);
            more.extend(next.map(|n| (attr.to_string(), n)));
        }
        more
    }

    /// Every text value of an attribute (attribute names ignore case, as in LDAP).
    pub fn values(&self, name: &str) -> &[String] {
        self.attrs
            .get(&name.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn first(&self, name: &str) -> Option<&str> {
        self.values(name).first().map(String::as_str)
    }

    /// Every value of an attribute as the server sent its bytes, text or not (AD's
    /// `tokenGroups`, a list of binary SIDs).
    pub fn all_bytes(&self, name: &str) -> Vec<&[u8]> {
        let name = name.to_ascii_lowercase();
        let text = self.attrs.get(&name).into_iter().flatten();
        let binary = self.bin_attrs.get(&name).into_iter().flatten();
        text.map(|t| t.as_bytes())
            .chain(binary.map(Vec::as_slice))
            .collect()
    }

    /// The first value of an attribute as the server sent its bytes, text or not: ldap3 files a
    /// binary value (AD's `objectGUID`) under text when its bytes happen to be valid UTF-8.
    pub fn first_bytes(&self, name: &str) -> Option<&[u8]> {
        let name = name.to_ascii_lowercase();
        match self.attrs.get(&name).and_then(|v| v.first()) {
            Some(text) => Some(text.as_bytes()),
            None => self
                .bin_attrs
                .get(&name)
                .and_then(|v| v.first())
                .map(Vec::as_slice),
        }
    }
}

/// What a bind as a user came back with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindAnswer {
    /// 0 for success, 49 for invalid credentials, ...
    pub code: u32,
    /// The server's diagnostic text (AD puts `data 52e` and the like here).
    pub message: String,
    /// The ppolicy response control's error, when the server sent one (0 expired, 1 locked,
    /// 2 must change after reset, ...).
    pub ppolicy_error: Option<u8>,
}

/// The attribute and, unless `hi` is `*` (the last values), where the next range starts, of
/// an attribute description `attr;range=lo-hi`.
fn value_range(key: &str) -> Option<(&str, Option<u32>)> {
    let (attr, range) = key.split_once(";range=")?;
    let (_, hi) = range.split_once('-')?;
    if hi == "*" {
        return Some((attr, None));
    }
    Some((attr, Some(hi.parse::<u32>().ok()?.checked_add(1)?)))
}

/// Entries asked for per page when listing a directory: AD's default MaxPageSize.
const PAGE_SIZE: i32 = 1000;

#[derive(Clone)]
pub struct LdapClient {
    settings: Arc<LdapSettings>,
    bind_password: Arc<str>,
    tls: Arc<ClientConfig>,
}

impl std::fmt::Debug for LdapClient {
    // Never prints the service account's password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LdapClient")
            .field("urls", &self.settings.urls)
            .finish_non_exhaustive()
    }
}

impl LdapClient {
    pub fn new(settings: LdapSettings, bind_password: &str) -> Result<LdapClient, LdapError> {
        let tls = tls_config(&settings.ca_pem)?;
        Ok(LdapClient {
            settings: Arc::new(settings),
            bind_password: Arc::from(bind_password),
            tls: Arc::new(tls),
        })
    }

    pub fn settings(&self) -> &LdapSettings {
        &self.settings
    }

    fn timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.settings.timeout_seconds))
    }

    /// Runs one whole exchange under the configured deadline.
    async fn deadline<T>(
        &self,
        work: impl Future<Output = Result<T, LdapError>>,
    ) -> Result<T, LdapError> {
        tokio::time::timeout(self.timeout(), work)
            .await
            .unwrap_or(Err(LdapError::Timeout(self.settings.timeout_seconds)))
    }

    /// A connection to the first URL that answers, its TLS verified.
    async fn connect(&self) -> Result<Ldap, LdapError> {
        let mut last = None;
        for url in &self.settings.urls {
            let Some(parsed) = LdapUrl::parse(url) else {
                continue;
            };
            // Our own socket, with Nagle's algorithm off: LDAP's small requests would otherwise
            // wait on delayed acknowledgements, tens of milliseconds a sign-in.
            let stream = match tokio::net::TcpStream::connect((parsed.host.as_str(), parsed.port))
                .await
                .and_then(|s| s.set_nodelay(true).map(|()| s))
                .and_then(|s| s.into_std())
            {
                Ok(stream) => stream,
                Err(e) => {
                    last = Some(LdapError::Unreachable {
                        url: url.clone(),
                        detail: e.to_string(),
                    });
                    continue;
                }
            };
            let conn_settings = LdapConnSettings::new()
                .set_conn_timeout(self.timeout())
                .set_config(self.tls.clone())
                .set_starttls(!parsed.tls && self.settings.starttls)
                .set_std_stream(StdStream::Tcp(stream));
            match LdapConnAsync::with_settings(conn_settings, url).await {
                Ok((conn, ldap)) => {
                    ldap3::drive!(conn);
                    return Ok(ldap);
                }
                Err(e) => last = Some(classify(url, e)),
            }
        }
        Err(last.unwrap_or_else(|| LdapError::Unreachable {
            url: String::new(),
            detail: "no directory address is set".into(),
        }))
    }

    /// A connection bound as the service account.
    async fn service(&self) -> Result<Ldap, LdapError> {
        // A DN with an empty password is an "unauthenticated bind" that many servers accept
        // as anonymous: never send one.
        if self.bind_password.is_empty() {
            return Err(LdapError::ServiceBindRefused);
        }
        let mut ldap = self.connect().await?;
        let result = ldap
            .simple_bind(&self.settings.bind_dn, &self.bind_password)
            .await
            .map_err(|e| classify("", e))?;
        match result.rc {
            0 => Ok(ldap),
            49 | 32 | 34 => Err(LdapError::ServiceBindRefused),
            code => Err(LdapError::Refused {
                code,
                message: result.text,
            }),
        }
    }

    /// Connects, checks TLS and binds as the service account: the first steps of Test
    /// connection.
    pub async fn check_service_bind(&self) -> Result<(), LdapError> {
        self.deadline(async {
            let mut ldap = self.service().await?;
            let _ = ldap.unbind().await;
            Ok(())
        })
        .await
    }

    /// One entry's attributes (a base search), `None` when it does not exist; `dn` empty
    /// reads the root DSE.
    pub async fn read_entry(&self, dn: &str, attrs: &[&str]) -> Result<Option<Entry>, LdapError> {
        self.read_entry_with(dn, attrs, &[]).await
    }

    /// The same, with request controls (AD's security-descriptor flags, say).
    pub async fn read_entry_with(
        &self,
        dn: &str,
        attrs: &[&str],
        controls: &[Control],
    ) -> Result<Option<Entry>, LdapError> {
        let controls = controls::raw(controls);
        self.deadline(async {
            let mut ldap = self.service().await?;
            if !controls.is_empty() {
                ldap.with_controls(controls);
            }
            let found = ldap
                .search(dn, Scope::Base, "(objectClass=*)", attrs.to_vec())
                .await
                .map_err(|e| classify("", e))?;
            let _ = ldap.unbind().await;
            match found.1.rc {
                0 => Ok(found
                    .0
                    .into_iter()
                    .next()
                    .map(|e| Entry::from_search(SearchEntry::construct(e)))),
                32 => Ok(None),
                code => Err(LdapError::Refused {
                    code,
                    message: found.1.text,
                }),
            }
        })
        .await
    }

    /// Entries under `base` matching `filter`, every page of them, all under one deadline
    /// (a look-up that finds a person or nobody).
    pub async fn search(
        &self,
        base: &str,
        filter: &str,
        attrs: &[&str],
    ) -> Result<Vec<Entry>, LdapError> {
        self.deadline(self.search_all(base, filter, attrs)).await
    }

    /// Reads a whole listing one page at a time (the Simple Paged Results control), each
    /// page under the deadline: a sync of a large directory holds one page in memory, not the
    /// directory.
    pub async fn pages(
        &self,
        base: &str,
        filter: &str,
        attrs: &[&str],
    ) -> Result<Pages, LdapError> {
        let ldap = self.deadline(self.service()).await?;
        Ok(Pages {
            ldap,
            base: base.to_string(),
            filter: filter.to_string(),
            attrs: attrs.iter().map(|a| a.to_string()).collect(),
            cookie: Some(Vec::new()),
            timeout: self.timeout(),
            timeout_seconds: self.settings.timeout_seconds,
        })
    }

    /// Binds as `dn` with `password` on a fresh connection and says what came back.
    pub async fn bind_as(&self, dn: &str, password: &str) -> Result<BindAnswer, LdapError> {
        self.deadline(async {
            let mut ldap = self.connect().await?;
            let answer = self.bind_user(&mut ldap, dn, password).await?;
            let _ = ldap.unbind().await;
            Ok(answer)
        })
        .await
    }
}

impl LdapClient {
    /// Every entry of a listing (for the small ones: groups, password policies).
    pub async fn search_all(
        &self,
        base: &str,
        filter: &str,
        attrs: &[&str],
    ) -> Result<Vec<Entry>, LdapError> {
        let mut pages = self.pages(base, filter, attrs).await?;
        let mut entries = Vec::new();
        while let Some(page) = pages.next_page().await? {
            entries.extend(page);
        }
        Ok(entries)
    }
}

/// A listing being read page by page ([`LdapClient::pages`]).
pub struct Pages {
    ldap: Ldap,
    base: String,
    filter: String,
    attrs: Vec<String>,
    /// The server's cookie for the next page; `None` once the last page was read.
    cookie: Option<Vec<u8>>,
    timeout: Duration,
    timeout_seconds: u32,
}

impl Pages {
    /// The next page of entries, or `None` after the last.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Entry>>, LdapError> {
        let Some(cookie) = self.cookie.take() else {
            let _ = self.ldap.unbind().await;
            return Ok(None);
        };
        let control = PagedResults {
            size: PAGE_SIZE,
            cookie,
        };
        let search = self.ldap.with_controls(control).search(
            &self.base,
            Scope::Subtree,
            &self.filter,
            self.attrs.clone(),
        );
        let found = within(self.timeout, self.timeout_seconds, search).await?;
        match found.1.rc {
            0 => {}
            32 => return Err(LdapError::NoSuchBase(self.base.clone())),
            code => {
                return Err(LdapError::Refused {
                    code,
                    message: found.1.text,
                })
            }
        }
        self.cookie = found
            .1
            .ctrls
            .iter()
            .find(|c| matches!(c.0, Some(ControlType::PagedResults)))
            .map(|c| c.1.parse::<PagedResults>().cookie)
            .filter(|next| !next.is_empty());
        let mut entries: Vec<Entry> = found
            .0
            .into_iter()
            .filter(|e| !e.is_ref() && !e.is_intermediate())
            .map(|e| Entry::from_search(SearchEntry::construct(e)))
            .collect();
        for entry in &mut entries {
            self.read_remaining_values(entry).await?;
        }
        Ok(Some(entries))
    }

    /// AD answers at most 1,500 values of an attribute at once (a large group's `member`, as
    /// `member;range=0-1499`): the rest is asked for range by range, on the same connection.
    async fn read_remaining_values(&mut self, entry: &mut Entry) -> Result<(), LdapError> {
        let mut more = entry.fold_ranges();
        while let Some((attr, start)) = more.pop() {
            let wanted = vec![format!("{attr};range={start}-*")];
            let search = self
                .ldap
                .search(&entry.dn, Scope::Base, "(objectClass=*)", wanted);
            let found = within(self.timeout, self.timeout_seconds, search).await?;
            // A refused range would leave a group with part of its members: say so instead.
            if found.1.rc != 0 {
                return Err(LdapError::Refused {
                    code: found.1.rc,
                    message: found.1.text,
                });
            }
            let Some(rest) = found.0.into_iter().next() else {
                break;
            };
            let mut rest = Entry::from_search(SearchEntry::construct(rest));
            // Only forward: a server that answered the same range again would loop forever.
            more.extend(rest.fold_ranges().into_iter().filter(|(_, n)| *n > start));
            let values = rest.attrs.remove(&attr).unwrap_or_default();
            entry.attrs.entry(attr).or_default().extend(values);
        }
        Ok(())
    }
}

/// One exchange on a listing's connection, under the deadline.
async fn within<T>(
    timeout: Duration,
    timeout_seconds: u32,
    work: impl Future<Output = ldap3::result::Result<T>>,
) -> Result<T, LdapError> {
    tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| LdapError::Timeout(timeout_seconds))?
        .map_err(|e| classify("", e))
}

/// The `error` field of a ppolicy response control:
/// `SEQUENCE { warning [0] ... OPTIONAL, error [1] ENUMERATED OPTIONAL }`.
fn ppolicy_error(value: &[u8]) -> Option<u8> {
    use ldap3::asn1::{parse_tag, TagClass};
    let (_, tag) = parse_tag(value).ok()?;
    tag.expect_constructed()?
        .into_iter()
        .find(|t| t.class == TagClass::Context && t.id == 1)?
        .expect_primitive()?
        .last()
        .copied()
}

fn tls_config(ca_pem: &str) -> Result<ClientConfig, LdapError> {
    let mut roots = RootCertStore::empty();
    if ca_pem.trim().is_empty() {
        for cert in rustls_native_certs::load_native_certs().certs {
            let _ = roots.add(cert);
        }
    } else {
        for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
            let cert = cert.map_err(|e| LdapError::BadCa(e.to_string()))?;
            roots
                .add(cert)
                .map_err(|e| LdapError::BadCa(e.to_string()))?;
        }
        if roots.is_empty() {
            return Err(LdapError::BadCa("no certificate in it".into()));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| LdapError::BadCa(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

fn classify(url: &str, e: ldap3::LdapError) -> LdapError {
    use ldap3::LdapError as E;
    match e {
        E::Rustls { source } => LdapError::Tls {
            url: url.to_string(),
            detail: source.to_string(),
        },
        E::Io { source } if source.get_ref().is_some_and(|i| i.is::<rustls::Error>()) => {
            LdapError::Tls {
                url: url.to_string(),
                detail: source.to_string(),
            }
        }
        E::LdapResult { result } => LdapError::Refused {
            code: result.rc,
            message: result.text,
        },
        other => LdapError::Unreachable {
            url: url.to_string(),
            detail: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_where_the_next_range_of_values_starts() {
        assert_eq!(
            value_range("member;range=0-1499"),
            Some(("member", Some(1500)))
        );
        assert_eq!(value_range("member;range=1500-*"), Some(("member", None)));
        assert_eq!(value_range("member;range=0-x"), None);
        assert_eq!(value_range("member"), None);
    }

    #[test]
    fn reads_the_ppolicy_error() {
        // SEQUENCE { error [1] 2 (changeAfterReset) }
        assert_eq!(ppolicy_error(&[0x30, 0x03, 0x81, 0x01, 0x02]), Some(2));
        // SEQUENCE { warning [0] { graceAuthNsRemaining 3 }, error [1] 0 }
        assert_eq!(
            ppolicy_error(&[0x30, 0x08, 0xa0, 0x03, 0x81, 0x01, 0x03, 0x81, 0x01, 0x00]),
            Some(0)
        );
        assert_eq!(ppolicy_error(&[0x30, 0x00]), None);
        assert_eq!(ppolicy_error(&[]), None);
    }

    #[test]
    fn a_bad_ca_is_named() {
        let pem = "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n";
        assert!(matches!(tls_config(pem), Err(LdapError::BadCa(_))));
    }
}
