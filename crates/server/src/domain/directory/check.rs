//! Test connection: every step an admin needs to see pass before Rekey relies on the
//! directory, each failure worded so they know what to fix.

use rekey_core::dto::{CheckOutcome, DirectoryCheck, DirectorySample, DirectoryTestResult};
use rekey_core::i18n::Lang;
use rekey_core::settings::DirectoryKind;
use rekey_core::validation::{FieldError, Rule};

use super::LdapDirectory;
use crate::infra::ldap::{Entry, LdapError};

/// People shown as samples.
const SAMPLES: usize = 5;

fn check(step: &str, ok: bool, outcome: CheckOutcome) -> DirectoryCheck {
    DirectoryCheck {
        step: step.into(),
        ok,
        // Sign-in works without these; the admin is told what to fix.
        blocking: !matches!(step, "lockout" | "writeback"),
        detail: outcome.text(Lang::En),
        outcome,
    }
}

fn failed(error: impl ToString) -> CheckOutcome {
    CheckOutcome::Failed {
        detail: error.to_string(),
    }
}

/// The fields a failed blocking check points at, so the form shows what to fix where.
pub fn field_errors(result: &DirectoryTestResult) -> Vec<FieldError> {
    result
        .checks
        .iter()
        .filter(|c| c.blocking && !c.ok)
        .map(|c| match (c.step.as_str(), &c.outcome) {
            ("tls", _) => FieldError::new("ldap.ca_pem", Rule::DirectoryTlsFailed),
            ("bind", _) => FieldError::new("bind_password", Rule::DirectoryBindRefused),
            ("users", CheckOutcome::AttributesMissing { .. }) => {
                FieldError::new("ldap.attributes.sign_in_name", Rule::DirectoryNothingFound)
            }
            ("users", CheckOutcome::Failed { detail }) if detail.contains("does not exist") => {
                FieldError::new("ldap.users_base_dn", Rule::DirectoryBaseNotFound)
            }
            ("users", _) => FieldError::new("ldap.users_filter", Rule::DirectoryNothingFound),
            ("groups", _) => FieldError::new("ldap.groups_base_dn", Rule::DirectoryBaseNotFound),
            _ => FieldError::new("ldap.urls", Rule::DirectoryUnreachable),
        })
        .collect()
}

/// Runs the checks in order; a step that fails stops the ones that need it.
/// `rekey_threshold` is Rekey's own lockout threshold, which must trip first.
pub async fn test_connection(ldap: &LdapDirectory, rekey_threshold: i64) -> DirectoryTestResult {
    let client = ldap.client();
    let s = client.settings();
    let transport = if s
        .urls
        .iter()
        .any(|u| u.to_ascii_lowercase().starts_with("ldaps://"))
    {
        "ldaps"
    } else if s.starttls {
        "starttls"
    } else {
        "plain"
    };
    let reached = || CheckOutcome::Reached {
        urls: s.urls.join(", "),
        transport: transport.to_string(),
    };
    let mut result = DirectoryTestResult {
        ok: false,
        checks: Vec::new(),
        users_found: None,
        groups_found: None,
        samples: Vec::new(),
    };
    match client.check_service_bind().await {
        Ok(()) => {
            result.checks.push(check("connect", true, reached()));
            let dn = s.bind_dn.clone();
            result
                .checks
                .push(check("bind", true, CheckOutcome::SignedIn { dn }));
        }
        Err(LdapError::ServiceBindRefused) => {
            result.checks.push(check("connect", true, reached()));
            result
                .checks
                .push(check("bind", false, CheckOutcome::BindRefused));
            return result;
        }
        Err(e @ LdapError::Tls { .. }) => {
            result.checks.push(check("connect", true, reached()));
            result.checks.push(check("tls", false, failed(e)));
            return result;
        }
        Err(e) => {
            result.checks.push(check("connect", false, failed(e)));
            return result;
        }
    }

    let people = count_with_samples(ldap, &s.users_base_dn, &s.users_filter).await;
    match people {
        Ok((0, _)) => {
            let nobody = CheckOutcome::NobodyFound {
                filter: s.users_filter.clone(),
                base: s.users_base_dn.clone(),
            };
            result.checks.push(check("users", false, nobody));
        }
        Ok((found, samples)) => {
            result.users_found = Some(found);
            result.samples = samples.iter().map(|e| sample(ldap, e)).collect();
            let missing = missing_attributes(ldap, &samples);
            let outcome = if missing.is_empty() {
                CheckOutcome::PeopleFound { count: found }
            } else {
                CheckOutcome::AttributesMissing {
                    count: found,
                    attributes: missing.join(", "),
                }
            };
            result
                .checks
                .push(check("users", missing.is_empty(), outcome));
        }
        Err(e) => result.checks.push(check("users", false, failed(e))),
    }

    match client
        .search_all(&s.groups_base_dn, &s.groups_filter, &["cn"])
        .await
    {
        Ok(groups) => {
            result.groups_found = Some(groups.len() as u64);
            let count = groups.len() as u64;
            result
                .checks
                .push(check("groups", true, CheckOutcome::GroupsFound { count }));
        }
        Err(e) => result.checks.push(check("groups", false, failed(e))),
    }

    result
        .checks
        .push(lockout_check(ldap, rekey_threshold).await);
    if let Some(person) = result.samples.first().map(|p| p.dn.clone()) {
        result.checks.push(writeback_check(ldap, &person).await);
    }
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
        .filter(|name| samples.iter().all(|e| e.first_bytes(name).is_none()))
        .cloned()
        .collect()
}

