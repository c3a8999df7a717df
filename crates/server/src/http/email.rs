//! Email delivery status, and a test message admins send to check it works.

use axum::extract::State;
use axum::http::StatusCode;
use rekey_core::audit::AuditAction;
use rekey_core::dto::{EmailStatus, QueuedMessage, TestEmailRequest};
use rekey_core::error::ApiError;
use rekey_core::i18n::MessageKey;

use super::error::AppError;
use super::extract::{AdminUser, CurrentUser, Json, SsprManager};
use super::security_info::lang_of;
use crate::infra::mail::html_paragraphs;
use crate::state::AppState;
use crate::store::audit;
use crate::store::outbox;

/// Whether a mail server is configured, and the sender users will see.
#[utoipa::path(get, path = "/api/settings/email", tag = "settings",
    responses(
        (status = 200, body = EmailStatus),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn status(State(state): State<AppState>, _admin: AdminUser) -> Json<EmailStatus> {
    Json(EmailStatus {
        configured: state.mailer.is_configured(),
        sender: state.mailer.sender(),
    })
}

/// Queue a test message (Global and Password admins). Delivery happens in the background.
#[utoipa::path(post, path = "/api/settings/email/test", tag = "settings",
    request_body = TestEmailRequest,
    responses(
        (status = 202, description = "Queued for delivery", body = QueuedMessage),
        (status = 400, description = "invalid_json", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or Password admin) or csrf_failed", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
    ))]
pub async fn send_test(
    State(state): State<AppState>,
    SsprManager(admin): SsprManager,
    Json(request): Json<TestEmailRequest>,
) -> Result<(StatusCode, Json<QueuedMessage>), AppError> {
    let problems = request.validate();
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let lang = lang_of(request.lang.as_deref());
    let to = request.to.trim();
    let org = crate::domain::branding::org_name(&state).await?;
    let args = [("org", org.as_str())];
    let text = lang.format(MessageKey::EmailTestBody, &args);
    let email = outbox::Outgoing {
        channel: outbox::Channel::Email,
        to,
        subject: &lang.format(MessageKey::EmailTestSubject, &args),
        text: &text,
        html: &html_paragraphs(&text),
        discard_after: 0,
    };
    queue_test(&state, &admin, email, AuditAction::TestEmailQueued).await
}

/// Queues an admin's test message together with its audit event; 202 with its id.
pub(crate) async fn queue_test(
    state: &AppState,
    admin: &CurrentUser,
    message: outbox::Outgoing<'_>,
    action: AuditAction,
) -> Result<(StatusCode, Json<QueuedMessage>), AppError> {
    let to = message.to;
    let mut tx = state.db.pool.begin().await?;
    let id = outbox::enqueue(&mut tx, message).await?;
    let event = audit::NewEvent::by(Some(&admin.user.sign_in_name), action, to);
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok((StatusCode::ACCEPTED, Json(QueuedMessage { id })))
}
