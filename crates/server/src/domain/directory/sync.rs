//! Keeping the mirror in step with the LDAP directory: every entry the filters find is written
//! (keyed by its stable id, so renames and moves keep a user's security info and history),
//! entries no longer found lose access, and group membership is copied, nested groups
//! included. One instance syncs at a time: a lease in the database.
//!
//! A sync reads only the entries changed since the last one ([`super::changes`]), plus a
//! listing of stable ids alone to see who is gone; the whole directory is read the first time,
//! after the settings change, when asked, and once a day, which mends anything a change mark
//! could miss.

use std::collections::{HashMap, HashSet};

use rekey_core::audit::AuditAction;
use rekey_core::dto::{SyncProgress, SyncResult};
use sqlx::AnyPool;

use super::changes::{self, ChangeMark};
use super::{Directory, DirectoryError, LdapDirectory};
use crate::infra::db::now;
use crate::infra::metrics::Metrics;
use crate::store::audit;
use crate::store::directory_mirror::{self, DirectoryGroup, Mirrored};

/// How long a sync may hold the lease before another instance may take over.
const LEASE_SECONDS: i64 = 600;
/// Entries written per transaction: short transactions keep requests flowing during a sync.
const BATCH: usize = 500;
/// How often the whole directory is read even when change marks could say what changed.
const FULL_EVERY_SECONDS: i64 = 24 * 3600;

/// What a sync reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncMode {
    /// What changed since the last sync, when that can be known; else everything.
    Changes,
    /// Everything.
    Full,
}

/// Adds one mirrored entry to the report's counts.
fn count(report: &mut SyncResult, mirrored: &Mirrored, group: bool) {
    let counter = match (mirrored, group) {
        (Mirrored::Added(_), false) => &mut report.users_added,
        (Mirrored::Changed(_), false) => &mut report.users_changed,
        (Mirrored::Added(_), true) => &mut report.groups_added,
        (Mirrored::Changed(_), true) => &mut report.groups_changed,
        _ => return,
    };
    *counter += 1;
}

/// Syncs now if this instance can take the lease; `None` when another instance is syncing
/// (or Rekey's own directory is in use).
pub async fn run_once(
    pool: &AnyPool,
    directory: &Directory,
    holder: &str,
    metrics: &Metrics,
    mode: SyncMode,
) -> Result<Option<SyncResult>, DirectoryError> {
    let Directory::Ldap(ldap) = directory else {
        return Ok(None);
    };
    let now = now();
    if !directory_mirror::take_lease(pool, holder, now, now + LEASE_SECONDS).await? {
        return Ok(None);
    }
    let (stored, last_full_at) = directory_mirror::watermark(pool).await?;
    let settings = ldap.client().settings();
    let since = stored
        .as_deref()
        .and_then(|w| changes::mark_of(w, settings))
        .filter(|_| mode == SyncMode::Changes && now - last_full_at < FULL_EVERY_SECONDS);
    let mut report = SyncResult::default();
    let watermark = match sync(pool, ldap, holder, &mut report, since).await {
        Ok(mark) => Some(changes::watermark(settings, &mark)),
        Err(e) => {
            report.error = Some(e.to_string());
            None
        }
    };
    // Memberships and nestings may have changed (even in a sync that stopped early). Should
    // this fail, the sweeper sets the flags right within minutes.
    if let Err(e) = crate::domain::sspr_policy::refresh_all(pool).await {
        tracing::warn!(error = %e, "could not update whom self-service reset covers");
    }
    report.finished_at = crate::infra::db::now();
    metrics.record_sync(
        report.error.is_none(),
        report.finished_at,
        &[
            ("users_added", report.users_added),
            ("users_changed", report.users_changed),
            ("users_removed", report.users_removed),
            ("groups_added", report.groups_added),
            ("groups_changed", report.groups_changed),
            ("groups_removed", report.groups_removed),
        ],
    );
    let json = serde_json::to_value(&report).unwrap_or_default();
    let full_at = (watermark.is_some() && !report.incremental).then_some(now);
    directory_mirror::finish_sync(
        pool,
        holder,
        &json.to_string(),
        watermark.as_deref(),
        full_at,
    )
    .await?;
    let event = audit::NewEvent::by(None, AuditAction::DirectorySynced, "directory")
        .values(None, Some(&json));
    audit::record_alone(pool, event).await?;
    Ok(Some(report))
}

