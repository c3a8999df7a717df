//! Usage & insights: registration coverage now, and what self-service reset and the helpdesk
//! did over a period, summed from the users and from the audit's daily rollup.

use std::collections::BTreeMap;

use rekey_core::audit::{AuditAction, Flow};
use rekey_core::dto::{
    week_start, Activity, ActivityQuery, ActivityReport, Bucket, Coverage, MethodActivity,
    MethodUsers, ReasonCount, RegistrationActivity, RegistrationReport,
    REGISTRATION_MAX_AGE_SECONDS,
};
use rekey_core::security_info::{MethodKind, MethodPolicy, RegistrationState};
use rekey_core::settings::AuthMethodsSettings;
use rekey_core::validation::FieldError;
use sqlx::AnyPool;

use crate::domain::sections;
use crate::infra::metrics::Metrics;
use crate::store::report_snapshots as snapshots;
use crate::store::reports::{self as store, DailyCount};

/// Who can reset today, among enabled users (members of `group` when given): the figures
/// counted at most `REGISTRATION_MAX_AGE_SECONDS` ago, or now when `fresh` (or when there are
/// none that recent).
pub async fn registration(
    pool: &AnyPool,
    group: Option<&str>,
    fresh: bool,
    now: i64,
) -> Result<RegistrationReport, sqlx::Error> {
    let key = group.unwrap_or("");
    if !fresh {
        if let Some((at, body)) = snapshots::find(pool, key).await? {
            let recent = now - at < REGISTRATION_MAX_AGE_SECONDS;
            if let Some(report) = serde_json::from_str(&body).ok().filter(|_| recent) {
                return Ok(report);
            }
        }
    }
    let methods = sections::load::<AuthMethodsSettings>(pool).await?.settings;
    let groups = store::users_by_facts(pool, methods.questions_to_register, group).await?;
    let report = RegistrationReport {
        as_of: now,
        ..sum_registration(&methods, &groups)
    };
    if let Ok(body) = serde_json::to_string(&report) {
        snapshots::put(pool, key, now, &body).await?;
    }
    Ok(report)
}

