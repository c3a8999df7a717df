//! Field-level validation results shared by the SPA (shown inline as you type) and the API
//! (returned with `validation_failed`).

use serde::{Deserialize, Serialize};

/// Which rule a field broke. Serialised names are stable; the SPA translates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The field must not be empty.
    Required,
    /// "Selected" needs exactly one group.
    GroupRequired,
    /// A group is only meaningful with "Selected".
    GroupNotAllowed,
    /// The named group does not exist (checked by the server).
    GroupNotFound,
    /// The text is longer than allowed.
    TooLong,
    /// The text contains characters that are not allowed.
    InvalidCharacters,
    /// The number is outside the allowed range.
    OutOfRange,
    /// The methods left besides the authenticator app are fewer than the methods required.
    NotEnoughMethods,
    /// More security questions asked at reset than registered.
    MoreThanRegistered,
    /// Neither an email address nor a web address.
    NotEmailOrUrl,
    /// The text is shorter than allowed.
    TooShort,
    /// More entries than allowed.
    TooMany,
    /// The same entry twice.
    Duplicate,
    /// Not an email address.
    NotEmail,
    /// Not a mobile number in international (E.164) form.
    NotPhone,
    /// Not a code of the expected number of digits.
    NotCode,
    /// Not the number of entries required.
    WrongCount,
    /// The same security answer given to two questions.
    AnswerReused,
    /// The password is, or is built from, a common password, the user's names or the
    /// organisation's name.
    EasyToGuess,
    /// The confirmation differs from the password.
    Mismatch,
    /// The anti-automation puzzle was not solved (or has expired).
    PuzzleUnsolved,
    /// Fewer than three of: lower case, upper case, digit, symbol (when the policy asks).
    MissingCharacterClasses,
    /// One of the user's recent passwords (the policy's history).
    Reused,
    /// Not the user's current password.
    Incorrect,
    /// Another user already has this sign-in name.
    Taken,
    /// No authentication email on file to send to.
    NoEmailOnFile,
    /// Not one of the accepted values.
    Unknown,
    /// Not an https:// web address.
    NotHttpsUrl,
    /// Not a colour written as #rrggbb.
    NotColour,
    /// White text on this colour is hard to read (below 4.5:1).
    LowContrast,
    /// Not a web origin (https://host[:port]).
    NotOrigin,
    /// Not an `ldaps://` or `ldap://` address.
    NotLdapUrl,
    /// Plain LDAP (no TLS, no StartTLS) to a server that is not on this machine.
    PlainLdapNotLoopback,
    /// Not an LDAP filter in balanced parentheses.
    NotLdapFilter,
    /// Not a PEM certificate (`-----BEGIN CERTIFICATE-----`).
    NotPemCertificate,
    /// No directory server answers at these addresses (Test connection).
    DirectoryUnreachable,
    /// The directory's certificate is not trusted or not for this address (Test connection).
    DirectoryTlsFailed,
    /// The directory refused the service account's DN or password (Test connection).
    DirectoryBindRefused,
    /// The directory has no entry at this DN (Test connection).
    DirectoryBaseNotFound,
    /// The filter finds nobody, or the people found lack this attribute (Test connection).
    DirectoryNothingFound,
    /// The organisation's directory keeps this value: change it there.
    DirectoryOwned,
    /// The change would take away a role of the admin making it: nobody locks themselves out.
    OwnAccess,
    /// The directory refuses another change so soon after the last (minimum age).
    DirectoryTooSoon,
    /// The directory refused the password without saying which of its rules it breaks.
    DirectoryPolicy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The JSON field name, e.g. `group_id`.
    pub field: String,
    pub rule: Rule,
}

impl FieldError {
    pub fn new(field: &str, rule: Rule) -> Self {
        FieldError {
            field: field.to_string(),
            rule,
        }
    }
}

/// The longest sign-in name accepted anywhere.
pub const SIGN_IN_NAME_MAX: usize = 254;
/// Passwords are capped so a huge body cannot make hashing expensive.
pub const PASSWORD_MAX: usize = 256;

/// Normalises a sign-in name the one way used for look-ups: trimmed, lower-case.
pub fn normalize_sign_in_name(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The longest display name accepted.
pub const DISPLAY_NAME_MAX: usize = 128;

fn check_name(field: &str, name: &str, max: usize, errors: &mut Vec<FieldError>) {
    let name = name.trim();
    let rule = if name.is_empty() {
        Rule::Required
    } else if name.chars().count() > max {
        Rule::TooLong
    } else if name.chars().any(char::is_control) {
        Rule::InvalidCharacters
    } else {
        return;
    };
    errors.push(FieldError::new(field, rule));
}

/// Checks the shape of a sign-in form before anything is sent or looked up.
pub fn check_sign_in(sign_in_name: &str, password: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    check_name("sign_in_name", sign_in_name, SIGN_IN_NAME_MAX, &mut errors);
    if password.is_empty() {
        errors.push(FieldError::new("password", Rule::Required));
    } else if password.chars().count() > PASSWORD_MAX {
        errors.push(FieldError::new("password", Rule::TooLong));
    }
    errors
}

/// Checks a new user's names (admin form, API, CSV import). A sign-in name has no spaces.
pub fn check_user_names(sign_in_name: &str, display_name: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    check_name("sign_in_name", sign_in_name, SIGN_IN_NAME_MAX, &mut errors);
    if errors.is_empty() && sign_in_name.trim().chars().any(char::is_whitespace) {
        errors.push(FieldError::new("sign_in_name", Rule::InvalidCharacters));
    }
    check_display_name(display_name, &mut errors);
    errors
}

pub fn check_display_name(display_name: &str, errors: &mut Vec<FieldError>) {
    check_name("display_name", display_name, DISPLAY_NAME_MAX, errors);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_names_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalize_sign_in_name("  Ada@Contoso.Example "),
            "ada@contoso.example"
        );
    }

    #[test]
    fn sign_in_form_reports_every_broken_field() {
        let errors = check_sign_in("   ", "");
        assert_eq!(
            errors,
            vec![
                FieldError::new("sign_in_name", Rule::Required),
                FieldError::new("password", Rule::Required)
            ]
        );
        assert!(check_sign_in("ada", "x").is_empty());
        let long = "a".repeat(SIGN_IN_NAME_MAX + 1);
        assert_eq!(check_sign_in(&long, "x")[0].rule, Rule::TooLong);
        assert_eq!(
            check_sign_in("ada\u{0}", "x")[0].rule,
            Rule::InvalidCharacters
        );
        let huge = "p".repeat(PASSWORD_MAX + 1);
        assert_eq!(check_sign_in("ada", &huge)[0].rule, Rule::TooLong);
    }

    #[test]
    fn new_user_names_are_checked() {
        assert!(check_user_names("ada@contoso.example", "Ada Lovelace").is_empty());
        let rules = |n: &str, d: &str| -> Vec<(String, Rule)> {
            check_user_names(n, d)
                .into_iter()
                .map(|e| (e.field, e.rule))
                .collect()
        };
        assert_eq!(
            rules("ada lovelace", ""),
            vec![
                ("sign_in_name".into(), Rule::InvalidCharacters),
                ("display_name".into(), Rule::Required)
            ]
        );
        assert_eq!(
            rules("ada", &"x".repeat(129)),
            vec![("display_name".into(), Rule::TooLong)]
        );
    }
}
