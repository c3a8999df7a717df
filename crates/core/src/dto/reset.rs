//! Wire types of the public reset flow: who are you (with a proof-of-work puzzle), reset or
//! unlock, verification gates, a new password.

use serde::{Deserialize, Serialize};

use super::QuestionOption;
use crate::security_info::{MethodKind, QuestionAnswer};

/// A proof-of-work puzzle: find a `nonce` such that SHA-256 of `"{prefix}:{nonce}"` starts with
/// `difficulty` zero bits (see `crate::pow`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Challenge {
    pub id: String,
    pub prefix: String,
    pub difficulty: u8,
    pub expires_in_seconds: u32,
    /// The organisation takes passkeys, and this address can run them: the page may offer to
    /// start with one.
    #[serde(default)]
    pub passkeys: bool,
}

/// Step 1: who are you, with the solved puzzle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StartResetRequest {
    pub sign_in_name: String,
    pub challenge_id: String,
    pub nonce: String,
}

/// Forgot the password, or only locked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResetIntent {
    Reset,
    Unlock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResetStage {
    /// Reset or unlock (only when unlock is allowed).
    ChooseIntent,
    /// Verification gates remain.
    Verify,
    /// Gates passed: choose the new password.
    NewPassword,
    /// Gates passed: unlock the account, keeping the password.
    ReadyToUnlock,
    Done,
}

/// A method the user may verify with, and a masked hint of where a code would go when the
/// organisation shows hints (none by default: the person types the whole address).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GateOption {
    pub kind: MethodKind,
    /// A masked address or number.
    pub hint: Option<String>,
}

/// What a new password is checked against, sent to the page (reset flow, change password,
/// admin reset) so it runs the same check as the server.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordRules {
    pub policy: crate::settings::PasswordPolicySettings,
    pub sign_in_name: String,
    pub display_name: String,
    pub organisation: String,
    /// How many earlier passwords the organisation's directory refuses, for a person whose
    /// password it keeps (0: none, or not known). Its length and complexity are in `policy`.
    #[serde(default)]
    pub directory_history: u16,
}

/// The password rules an LDAP directory applies after Rekey's (AD's domain policy or the
/// person's fine-grained one, OpenLDAP's ppolicy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DirectoryPasswordPolicy {
    /// Fewest characters; 0 when the directory sets none.
    pub min_length: u16,
    /// How many earlier passwords it refuses.
    pub history: u16,
    /// Three of: lower case, upper case, digit, symbol (AD's complexity).
    pub complexity: bool,
    /// How long after a change another is refused, in seconds (0: none).
    pub min_age_seconds: u64,
}

impl PasswordRules {
    /// The rules with the directory's folded in, so what the page checks as the person types
    /// is the stricter of the two: its length, its complexity, and its history said.
    pub fn with_directory(mut self, directory: Option<DirectoryPasswordPolicy>) -> Self {
        if let Some(d) = directory {
            self.policy.min_length = self.policy.min_length.max(d.min_length);
            self.policy.require_character_classes |= d.complexity;
            self.directory_history = d.history;
        }
        self
    }

    /// The terms the password is scored against.
    pub fn context(&self) -> crate::password::PasswordContext {
        crate::password::PasswordContext::for_user(
            &self.sign_in_name,
            &self.display_name,
            &self.organisation,
        )
        .with_policy(&self.policy)
    }

    /// Every broken rule of a new password and its confirmation (history aside).
    pub fn check(&self, password: &str, confirm: &str) -> Vec<crate::validation::FieldError> {
        crate::password::check_new_password(password, confirm, &self.policy, &self.context())
    }
}

/// Where a reset stands. Unknown users get the same shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetState {
    pub stage: ResetStage,
    pub intent: Option<ResetIntent>,
    pub gates_required: u8,
    pub gates_passed: Vec<MethodKind>,
    /// Methods not yet used in this flow.
    pub options: Vec<GateOption>,
    /// The questions to answer now, once the questions gate was chosen.
    pub questions: Vec<QuestionOption>,
    /// Unix seconds when the flow ends.
    pub expires_at: i64,
    pub password_rules: Option<PasswordRules>,
}

/// The flow token (send it as `X-Reset-Token`) and the first state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetStarted {
    pub token: String,
    pub state: ResetState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IntentRequest {
    pub intent: ResetIntent,
}

/// Start a gate: send a code to the full address or number typed, only if it is the one on
/// file (the email is not typed when the organisation shows hints), or pick the questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GateStartRequest {
    pub kind: MethodKind,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
}

/// A gate started: the flow, and the code's details when one was sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GateStarted {
    pub state: ResetState,
    pub code: Option<super::CodeSent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GateVerifyRequest {
    pub kind: MethodKind,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub answers: Vec<QuestionAnswer>,
    /// For the passkey gate: the browser's answer.
    #[serde(default)]
    pub passkey: Option<super::PasskeyAnswer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPasswordRequest {
    pub password: String,
    pub confirm: String,
    #[serde(default)]
    pub lang: Option<String>,
}

/// Where users who are stuck get help: an email address or URL, or the admins' contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Helpdesk {
    /// An email address or URL; none means "contact your administrator".
    pub contact: Option<String>,
}

/// The audit's name for a reset flow with this intent: a reset until the person chooses to
/// unlock.
pub fn flow_of(intent: Option<ResetIntent>) -> crate::audit::Flow {
    match intent {
        Some(ResetIntent::Unlock) => crate::audit::Flow::Unlock,
        _ => crate::audit::Flow::Reset,
    }
}