fn sum_registration(
    methods: &AuthMethodsSettings,
    groups: &[store::UserGroupCount],
) -> RegistrationReport {
    let user_policy = MethodPolicy::for_user(methods, false);
    let mut report = RegistrationReport {
        as_of: 0,
        users: 0,
        in_scope: Coverage::default(),
        methods: MethodKind::ALL
            .into_iter()
            .map(|method| MethodUsers {
                method,
                users: 0,
                allowed: user_policy.available.contains(&method),
            })
            .collect(),
        admins: Coverage::default(),
    };
    for group in groups {
        report.users += group.users;
        let policy = MethodPolicy::for_user(methods, group.admin);
        let count = |coverage: &mut Coverage| {
            let figure = match policy.registration_state(&group.held) {
                RegistrationState::Registered => &mut coverage.registered,
                RegistrationState::Partly => &mut coverage.partly,
                RegistrationState::NotRegistered => &mut coverage.not_registered,
            };
            *figure += group.users;
        };
        if group.in_scope {
            count(&mut report.in_scope);
            for method in report.methods.iter_mut() {
                if group.held.contains(&method.method) {
                    method.users += group.users;
                }
            }
        }
        if group.admin {
            count(&mut report.admins);
        }
    }
    report
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The period asked for is backwards, empty or too long.
    #[error("invalid period")]
    Period(FieldError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// What happened over the query's period, by day or week; `today` in UTC days.
pub async fn activity(
    pool: &AnyPool,
    query: &ActivityQuery,
    today: i64,
) -> Result<ActivityReport, ReportError> {
    let (from_day, to_day) = query.days_covered(today).map_err(ReportError::Period)?;
    let rows = store::daily_counts(pool, from_day, to_day).await?;
    let bucket = query.bucket.unwrap_or_default();
    Ok(sum_activity(&rows, from_day, to_day, bucket))
}

const DAY: i64 = 86_400;

/// Refreshes the report figures the Prometheus metrics carry: registration now, and every
/// reset flow's outcome since the start.
pub async fn refresh_metrics(pool: &AnyPool, metrics: &Metrics) -> Result<(), sqlx::Error> {
    let now = registration(pool, None, false, crate::infra::db::now()).await?;
    let coverage = |users: &'static str, c: Coverage| {
        [
            (users, "registered", c.registered),
            (users, "partly", c.partly),
            (users, "not_registered", c.not_registered),
        ]
    };
    let mut figures = coverage("in_scope", now.in_scope).to_vec();
    figures.extend(coverage("admins", now.admins));
    metrics.set_registration(now.users, &figures);
    let rows = store::all_time_counts(pool).await?;
    let all = sum_activity(&rows, 0, 1, Bucket::Day).totals;
    metrics.set_reset_outcomes(&[
        ("started", all.started),
        ("reset", all.resets),
        ("unlock", all.unlocks),
        ("abandoned", all.abandoned),
        ("blocked", all.blocked),
        ("admin_reset", all.admin_resets),
        ("admin_unlock", all.admin_unlocks),
    ]);
    Ok(())
}

fn sum_activity(rows: &[DailyCount], from_day: i64, to_day: i64, bucket: Bucket) -> ActivityReport {
    let bucket_of = |day: i64| match bucket {
        Bucket::Day => day,
        Bucket::Week => week_start(day).max(from_day),
    };
    let mut series: BTreeMap<i64, Activity> = (from_day..to_day)
        .map(bucket_of)
        .map(|start| {
            let activity = Activity {
                start: start * DAY,
                ..Activity::default()
            };
            (start, activity)
        })
        .collect();
    let mut methods: Vec<MethodActivity> = MethodKind::ALL
        .into_iter()
        .map(|method| MethodActivity {
            method,
            resets: 0,
            unlocks: 0,
            failed: 0,
        })
        .collect();
    let mut registration = RegistrationActivity::default();
    let mut reasons: BTreeMap<(String, String), u64> = BTreeMap::new();
    for row in rows {
        let Some(action) = AuditAction::parse(&row.action) else {
            continue;
        };
        let n = row.events;
        if let Some(kind) = MethodKind::parse(&row.method) {
            if let Some(method) = methods.iter_mut().find(|m| m.method == kind) {
                match action {
                    AuditAction::PasswordResetSelf => method.resets += n,
                    AuditAction::AccountUnlockedSelf => method.unlocks += n,
                    AuditAction::ProofFailed => method.failed += n,
                    _ => {}
                }
            }
            continue;
        }
        let Some(activity) = series.get_mut(&bucket_of(row.day)) else {
            continue;
        };
        match action {
            AuditAction::ResetStarted => activity.started += n,
            AuditAction::PasswordResetSelf => activity.resets += n,
            AuditAction::AccountUnlockedSelf => activity.unlocks += n,
            AuditAction::ResetAbandoned => {
                activity.abandoned += n;
                if row.detail == rekey_core::audit::StopReason::Blocked.as_str() {
                    activity.blocked += n;
                }
                *reasons
                    .entry((row.detail.clone(), row.flow.clone()))
                    .or_default() += n;
            }
            AuditAction::PasswordResetByAdmin => activity.admin_resets += n,
            AuditAction::AccountUnlockedByAdmin => activity.admin_unlocks += n,
            AuditAction::SecurityInfoChanged => match row.detail.as_str() {
                "added" => registration.added += n,
                "changed" => registration.changed += n,
                "removed" => registration.removed += n,
                _ => {}
            },
            AuditAction::SecurityInfoConfirmed => registration.reconfirmed += n,
            _ => {}
        }
    }
    let series: Vec<Activity> = series.into_values().collect();
    let totals = series.iter().fold(
        Activity {
            start: from_day * DAY,
            ..Activity::default()
        },
        |sum, a| Activity {
            start: sum.start,
            started: sum.started + a.started,
            resets: sum.resets + a.resets,
            unlocks: sum.unlocks + a.unlocks,
            abandoned: sum.abandoned + a.abandoned,
            blocked: sum.blocked + a.blocked,
            admin_resets: sum.admin_resets + a.admin_resets,
            admin_unlocks: sum.admin_unlocks + a.admin_unlocks,
        },
    );
    let mut reasons: Vec<ReasonCount> = reasons
        .into_iter()
        .map(|((reason, flow), flows)| ReasonCount {
            reason,
            flow: if flow == Flow::Unlock.as_str() {
                Flow::Unlock
            } else {
                Flow::Reset
            },
            flows,
        })
        .collect();
    reasons.sort_by_key(|r| std::cmp::Reverse(r.flows));
    ActivityReport {
        from: from_day * DAY,
        to: to_day * DAY,
        bucket,
        series,
        totals,
        methods,
        registration,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::reports::UserGroupCount;

    fn row(
        day: i64,
        action: AuditAction,
        flow: &str,
        detail: &str,
        method: &str,
        n: u64,
    ) -> DailyCount {
        DailyCount {
            day,
            action: action.as_str().to_string(),
            flow: flow.to_string(),
            detail: detail.to_string(),
            method: method.to_string(),
            events: n,
        }
    }

    #[test]
    fn activity_sums_by_day_and_week_and_every_flow_ends_once() {
        use AuditAction::*;
        // Day 4 is a Monday; days 4..18 are two weeks.
        let rows = [
            row(4, ResetStarted, "", "", "", 5),
            row(4, PasswordResetSelf, "reset", "", "", 2),
            row(4, PasswordResetSelf, "reset", "", "email", 2),
            row(4, PasswordResetSelf, "reset", "", "mobile_phone", 1),
            row(5, AccountUnlockedSelf, "unlock", "", "", 1),
            row(5, AccountUnlockedSelf, "unlock", "", "email", 1),
            row(12, ResetAbandoned, "reset", "blocked", "", 1),
            row(
                12,
                ResetAbandoned,
                "reset",
                "password_refused:too_short",
                "",
                1,
            ),
            row(12, ProofFailed, "reset", "wrong_code", "", 3),
            row(12, ProofFailed, "reset", "wrong_code", "email", 3),
            row(13, PasswordResetByAdmin, "", "", "", 4),
            row(13, SecurityInfoChanged, "", "added", "", 6),
            row(13, SecurityInfoConfirmed, "", "", "", 2),
        ];
        let days = sum_activity(&rows, 4, 18, Bucket::Day);
        assert_eq!(days.series.len(), 14);
        assert_eq!(days.series[0].start, 4 * DAY);
        assert_eq!((days.series[0].started, days.series[0].resets), (5, 2));
        let t = days.totals;
        assert_eq!(t.started, t.resets + t.unlocks + t.abandoned);
        assert_eq!((t.abandoned, t.blocked, t.admin_resets), (2, 1, 4));
        let email = days
            .methods
            .iter()
            .find(|m| m.method == MethodKind::Email)
            .unwrap();
        assert_eq!((email.resets, email.unlocks, email.failed), (2, 1, 3));
        assert_eq!(days.registration.added, 6);
        assert_eq!(days.registration.reconfirmed, 2);
        assert_eq!(days.reasons.len(), 2);

        let weeks = sum_activity(&rows, 4, 18, Bucket::Week);
        assert_eq!(weeks.series.len(), 2);
        assert_eq!(weeks.series[1].start, 11 * DAY);
        assert_eq!(weeks.series[1].abandoned, 2);
        assert_eq!(
            weeks.totals,
            Activity {
                start: 4 * DAY,
                ..t
            }
        );
    }

    #[test]
    fn registration_follows_each_users_policy() {
        let methods = AuthMethodsSettings::default();
        let user_policy = MethodPolicy::for_user(&methods, false);
        let one = vec![user_policy.available[0]];
        let two = user_policy.available[..2].to_vec();
        let groups = [
            UserGroupCount {
                admin: false,
                in_scope: true,
                held: two.clone(),
                users: 3,
            },
            UserGroupCount {
                admin: false,
                in_scope: true,
                held: one.clone(),
                users: 2,
            },
            UserGroupCount {
                admin: false,
                in_scope: true,
                held: vec![],
                users: 1,
            },
            UserGroupCount {
                admin: false,
                in_scope: false,
                held: two.clone(),
                users: 7,
            },
            UserGroupCount {
                admin: true,
                in_scope: false,
                held: one,
                users: 1,
            },
        ];
        let report = sum_registration(&methods, &groups);
        assert_eq!(report.users, 14);
        let registered_with_one = user_policy.required == 1;
        let in_scope = report.in_scope;
        assert_eq!(in_scope.total(), 6);
        assert_eq!(in_scope.registered, if registered_with_one { 5 } else { 3 });
        // Admins need two methods whatever the users' policy.
        assert_eq!(
            report.admins,
            Coverage {
                registered: 0,
                partly: 1,
                not_registered: 0
            }
        );
        let first = report.methods.iter().find(|m| m.method == two[0]).unwrap();
        assert_eq!(first.users, 5);
    }

    #[test]
    fn a_passkey_alone_counts_as_registered_where_the_policy_says_so() {
        let mut methods = AuthMethodsSettings {
            methods_required: 2,
            passkey: true,
            ..AuthMethodsSettings::default()
        };
        let groups = [UserGroupCount {
            admin: false,
            in_scope: true,
            held: vec![MethodKind::Passkey],
            users: 4,
        }];
        assert_eq!(sum_registration(&methods, &groups).in_scope.partly, 4);
        methods.passkey_alone = true;
        assert_eq!(sum_registration(&methods, &groups).in_scope.registered, 4);
    }
}
