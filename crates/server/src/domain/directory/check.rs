//! Test connection: every step an admin needs to see pass before Rekey relies on the
//! directory, each failure worded so they know what to fix.

use rekey_core::dto::{DirectoryCheck, DirectorySample, DirectoryTestResult};
use rekey_core::settings::DirectoryKind;
use rekey_core::validation::{FieldError, Rule};

use super::LdapDirectory;
use crate::infra::ldap::{Entry, LdapError};

/// People shown as samples.
const SAMPLES: usize = 5;

fn check(step: &str, ok: bool, detail: impl Into<String>) -> DirectoryCheck {
    DirectoryCheck {
        step: step.into(),
        ok,
        blocking: step != "lockout",
        detail: detail.into(),
    }
}

/// The fields a failed blocking check points at, so the form shows what to fix where.
pub fn field_errors(result: &DirectoryTestResult) -> Vec<FieldError> {
    result
        .checks
        .iter()
        .filter(|c| c.blocking && !c.ok)
        .map(|c| match c.step.as_str() {
            "tls" => FieldError::new("ldap.ca_pem", Rule::DirectoryTlsFailed),
            "bind" => FieldError::new("bind_password", Rule::DirectoryBindRefused),
            "users" if c.detail.contains("attribute map") => {
                FieldError::new("ldap.attributes.sign_in_name", Rule::DirectoryNothingFound)
            }
            "users" if c.detail.contains("does not exist") => {
                FieldError::new("ldap.users_base_dn", Rule::DirectoryBaseNotFound)
            }
            "users" => FieldError::new("ldap.users_filter", Rule::DirectoryNothingFound),
            "groups" => FieldError::new("ldap.groups_base_dn", Rule::DirectoryBaseNotFound),
            _ => FieldError::new("ldap.urls", Rule::DirectoryUnreachable),
        })
        .collect()
}

/// Runs the checks in order; a step that fails stops the ones that need it.
/// `rekey_threshold` is Rekey's own lockout threshold, which must trip first.
pub async fn test_connection(ldap: &LdapDirectory, rekey_threshold: i64) -> DirectoryTestResult {
    let client = ldap.client();
    let s = client.settings();
    let mut result = DirectoryTestResult {
        ok: false,
        checks: Vec::new(),
        users_found: None,
        groups_found: None,
        samples: Vec::new(),
    };
    match client.check_service_bind().await {
        Ok(()) => {
            let tls = if s
                .urls
                .iter()
                .any(|u| u.to_ascii_lowercase().starts_with("ldaps://"))
            {
                "LDAPS"
            } else if s.starttls {
                "StartTLS"
            } else {
                "plain LDAP (this machine only)"
            };
            result.checks.push(check(
                "connect",
                true,
                format!("Reached {} over {tls}.", s.urls.join(", ")),
            ));
            result
                .checks
                .push(check("bind", true, format!("Signed in as {}.", s.bind_dn)));
        }
        Err(LdapError::ServiceBindRefused) => {
            result.checks.push(check(
                "connect",
                true,
                format!("Reached {}.", s.urls.join(", ")),
            ));
            result.checks.push(check(
                "bind",
                false,
                "The service account's DN or password was refused: check both, and that the account is enabled.",
            ));
            return result;
        }
        Err(e @ LdapError::Tls { .. }) => {
            result.checks.push(check(
                "connect",
                true,
                format!("Reached {}.", s.urls.join(", ")),
            ));
            result.checks.push(check("tls", false, e.to_string()));
            return result;
        }
        Err(e) => {
            result.checks.push(check("connect", false, e.to_string()));
            return result;
        }
    }

    let people = count_with_samples(ldap, &s.users_base_dn, &s.users_filter).await;
    match people {
        Ok((0, _)) => {
            result.checks.push(check(
                "users",
                false,
                format!(
                    "The filter {} finds nobody under {}.",
                    s.users_filter, s.users_base_dn
                ),
            ));
        }
        Ok((found, samples)) => {
            result.users_found = Some(found);
            result.samples = samples.iter().map(|e| sample(ldap, e)).collect();
            let missing = missing_attributes(ldap, &samples);
            let detail = if missing.is_empty() {
                format!("{found} people found.")
            } else {
                format!(
                    "{found} people found, but none of the samples has {}: check the attribute map.",
                    missing.join(", ")
                )
            };
            result
                .checks
                .push(check("users", missing.is_empty(), detail));
        }
        Err(e) => result.checks.push(check("users", false, e.to_string())),
    }

    match client
        .search_all(&s.groups_base_dn, &s.groups_filter, &["cn"])
        .await
    {
        Ok(groups) => {
            result.groups_found = Some(groups.len() as u64);
            result.checks.push(check(
                "groups",
                true,
                format!("{} groups found.", groups.len()),
            ));
        }
        Err(e) => result.checks.push(check("groups", false, e.to_string())),
    }

    result
        .checks
        .push(lockout_check(ldap, rekey_threshold).await);
    result.ok = result.checks.iter().all(|c| c.ok || !c.blocking);
    result
}

