//! Usage & insights: who can reset, and what self-service reset did over a period. Every figure
//! is a count of users or audit events that a drill-down lists one by one.

use serde::{Deserialize, Serialize};

use crate::audit::Flow;
use crate::security_info::MethodKind;
use crate::validation::{FieldError, Rule};

/// Which users the registration figures count.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct RegistrationQuery {
    /// Only members of this group (id), directly or through nested groups.
    #[serde(default)]
    pub group: Option<String>,
    /// Count now, rather than serve figures up to `REGISTRATION_MAX_AGE_SECONDS` old.
    #[serde(default)]
    pub fresh: Option<bool>,
}

/// How old served registration figures may be (counting every user takes a moment at scale).
pub const REGISTRATION_MAX_AGE_SECONDS: i64 = 60;

/// How many users hold enough, some, or none of the methods a reset needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    /// Enough methods for a reset under their policy.
    pub registered: u64,
    /// At least one method the policy allows, but fewer than it needs.
    pub partly: u64,
    /// None of the methods the policy allows.
    pub not_registered: u64,
}

impl Coverage {
    pub fn total(&self) -> u64 {
        self.registered + self.partly + self.not_registered
    }
}

/// How many users in scope hold one method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodUsers {
    pub method: MethodKind,
    pub users: u64,
    /// Whether the organisation allows the method now.
    pub allowed: bool,
}

/// Registration coverage now. Disabled accounts are not counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationReport {
    /// When the users were counted (Unix seconds).
    #[serde(default)]
    pub as_of: i64,
    /// Enabled users (in the group, when one is chosen).
    pub users: u64,
    /// Of them, those self-service reset covers, by registration.
    pub in_scope: Coverage,
    /// Users in scope holding each method (security questions: enough answers).
    pub methods: Vec<MethodUsers>,
    /// Users holding an admin role, under the admin policy (two methods). Admins are counted
    /// here whether or not the reset scope covers them.
    pub admins: Coverage,
}

impl RegistrationReport {
    /// Users who could reset today: registered and in scope.
    pub fn capable(&self) -> u64 {
        self.in_scope.registered
    }

    /// `capable` as a whole percentage of all users, rounded down; none without users.
    pub fn capable_percent(&self) -> Option<u64> {
        (self.users > 0).then(|| self.capable() * 100 / self.users)
    }
}

/// How the activity is summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    #[default]
    Day,
    /// Weeks starting on Monday (UTC).
    Week,
}

impl ActivityQuery {
    /// The UTC days covered, `from_day..to_day` (days since 1970-01-01), given today; or what
    /// is wrong with the query.
    pub fn days_covered(&self, today: i64) -> Result<(i64, i64), FieldError> {
        const DAY: i64 = 86_400;
        // 1970-01-01 to 9999-12-31: a date a person could mean, whose seconds fit.
        const DAYS: std::ops::Range<i64> = 0..2_932_897;
        let to_day = self.to.map_or(today, |to| to.div_euclid(DAY));
        if !DAYS.contains(&to_day) {
            return Err(FieldError::new("to", Rule::OutOfRange));
        }
        let to_day = to_day + 1;
        let from_day = match (self.from, self.days) {
            (Some(from), _) if !DAYS.contains(&from.div_euclid(DAY)) => {
                return Err(FieldError::new("from", Rule::OutOfRange));
            }
            (Some(from), _) => from.div_euclid(DAY),
            (None, Some(days)) if !(1..=ACTIVITY_MAX_DAYS).contains(&i64::from(days)) => {
                return Err(FieldError::new("days", Rule::OutOfRange));
            }
            (None, days) => to_day - i64::from(days.unwrap_or(30)),
        };
        if from_day >= to_day {
            return Err(FieldError::new("from", Rule::OutOfRange));
        }
        if to_day - from_day > ACTIVITY_MAX_DAYS {
            return Err(FieldError::new("from", Rule::TooMany));
        }
        Ok((from_day, to_day))
    }
}

/// The Monday (UTC) starting the week of `day` (days since 1970-01-01, a Thursday).
pub fn week_start(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// The period the activity covers: the last `days` days (today included), or `from`..`to`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ActivityQuery {
    /// The last this many days, 1-366 (default 30). Ignored when `from` is given.
    #[serde(default)]
    pub days: Option<u32>,
    /// First day (Unix seconds; the UTC day it falls in).
    #[serde(default)]
    pub from: Option<i64>,
    /// Last day, inclusive (Unix seconds; the UTC day it falls in). Default today.
    #[serde(default)]
    pub to: Option<i64>,
    #[serde(default)]
    pub bucket: Option<Bucket>,
}

/// The longest period one activity report covers.
pub const ACTIVITY_MAX_DAYS: i64 = 366;

