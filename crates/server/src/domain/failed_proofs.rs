//! The audit of failed proofs of identity, in the reset flow and in a signed-in step-up: which
//! method, and why it failed. Never the code or answer typed.

use rekey_core::audit::AuditAction;
use rekey_core::dto::ResetIntent;
use rekey_core::security_info::MethodKind;
use sqlx::AnyPool;

use crate::store::audit;

/// Where the proof was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofFlow {
    /// The reset flow, before its intent is chosen or for a reset.
    Reset,
    Unlock,
    /// A signed-in person proving it is them before changing their security info.
    StepUp,
}

impl ProofFlow {
    pub fn of_intent(intent: Option<ResetIntent>) -> ProofFlow {
        match intent {
            Some(ResetIntent::Unlock) => ProofFlow::Unlock,
            _ => ProofFlow::Reset,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            ProofFlow::Reset => "reset",
            ProofFlow::Unlock => "unlock",
            ProofFlow::StepUp => "step_up",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofFailure {
    WrongCode,
    WrongAnswers,
    CodeReused,
    CodeExpired,
}

impl ProofFailure {
    /// A wrong code or wrong answers, as the method calls it.
    pub fn wrong(method: MethodKind) -> ProofFailure {
        match method {
            MethodKind::SecurityQuestions => ProofFailure::WrongAnswers,
            _ => ProofFailure::WrongCode,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            ProofFailure::WrongCode => "wrong_code",
            ProofFailure::WrongAnswers => "wrong_answers",
            ProofFailure::CodeReused => "code_reused",
            ProofFailure::CodeExpired => "code_expired",
        }
    }
}

/// One failed proof. `actor` is the signed-in person (a step-up), none in the reset flow;
/// `target` the account it was for (in the reset flow, the name as typed).
pub struct FailedProof<'a> {
    pub actor: Option<&'a str>,
    pub target: &'a str,
    pub flow: ProofFlow,
    pub method: MethodKind,
    pub failure: ProofFailure,
}

pub async fn record(pool: &AnyPool, proof: FailedProof<'_>) -> Result<(), sqlx::Error> {
    let detail = serde_json::json!({
        "flow": proof.flow.as_str(),
        "method": proof.method.as_str(),
        "reason": proof.failure.as_str(),
    });
    let event = audit::NewEvent::by(proof.actor, AuditAction::ProofFailed, proof.target)
        .values(None, Some(&detail));
    audit::record_alone(pool, event).await
}