/// How many people a listing finds, and the first few, reading it page by page.
async fn count_with_samples(
    ldap: &LdapDirectory,
    base: &str,
    filter: &str,
) -> Result<(u64, Vec<Entry>), LdapError> {
    let attributes = ldap.person_attributes();
    let mut pages = ldap.client().pages(base, filter, &attributes).await?;
    let (mut found, mut samples) = (0u64, Vec::new());
    while let Some(page) = pages.next_page().await? {
        found += page.len() as u64;
        let room = SAMPLES - samples.len();
        samples.extend(page.into_iter().take(room));
    }
    Ok((found, samples))
}

fn sample(ldap: &LdapDirectory, entry: &Entry) -> DirectorySample {
    let a = &ldap.client().settings().attributes;
    let text = |name: &str| entry.first(name).map(str::to_string);
    DirectorySample {
        dn: entry.dn.clone(),
        sign_in_name: text(&a.sign_in_name),
        display_name: text(&a.display_name),
        email: text(&a.email),
        mobile: text(&a.mobile),
        stable_id: super::ldap::stable_id(entry, &a.stable_id),
    }
}

/// The mapped attributes Rekey cannot work without that no sample has.
fn missing_attributes(ldap: &LdapDirectory, samples: &[Entry]) -> Vec<String> {
    let a = &ldap.client().settings().attributes;
    [&a.sign_in_name, &a.stable_id]
        .into_iter()
        .filter(|name| {
            samples
                .iter()
                .all(|e| e.first(name).is_none() && e.first_binary(name).is_none())
        })
        .cloned()
        .collect()
}

/// Reads the directory's lockout threshold (ppolicy's `pwdMaxFailure`, AD's domain
/// `lockoutThreshold`) and says whether Rekey's locks first, as it must: otherwise guesses
/// through Rekey could lock people out of every application.
async fn lockout_check(ldap: &LdapDirectory, rekey_threshold: i64) -> DirectoryCheck {
    let client = ldap.client();
    let s = client.settings();
    let threshold = match s.kind {
        DirectoryKind::Openldap => client
            .search_all(
                &s.users_base_dn,
                "(objectClass=pwdPolicy)",
                &["pwdMaxFailure"],
            )
            .await
            .ok()
            .and_then(|policies| {
                policies
                    .iter()
                    .filter_map(|p| p.first("pwdMaxFailure")?.parse::<i64>().ok())
                    .filter(|n| *n > 0)
                    .min()
            }),
        DirectoryKind::Ad => {
            let root = client
                .read_entry("", &["defaultNamingContext"])
                .await
                .ok()
                .flatten();
            let domain = root.as_ref().and_then(|r| r.first("defaultNamingContext"));
            match domain {
                Some(dn) => client
                    .read_entry(dn, &["lockoutThreshold"])
                    .await
                    .ok()
                    .flatten()
                    .and_then(|d| d.first("lockoutThreshold")?.parse::<i64>().ok())
                    .filter(|n| *n > 0),
                None => None,
            }
        }
    };
    match threshold {
        None => check(
            "lockout",
            true,
            "The directory's lockout threshold could not be read (or it never locks): Rekey locks a name after its own threshold.",
        ),
        Some(t) if rekey_threshold < t => check(
            "lockout",
            true,
            format!("Rekey locks a name after {rekey_threshold} wrong passwords, before the directory's {t}."),
        ),
        Some(t) => check(
            "lockout",
            false,
            format!(
                "The directory locks accounts after {t} wrong passwords, and Rekey only after {rekey_threshold}: set REKEY_LOCKOUT_THRESHOLD below {t}, or guesses through Rekey can lock people out of every application."
            ),
        ),
    }
}
