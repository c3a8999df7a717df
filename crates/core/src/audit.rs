//! What the audit log records.

use serde::{Deserialize, Serialize};

use crate::validation::Rule;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    SsprSettingsChanged,
    SignInSucceeded,
    SignInFailed,
    SignInLocked,
    SignedOut,
    GlobalAdminCreated,
    TestEmailQueued,
    SecurityInfoChanged,
    SecurityInfoConfirmed,
    TestSmsQueued,
    PasswordResetSelf,
    AccountUnlockedSelf,
    ResetBlocked,
    PasswordPolicyChanged,
    PasswordExpiryChanged,
    UserCreated,
    UserUpdated,
    UserDeleted,
    PasswordNeverExpiresChanged,
    PasswordResetByAdmin,
    AccountUnlockedByAdmin,
    SessionsRevoked,
    UsersImported,
    PasswordChanged,
    PasswordExpiryNoticeSent,
    BrandingChanged,
    EmbeddingChanged,
    DirectorySynced,
    DirectoryChanged,
    GroupRolesChanged,
    /// The organisation's directory refused a password Rekey tried to set (the reason, never
    /// the password).
    DirectoryRefusedPassword,
    /// A proof of identity failed in a reset, an unlock or a step-up: the method and why
    /// (a wrong code or answer, a code used before, an expired code).
    ProofFailed,
    /// A sign-in refused without checking the password, because the name or client is locked.
    SignInRefusedLocked,
    /// Someone began the reset flow (whether or not the name matches anyone; the detail says
    /// why it cannot go on when it cannot).
    ResetStarted,
    /// A reset flow ran out of time unfinished: where it stopped and why.
    ResetAbandoned,
}

/// Whether what an event records was done or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }
    }
}

impl AuditAction {
    pub const ALL: [AuditAction; 35] = [
        AuditAction::SsprSettingsChanged,
        AuditAction::SignInSucceeded,
        AuditAction::SignInFailed,
        AuditAction::SignInLocked,
        AuditAction::SignedOut,
        AuditAction::GlobalAdminCreated,
        AuditAction::TestEmailQueued,
        AuditAction::SecurityInfoChanged,
        AuditAction::SecurityInfoConfirmed,
        AuditAction::TestSmsQueued,
        AuditAction::PasswordResetSelf,
        AuditAction::AccountUnlockedSelf,
        AuditAction::ResetBlocked,
        AuditAction::PasswordPolicyChanged,
        AuditAction::PasswordExpiryChanged,
        AuditAction::UserCreated,
        AuditAction::UserUpdated,
        AuditAction::UserDeleted,
        AuditAction::PasswordNeverExpiresChanged,
        AuditAction::PasswordResetByAdmin,
        AuditAction::AccountUnlockedByAdmin,
        AuditAction::SessionsRevoked,
        AuditAction::UsersImported,
        AuditAction::PasswordChanged,
        AuditAction::PasswordExpiryNoticeSent,
        AuditAction::BrandingChanged,
        AuditAction::EmbeddingChanged,
        AuditAction::DirectorySynced,
        AuditAction::DirectoryChanged,
        AuditAction::GroupRolesChanged,
        AuditAction::DirectoryRefusedPassword,
        AuditAction::ProofFailed,
        AuditAction::SignInRefusedLocked,
        AuditAction::ResetStarted,
        AuditAction::ResetAbandoned,
    ];

    /// The failures; every other action records something that happened.
    pub const FAILURES: [AuditAction; 7] = [
        AuditAction::SignInFailed,
        AuditAction::SignInLocked,
        AuditAction::SignInRefusedLocked,
        AuditAction::ResetBlocked,
        AuditAction::DirectoryRefusedPassword,
        AuditAction::ProofFailed,
        AuditAction::ResetAbandoned,
    ];

