//! The self-service password reset settings sections beside who it is on for (`sspr`):
//! authentication methods, registration, notifications and customisation. Each section is
//! stored, validated, audited and edited the same way through [`SettingsSection`].

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::validation::{FieldError, Rule};

mod directory;
mod password;
mod portal;
pub use directory::*;
pub use password::*;
pub use portal::*;

/// One independently saved group of settings.
pub trait SettingsSection:
    Serialize + DeserializeOwned + Clone + PartialEq + Default + Send + Sync + 'static
{
    /// The storage key and the audit target.
    const KEY: &'static str;
    /// Where the API serves it, below `/api`.
    const PATH: &'static str;

    /// Every broken rule, by field; empty when the section may be saved.
    fn validate(&self) -> Vec<FieldError>;

    /// Tidies what was typed (trims text) before it is validated and stored.
    fn normalize(&mut self) {}

    /// What a change is recorded as in the audit log.
    const AUDIT: crate::audit::AuditAction = crate::audit::AuditAction::SsprSettingsChanged;

    /// Set outside the admin centre (by the deployment's configuration): shown, not edited.
    fn locked(&self) -> bool {
        false
    }
}

impl SettingsSection for crate::sspr::SsprSettings {
    const KEY: &'static str = "sspr";
    const PATH: &'static str = "/settings/sspr";

    fn validate(&self) -> Vec<FieldError> {
        crate::sspr::SsprSettings::validate(self)
    }

    fn normalize(&mut self) {
        self.group_id = self.group_id.take().map(|g| g.trim().to_string());
    }
}

/// How users prove who they are before they may reset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AuthMethodsSettings {
    /// How many different methods a reset needs: 1 or 2.
    pub methods_required: u8,
    /// Passkeys (WebAuthn), on the user's devices or security keys.
    #[serde(default = "yes")]
    pub passkey: bool,
    /// With two methods required, one passkey is enough on its own (not for admins).
    #[serde(default)]
    pub passkey_alone: bool,
    pub email: bool,
    pub mobile_phone: bool,
    pub authenticator_app: bool,
    pub security_questions: bool,
    /// Security questions a user registers: 3-5.
    pub questions_to_register: u8,
    /// Security questions asked at reset: 3-5, not more than registered.
    pub questions_to_reset: u8,
    /// The organisation's own questions, offered beside the built-in ones (up to 20).
    #[serde(default)]
    pub custom_questions: Vec<String>,
    /// Users who know their password but are locked out may unlock without resetting it.
    #[serde(default = "yes")]
    pub allow_unlock: bool,
    /// Show masked hints ("a•••@contoso.example") and the account's own methods on the reset
    /// page's first screen. Off: everyone sees the organisation's methods and types the whole
    /// address, so the page tells nobody which names are real.
    #[serde(default)]
    pub reset_hints: bool,
}

impl Default for AuthMethodsSettings {
    fn default() -> Self {
        AuthMethodsSettings {
            methods_required: 1,
            passkey: true,
            passkey_alone: false,
            email: true,
            mobile_phone: true,
            authenticator_app: false,
            security_questions: false,
            questions_to_register: 3,
            questions_to_reset: 3,
            custom_questions: Vec::new(),
            allow_unlock: true,
            reset_hints: false,
        }
    }
}

pub const QUESTIONS_MIN: u8 = 3;
pub const QUESTIONS_MAX: u8 = 5;

impl AuthMethodsSettings {
    /// Methods other than the authenticator app and passkeys: what is left to a user who lost
    /// their phone (or security key).
    fn methods_besides_app(&self) -> u8 {
        [self.email, self.mobile_phone, self.security_questions]
            .into_iter()
            .filter(|on| *on)
            .count() as u8
    }
}

impl SettingsSection for AuthMethodsSettings {
    const KEY: &'static str = "sspr_methods";
    const PATH: &'static str = "/settings/sspr/methods";

    fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !(1..=2).contains(&self.methods_required) {
            errors.push(FieldError::new("methods_required", Rule::OutOfRange));
        } else if self.methods_besides_app() < self.methods_required {
            // The app alone (or the app plus one, with two required) would lock out anyone who
            // loses their phone.
            errors.push(FieldError::new("methods", Rule::NotEnoughMethods));
        }
        let range = QUESTIONS_MIN..=QUESTIONS_MAX;
        if !range.contains(&self.questions_to_register) {
            errors.push(FieldError::new("questions_to_register", Rule::OutOfRange));
        }
        if !range.contains(&self.questions_to_reset) {
            errors.push(FieldError::new("questions_to_reset", Rule::OutOfRange));
        } else if self.questions_to_reset > self.questions_to_register {
            errors.push(FieldError::new(
                "questions_to_reset",
                Rule::MoreThanRegistered,
            ));
        }
        errors.extend(crate::questions::check_custom_questions(
            &self.custom_questions,
        ));
        errors
    }

    fn normalize(&mut self) {
        for question in &mut self.custom_questions {
            *question = question.trim().to_string();
        }
    }
}

/// Whether and how often users are asked to register their security info.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegistrationSettings {
    /// Ask users to register when they sign in (they may skip; asked again next time).
    pub require_registration: bool,
    /// Days before users are asked to reconfirm their info: 0 (never) to 730.
    pub reconfirm_days: u16,
    /// Users may skip the sign-in wizard for now (they are asked again next sign-in).
    #[serde(default = "yes")]
    pub allow_skip: bool,
}

fn yes() -> bool {
    true
}

pub const RECONFIRM_DAYS_MAX: u16 = 730;

impl Default for RegistrationSettings {
    fn default() -> Self {
        RegistrationSettings {
            require_registration: true,
            reconfirm_days: 180,
            allow_skip: true,
        }
    }
}

impl SettingsSection for RegistrationSettings {
    const KEY: &'static str = "sspr_registration";
    const PATH: &'static str = "/settings/sspr/registration";

    fn validate(&self) -> Vec<FieldError> {
        if self.reconfirm_days > RECONFIRM_DAYS_MAX {
            vec![FieldError::new("reconfirm_days", Rule::OutOfRange)]
        } else {
            Vec::new()
        }
    }
}

/// Who hears about a reset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    /// Email users when their password is reset.
    pub notify_users: bool,
    /// Email all Global admins when another admin resets their password.
    pub notify_admins: bool,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings {
            notify_users: true,
            notify_admins: false,
        }
    }
}

impl SettingsSection for NotificationSettings {
    const KEY: &'static str = "sspr_notifications";
    const PATH: &'static str = "/settings/sspr/notifications";

    fn validate(&self) -> Vec<FieldError> {
        Vec::new()
    }
}

/// Where users who are stuck get help.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomizationSettings {
    /// Off: "contact your administrator" emails the Password and Helpdesk admins (then User
    /// admins, then Global admins). On: users are sent to `helpdesk_contact`.
    pub custom_helpdesk: bool,
    /// An email address or an https:// (or http://) URL.
    #[serde(default)]
    pub helpdesk_contact: String,
}

pub const HELPDESK_CONTACT_MAX: usize = 254;

