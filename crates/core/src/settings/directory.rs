//! Where users live: Rekey's own directory, or the organisation's LDAP directory (Active
//! Directory / Samba AD, or OpenLDAP). The connection's rules live here so the settings page
//! checks as you type what the server enforces.

use serde::{Deserialize, Serialize};

use super::SettingsSection;
use crate::audit::AuditAction;
use crate::validation::{FieldError, Rule};

/// Org settings › Directory: where users come from. Saved only after the connection passes
/// Test connection's checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DirectorySettings {
    /// Rekey's own directory, or the organisation's LDAP directory.
    pub source: DirectorySource,
    /// The LDAP connection (kept while Rekey's own directory is chosen, so switching back
    /// does not lose it).
    pub ldap: LdapSettings,
    /// Write-only: the service account's password. Never returned; saving it empty keeps the
    /// stored one.
    #[serde(default)]
    pub bind_password: String,
    /// Read-only: a password is stored.
    #[serde(default)]
    pub bind_password_set: bool,
    /// Read-only: given by flags or REKEY_DIRECTORY_* variables, so not changed here.
    #[serde(default)]
    pub from_environment: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DirectorySource {
    #[default]
    Own,
    Ldap,
}

impl Default for DirectorySettings {
    fn default() -> Self {
        DirectorySettings {
            source: DirectorySource::Own,
            ldap: LdapSettings::defaults(DirectoryKind::Ad),
            bind_password: String::new(),
            bind_password_set: false,
            from_environment: false,
        }
    }
}

impl SettingsSection for DirectorySettings {
    const KEY: &'static str = "directory";
    const PATH: &'static str = "/settings/directory";
    const AUDIT: AuditAction = AuditAction::DirectoryChanged;

    fn validate(&self) -> Vec<FieldError> {
        if self.source == DirectorySource::Own {
            return Vec::new();
        }
        let mut errors: Vec<FieldError> = self
            .ldap
            .validate()
            .into_iter()
            .map(|e| FieldError::new(&format!("ldap.{}", e.field), e.rule))
            .collect();
        if self.bind_password.is_empty() && !self.bind_password_set {
            errors.push(FieldError::new("bind_password", Rule::Required));
        }
        if self.bind_password.chars().count() > DIRECTORY_TEXT_MAX {
            errors.push(FieldError::new("bind_password", Rule::TooLong));
        }
        errors
    }

    fn normalize(&mut self) {
        self.ldap.normalize();
    }

    fn locked(&self) -> bool {
        self.from_environment
    }
}

/// Which kind of LDAP server: each has its own attribute names and password rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DirectoryKind {
    /// Active Directory or Samba AD.
    Ad,
    /// OpenLDAP (or another generic LDAP server) with the ppolicy overlay.
    Openldap,
}

impl DirectoryKind {
    pub fn parse(s: &str) -> Option<DirectoryKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ad" | "active_directory" | "samba" => Some(DirectoryKind::Ad),
            "openldap" | "ldap" => Some(DirectoryKind::Openldap),
            _ => None,
        }
    }

    /// The attribute names a directory of this kind uses, unless the admin maps others.
    pub fn default_attributes(self) -> AttributeMap {
        match self {
            DirectoryKind::Ad => AttributeMap {
                sign_in_name: "userPrincipalName".into(),
                display_name: "displayName".into(),
                email: "mail".into(),
                mobile: "mobile".into(),
                stable_id: "objectGUID".into(),
            },
            DirectoryKind::Openldap => AttributeMap {
                sign_in_name: "uid".into(),
                display_name: "displayName".into(),
                email: "mail".into(),
                mobile: "mobile".into(),
                stable_id: "entryUUID".into(),
            },
        }
    }

    /// Which entries are people, unless the admin gives another filter.
    pub fn default_user_filter(self) -> &'static str {
        match self {
            DirectoryKind::Ad => "(&(objectCategory=person)(objectClass=user))",
            DirectoryKind::Openldap => "(objectClass=inetOrgPerson)",
        }
    }

    /// Which entries are groups, unless the admin gives another filter.
    pub fn default_group_filter(self) -> &'static str {
        match self {
            DirectoryKind::Ad => "(objectClass=group)",
            DirectoryKind::Openldap => {
                "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))"
            }
        }
    }
}

/// Which directory attribute holds each thing Rekey needs of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttributeMap {
    pub sign_in_name: String,
    pub display_name: String,
    pub email: String,
    pub mobile: String,
    /// Never changes for an entry, even when it is renamed or moved.
    pub stable_id: String,
}

/// A connection to the organisation's LDAP directory. The service account's password is not
/// part of it: it is given separately and never read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LdapSettings {
    pub kind: DirectoryKind,
    /// `ldaps://host[:port]` or `ldap://host[:port]`; several, tried in order.
    pub urls: Vec<String>,
    /// With `ldap://`: upgrade with StartTLS. Off is only allowed to a loopback address.
    pub starttls: bool,
    /// The CA certificate(s), PEM; empty: the system's trust store.
    #[serde(default)]
    pub ca_pem: String,
    /// The service account Rekey binds as to search (never the root DN).
    pub bind_dn: String,
    pub users_base_dn: String,
    pub users_filter: String,
    pub groups_base_dn: String,
    pub groups_filter: String,
    pub attributes: AttributeMap,
    /// How long one directory operation may take before it fails with `directory_unavailable`.
    pub timeout_seconds: u32,
}

