//! The audit of failed proofs of identity, in the reset flow and in a signed-in step-up: which
//! method, and why it failed. Never the code or answer typed.

use rekey_core::audit::{AuditAction, Flow, StopReason};
use rekey_core::security_info::MethodKind;
use sqlx::AnyPool;

use crate::store::audit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofFailure {
    WrongCode,
    WrongAnswers,
    CodeReused,
    CodeExpired,
    /// A passkey that did not verify; `cloned` when its signature counter went backwards.
    PasskeyRefused {
        cloned: bool,
    },
}

impl ProofFailure {
    /// A wrong code or wrong answers, as the method calls it.
    pub fn wrong(method: MethodKind) -> ProofFailure {
        match method {
            MethodKind::SecurityQuestions => ProofFailure::WrongAnswers,
            MethodKind::Passkey => ProofFailure::PasskeyRefused { cloned: false },
            _ => ProofFailure::WrongCode,
        }
    }

    /// Where a reset flow stops if this is the last thing that goes wrong in it.
    pub fn stop_reason(self) -> StopReason {
        match self {
            ProofFailure::WrongCode => StopReason::WrongCode,
            ProofFailure::WrongAnswers => StopReason::WrongAnswers,
            ProofFailure::CodeReused => StopReason::CodeReused,
            ProofFailure::CodeExpired => StopReason::CodeExpired,
            ProofFailure::PasskeyRefused { .. } => StopReason::PasskeyRefused,
        }
    }
}

/// One failed proof. `actor` is the signed-in person (a step-up), none in the reset flow;
/// `target` the account it was for (in the reset flow, the name as typed).
pub struct FailedProof<'a> {
    pub actor: Option<&'a str>,
    pub target: &'a str,
    pub flow: Flow,
    pub method: MethodKind,
    pub failure: ProofFailure,
}

pub async fn record(pool: &AnyPool, proof: FailedProof<'_>) -> Result<(), sqlx::Error> {
    let mut detail = serde_json::json!({
        "flow": proof.flow.as_str(),
        "method": proof.method.as_str(),
        "reason": proof.failure.stop_reason().as_str(),
    });
    if let ProofFailure::PasskeyRefused { cloned: true } = proof.failure {
        // The one failure an admin must look into: a copy of the key may be in use.
        detail["counter_went_back"] = serde_json::Value::Bool(true);
    }
    let event = audit::NewEvent::by(proof.actor, AuditAction::ProofFailed, proof.target)
        .values(None, Some(&detail));
    audit::record_alone(pool, event).await
}
