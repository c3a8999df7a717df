//! The organisation's password policy (what a new password must satisfy, on top of the global
//! rules in `crate::password`) and its expiration policy.

use serde::{Deserialize, Serialize};

use super::SettingsSection;
use crate::audit::AuditAction;
use crate::validation::{FieldError, Rule};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicySettings {
    /// The shortest new password accepted: 8-256 characters.
    pub min_length: u16,
    /// The organisation's own banned terms (up to 1,000, 4-16 characters each), matched like
    /// the global list: case-insensitive, normalised, one edit allowed.
    #[serde(default)]
    pub custom_banned: Vec<String>,
    /// Require three of: lower case, upper case, digit, symbol. Off by default: NIST SP
    /// 800-63B advises against composition rules (they make passwords predictable, not strong).
    #[serde(default)]
    pub require_character_classes: bool,
    /// A new password a user chooses may not be any of their last N passwords (0-24). The
    /// current password counts as the first of them and is refused even at 0.
    #[serde(default)]
    pub history: u8,
}

pub const MIN_LENGTH_RANGE: std::ops::RangeInclusive<u16> = 8..=256;
pub const BANNED_MAX: usize = 1000;
pub const BANNED_CHARS: std::ops::RangeInclusive<usize> = 4..=16;
pub const HISTORY_MAX: u8 = 24;

impl Default for PasswordPolicySettings {
    fn default() -> Self {
        PasswordPolicySettings {
            min_length: 8,
            custom_banned: Vec::new(),
            require_character_classes: false,
            history: 0,
        }
    }
}

impl SettingsSection for PasswordPolicySettings {
    const KEY: &'static str = "password_policy";
    const PATH: &'static str = "/settings/password-policy";
    const AUDIT: AuditAction = AuditAction::PasswordPolicyChanged;

    fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !MIN_LENGTH_RANGE.contains(&self.min_length) {
            errors.push(FieldError::new("min_length", Rule::OutOfRange));
        }
        if self.history > HISTORY_MAX {
            errors.push(FieldError::new("history", Rule::OutOfRange));
        }
        let field = "custom_banned";
        if self.custom_banned.len() > BANNED_MAX {
            errors.push(FieldError::new(field, Rule::TooMany));
            return errors;
        }
        let mut seen = std::collections::HashSet::new();
        for term in &self.custom_banned {
            let chars = term.trim().chars().count();
            let rule = if chars < *BANNED_CHARS.start() {
                Some(Rule::TooShort)
            } else if chars > *BANNED_CHARS.end() {
                Some(Rule::TooLong)
            } else if !seen.insert(term.trim().to_lowercase()) {
                Some(Rule::Duplicate)
            } else {
                None
            };
            if let Some(rule) = rule {
                errors.push(FieldError::new(field, rule));
                break;
            }
        }
        errors
    }

    fn normalize(&mut self) {
        self.custom_banned = self
            .custom_banned
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
    }
}

/// When passwords expire. Expiry never locks anyone out: an expired password still signs in,
/// straight into a forced change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordExpirySettings {
    /// Off (the default, and NIST's advice): passwords never expire.
    pub expires: bool,
    /// A password expires this many days after it was set: 14-730.
    pub max_age_days: u16,
    /// An email warns the user this many days before: 0-30 (0 = no notice).
    pub notice_days: u16,
}

pub const MAX_AGE_RANGE: std::ops::RangeInclusive<u16> = 14..=730;
pub const NOTICE_RANGE: std::ops::RangeInclusive<u16> = 0..=30;
const DAY: i64 = 86_400;

impl Default for PasswordExpirySettings {
    fn default() -> Self {
        PasswordExpirySettings {
            expires: false,
            max_age_days: 90,
            notice_days: 14,
        }
    }
}

impl SettingsSection for PasswordExpirySettings {
    const KEY: &'static str = "password_expiry";
    const PATH: &'static str = "/settings/password-expiry";
    const AUDIT: AuditAction = AuditAction::PasswordExpiryChanged;

    fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !MAX_AGE_RANGE.contains(&self.max_age_days) {
            errors.push(FieldError::new("max_age_days", Rule::OutOfRange));
        }
        // A notice as long as the lifetime would warn the moment a password is set.
        if !NOTICE_RANGE.contains(&self.notice_days) || self.notice_days >= self.max_age_days {
            errors.push(FieldError::new("notice_days", Rule::OutOfRange));
        }
        errors
    }
}

