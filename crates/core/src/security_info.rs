//! Users' security info: the methods they register to prove who they are, the rules for what
//! they type (phone numbers, codes, security answers), which methods count for whom, and when
//! sign-in should ask them to register or reconfirm.

use serde::{Deserialize, Serialize};

use crate::questions::BuiltInQuestion;
use crate::settings::{looks_like_email, AuthMethodsSettings};
use crate::validation::{FieldError, Rule};

/// A way of proving who you are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MethodKind {
    /// A WebAuthn credential (FIDO2): bound to the site, so a look-alike page cannot use it.
    Passkey,
    AuthenticatorApp,
    MobilePhone,
    Email,
    SecurityQuestions,
}

impl MethodKind {
    /// Most secure first: the order the registration wizard offers them in.
    pub const ALL: [MethodKind; 5] = [
        MethodKind::Passkey,
        MethodKind::AuthenticatorApp,
        MethodKind::MobilePhone,
        MethodKind::Email,
        MethodKind::SecurityQuestions,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MethodKind::Passkey => "passkey",
            MethodKind::AuthenticatorApp => "authenticator_app",
            MethodKind::MobilePhone => "mobile_phone",
            MethodKind::Email => "email",
            MethodKind::SecurityQuestions => "security_questions",
        }
    }

    pub fn parse(name: &str) -> Option<MethodKind> {
        MethodKind::ALL.into_iter().find(|m| m.as_str() == name)
    }

    /// Methods verified by a code sent to an address the user types.
    pub fn is_contact(self) -> bool {
        matches!(self, MethodKind::Email | MethodKind::MobilePhone)
    }
}

/// What a user must hold, after the organisation's policy and the admin rule are applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodPolicy {
    /// How many different methods a reset needs.
    pub required: u8,
    /// The methods that count, most secure first.
    pub available: Vec<MethodKind>,
    /// How many security questions make the questions method.
    pub questions_to_register: u8,
    /// One passkey is enough, whatever `required` says (phishing-resistant on its own).
    #[serde(default)]
    pub passkey_alone: bool,
}

impl MethodPolicy {
    /// Anyone holding an admin role always needs two methods and may never use security
    /// questions, whatever the organisation's policy says.
    pub fn for_user(settings: &AuthMethodsSettings, is_admin: bool) -> MethodPolicy {
        let allowed = |kind: MethodKind| match kind {
            MethodKind::Passkey => settings.passkey,
            MethodKind::AuthenticatorApp => settings.authenticator_app,
            MethodKind::MobilePhone => settings.mobile_phone,
            MethodKind::Email => settings.email,
            MethodKind::SecurityQuestions => settings.security_questions && !is_admin,
        };
        MethodPolicy {
            required: if is_admin {
                2
            } else {
                settings.methods_required
            },
            available: MethodKind::ALL
                .into_iter()
                .filter(|k| allowed(*k))
                .collect(),
            questions_to_register: settings.questions_to_register,
            // An admin's passkey is one of their two gates, never both.
            passkey_alone: settings.passkey && settings.passkey_alone && !is_admin,
        }
    }

    /// How many of the held methods count under this policy.
    pub fn counted(&self, held: &[MethodKind]) -> u8 {
        self.available.iter().filter(|k| held.contains(k)).count() as u8
    }

    /// Whether these methods are enough for a reset: the methods a user holds (registered),
    /// or the gates a reset flow has passed (may go on).
    pub fn is_satisfied_by(&self, methods: &[MethodKind]) -> bool {
        let passkey = MethodKind::Passkey;
        self.counted(methods) >= self.required
            || (self.passkey_alone
                && self.available.contains(&passkey)
                && methods.contains(&passkey))
    }

    pub fn is_registered(&self, held: &[MethodKind]) -> bool {
        self.is_satisfied_by(held)
    }

    /// Where a user holding `held` stands: what reports count and the Users page filters by.
    pub fn registration_state(&self, held: &[MethodKind]) -> RegistrationState {
        if self.is_registered(held) {
            RegistrationState::Registered
        } else if self.counted(held) > 0 {
            RegistrationState::Partly
        } else {
            RegistrationState::NotRegistered
        }
    }