/// What happened in the reset flow and at the helpdesk in one day or week. A flow ends one way
/// only: `started` = `resets` + `unlocks` + `abandoned` + flows still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    /// First moment (Unix seconds, UTC midnight).
    pub start: i64,
    /// Reset flows begun (`reset_started`).
    pub started: u64,
    /// Passwords reset by their owner (`password_reset_self`).
    pub resets: u64,
    /// Accounts unlocked by their owner (`account_unlocked_self`).
    pub unlocks: u64,
    /// Flows that ended unfinished (`reset_abandoned`), `blocked` included.
    pub abandoned: u64,
    /// Of `abandoned`, those that stopped at the daily limit of failed proofs.
    pub blocked: u64,
    /// Passwords reset by an admin (`password_reset_by_admin`).
    pub admin_resets: u64,
    /// Accounts unlocked by an admin (`account_unlocked_by_admin`).
    pub admin_unlocks: u64,
}

impl Activity {
    pub fn self_service(&self) -> u64 {
        self.resets + self.unlocks
    }

    pub fn helpdesk(&self) -> u64 {
        self.admin_resets + self.admin_unlocks
    }
}

/// Proofs of identity with one method: in finished resets and unlocks, and failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodActivity {
    pub method: MethodKind,
    /// Self-service resets finished with this method among their proofs.
    pub resets: u64,
    /// Self-service unlocks finished with this method among their proofs.
    pub unlocks: u64,
    /// Failed proofs with this method (`proof_failed`): in the reset flow, and when people
    /// prove it is them before changing their security info.
    pub failed: u64,
}

/// Changes people made to their security info.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationActivity {
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
    /// Security info confirmed as still right when asked to reconfirm.
    pub reconfirmed: u64,
}

/// How many flows stopped for one reason (`reset_abandoned` with this detail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonCount {
    /// A `StopReason`, with the rule a refused password broke after a colon.
    pub reason: String,
    /// Which flow the person was in when it stopped.
    pub flow: Flow,
    pub flows: u64,
}

/// Self-service and helpdesk activity over a period, by day or week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityReport {
    /// First moment (Unix seconds, UTC midnight).
    pub from: i64,
    /// End, exclusive (Unix seconds, the UTC midnight after the last day).
    pub to: i64,
    pub bucket: Bucket,
    /// One per day or week, oldest first; every bucket of the period is there, empty or not.
    pub series: Vec<Activity>,
    /// The whole period.
    pub totals: Activity,
    pub methods: Vec<MethodActivity>,
    pub registration: RegistrationActivity,
    /// Why flows did not finish, most frequent first.
    pub reasons: Vec<ReasonCount>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn a_period_is_whole_utc_days_ending_today_by_default() {
        let today = 20_000;
        assert_eq!(
            ActivityQuery::default().days_covered(today),
            Ok((19_971, 20_001))
        );
        let week = ActivityQuery {
            days: Some(7),
            ..Default::default()
        };
        assert_eq!(week.days_covered(today), Ok((19_994, 20_001)));
        let dates = ActivityQuery {
            from: Some(19_000 * DAY + 5),
            to: Some(19_001 * DAY + DAY - 1),
            ..Default::default()
        };
        assert_eq!(dates.days_covered(today), Ok((19_000, 19_002)));
    }

    #[test]
    fn a_period_backwards_empty_or_too_long_is_refused() {
        let field = |query: ActivityQuery| query.days_covered(20_000).unwrap_err().field;
        let backwards = ActivityQuery {
            from: Some(20 * DAY),
            to: Some(10 * DAY),
            ..Default::default()
        };
        assert_eq!(field(backwards), "from");
        let too_long = ActivityQuery {
            from: Some(0),
            to: Some(400 * DAY),
            ..Default::default()
        };
        assert_eq!(field(too_long), "from");
        let before_1970 = ActivityQuery {
            to: Some(i64::MIN),
            ..Default::default()
        };
        assert_eq!(field(before_1970), "to");
        let far = ActivityQuery {
            from: Some(i64::MAX),
            to: Some(i64::MAX),
            ..Default::default()
        };
        assert_eq!(field(far), "to");
        let from_far_back = ActivityQuery {
            from: Some(-DAY),
            to: Some(DAY),
            ..Default::default()
        };
        assert_eq!(field(from_far_back), "from");
        for days in [0, 367] {
            let query = ActivityQuery {
                days: Some(days),
                ..Default::default()
            };
            assert_eq!(field(query), "days");
        }
    }

    #[test]
    fn weeks_start_on_monday() {
        // 1970-01-01 was a Thursday; 1970-01-05 a Monday.
        assert_eq!(week_start(0), -3);
        assert_eq!(week_start(4), 4);
        assert_eq!(week_start(10), 4);
        assert_eq!(week_start(11), 11);
    }

    #[test]
    fn capable_is_a_share_of_all_users() {
        let report = RegistrationReport {
            as_of: 0,
            users: 8,
            in_scope: Coverage {
                registered: 3,
                partly: 1,
                not_registered: 2,
            },
            methods: Vec::new(),
            admins: Coverage::default(),
        };
        assert_eq!(report.capable_percent(), Some(37));
        assert_eq!(
            RegistrationReport { users: 0, ..report }.capable_percent(),
            None
        );
    }
}
