//! The rules for a new password, shared by the page (checked as you type) and the server
//! (enforced): length, and a banned list scored the way users know from Entra: normalise
//! (lower case, 0→o 1→l $→s @→a), find banned terms allowing one edit, count each found term as
//! one point and every other character as one point, and require five points.

use crate::settings::PasswordPolicySettings;
use crate::validation::{FieldError, Rule, PASSWORD_MAX};

/// The shortest minimum length a policy may set.
pub const MIN_LENGTH_FLOOR: usize = 8;
/// Points a password needs (see the module comment).
pub const REQUIRED_POINTS: usize = 5;
/// Banned terms shorter than this are ignored: they would ban too much.
const TERM_MIN_CHARS: usize = 4;

/// Common passwords and the words they are built from. Short on purpose: fuzzy matching and
/// normalisation cover the variants (`P@ssw0rd1`), and an organisation adds its own terms.
const GLOBAL_BANNED: &[&str] = &[
    "password",
    "passwort",
    "motdepasse",
    "contrasena",
    "qwerty",
    "qwertz",
    "azerty",
    "asdf",
    "zxcvbn",
    "letmein",
    "welcome",
    "admin",
    "administrator",
    "login",
    "iloveyou",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "soccer",
    "hockey",
    "sunshine",
    "princess",
    "master",
    "shadow",
    "superman",
    "batman",
    "trustno",
    "starwars",
    "pokemon",
    "whatever",
    "freedom",
    "secret",
    "changeme",
    "default",
    "access",
    "master",
    "hello",
    "charlie",
    "michael",
    "jordan",
    "jennifer",
    "hunter",
    "ranger",
    "killer",
    "cookie",
    "cheese",
    "flower",
    "summer",
    "winter",
    "spring",
    "autumn",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "friday",
    "sunday",
    "abcd",
    "abcdef",
    "1234",
    "12345",
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "1234567890",
    "0000",
    "1111",
    "7777",
    "9999",
    "2020",
    "2021",
    "2022",
    "2023",
    "2024",
    "2025",
    "2026",
    "2027",
    "qazwsx",
    "zaq12wsx",
    "1q2w3e",
    "google",
    "microsoft",
    "apple",
    "computer",
    "internet",
    "office",
    "company",
    "business",
    "temp",
    "test",
    "guest",
    "user",
    "root",
    "system",
    "service",
    "support",
    "helpdesk",
    "security",
    "reset",
    "new password",
    "mypassword",
    "letmeinnow",
    "loveyou",
    "baby",
    "angel",
    "family",
    "happy",
    "lucky",
];

/// The one form banned-list matching compares in.
pub fn normalize_for_banned(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'l',
            '$' => 's',
            '@' => 'a',
            other => other,
        })
        .collect()
}

/// What a password is checked against besides the global list.
#[derive(Debug, Clone, Default)]
pub struct PasswordContext {
    /// The user's own names: sign-in name (its local part too) and display name words.
    pub personal: Vec<String>,
    /// The organisation's name.
    pub organisation: String,
    /// The organisation's own banned terms.
    pub custom: Vec<String>,
}

impl PasswordContext {
    /// The personal terms of a user: the sign-in name, its local part and its pieces, and the
    /// words of the display name.
    pub fn for_user(sign_in_name: &str, display_name: &str, organisation: &str) -> Self {
        let local = sign_in_name.split('@').next().unwrap_or(sign_in_name);
        let mut personal = vec![sign_in_name.to_string(), local.to_string()];
        personal.extend(local.split(['.', '_', '-']).map(str::to_string));
        personal.extend(display_name.split_whitespace().map(str::to_string));
        PasswordContext {
            personal,
            organisation: organisation.to_string(),
            custom: Vec::new(),
        }
    }

    /// Adds the organisation's own banned terms.
    pub fn with_policy(mut self, policy: &PasswordPolicySettings) -> Self {
        self.custom = policy.custom_banned.clone();
        self
    }

