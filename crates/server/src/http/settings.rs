//! Settings › Org settings › Security & privacy › Self-service password reset: who it is on
//! for, and its sections (methods, registration, notifications, customisation). Anyone with an
//! admin role may read them; only Global admins and Password admins may change them.

use axum::extract::State;
use rekey_core::dto::SettingsView;
use rekey_core::dto::{ExpiryImpact, ExpiryImpactQuery};
use rekey_core::error::ApiError;
use rekey_core::settings::{
    AuthMethodsSettings, BrandingSettings, CustomizationSettings, EmbeddingSettings,
    NotificationSettings, PasswordExpirySettings, PasswordPolicySettings, RegistrationSettings,
    SettingsSection,
};
use rekey_core::sspr::SsprSettings;
use rekey_core::validation::{FieldError, Rule};

use super::error::AppError;
use super::extract::{AdminUser, CurrentUser, Json, Query, SsprManager};
use crate::domain::sections;
use crate::infra::db::now;
use crate::state::AppState;
use crate::store::{groups, users};

/// Tidies the section, checks it obeys its rules, then saves it with its audit event.
async fn save_section<T: SettingsSection>(
    state: &AppState,
    admin: &CurrentUser,
    mut wanted: T,
) -> Result<(), AppError> {
    wanted.normalize();
    let problems = wanted.validate();
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    sections::save(&state.db.pool, &admin.user.sign_in_name, &wanted).await?;
    Ok(())
}

/// Who self-service password reset is on for (any admin may read it).
#[utoipa::path(get, path = "/api/settings/sspr", tag = "settings",
    responses(
        (status = 200, body = SettingsView<SsprSettings>),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn get_sspr(
    State(state): State<AppState>,
    _admin: AdminUser,
) -> Result<Json<SettingsView<SsprSettings>>, AppError> {
    Ok(Json(sections::load(&state.db.pool).await?))
}

/// Change who may reset their own password: None, Selected (one group) or All.
#[utoipa::path(put, path = "/api/settings/sspr", tag = "settings",
    request_body = SsprSettings,
    responses(
        (status = 200, body = SettingsView<SsprSettings>),
        (status = 400, description = "invalid_json", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or Password admin) or csrf_failed", body = ApiError),
        (status = 415, description = "unsupported_media_type", body = ApiError),
        (status = 422, description = "validation_failed", body = ApiError),
    ))]
pub async fn put_sspr(
    State(state): State<AppState>,
    SsprManager(admin): SsprManager,
    Json(mut wanted): Json<SsprSettings>,
) -> Result<Json<SettingsView<SsprSettings>>, AppError> {
    wanted.normalize();
    // Beyond the shared shape rules, only the server can tell whether the group exists.
    if let (true, Some(group_id)) = (wanted.validate().is_empty(), wanted.group_id.as_deref()) {
        if groups::find(&state.db.pool, group_id).await?.is_none() {
            let missing = FieldError::new("group_id", Rule::GroupNotFound);
            return Err(AppError::Validation(vec![missing]));
        }
    }
    save_section(&state, &admin, wanted).await?;
    Ok(Json(sections::load(&state.db.pool).await?))
}

/// A GET and a PUT handler for one settings section, documented for OpenAPI.
macro_rules! section_endpoints {
    ($section:ident, $path:literal, $get:ident, $put:ident, $what:literal) => {
        #[doc = concat!("The ", $what, " settings (any admin may read them).")]
        #[utoipa::path(get, path = $path, tag = "settings",
            responses(
                (status = 200, body = SettingsView<$section>),
                (status = 401, description = "unauthenticated", body = ApiError),
                (status = 403, description = "forbidden (no admin role)", body = ApiError),
            ))]
        pub async fn $get(
            State(state): State<AppState>,
            _admin: AdminUser,
        ) -> Result<Json<SettingsView<$section>>, AppError> {
            Ok(Json(sections::load::<$section>(&state.db.pool).await?))
        }

        #[doc = concat!("Change the ", $what, " settings (Global and Password admins).")]
        #[utoipa::path(put, path = $path, tag = "settings",
            request_body = $section,
            responses(
                (status = 200, body = SettingsView<$section>),
                (status = 400, description = "invalid_json", body = ApiError),
                (status = 401, description = "unauthenticated", body = ApiError),
                (status = 403, description = "forbidden (not a Global or Password admin) or csrf_failed", body = ApiError),
                (status = 415, description = "unsupported_media_type", body = ApiError),
                (status = 422, description = "validation_failed", body = ApiError),
            ))]
        pub async fn $put(
            State(state): State<AppState>,
            SsprManager(admin): SsprManager,
            Json(wanted): Json<$section>,
        ) -> Result<Json<SettingsView<$section>>, AppError> {
            save_section(&state, &admin, wanted).await?;
            Ok(Json(sections::load::<$section>(&state.db.pool).await?))
        }
    };
}