    /// How many gates a reset still needs after `passed`.
    pub fn gates_left(&self, passed: &[MethodKind]) -> u8 {
        if self.is_satisfied_by(passed) {
            0
        } else {
            self.required.saturating_sub(self.counted(passed))
        }
    }
}

/// Whether a user's security info is enough for a reset under their policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationState {
    /// Enough for a reset.
    Registered,
    /// Some methods that count, not enough.
    Partly,
    /// None that count.
    NotRegistered,
}

/// Why sign-in asks a user to look at their security info.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegistrationReason {
    /// Fewer methods than a reset needs.
    Missing,
    /// Registered, but not confirmed for longer than the organisation allows.
    Reconfirm,
}

/// Whether sign-in should interrupt with the registration wizard, given the user's state.
/// `confirmed_at` is when they last registered or confirmed (0 = never); times in seconds.
pub fn registration_due(
    policy: &MethodPolicy,
    held: &[MethodKind],
    confirmed_at: i64,
    reconfirm_days: u16,
    now: i64,
) -> Option<RegistrationReason> {
    if !policy.is_registered(held) {
        return Some(RegistrationReason::Missing);
    }
    let period = i64::from(reconfirm_days) * 86_400;
    (reconfirm_days > 0 && confirmed_at + period <= now).then_some(RegistrationReason::Reconfirm)
}

/// The longest name a passkey may be given.
pub const PASSKEY_NAME_MAX: usize = 64;

/// A passkey's name as kept: trimmed, without control characters.
pub fn normalize_passkey_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

/// Checks the name a user gives a passkey ("Work laptop", "YubiKey").
pub fn check_passkey_name(field: &str, name: &str) -> Vec<FieldError> {
    let name = normalize_passkey_name(name);
    if name.is_empty() {
        vec![FieldError::new(field, Rule::Required)]
    } else if name.chars().count() > PASSKEY_NAME_MAX {
        vec![FieldError::new(field, Rule::TooLong)]
    } else {
        Vec::new()
    }
}

/// The longest email address accepted.
pub const EMAIL_MAX: usize = 254;

/// Checks an alternate email address.
pub fn check_email(field: &str, email: &str) -> Vec<FieldError> {
    let email = email.trim();
    if email.is_empty() {
        vec![FieldError::new(field, Rule::Required)]
    } else if email.len() > EMAIL_MAX || !looks_like_email(email) {
        vec![FieldError::new(field, Rule::NotEmail)]
    } else {
        Vec::new()
    }
}

/// An email address as compared with the one on file: trimmed and lower-case.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A phone number as typed, without the spaces, dashes, dots and brackets people add.
pub fn normalize_phone(phone: &str) -> String {
    phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}'))
        .collect()
}

/// Checks a mobile number in E.164 form: `+`, a country code not starting with 0, and 8 to 15
/// digits in all.
pub fn check_phone(field: &str, phone: &str) -> Vec<FieldError> {
    let phone = normalize_phone(phone);
    if phone.is_empty() {
        return vec![FieldError::new(field, Rule::Required)];
    }
    let digits = phone.strip_prefix('+').unwrap_or("");
    let valid = digits.len() >= 8
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Vec::new()
    } else {
        vec![FieldError::new(field, Rule::NotPhone)]
    }
}

/// Digits in an emailed or texted code.
pub const CODE_DIGITS: usize = 8;
/// Digits in an authenticator app code.
pub const APP_CODE_DIGITS: usize = 6;