/// A plausible email address: one `@`, something before it, a dot in the domain, no spaces.
pub fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn looks_like_web_address(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !r.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

impl SettingsSection for CustomizationSettings {
    const KEY: &'static str = "sspr_customization";

    fn normalize(&mut self) {
        self.helpdesk_contact = self.helpdesk_contact.trim().to_string();
    }
    const PATH: &'static str = "/settings/sspr/customization";

    fn validate(&self) -> Vec<FieldError> {
        let contact = self.helpdesk_contact.trim();
        let field = "helpdesk_contact";
        if !self.custom_helpdesk {
            return Vec::new();
        }
        let rule = if contact.is_empty() {
            Some(Rule::Required)
        } else if contact.chars().count() > HELPDESK_CONTACT_MAX {
            Some(Rule::TooLong)
        } else if !looks_like_email(contact) && !looks_like_web_address(contact) {
            Some(Rule::NotEmailOrUrl)
        } else {
            None
        };
        rule.map(|r| vec![FieldError::new(field, r)])
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(errors: Vec<FieldError>) -> Vec<(String, Rule)> {
        errors.into_iter().map(|e| (e.field, e.rule)).collect()
    }

    fn methods(
        required: u8,
        email: bool,
        phone: bool,
        app: bool,
        questions: bool,
    ) -> AuthMethodsSettings {
        AuthMethodsSettings {
            methods_required: required,
            email,
            mobile_phone: phone,
            authenticator_app: app,
            security_questions: questions,
            ..AuthMethodsSettings::default()
        }
    }

    #[test]
    fn defaults_are_valid() {
        assert!(AuthMethodsSettings::default().validate().is_empty());
        assert!(RegistrationSettings::default().validate().is_empty());
        assert!(NotificationSettings::default().validate().is_empty());
        assert!(CustomizationSettings::default().validate().is_empty());
    }

    #[test]
    fn the_app_never_stands_alone() {
        let not_enough = vec![("methods".to_string(), Rule::NotEnoughMethods)];
        assert_eq!(
            rules(methods(1, false, false, true, false).validate()),
            not_enough
        );
        assert!(methods(1, true, false, true, false).validate().is_empty());
        // With two required, the app plus one other is not enough.
        assert_eq!(
            rules(methods(2, true, false, true, false).validate()),
            not_enough
        );
        assert!(methods(2, true, true, true, false).validate().is_empty());
        assert!(methods(2, true, false, false, true).validate().is_empty());
        // Passkeys, like the app, live on a device that can be lost.
        let passkey_and_email = AuthMethodsSettings {
            passkey: true,
            ..methods(2, true, false, false, false)
        };
        assert_eq!(rules(passkey_and_email.validate()), not_enough);
        assert_eq!(
            rules(methods(1, false, false, false, false).validate()),
            not_enough
        );
        assert_eq!(
            rules(methods(3, true, true, true, true).validate()),
            vec![("methods_required".to_string(), Rule::OutOfRange)]
        );
    }

    #[test]
    fn question_counts_stay_in_range_and_in_order() {
        let with = |register, reset| AuthMethodsSettings {
            questions_to_register: register,
            questions_to_reset: reset,
            ..AuthMethodsSettings::default()
        };
        assert!(with(5, 3).validate().is_empty());
        assert_eq!(
            rules(with(3, 4).validate()),
            vec![("questions_to_reset".to_string(), Rule::MoreThanRegistered)]
        );
        assert_eq!(
            rules(with(2, 6).validate()),
            vec![
                ("questions_to_register".to_string(), Rule::OutOfRange),
                ("questions_to_reset".to_string(), Rule::OutOfRange)
            ]
        );
    }

    #[test]
    fn reconfirm_days_are_bounded() {
        let days = |d| RegistrationSettings {
            reconfirm_days: d,
            ..RegistrationSettings::default()
        };
        assert!(days(0).validate().is_empty());
        assert!(days(730).validate().is_empty());
        assert_eq!(rules(days(731).validate())[0].1, Rule::OutOfRange);
    }

    #[test]
    fn a_custom_helpdesk_needs_an_email_or_web_address() {
        let contact = |on, text: &str| CustomizationSettings {
            custom_helpdesk: on,
            helpdesk_contact: text.to_string(),
        };
        assert!(contact(false, "").validate().is_empty());
        assert!(contact(true, "help@contoso.example").validate().is_empty());
        assert!(contact(true, "https://help.contoso.example/reset")
            .validate()
            .is_empty());
        assert_eq!(rules(contact(true, " ").validate())[0].1, Rule::Required);
        for bad in [
            "help desk",
            "ftp://x.example",
            "a@b",
            "https://",
            "@contoso.example",
        ] {
            assert_eq!(
                rules(contact(true, bad).validate())[0].1,
                Rule::NotEmailOrUrl,
                "{bad}"
            );
        }
        let long = format!("https://x.example/{}", "a".repeat(300));
        assert_eq!(rules(contact(true, &long).validate())[0].1, Rule::TooLong);
    }
}