pub const DIRECTORY_URLS_MAX: usize = 5;
pub const DIRECTORY_TEXT_MAX: usize = 1024;
pub const DIRECTORY_TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 1..=60;

/// How one directory URL is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LdapUrl {
    /// TLS from the first byte (`ldaps://`).
    pub tls: bool,
    pub host: String,
    pub port: u16,
}

impl LdapUrl {
    pub fn parse(url: &str) -> Option<LdapUrl> {
        let url = url.trim();
        let (tls, rest) = if let Some(rest) = strip_prefix_ci(url, "ldaps://") {
            (true, rest)
        } else {
            (false, strip_prefix_ci(url, "ldap://")?)
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => {
                if h.contains(':') && !h.starts_with('[') {
                    // An IPv6 address without brackets: no port can be told apart.
                    return None;
                }
                (h, p.parse().ok()?)
            }
            _ => (rest, if tls { 636 } else { 389 }),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let valid = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
        (valid && port != 0).then(|| LdapUrl {
            tls,
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// The address written the one way Rekey stores it: lower case, no trailing slash, the
    /// port only when it is not the scheme's own.
    pub fn canonical(&self) -> String {
        let scheme = if self.tls { "ldaps" } else { "ldap" };
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let default_port = if self.tls { 636 } else { 389 };
        if self.port == default_port {
            format!("{scheme}://{host}")
        } else {
            format!("{scheme}://{host}:{}", self.port)
        }
    }

    /// 127.0.0.0/8, ::1 or localhost: the only places plain LDAP may go.
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self.host == "::1"
            || self
                .host
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| ip.is_loopback())
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

impl LdapSettings {
    /// A connection of this kind with every default filled in but where the server is.
    pub fn defaults(kind: DirectoryKind) -> LdapSettings {
        LdapSettings {
            kind,
            urls: Vec::new(),
            starttls: true,
            ca_pem: String::new(),
            bind_dn: String::new(),
            users_base_dn: String::new(),
            users_filter: kind.default_user_filter().into(),
            groups_base_dn: String::new(),
            groups_filter: kind.default_group_filter().into(),
            attributes: kind.default_attributes(),
            timeout_seconds: 5,
        }
    }

    /// Trims what was typed, and gives the groups the users' base when left empty.
    pub fn normalize(&mut self) {
        // What is obviously the same address is written one way; the rest stays as typed, for
        // the rules to name.
        self.urls = self
            .urls
            .iter()
            .map(|u| u.trim())
            .filter(|u| !u.is_empty())
            .map(|u| LdapUrl::parse(u).map_or_else(|| u.to_string(), |p| p.canonical()))
            .collect();
        for text in [
            &mut self.bind_dn,
            &mut self.users_base_dn,
            &mut self.users_filter,
            &mut self.groups_base_dn,
            &mut self.groups_filter,
            &mut self.attributes.sign_in_name,
            &mut self.attributes.display_name,
            &mut self.attributes.email,
            &mut self.attributes.mobile,
            &mut self.attributes.stable_id,
        ] {
            *text = text.trim().to_string();
        }
        self.ca_pem = self.ca_pem.trim().to_string();
        if self.groups_base_dn.is_empty() {
            self.groups_base_dn = self.users_base_dn.clone();
        }
    }

    /// Every broken rule, by field (`urls.1` names the second URL).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.urls.is_empty() {
            errors.push(FieldError::new("urls", Rule::Required));
        }
        if self.urls.len() > DIRECTORY_URLS_MAX {
            errors.push(FieldError::new("urls", Rule::TooMany));
        }
        for (i, url) in self.urls.iter().enumerate() {
            let field = format!("urls.{i}");
            match LdapUrl::parse(url) {
                None => errors.push(FieldError::new(&field, Rule::NotLdapUrl)),
                Some(u) if !u.tls && !self.starttls && !u.is_loopback() => {
                    errors.push(FieldError::new(&field, Rule::PlainLdapNotLoopback))
                }
                Some(_) => {}
            }
        }
        let required = [
            ("bind_dn", &self.bind_dn),
            ("users_base_dn", &self.users_base_dn),
            ("users_filter", &self.users_filter),
            ("groups_base_dn", &self.groups_base_dn),
            ("groups_filter", &self.groups_filter),
            ("attributes.sign_in_name", &self.attributes.sign_in_name),
            ("attributes.display_name", &self.attributes.display_name),
            ("attributes.stable_id", &self.attributes.stable_id),
        ];
        for (field, value) in required {
            if value.is_empty() {
                errors.push(FieldError::new(field, Rule::Required));
            } else if value.chars().count() > DIRECTORY_TEXT_MAX {
                errors.push(FieldError::new(field, Rule::TooLong));
            }
        }
        for (field, filter) in [
            ("users_filter", &self.users_filter),
            ("groups_filter", &self.groups_filter),
        ] {
            if !filter.is_empty() && !balanced_filter(filter) {
                errors.push(FieldError::new(field, Rule::NotLdapFilter));
            }
        }
        let attributes = [
            ("attributes.sign_in_name", &self.attributes.sign_in_name),
            ("attributes.display_name", &self.attributes.display_name),
            ("attributes.email", &self.attributes.email),
            ("attributes.mobile", &self.attributes.mobile),
            ("attributes.stable_id", &self.attributes.stable_id),
        ];
        for (field, name) in attributes {
            let ok = name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ';');
            if !ok || name.len() > 64 {
                errors.push(FieldError::new(field, Rule::InvalidCharacters));
            }
        }
        if !self.ca_pem.is_empty() && !self.ca_pem.contains("-----BEGIN CERTIFICATE-----") {
            errors.push(FieldError::new("ca_pem", Rule::NotPemCertificate));
        }
        if !DIRECTORY_TIMEOUT_RANGE.contains(&self.timeout_seconds) {
            errors.push(FieldError::new("timeout_seconds", Rule::OutOfRange));
        }
        errors
    }
}

/// An LDAP filter in parentheses whose parentheses balance (a value's own parentheses are
/// written `\28` and `\29`): catches what a typo breaks; Test connection shows the server's
/// verdict on the rest.
fn balanced_filter(filter: &str) -> bool {
    let mut depth = 0i32;
    for c in filter.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0 && filter.starts_with('(') && filter.ends_with(')')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openldap() -> LdapSettings {
        let mut s = LdapSettings::defaults(DirectoryKind::Openldap);
        s.urls = vec!["ldaps://ldap.contoso.example".into()];
        s.bind_dn = "cn=rekey,ou=services,dc=contoso,dc=example".into();
        s.users_base_dn = "ou=people,dc=contoso,dc=example".into();
        s.normalize();
        s
    }

    #[test]
    fn defaults_with_a_server_are_valid() {
        assert_eq!(openldap().validate(), vec![]);
        assert_eq!(openldap().groups_base_dn, "ou=people,dc=contoso,dc=example");
    }

    #[test]
    fn urls_parse_with_default_ports() {
        let u = LdapUrl::parse("LDAPS://DC1.Contoso.Example/").unwrap();
        assert_eq!(
            (u.tls, u.host.as_str(), u.port),
            (true, "dc1.contoso.example", 636)
        );
        let u = LdapUrl::parse("ldap://127.0.0.1:3890").unwrap();
        assert_eq!((u.tls, u.port), (false, 3890));
        assert!(u.is_loopback());
        let u = LdapUrl::parse("ldap://[::1]:389").unwrap();
        assert!(u.is_loopback());
        assert_eq!(u.canonical(), "ldap://[::1]");
        for bad in [
            "http://x",
            "ldap://",
            "ldaps://a b",
            "ldap://h:0",
            "ldap://h:99999",
            "ldap://::1:389",
        ] {
            assert_eq!(LdapUrl::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_same_address_is_stored_one_way() {
        let mut s = openldap();
        s.urls = vec![
            " LDAPS://DC1.Contoso.Example:636/ ".into(),
            "ldap://dc2:3890".into(),
            "".into(),
        ];
        s.normalize();
        assert_eq!(
            s.urls,
            vec!["ldaps://dc1.contoso.example", "ldap://dc2:3890"]
        );
    }

    #[test]
    fn plain_ldap_only_to_loopback() {
        let mut s = openldap();
        s.starttls = false;
        s.urls = vec![
            "ldap://127.0.0.1:3890".into(),
            "ldap://dc1.contoso.example".into(),
        ];
        assert_eq!(
            s.validate(),
            vec![FieldError::new("urls.1", Rule::PlainLdapNotLoopback)]
        );
        s.starttls = true;
        assert_eq!(s.validate(), vec![]);
    }

    #[test]
    fn broken_filters_and_missing_fields_are_named() {
        let mut s = openldap();
        s.users_filter = "(objectClass=person".into();
        s.bind_dn.clear();
        s.attributes.email = "mail address".into();
        s.timeout_seconds = 0;
        s.ca_pem = "not a cert".into();
        let fields: Vec<_> = s
            .validate()
            .into_iter()
            .map(|e| (e.field, e.rule))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("bind_dn".to_string(), Rule::Required),
                ("users_filter".to_string(), Rule::NotLdapFilter),
                ("attributes.email".to_string(), Rule::InvalidCharacters),
                ("ca_pem".to_string(), Rule::NotPemCertificate),
                ("timeout_seconds".to_string(), Rule::OutOfRange),
            ]
        );
    }

    #[test]
    fn filters_must_balance() {
        assert!(balanced_filter(r"(&(cn=a\28b)(uid=*))"));
        assert!(!balanced_filter("cn=a"));
        assert!(!balanced_filter("(cn=a))("));
    }
}