/// A code as typed, without spaces.
pub fn normalize_code(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Checks the shape of a code before it is compared with anything.
pub fn check_code(code: &str, digits: usize) -> Vec<FieldError> {
    let code = normalize_code(code);
    if code.is_empty() {
        vec![FieldError::new("code", Rule::Required)]
    } else if code.len() != digits || !code.bytes().all(|b| b.is_ascii_digit()) {
        vec![FieldError::new("code", Rule::NotCode)]
    } else {
        Vec::new()
    }
}

/// An answer's length, in characters after normalising.
pub const ANSWER_MIN_CHARS: usize = 3;
pub const ANSWER_MAX_CHARS: usize = 40;

/// The one form answers are compared and hashed in: compatibility-normalised (NFKC),
/// case-folded, trimmed, inner whitespace collapsed. "  Fluffy " and "fluffy" match.
pub fn normalize_answer(answer: &str) -> String {
    #[cfg(feature = "nfkc")]
    let answer: String = unicode_normalization::UnicodeNormalization::nfkc(answer).collect();
    let folded = answer.to_lowercase();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A security question: a built-in one (`builtin-07`) or one of the organisation's own
/// (`custom-2`, its position in the custom list when the user registered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionRef {
    BuiltIn(BuiltInQuestion),
    Custom(usize),
}

impl QuestionRef {
    pub fn parse(id: &str) -> Option<QuestionRef> {
        if let Some(n) = id.strip_prefix("builtin-") {
            let n: u8 = n.parse().ok()?;
            let question = BuiltInQuestion(n);
            (question.id() == id && BuiltInQuestion::all().any(|q| q == question))
                .then_some(QuestionRef::BuiltIn(question))
        } else {
            let n: usize = id.strip_prefix("custom-")?.parse().ok()?;
            (format!("custom-{n}") == id).then_some(QuestionRef::Custom(n))
        }
    }

    pub fn id(self) -> String {
        match self {
            QuestionRef::BuiltIn(q) => q.id(),
            QuestionRef::Custom(n) => format!("custom-{n}"),
        }
    }
}

/// One answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuestionAnswer {
    pub question_id: String,
    pub answer: String,
}

/// Checks a user's answers: exactly `count`, each to a question that exists
/// (`custom_count` custom ones), no question twice, answers 3-40 characters, no answer reused.
/// Fields are named `answers[i].question_id` / `answers[i].answer`.
pub fn check_answers(
    answers: &[QuestionAnswer],
    count: u8,
    custom_count: usize,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if answers.len() != usize::from(count) {
        errors.push(FieldError::new("answers", Rule::WrongCount));
    }
    let mut questions = Vec::new();
    let mut normalised = Vec::new();
    for (i, item) in answers.iter().enumerate() {
        let question_field = format!("answers[{i}].question_id");
        match QuestionRef::parse(&item.question_id) {
            Some(QuestionRef::Custom(n)) if n >= custom_count => {
                errors.push(FieldError::new(&question_field, Rule::Required));
            }
            None => errors.push(FieldError::new(&question_field, Rule::Required)),
            Some(q) if questions.contains(&q) => {
                errors.push(FieldError::new(&question_field, Rule::Duplicate));
            }
            Some(q) => questions.push(q),
        }
        let answer_field = format!("answers[{i}].answer");
        let answer = normalize_answer(&item.answer);
        let chars = answer.chars().count();
        if chars == 0 {
            errors.push(FieldError::new(&answer_field, Rule::Required));
        } else if chars < ANSWER_MIN_CHARS {
            errors.push(FieldError::new(&answer_field, Rule::TooShort));
        } else if chars > ANSWER_MAX_CHARS {
            errors.push(FieldError::new(&answer_field, Rule::TooLong));
        } else if normalised.contains(&answer) {
            errors.push(FieldError::new(&answer_field, Rule::AnswerReused));
        }
        normalised.push(answer);
    }
    errors
}

/// Shows enough of an email address for its owner to recognise it: `a•••@contoso.example`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_string(),
    }
}