impl PasswordExpirySettings {
    /// When a password set at `changed_at` expires (Unix seconds), or `None` when it never does.
    pub fn expires_at(&self, changed_at: i64, never_expires: bool) -> Option<i64> {
        (self.expires && !never_expires).then(|| changed_at + i64::from(self.max_age_days) * DAY)
    }

    pub fn is_expired(&self, changed_at: i64, never_expires: bool, now: i64) -> bool {
        self.expires_at(changed_at, never_expires)
            .is_some_and(|at| at <= now)
    }

    /// Passwords set at or before this moment have expired (for counting and filtering).
    pub fn expired_if_changed_before(&self, now: i64) -> Option<i64> {
        self.expires
            .then(|| now - i64::from(self.max_age_days) * DAY)
    }

    /// Passwords set at or before this moment are within the notice window (or expired).
    pub fn notice_if_changed_before(&self, now: i64) -> Option<i64> {
        (self.expires && self.notice_days > 0)
            .then(|| now - i64::from(self.max_age_days - self.notice_days) * DAY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(min_length: u16, banned: &[&str]) -> PasswordPolicySettings {
        PasswordPolicySettings {
            min_length,
            custom_banned: banned.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn the_policy_follows_its_limits() {
        assert!(policy(8, &["contoso", "fabrikam"]).validate().is_empty());
        assert_eq!(policy(7, &[]).validate()[0].rule, Rule::OutOfRange);
        assert_eq!(policy(257, &[]).validate()[0].rule, Rule::OutOfRange);
        assert_eq!(policy(8, &["abc"]).validate()[0].rule, Rule::TooShort);
        assert_eq!(
            policy(8, &[&"x".repeat(17)]).validate()[0].rule,
            Rule::TooLong
        );
        assert_eq!(
            policy(8, &["Contoso", " contoso "]).validate()[0].rule,
            Rule::Duplicate
        );
        let many: Vec<String> = (0..1001).map(|i| format!("term{i}")).collect();
        let too_many = PasswordPolicySettings {
            custom_banned: many,
            ..Default::default()
        };
        assert_eq!(too_many.validate()[0].rule, Rule::TooMany);
        let mut tidy = policy(8, &[" spaced ", "", "ok12"]);
        tidy.normalize();
        assert_eq!(tidy.custom_banned, vec!["spaced", "ok12"]);
    }

    #[test]
    fn history_keeps_at_most_24() {
        let with = |history| PasswordPolicySettings {
            history,
            ..Default::default()
        };
        assert!(with(0).validate().is_empty());
        assert!(with(24).validate().is_empty());
        assert_eq!(with(25).validate()[0].field, "history");
    }

    fn expiry(max_age_days: u16, notice_days: u16) -> PasswordExpirySettings {
        PasswordExpirySettings {
            expires: true,
            max_age_days,
            notice_days,
        }
    }

    #[test]
    fn expiry_follows_its_limits() {
        assert!(expiry(14, 0).validate().is_empty());
        assert!(expiry(730, 30).validate().is_empty());
        assert_eq!(expiry(13, 0).validate()[0].field, "max_age_days");
        assert_eq!(expiry(731, 0).validate()[0].field, "max_age_days");
        assert_eq!(expiry(90, 31).validate()[0].field, "notice_days");
        // a notice as long as the lifetime would warn the moment a password is set
        assert_eq!(expiry(14, 14).validate()[0].field, "notice_days");
        assert!(PasswordExpirySettings::default().validate().is_empty());
    }

    #[test]
    fn a_password_expires_after_its_age_unless_exempt() {
        let policy = expiry(30, 7);
        let set = 1_000_000;
        assert_eq!(policy.expires_at(set, false), Some(set + 30 * DAY));
        assert!(!policy.is_expired(set, false, set + 30 * DAY - 1));
        assert!(policy.is_expired(set, false, set + 30 * DAY));
        assert!(!policy.is_expired(set, true, set + 365 * DAY));
        let off = PasswordExpirySettings::default();
        assert!(!off.is_expired(0, false, set));
        assert_eq!(off.expired_if_changed_before(set), None);
        assert_eq!(
            policy.notice_if_changed_before(set + 30 * DAY),
            Some(set + 7 * DAY)
        );
    }
}