/// How far this sync has come, written beside its lease for admins to see while it runs.
struct Progress<'a> {
    pool: &'a AnyPool,
    holder: &'a str,
    seen: SyncProgress,
}

impl Progress<'_> {
    async fn record(&self) -> Result<(), sqlx::Error> {
        let json = serde_json::to_string(&self.seen).unwrap_or_default();
        directory_mirror::record_progress(self.pool, self.holder, &json).await
    }
}

/// `filter` narrowed to the entries changed since the mark, if any.
fn narrowed(filter: &str, changed: Option<&str>) -> String {
    match changed {
        Some(changed) => format!("(&{filter}{changed})"),
        None => filter.to_string(),
    }
}

/// One sync; returns the mark taken as it started, for the next one to go on from.
async fn sync(
    pool: &AnyPool,
    ldap: &LdapDirectory,
    holder: &str,
    report: &mut SyncResult,
    since: Option<ChangeMark>,
) -> Result<ChangeMark, DirectoryError> {
    let s = ldap.client().settings().clone();
    let id_attribute = s.attributes.stable_id.as_str();
    let started = now();
    // Taken before reading: whatever changes while this sync runs is read again next time.
    let mut mark = ChangeMark::start(ldap, since.as_ref()).await?;
    let changed = since.and_then(|since| since.changed_since(&mark));
    report.incremental = changed.is_some();
    let changed = changed.as_deref();
    let mut progress = Progress {
        pool,
        holder,
        seen: SyncProgress {
            started_at: started,
            incremental: report.incremental,
            ..SyncProgress::default()
        },
    };
    progress.record().await?;

    // Groups first, so people's memberships can name them.
    let group_entries = ldap
        .client()
        .search_all(
            &s.groups_base_dn,
            &narrowed(&s.groups_filter, changed),
            &[
                id_attribute,
                "cn",
                "description",
                "member",
                "uniqueMember",
                "modifyTimestamp",
            ],
        )
        .await?;

    let now = now();
    let mut seen_groups = HashSet::new();
    for chunk in group_entries.chunks(BATCH) {
        let mut tx = pool.begin().await?;
        for entry in chunk {
            mark.read(entry.first("modifyTimestamp"));
            let (Some(external_id), Some(name)) = (
                super::ldap::stable_id(entry, id_attribute),
                entry.first("cn"),
            ) else {
                report
                    .skipped
                    .push(format!("{}: no name or stable id", entry.dn));
                continue;
            };
            let group = DirectoryGroup {
                external_id: external_id.clone(),
                dn: entry.dn.clone(),
                name: name.to_string(),
                description: entry.first("description").unwrap_or_default().to_string(),
            };
            let mirrored = directory_mirror::upsert_group(&mut tx, &group, now).await?;
            if mirrored == Mirrored::NameTaken {
                report
                    .skipped
                    .push(format!("{}: a group named {name} exists", entry.dn));
            }
            count(report, &mirrored, true);
            seen_groups.insert(external_id);
        }
        tx.commit().await?;
    }

    progress.seen.groups_read = group_entries.len() as u64;
    progress.record().await?;

    // People a page at a time: only their stable ids stay in memory.
    let mut seen_people = HashSet::new();
    let attributes = ldap.person_attributes();
    let max_age = ldap.password_max_age().await;
    let mut pages = ldap
        .client()
        .pages(
            &s.users_base_dn,
            &narrowed(&s.users_filter, changed),
            &attributes,
        )
        .await?;
    while let Some(page) = pages.next_page().await? {
        let mut tx = pool.begin().await?;
        for entry in &page {
            mark.read(entry.first("modifyTimestamp"));
            let Some(person) = ldap.person(entry, max_age) else {
                report
                    .skipped
                    .push(format!("{}: no sign-in name or stable id", entry.dn));
                continue;
            };
            let mirrored = ldap.mirror(&mut tx, entry, &person, false, now).await?;
            if mirrored == Mirrored::NameTaken {
                let name = &person.sign_in_name;
                report
                    .skipped
                    .push(format!("{}: {name} is another account's name", entry.dn));
            }
            count(report, &mirrored, false);
            seen_people.insert(person.external_id);
        }
        tx.commit().await?;
        progress.seen.people_read += page.len() as u64;
        progress.record().await?;
    }
    if changed.is_some() {
        // Who is gone shows only in a listing of everyone: of their stable ids alone.
        seen_groups = stable_ids(ldap, &s.groups_base_dn, &s.groups_filter).await?;
        seen_people = stable_ids(ldap, &s.users_base_dn, &s.users_filter).await?;
    }

    let mut tx = pool.begin().await?;
    for (id, external_id, _) in directory_mirror::enabled_users(pool).await? {
        if !seen_people.contains(&external_id) {
            directory_mirror::remove_user(&mut tx, &id).await?;
            report.users_removed += 1;
        }
    }
    for (id, external_id) in directory_mirror::groups(pool).await? {
        if !seen_groups.contains(&external_id) {
            directory_mirror::remove_group(&mut tx, &id).await?;
            report.groups_removed += 1;
        }
    }
    tx.commit().await?;

    // Membership, from each (changed) group's member list; nothing to read when none changed.
    if !group_entries.is_empty() {
        copy_membership(pool, &group_entries).await?;
    }
    mark.finish(crate::infra::db::now() - started);
    Ok(mark)
}