/// Shows the last two digits of a phone number: `+•••••••••89`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let keep = chars.len().saturating_sub(2);
    let tail: String = chars[keep..].iter().collect();
    format!("+{}{tail}", "•".repeat(keep.saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(required: u8, app: bool, questions: bool) -> AuthMethodsSettings {
        AuthMethodsSettings {
            methods_required: required,
            passkey: true,
            authenticator_app: app,
            security_questions: questions,
            ..AuthMethodsSettings::default()
        }
    }

    #[test]
    fn admins_need_two_methods_and_never_questions() {
        let org = settings(1, true, true);
        let user = MethodPolicy::for_user(&org, false);
        assert_eq!(user.required, 1);
        assert!(user.available.contains(&MethodKind::SecurityQuestions));
        let admin = MethodPolicy::for_user(&org, true);
        assert_eq!(admin.required, 2);
        assert!(!admin.available.contains(&MethodKind::SecurityQuestions));
        assert_eq!(
            admin.available,
            vec![
                MethodKind::Passkey,
                MethodKind::AuthenticatorApp,
                MethodKind::MobilePhone,
                MethodKind::Email
            ]
        );
    }

    #[test]
    fn a_passkey_alone_is_enough_only_where_the_organisation_says_so() {
        let mut org = settings(2, true, false);
        let passkey = [MethodKind::Passkey];
        let policy = MethodPolicy::for_user(&org, false);
        assert!(!policy.is_satisfied_by(&passkey));
        assert_eq!(policy.gates_left(&passkey), 1);
        assert!(policy.is_satisfied_by(&[MethodKind::Passkey, MethodKind::Email]));

        org.passkey_alone = true;
        let policy = MethodPolicy::for_user(&org, false);
        assert!(policy.is_registered(&passkey));
        assert_eq!(policy.gates_left(&passkey), 0);
        assert_eq!(policy.gates_left(&[MethodKind::Email]), 1);
        // Never for an admin, and never once passkeys are not allowed.
        let admin = MethodPolicy::for_user(&org, true);
        assert!(!admin.is_satisfied_by(&passkey));
        assert_eq!(admin.gates_left(&[]), 2);
        org.passkey = false;
        let policy = MethodPolicy::for_user(&org, false);
        assert!(!policy.passkey_alone);
        assert!(!policy.is_satisfied_by(&passkey));
        assert!(!policy.available.contains(&MethodKind::Passkey));
    }

    #[test]
    fn only_allowed_methods_count() {
        let policy = MethodPolicy::for_user(&settings(1, false, false), false);
        assert!(!policy.is_registered(&[MethodKind::AuthenticatorApp]));
        assert!(policy.is_registered(&[MethodKind::Email]));
        let admin = MethodPolicy::for_user(&settings(1, false, true), true);
        let held = [MethodKind::Email, MethodKind::SecurityQuestions];
        assert_eq!(admin.counted(&held), 1);
        assert!(!admin.is_registered(&held));
    }

    #[test]
    fn registration_is_due_when_missing_or_stale() {
        let policy = MethodPolicy::for_user(&settings(1, false, false), false);
        let day = 86_400;
        let now = 1_000 * day;
        assert_eq!(
            registration_due(&policy, &[], now, 180, now),
            Some(RegistrationReason::Missing)
        );
        let held = [MethodKind::Email];
        assert_eq!(registration_due(&policy, &held, now - day, 180, now), None);
        assert_eq!(
            registration_due(&policy, &held, now - 180 * day, 180, now),
            Some(RegistrationReason::Reconfirm)
        );
        assert_eq!(registration_due(&policy, &held, 0, 0, now), None);
    }

    #[test]
    fn passkey_names_are_short_and_printable() {
        assert!(check_passkey_name("name", " Work laptop ").is_empty());
        assert_eq!(normalize_passkey_name(" Key\u{7}\n "), "Key");
        assert_eq!(check_passkey_name("name", "\n\t")[0].rule, Rule::Required);
        assert_eq!(check_passkey_name("name", "  ")[0].rule, Rule::Required);
        let long = "k".repeat(PASSKEY_NAME_MAX + 1);
        assert_eq!(check_passkey_name("name", &long)[0].rule, Rule::TooLong);
        assert!(check_passkey_name("name", &"键".repeat(PASSKEY_NAME_MAX)).is_empty());
    }

    #[test]
    fn phones_must_be_e164() {
        assert!(check_phone("p", "+44 7700 900123").is_empty());
        assert!(check_phone("p", "+1 (425) 555-0100").is_empty());
        assert_eq!(normalize_phone("+1 (425) 555-0100"), "+14255550100");
        for bad in [
            "07700900123",
            "+0123456789",
            "+12345",
            "+1234567890123456",
            "+44abc12345",
        ] {
            assert_eq!(check_phone("p", bad)[0].rule, Rule::NotPhone, "{bad}");
        }
        assert_eq!(check_phone("p", "  ")[0].rule, Rule::Required);
    }

    #[test]
    fn codes_are_digits_of_the_right_length() {
        assert!(check_code("1234 5678", CODE_DIGITS).is_empty());
        assert_eq!(check_code("1234567", CODE_DIGITS)[0].rule, Rule::NotCode);
        assert_eq!(check_code("12345a78", CODE_DIGITS)[0].rule, Rule::NotCode);
        assert!(check_code("123456", APP_CODE_DIGITS).is_empty());
        assert_eq!(check_code("", APP_CODE_DIGITS)[0].rule, Rule::Required);
    }

    #[test]
    fn answers_are_normalised_before_comparing() {
        assert_eq!(normalize_answer("  Fluffy   THE  Cat "), "fluffy the cat");
        assert_eq!(normalize_answer("Straße"), "straße");
        assert_eq!(normalize_answer("北京"), "北京");
    }

    #[cfg(feature = "nfkc")]
    #[test]
    fn compatibility_characters_fold_on_the_server() {
        // Full-width letters and the "ﬁ" ligature fold to their plain forms.
        assert_eq!(normalize_answer("ＦＩＤＯ"), "fido");
        assert_eq!(normalize_answer("ﬁsh"), "fish");
    }

    fn answer(question: &str, text: &str) -> QuestionAnswer {
        QuestionAnswer {
            question_id: question.to_string(),
            answer: text.to_string(),
        }
    }

    #[test]
    fn answers_follow_every_rule() {
        let good = [
            answer("builtin-01", "Fluffy"),
            answer("builtin-02", "北京市"),
            answer("custom-0", "blue car"),
        ];
        assert!(check_answers(&good, 3, 1).is_empty());
        assert_eq!(check_answers(&good, 4, 1)[0].rule, Rule::WrongCount);
        assert_eq!(
            check_answers(&good, 3, 0)[0].field,
            "answers[2].question_id"
        );
        let repeated_question = [
            answer("builtin-01", "one"),
            answer("builtin-01", "two"),
            answer("builtin-03", "three"),
        ];
        assert_eq!(
            check_answers(&repeated_question, 3, 0),
            vec![FieldError::new("answers[1].question_id", Rule::Duplicate)]
        );
        let reused = [
            answer("builtin-01", "Same answer"),
            answer("builtin-02", "  same   ANSWER"),
            answer("builtin-03", "ok!"),
        ];
        assert_eq!(
            check_answers(&reused, 3, 0),
            vec![FieldError::new("answers[1].answer", Rule::AnswerReused)]
        );
        let lengths = [
            answer("builtin-01", "ab"),
            answer("builtin-02", &"x".repeat(41)),
            answer("builtin-99", "   "),
        ];
        let rules: Vec<Rule> = check_answers(&lengths, 3, 0)
            .iter()
            .map(|e| e.rule)
            .collect();
        assert_eq!(
            rules,
            vec![
                Rule::TooShort,
                Rule::TooLong,
                Rule::Required,
                Rule::Required
            ]
        );
    }

    #[test]
    fn question_ids_round_trip_and_reject_lookalikes() {
        for id in ["builtin-07", "custom-0", "custom-19"] {
            assert_eq!(QuestionRef::parse(id).unwrap().id(), id);
        }
        for bad in [
            "builtin-7",
            "builtin-00",
            "builtin-25",
            "custom-01",
            "custom-",
            "x",
        ] {
            assert_eq!(QuestionRef::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn masks_keep_only_a_hint() {
        assert_eq!(mask_email("adele@contoso.example"), "a•••@contoso.example");
        assert_eq!(mask_phone("+14255550189"), format!("+{}89", "•".repeat(9)));
    }
}