    fn terms(&self) -> Vec<Vec<char>> {
        let extra = self
            .personal
            .iter()
            .chain(std::iter::once(&self.organisation))
            .chain(&self.custom)
            .map(String::as_str);
        let mut terms: Vec<Vec<char>> = GLOBAL_BANNED
            .iter()
            .copied()
            .chain(extra)
            .map(|t| {
                normalize_for_banned(t.trim())
                    .chars()
                    .collect::<Vec<char>>()
            })
            .filter(|t| t.len() >= TERM_MIN_CHARS)
            .collect();
        // Longest first, so "password" is found before "pass…" pieces of it.
        terms.sort_by_key(|t| std::cmp::Reverse(t.len()));
        terms.dedup();
        terms
    }
}

/// Whether `a` and `b` differ by at most one insertion, deletion or substitution.
pub fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        // One substitution at most: everything after the first difference must match.
        prefix == short.len() || short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// The password's points: each banned term found (allowing one edit) counts one, every other
/// character one.
pub fn points(password: &str, context: &PasswordContext) -> usize {
    let text: Vec<char> = normalize_for_banned(password).chars().collect();
    let terms = context.terms();
    let mut covered = vec![false; text.len()];
    let mut found = 0;
    for term in &terms {
        // Windows one shorter, as long, and one longer than the term: one edit either way.
        for width in [term.len(), term.len() - 1, term.len() + 1] {
            if width > text.len() {
                continue;
            }
            let mut start = 0;
            while start + width <= text.len() {
                let free = !covered[start..start + width].iter().any(|c| *c);
                if free && within_one_edit(&text[start..start + width], term) {
                    covered[start..start + width]
                        .iter_mut()
                        .for_each(|c| *c = true);
                    found += 1;
                    start += width;
                } else {
                    start += 1;
                }
            }
        }
    }
    found + covered.iter().filter(|c| !**c).count()
}

/// How strong a password looks, for the meter: 0 (refused) to 4.
pub fn strength(password: &str, context: &PasswordContext) -> u8 {
    let points = points(password, context);
    if password.chars().count() < MIN_LENGTH_FLOOR || points < REQUIRED_POINTS {
        return 0;
    }
    let classes = character_classes(password);
    match points + classes * 2 {
        0..=9 => 1,
        10..=13 => 2,
        14..=17 => 3,
        _ => 4,
    }
}