    pub fn outcome(self) -> Outcome {
        if AuditAction::FAILURES.contains(&self) {
            Outcome::Failure
        } else {
            Outcome::Success
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SsprSettingsChanged => "sspr_settings_changed",
            AuditAction::SignInSucceeded => "sign_in_succeeded",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignInLocked => "sign_in_locked",
            AuditAction::SignedOut => "signed_out",
            AuditAction::GlobalAdminCreated => "global_admin_created",
            AuditAction::TestEmailQueued => "test_email_queued",
            AuditAction::SecurityInfoChanged => "security_info_changed",
            AuditAction::SecurityInfoConfirmed => "security_info_confirmed",
            AuditAction::TestSmsQueued => "test_sms_queued",
            AuditAction::PasswordResetSelf => "password_reset_self",
            AuditAction::AccountUnlockedSelf => "account_unlocked_self",
            AuditAction::ResetBlocked => "reset_blocked",
            AuditAction::PasswordPolicyChanged => "password_policy_changed",
            AuditAction::PasswordExpiryChanged => "password_expiry_changed",
            AuditAction::UserCreated => "user_created",
            AuditAction::UserUpdated => "user_updated",
            AuditAction::UserDeleted => "user_deleted",
            AuditAction::PasswordNeverExpiresChanged => "password_never_expires_changed",
            AuditAction::PasswordResetByAdmin => "password_reset_by_admin",
            AuditAction::AccountUnlockedByAdmin => "account_unlocked_by_admin",
            AuditAction::SessionsRevoked => "sessions_revoked",
            AuditAction::UsersImported => "users_imported",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::PasswordExpiryNoticeSent => "password_expiry_notice_sent",
            AuditAction::BrandingChanged => "branding_changed",
            AuditAction::EmbeddingChanged => "embedding_changed",
            AuditAction::DirectorySynced => "directory_synced",
            AuditAction::DirectoryChanged => "directory_changed",
            AuditAction::GroupRolesChanged => "group_roles_changed",
            AuditAction::DirectoryRefusedPassword => "directory_refused_password",
            AuditAction::ProofFailed => "proof_failed",
            AuditAction::SignInRefusedLocked => "sign_in_refused_locked",
            AuditAction::ResetStarted => "reset_started",
            AuditAction::ResetAbandoned => "reset_abandoned",
        }
    }

    pub fn parse(name: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// The self-service flow an event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// The reset flow, before its intent is chosen or for a reset.
    Reset,
    Unlock,
    /// A signed-in person proving it is them before changing their security info.
    StepUp,
}

impl Flow {
    pub fn as_str(self) -> &'static str {
        match self {
            Flow::Reset => "reset",
            Flow::Unlock => "unlock",
            Flow::StepUp => "step_up",
        }
    }
}

/// Why a reset did not finish: the last thing that went wrong in it, or that nothing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// Nothing went wrong: the person left.
    Left,
    /// The name matches nobody (or a disabled account).
    UnknownName,
    /// Self-service reset does not cover the person.
    NotCovered,
    /// The person has not registered enough methods.
    NotRegistered,
    WrongCode,
    WrongAnswers,
    CodeReused,
    CodeExpired,
    /// Too many failed proofs today.
    Blocked,
    /// The new password broke a rule (the rule is named after a colon, e.g.
    /// `password_refused:too_short`).
    PasswordRefused,
    /// The organisation's directory refused the new password.
    DirectoryRefused,
    /// A passkey did not verify (or matches nobody, or its counter went backwards).
    PasskeyRefused,
}

impl StopReason {
    pub const ALL: [StopReason; 12] = [
        StopReason::Left,
        StopReason::UnknownName,
        StopReason::NotCovered,
        StopReason::NotRegistered,
        StopReason::WrongCode,
        StopReason::WrongAnswers,
        StopReason::CodeReused,
        StopReason::CodeExpired,
        StopReason::Blocked,
        StopReason::PasswordRefused,
        StopReason::DirectoryRefused,
        StopReason::PasskeyRefused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::Left => "left",
            StopReason::UnknownName => "unknown_name",
            StopReason::NotCovered => "not_covered",
            StopReason::NotRegistered => "not_registered",
            StopReason::WrongCode => "wrong_code",
            StopReason::WrongAnswers => "wrong_answers",
            StopReason::CodeReused => "code_reused",
            StopReason::CodeExpired => "code_expired",
            StopReason::Blocked => "blocked",
            StopReason::PasswordRefused => "password_refused",
            StopReason::DirectoryRefused => "directory_refused",
            StopReason::PasskeyRefused => "passkey_refused",
        }
    }

    /// A reason as stored (`password_refused:too_short`): the reason and the rule it names.
    pub fn parse(text: &str) -> Option<(StopReason, Option<Rule>)> {
        let (name, rule) = match text.split_once(':') {
            Some((name, rule)) => (name, Some(rule)),
            None => (text, None),
        };
        let reason = StopReason::ALL.into_iter().find(|r| r.as_str() == name)?;
        let rule = rule.and_then(|r| serde_json::from_value(serde_json::Value::from(r)).ok());
        Some((reason, rule))
    }

    /// The stored form, with the rule a refused password broke.
    pub fn with_rule(self, rule: Option<Rule>) -> String {
        match rule.and_then(|r| serde_json::to_value(r).ok()) {
            Some(serde_json::Value::String(rule)) => format!("{}:{rule}", self.as_str()),
            _ => self.as_str().to_string(),
        }
    }
}

