//! Registering security questions: answers are normalised and hashed with argon2id; nobody,
//! admins included, can read them back.

use axum::extract::State;
use rekey_core::dto::{AnswersRequest, SecurityInfo};
use rekey_core::error::ApiError;
use rekey_core::security_info::{check_answers, normalize_answer, MethodKind, QuestionRef};

use super::super::error::AppError;
use super::super::extract::{CurrentUser, Json};
use super::{commit_registration, require_available, require_proof, snapshot, Change};
use crate::infra::db::now;
use crate::state::AppState;
use crate::store::security_info::{self as store, StoredAnswer};

/// Remove the user's security questions (needs proof first). The questions' own address, where
/// `DELETE /api/me/security-info/{kind}` does not reach: the router takes this static path first.
#[utoipa::path(delete, path = "/api/me/security-info/security_questions", tag = "security info",
    responses(
        (status = 200, body = SecurityInfo),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "proof_required or csrf_failed", body = ApiError),
        (status = 404, description = "not_found (no questions registered)", body = ApiError),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<SecurityInfo>, AppError> {
    super::remove_kind(&state, &current, MethodKind::SecurityQuestions).await
}

/// Register (or replace) the user's security questions and answers.
#[utoipa::path(put, path = "/api/me/security-info/security_questions", tag = "security info",
    request_body = AnswersRequest,
    responses(
        (status = 200, description = "Registered", body = SecurityInfo),
        (status = 400, description = "invalid_json", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "proof_required, forbidden (questions not offered, e.g. to admins) or csrf_failed", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
    ))]
pub async fn put(
    State(state): State<AppState>,
    current: CurrentUser,
    Json(request): Json<AnswersRequest>,
) -> Result<Json<SecurityInfo>, AppError> {
    let kind = MethodKind::SecurityQuestions;
    let snapshot = snapshot(&state, &current).await?;
    require_available(&snapshot, kind)?;
    let custom = &snapshot.settings.custom_questions;
    let problems = check_answers(
        &request.answers,
        snapshot.settings.questions_to_register,
        custom.len(),
    );
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    require_proof(&current, &snapshot)?;
    let now = now();
    let mut stored = Vec::with_capacity(request.answers.len());
    for item in &request.answers {
        let question_text = match QuestionRef::parse(&item.question_id) {
            Some(QuestionRef::Custom(n)) => custom.get(n).cloned(),
            _ => None,
        };
        stored.push(StoredAnswer {
            question_id: item.question_id.clone(),
            question_text,
            answer_hash: state.hasher.hash(&normalize_answer(&item.answer)).await?,
            updated_at: now,
        });
    }
    let user = &current.user;
    let change = if snapshot.answers.is_empty() {
        Change::Added
    } else {
        Change::Changed
    };
    let mut tx = state.db.pool.begin().await?;
    store::replace_answers(&mut tx, &user.id, &stored).await?;
    let info = commit_registration(&state, &current, tx, kind, change).await?;
    Ok(Json(info))
}