section_endpoints!(
    AuthMethodsSettings,
    "/api/settings/sspr/methods",
    get_methods,
    put_methods,
    "authentication methods"
);
section_endpoints!(
    RegistrationSettings,
    "/api/settings/sspr/registration",
    get_registration,
    put_registration,
    "registration"
);
section_endpoints!(
    NotificationSettings,
    "/api/settings/sspr/notifications",
    get_notifications,
    put_notifications,
    "notification"
);
section_endpoints!(
    CustomizationSettings,
    "/api/settings/sspr/customization",
    get_customization,
    put_customization,
    "customisation"
);
section_endpoints!(
    PasswordPolicySettings,
    "/api/settings/password-policy",
    get_password_policy,
    put_password_policy,
    "password policy"
);
section_endpoints!(
    PasswordExpirySettings,
    "/api/settings/password-expiry",
    get_password_expiry,
    put_password_expiry,
    "password expiration"
);

/// What a proposed expiration policy would do today: how many users it covers, how many
/// would be asked to change their password at next sign-in, how many would get a notice.
#[utoipa::path(get, path = "/api/settings/password-expiry/impact", tag = "settings",
    params(ExpiryImpactQuery),
    responses(
        (status = 200, body = ExpiryImpact),
        (status = 400, description = "invalid_parameter", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
        (status = 422, description = "validation_failed (days out of range)", body = ApiError),
    ))]
pub async fn expiry_impact(
    State(state): State<AppState>,
    _admin: AdminUser,
    Query(query): Query<ExpiryImpactQuery>,
) -> Result<Json<ExpiryImpact>, AppError> {
    let proposed = PasswordExpirySettings {
        expires: true,
        max_age_days: query.max_age_days,
        notice_days: query.notice_days,
    };
    let problems = proposed.validate();
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let now = now();
    let expired_before = proposed.expired_if_changed_before(now).unwrap_or(i64::MIN);
    let notice_before = proposed
        .notice_if_changed_before(now)
        .unwrap_or(expired_before);
    let (covered, expired, notified) =
        users::expiry_counts(&state.db.pool, expired_before, notice_before).await?;
    let count = |n: i64| n.max(0) as u64;
    Ok(Json(ExpiryImpact {
        covered: count(covered),
        expired: count(expired),
        notified: count(notified),
    }))
}
section_endpoints!(
    BrandingSettings,
    "/api/settings/branding",
    get_branding,
    put_branding,
    "branding"
);
section_endpoints!(
    EmbeddingSettings,
    "/api/settings/embedding",
    get_embedding,
    put_embedding,
    "embedding allowlist"
);

/// The organisation's name, logo and accent colour for the user screens (public: the sign-in
/// and reset pages need them before anyone signs in).
#[utoipa::path(get, path = "/api/branding", tag = "settings",
    responses((status = 200, body = BrandingSettings)))]
pub async fn branding(State(state): State<AppState>) -> Result<Json<BrandingSettings>, AppError> {
    Ok(Json(crate::domain::branding::current(&state).await?))
}

/// The origins that may embed Rekey, for the page: inside a frame it posts its events only to
/// a parent on this list. Public, as the page's `frame-ancestors` policy already says as much.
#[utoipa::path(get, path = "/api/embedding", tag = "settings",
    responses((status = 200, body = EmbeddingSettings)))]
pub async fn embedding(State(state): State<AppState>) -> Json<EmbeddingSettings> {
    Json(super::embedding::allowlist(&state).await)
}