/// How many of the four character classes (lower case, upper case, digit, symbol) a password
/// uses.
pub fn character_classes(password: &str) -> usize {
    [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_numeric()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .into_iter()
    .filter(|on| *on)
    .count()
}

/// Classes a password needs when the organisation turned the character-class rule on.
pub const REQUIRED_CLASSES: usize = 3;

/// Every broken rule of a new password and its confirmation, under the organisation's policy.
/// History is the server's to check: only it holds the old hashes.
pub fn check_new_password(
    password: &str,
    confirm: &str,
    policy: &PasswordPolicySettings,
    context: &PasswordContext,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let chars = password.chars().count();
    let rule = if password.is_empty() {
        Some(Rule::Required)
    } else if chars < usize::from(policy.min_length).max(MIN_LENGTH_FLOOR) {
        Some(Rule::TooShort)
    } else if chars > PASSWORD_MAX {
        Some(Rule::TooLong)
    } else if policy.require_character_classes && character_classes(password) < REQUIRED_CLASSES {
        Some(Rule::MissingCharacterClasses)
    } else if points(password, context) < REQUIRED_POINTS {
        Some(Rule::EasyToGuess)
    } else {
        None
    };
    if let Some(rule) = rule {
        errors.push(FieldError::new("password", rule));
    }
    if password != confirm {
        errors.push(FieldError::new("confirm", Rule::Mismatch));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adele() -> PasswordContext {
        PasswordContext::for_user("adele.vance@contoso.example", "Adele Vance", "Contoso")
    }

    fn min(min_length: u16) -> PasswordPolicySettings {
        PasswordPolicySettings {
            min_length,
            ..Default::default()
        }
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn one_edit_means_one_insertion_deletion_or_substitution() {
        assert!(within_one_edit(&chars("password"), &chars("password")));
        assert!(within_one_edit(&chars("passwerd"), &chars("password")));
        assert!(within_one_edit(&chars("passwor"), &chars("password")));
        assert!(within_one_edit(&chars("passsword"), &chars("password")));
        assert!(!within_one_edit(&chars("pasword1"), &chars("password")));
        assert!(!within_one_edit(&chars("pa"), &chars("password")));
    }

    #[test]
    fn normalisation_undoes_the_usual_substitutions() {
        assert_eq!(normalize_for_banned("P@$$w0rd1"), "passwordl");
    }

    #[test]
    fn common_passwords_and_variants_are_refused() {
        let context = PasswordContext::default();
        for weak in [
            "Password1",
            "P@ssw0rd!",
            "passwerd12",
            "Qwerty1234",
            "Welcome2026",
        ] {
            assert!(points(weak, &context) < REQUIRED_POINTS, "{weak}");
            let errors = check_new_password(weak, weak, &min(8), &context);
            assert_eq!(
                errors,
                vec![FieldError::new("password", Rule::EasyToGuess)],
                "{weak}"
            );
        }
    }

    #[test]
    fn own_names_and_the_organisation_count_as_banned_terms() {
        let context = adele();
        assert!(points("Contoso2026!", &context) < REQUIRED_POINTS);
        assert!(points("AdeleVance!1", &context) < REQUIRED_POINTS);
        // The same characters without the names would pass.
        assert!(points("Zyxwvut2026!", &context) >= REQUIRED_POINTS);
    }

    #[test]
    fn the_scoring_lets_a_banned_word_in_a_long_password_pass() {
        // "password" is one point; "correct horse" adds 13.
        assert!(points("correct horse password", &PasswordContext::default()) >= 5);
        assert!(
            check_new_password("Tangerine-Kite-47", "Tangerine-Kite-47", &min(8), &adele())
                .is_empty()
        );
    }

    #[test]
    fn length_and_confirmation_are_checked() {
        let context = PasswordContext::default();
        assert_eq!(
            check_new_password("", "x", &min(8), &context),
            vec![
                FieldError::new("password", Rule::Required),
                FieldError::new("confirm", Rule::Mismatch)
            ]
        );
        assert_eq!(
            check_new_password("Kq7#zl", "Kq7#zl", &min(8), &context)[0].rule,
            Rule::TooShort
        );
        let twelve = "Kq7#zlmP2x!w";
        assert_eq!(
            check_new_password(twelve, twelve, &min(14), &context)[0].rule,
            Rule::TooShort
        );
        assert!(
            check_new_password(twelve, twelve, &min(4), &context).is_empty(),
            "never below 8"
        );
        let huge = "Kq7#zlmP2x!w".repeat(30);
        assert_eq!(
            check_new_password(&huge, &huge, &min(8), &context)[0].rule,
            Rule::TooLong
        );
    }

    #[test]
    fn custom_terms_are_matched_like_global_ones() {
        let mut context = PasswordContext::default();
        assert!(points("Fabrikam99", &context) >= REQUIRED_POINTS);
        context.custom.push("fabrikam".into());
        assert!(points("Fabr1kam99", &context) < REQUIRED_POINTS);
    }

    #[test]
    fn the_character_class_rule_wants_three_of_four_when_on() {
        let on = PasswordPolicySettings {
            require_character_classes: true,
            ..Default::default()
        };
        let context = adele();
        let lower = "tangerine kite orbit";
        assert!(check_new_password(lower, lower, &min(8), &context).is_empty());
        assert_eq!(
            check_new_password(lower, lower, &on, &context)[0].rule,
            Rule::MissingCharacterClasses
        );
        let mixed = "Tangerine kite 47";
        assert!(check_new_password(mixed, mixed, &on, &context).is_empty());
    }

    #[test]
    fn the_meter_rises_with_length_and_variety() {
        let context = PasswordContext::default();
        assert_eq!(strength("Password1", &context), 0);
        let weak = strength("kitesunsetmap", &context);
        let strong = strength("Tangerine-Kite-47-Orbit", &context);
        assert!(weak >= 1 && strong == 4 && strong > weak, "{weak} {strong}");
    }
}
