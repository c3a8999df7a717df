//! Text message delivery status, and a test message admins send to check it works.

use axum::extract::State;
use axum::http::StatusCode;
use rekey_core::audit::AuditAction;
use rekey_core::dto::{QueuedMessage, SmsStatus, TestSmsRequest};
use rekey_core::error::ApiError;
use rekey_core::i18n::MessageKey;
use rekey_core::security_info::normalize_phone;

use super::email::queue_test;
use super::error::AppError;
use super::extract::{AdminUser, Json, SsprManager};
use super::security_info::lang_of;
use crate::state::AppState;
use crate::store::outbox::{Channel, Outgoing};

/// Whether an SMS provider is configured, and which kind.
#[utoipa::path(get, path = "/api/settings/sms", tag = "settings",
    responses(
        (status = 200, body = SmsStatus),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn status(State(state): State<AppState>, _admin: AdminUser) -> Json<SmsStatus> {
    Json(SmsStatus {
        configured: state.sms.is_configured(),
        provider: state.sms.provider_name().to_string(),
    })
}

/// Queue a test text message (Global and Password admins). Delivery happens in the background.
#[utoipa::path(post, path = "/api/settings/sms/test", tag = "settings",
    request_body = TestSmsRequest,
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
    Json(request): Json<TestSmsRequest>,
) -> Result<(StatusCode, Json<QueuedMessage>), AppError> {
    let problems = request.validate();
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let to = normalize_phone(&request.to);
    let lang = lang_of(request.lang.as_deref());
    let org = crate::domain::branding::org_name(&state).await?;
    let text = lang.format(MessageKey::SmsTestBody, &[("org", &org)]);
    let message = Outgoing {
        channel: Channel::Sms,
        to: &to,
        subject: "",
        text: &text,
        html: "",
        discard_after: 0,
    };
    queue_test(&state, &admin, message, AuditAction::TestSmsQueued).await
}
