//! Wire types of users' security info: what they have registered, and the requests that add,
//! change, prove and remove methods.

use serde::{Deserialize, Serialize};

use crate::security_info::{MethodKind, MethodPolicy, QuestionAnswer, RegistrationReason};

/// One registered method as its owner sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodView {
    pub kind: MethodKind,
    /// The address or number, masked until the session has proved a method; none for the app
    /// and questions.
    pub display: Option<String>,
    /// Filled in by an admin rather than registered by the user.
    pub set_by_admin: bool,
    /// Unix seconds of the last change.
    pub updated_at: i64,
}

/// A security question offered or registered. Built-in questions are translated by the client
/// from their id; the organisation's own carry their text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionOption {
    pub id: String,
    pub text: Option<String>,
}

/// Everything the security info page and the registration wizard show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecurityInfo {
    pub methods: Vec<MethodView>,
    /// What this user must hold (the admin rule applied).
    pub policy: MethodPolicy,
    /// The questions a user may choose from.
    pub question_bank: Vec<QuestionOption>,
    /// The questions this user has answered (never the answers).
    pub registered_questions: Vec<QuestionOption>,
    /// True while changes need proof with a registered method first.
    pub proof_needed: bool,
    /// Why sign-in asks the user to register or reconfirm, if it does.
    pub due: Option<RegistrationReason>,
    /// Whether the user may skip the sign-in wizard for now.
    pub can_skip: bool,
    /// Unix seconds of the last registration or confirmation.
    pub confirmed_at: Option<i64>,
    /// The user's passkeys, oldest first.
    #[serde(default)]
    pub passkeys: Vec<PasskeyView>,
}

/// One of a user's passkeys as its owner sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyView {
    pub id: String,
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last use; none when never used.
    pub last_used_at: Option<i64>,
}

/// A passkey ceremony begun: `options` is WebAuthn's JSON for the browser, as text (the
/// `publicKey` member of `navigator.credentials.create/get`, which
/// `PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON` read);
/// answer with `challenge_id` within `expires_in_seconds`. Text keeps the pages from decoding
/// JSON they only pass on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyOptions {
    pub challenge_id: String,
    pub options: String,
    pub expires_in_seconds: u32,
}

/// The browser's answer to a passkey ceremony: `JSON.stringify(credential.toJSON())`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasskeyAnswer {
    pub challenge_id: String,
    pub credential: String,
}

/// Sign in with a passkey: the browser's answer, and the page's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasskeySignInRequest {
    pub passkey: PasskeyAnswer,
    #[serde(default)]
    pub lang: Option<String>,
}

/// A new passkey: the browser's answer (as in `PasskeyAnswer`) and the name its owner gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasskeyRegisterRequest {
    pub challenge_id: String,
    pub credential: String,
    pub name: String,
}

/// A passkey's new name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasskeyRenameRequest {
    pub name: String,
}

/// Send a verification code to a new address or number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendCodeRequest {
    pub destination: String,
    /// The message's language tag; English when absent or unknown.
    #[serde(default)]
    pub lang: Option<String>,
}

/// A code is on its way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeSent {
    /// Where it went, masked when the user did not type it.
    pub destination: String,
    pub expires_in_seconds: u32,
    /// When another code may be asked for.
    pub resend_after_seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VerifyCodeRequest {
    pub code: String,
}

/// A new authenticator app secret, shown once: as text and as an `otpauth://` URI for the QR
/// code. It counts only after one valid code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppEnrolment {
    /// Base32, as authenticator apps accept it typed in.
    pub secret: String,
    pub uri: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AnswersRequest {
    pub answers: Vec<QuestionAnswer>,
}

/// Ask for a code to prove who you are, sent to a registered address or number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProofSendRequest {
    pub kind: MethodKind,
    #[serde(default)]
    pub lang: Option<String>,
}

/// Prove who you are with a registered method: a code (email, phone, app) or the answers to
/// every registered question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProofRequest {
    pub kind: MethodKind,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub answers: Vec<QuestionAnswer>,
    /// For a passkey: the browser's answer to `/proof/passkey`'s ceremony.
    #[serde(default)]
    pub passkey: Option<PasskeyAnswer>,
}

/// An admin fills in a user's authentication email and phone. Absent leaves a value alone;
/// an empty string removes it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactInfoRequest {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

impl ContactInfoRequest {
    pub fn validate(&self) -> Vec<crate::validation::FieldError> {
        let mut errors = Vec::new();
        if let Some(email) = self.email.as_deref().filter(|e| !e.trim().is_empty()) {
            errors.extend(crate::security_info::check_email("email", email));
        }
        if let Some(phone) = self.phone.as_deref().filter(|p| !p.trim().is_empty()) {
            errors.extend(crate::security_info::check_phone("phone", phone));
        }
        errors
    }
}

/// A user's registration state, as admins see it on the Users page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationSummary {
    /// Holds enough methods for a reset under the current policy.
    pub registered: bool,
    pub methods: Vec<MethodKind>,
    /// Unix seconds of the last change to their methods.
    pub updated_at: Option<i64>,
}

/// The authentication email and phone on file for a user (admins with user-admin rights).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactInfo {
    pub email: Option<String>,
    pub phone: Option<String>,
}