/// Copies each group entry's members (users and nested groups, by DN) into the mirror.
async fn copy_membership(
    pool: &AnyPool,
    group_entries: &[crate::infra::ldap::Entry],
) -> Result<(), DirectoryError> {
    let users_by_dn = directory_mirror::ids_by_dn(pool, "users").await?;
    let groups_by_dn = directory_mirror::ids_by_dn(pool, "directory_groups").await?;
    for chunk in group_entries.chunks(BATCH) {
        let mut tx = pool.begin().await?;
        for entry in chunk {
            let Some(group_id) = groups_by_dn.get(&entry.dn.to_lowercase()) else {
                continue;
            };
            let (user_ids, group_ids) = members(entry, &users_by_dn, &groups_by_dn);
            directory_mirror::set_members(&mut tx, group_id, &user_ids, &group_ids).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// The stable ids of every entry a filter finds, read a page at a time with nothing else.
async fn stable_ids(
    ldap: &LdapDirectory,
    base: &str,
    filter: &str,
) -> Result<HashSet<String>, DirectoryError> {
    let attribute = ldap.client().settings().attributes.stable_id.clone();
    let mut ids = HashSet::new();
    let mut pages = ldap.client().pages(base, filter, &[&attribute]).await?;
    while let Some(page) = pages.next_page().await? {
        ids.extend(
            page.iter()
                .filter_map(|e| super::ldap::stable_id(e, &attribute)),
        );
    }
    Ok(ids)
}

/// A group entry's members that are mirrored: (users, nested groups).
fn members(
    entry: &crate::infra::ldap::Entry,
    users_by_dn: &HashMap<String, String>,
    groups_by_dn: &HashMap<String, String>,
) -> (Vec<String>, Vec<String>) {
    let mut users = Vec::new();
    let mut groups = Vec::new();
    let dns = entry
        .values("member")
        .iter()
        .chain(entry.values("uniqueMember"));
    for dn in dns {
        let dn = dn.to_lowercase();
        if let Some(id) = users_by_dn.get(&dn) {
            users.push(id.clone());
        } else if let Some(id) = groups_by_dn.get(&dn) {
            groups.push(id.clone());
        }
    }
    (users, groups)
}