/// One value an event's detail names, as it was and as it became (either may be absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The field's path in the detail, e.g. `scope` or `methods.email`.
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What an event's detail says in plain words: the fields that differ between its old and new
/// values (every field, when only one side is there), nested objects flattened to dotted
/// paths, each value written as text.
pub fn changes(old: Option<&serde_json::Value>, new: Option<&serde_json::Value>) -> Vec<Change> {
    let mut before = Vec::new();
    let mut after = Vec::new();
    flatten("", old, &mut before);
    flatten("", new, &mut after);
    let fields = before.iter().chain(&after).map(|(f, _)| f);
    // A detail has a handful of fields: a list is smaller than a hash set in the page's code.
    let mut seen: Vec<&str> = Vec::new();
    let find = |list: &[(String, String)], field: &str| {
        list.iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
    };
    fields
        .filter(|f| {
            let new = !seen.contains(&f.as_str());
            seen.push(f);
            new
        })
        .filter_map(|field| {
            let (was, now) = (find(&before, field), find(&after, field));
            (was != now).then(|| Change {
                field: field.clone(),
                before: was,
                after: now,
            })
        })
        .collect()
}

fn flatten(path: &str, value: Option<&serde_json::Value>, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    let Some(value) = value else { return };
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                flatten(&path, Some(inner), out);
            }
        }
        Value::Null => {}
        Value::String(text) => out.push((path.to_string(), text.clone())),
        Value::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|item| match item {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect();
            out.push((path.to_string(), items.join(", ")));
        }
        other => out.push((path.to_string(), other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_change_lists_only_what_differs_in_plain_text() {
        let old =
            json!({"scope": "group", "group_id": "g1", "methods": {"email": true, "app": true}});
        let new = json!({"scope": "all", "group_id": "g1", "methods": {"email": false, "app": true}, "origins": ["https://a.example", "https://b.example"]});
        let said = changes(Some(&old), Some(&new));
        let as_text: Vec<(&str, Option<&str>, Option<&str>)> = said
            .iter()
            .map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref()))
            .collect();
        assert_eq!(
            as_text,
            [
                ("methods.email", Some("true"), Some("false")),
                ("scope", Some("group"), Some("all")),
                (
                    "origins",
                    None,
                    Some("https://a.example, https://b.example")
                ),
            ]
        );
        let only_new = changes(
            None,
            Some(&json!({"reason": "wrong_code", "method": "email"})),
        );
        assert_eq!(only_new.len(), 2);
        assert!(changes(None, None).is_empty());
        assert!(changes(Some(&old), Some(&old)).is_empty());
    }

    #[test]
    fn failures_are_the_refusals() {
        assert_eq!(AuditAction::ProofFailed.outcome(), Outcome::Failure);
        assert_eq!(AuditAction::PasswordResetSelf.outcome(), Outcome::Success);
        let failing = AuditAction::ALL
            .iter()
            .filter(|a| a.outcome() == Outcome::Failure)
            .count();
        assert_eq!(failing, AuditAction::FAILURES.len());
    }

    #[test]
    fn stored_names_match_the_wire_names() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            assert_eq!(
                serde_json::to_string(&action).unwrap(),
                format!("\"{}\"", action.as_str())
            );
        }
    }

    #[test]
    fn a_stop_reason_keeps_the_rule_a_password_broke() {
        let stored = StopReason::PasswordRefused.with_rule(Some(Rule::TooShort));
        assert_eq!(stored, "password_refused:too_short");
        assert_eq!(
            StopReason::parse(&stored),
            Some((StopReason::PasswordRefused, Some(Rule::TooShort)))
        );
        assert_eq!(
            StopReason::parse("blocked"),
            Some((StopReason::Blocked, None))
        );
        assert_eq!(StopReason::parse("nonsense"), None);
        assert_eq!(StopReason::Left.with_rule(None), "left");
    }
}