/// What the service account may not do that password writeback needs, tried on one person
/// without changing anything.
async fn writeback_check(ldap: &LdapDirectory, person: &str) -> DirectoryCheck {
    match super::rights::missing(ldap, person).await {
        Ok(Some(rights)) if rights.is_empty() => {
            check("writeback", true, CheckOutcome::WritebackAllowed)
        }
        Ok(Some(rights)) => check(
            "writeback",
            false,
            CheckOutcome::WritebackMissing { rights },
        ),
        Ok(None) => check("writeback", true, CheckOutcome::WritebackUnknown),
        Err(e) => check("writeback", false, failed(e)),
    }
}

/// Reads the directory's lockout threshold (ppolicy's `pwdMaxFailure`, AD's domain
/// `lockoutThreshold`) and says whether Rekey's locks first, as it must: otherwise guesses
/// through Rekey could lock people out of every application.
async fn lockout_check(ldap: &LdapDirectory, rekey_threshold: i64) -> DirectoryCheck {
    let client = ldap.client();
    let s = client.settings();
    let threshold = match s.kind {
        DirectoryKind::Openldap => {
            // Password policies usually live outside the people's branch: look through every
            // naming context the server holds.
            let root = client
                .read_entry("", &["namingContexts"])
                .await
                .ok()
                .flatten();
            let mut lowest = None;
            for context in root
                .as_ref()
                .map_or(&[][..], |r| r.values("namingContexts"))
            {
                let policies = client
                    .search_all(context, "(objectClass=pwdPolicy)", &["pwdMaxFailure"])
                    .await
                    .unwrap_or_default();
                let found = policies
                    .iter()
                    .filter_map(|p| p.first("pwdMaxFailure")?.parse::<i64>().ok())
                    .filter(|n| *n > 0)
                    .min();
                lowest = lowest.into_iter().chain(found).min();
            }
            lowest
        }
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
    let rekey = rekey_threshold;
    match threshold {
        None => check("lockout", true, CheckOutcome::LockoutUnknown),
        Some(directory) if rekey < directory => check(
            "lockout",
            true,
            CheckOutcome::LockoutFirst { rekey, directory },
        ),
        Some(directory) => check(
            "lockout",
            false,
            CheckOutcome::LockoutAfter { rekey, directory },
        ),
    }
}
