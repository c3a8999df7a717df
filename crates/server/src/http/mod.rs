//! The HTTP surface: routes, the OpenAPI document generated from them, and the layers every
//! request passes through.

pub mod audit;
pub mod ceremony;
pub mod contact_info;
pub mod csv_body;
pub mod directory;
pub mod directory_settings;
pub mod email;
pub mod embedding;
pub mod error;
pub mod extract;
pub mod first_paint;
pub mod openapi;
pub mod ops;
pub mod origin;
pub mod own_password;
pub mod paging;
pub mod reports;
pub mod reset;
pub mod security_info;
pub mod session;
pub mod settings;
pub mod sms;
pub mod spa;
pub mod users;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::header::{self, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{any, get};
use axum::Router;
use rekey_core::spa::Bundle;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use error::AppError;

/// The largest request body the API reads; settings forms are far smaller.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rekey API",
        description = "Self-service password reset. Errors are always \
            `{\"error\": {\"code\", \"message\"}}` with a stable `code`. State-changing requests \
            need the session cookie and the `X-CSRF-Token` header from `GET /api/session`."
    ),
    components(schemas(
        rekey_core::error::ErrorCode,
        rekey_core::validation::Rule,
        rekey_core::dto::PasswordFilter
    ))
)]
struct ApiDoc;

/// The API routes (under the base path) and the operations routes (always at the root),
/// with the OpenAPI document generated from exactly these routes.
pub fn routes() -> (Router<AppState>, Router<AppState>, utoipa::openapi::OpenApi) {
    let (api, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(
            session::sign_in,
            session::current,
            session::sign_out
        ))
        .routes(routes!(session::passkey_start))
        .routes(routes!(session::passkey_sign_in))
        .routes(routes!(users::list, users::edit::create))
        .routes(routes!(users::export::export))
        .routes(routes!(
            users::get,
            users::edit::update,
            users::edit::delete
        ))
        .routes(routes!(users::password::rules))
        .routes(routes!(users::password::reset))
        .routes(routes!(users::password::unlock))
        .routes(routes!(users::password::revoke_sessions))
        .routes(routes!(users::passkeys::list))
        .routes(routes!(users::passkeys::remove))
        .routes(with_body_limit(
            routes!(users::import::import),
            users::import::MAX_CSV_BYTES + 4096,
        ))
        .routes(routes!(own_password::rules))
        .routes(routes!(own_password::change))
        .routes(routes!(settings::expiry_impact))
        .routes(routes!(
            settings::get_password_expiry,
            settings::put_password_expiry
        ))
        .routes(routes!(settings::get_branding, settings::put_branding))
        .routes(routes!(settings::get_embedding, settings::put_embedding))
        .routes(routes!(settings::branding))
        .routes(routes!(settings::embedding))
        .routes(routes!(directory::list_groups))
        .routes(routes!(directory::get_group))
        .routes(routes!(directory::put_group_roles))
        .routes(routes!(directory_settings::get, directory_settings::put))
        .routes(routes!(directory_settings::test))
        .routes(routes!(
            directory_settings::sync_status,
            directory_settings::sync_now
        ))
        .routes(routes!(settings::get_sspr, settings::put_sspr))
        .routes(routes!(settings::get_methods, settings::put_methods))
        .routes(routes!(
            settings::get_registration,
            settings::put_registration
        ))
        .routes(routes!(
            settings::get_notifications,
            settings::put_notifications
        ))
        .routes(routes!(
            settings::get_customization,
            settings::put_customization
        ))
        .routes(routes!(
            settings::get_password_policy,
            settings::put_password_policy
        ))
        .routes(routes!(email::status))
        .routes(routes!(ceremony::status))
        .routes(routes!(email::send_test))
        .routes(routes!(sms::status))
        .routes(routes!(sms::send_test))
        .routes(routes!(contact_info::get, contact_info::put))
        .routes(routes!(security_info::get))
        .routes(routes!(security_info::confirm))
        .routes(routes!(security_info::skip))
        .routes(routes!(security_info::remove))
        .routes(routes!(security_info::proof::send))
        .routes(routes!(security_info::proof::verify))
        .routes(routes!(security_info::proof::passkey))
        .routes(routes!(security_info::contact::send))
        .routes(routes!(security_info::contact::verify))
        .routes(routes!(security_info::app::start))
        .routes(routes!(security_info::app::verify))
        .routes(routes!(security_info::passkey::start))
        .routes(routes!(security_info::passkey::verify))
        .routes(routes!(
            security_info::passkey::rename,
            security_info::passkey::remove
        ))
        .routes(routes!(
            security_info::questions::put,
            security_info::questions::delete
        ))
        .routes(routes!(reset::start::challenge))
        .routes(routes!(reset::start::start, reset::start::current))
        .routes(routes!(reset::start::intent))
        .routes(routes!(reset::start::helpdesk))
        .routes(routes!(reset::gates::start))
        .routes(routes!(reset::gates::verify))
        .routes(routes!(reset::gates::passkey_ceremony))
        .routes(routes!(reset::passkey::start))
        .routes(routes!(reset::passkey::finish))
        .routes(routes!(reset::finish::password))
        .routes(routes!(reset::finish::unlock))
        .routes(routes!(audit::list))
        .routes(routes!(audit::export))
        .routes(routes!(reports::registration))
        .routes(routes!(reports::activity))
        .split_for_parts();
    let (ops, ops_doc) = OpenApiRouter::new()
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
        .routes(routes!(ops::metrics))
        .split_for_parts();
    doc.merge(ops_doc);
    openapi::document_errors(&mut doc);
    (api, ops, doc)
}

/// A route that reads larger bodies than `MAX_BODY_BYTES` (the innermost limit wins).
fn with_body_limit(
    (schemas, paths, router): utoipa_axum::router::UtoipaMethodRouter<AppState>,
    bytes: usize,
) -> utoipa_axum::router::UtoipaMethodRouter<AppState> {
    (schemas, paths, router.layer(DefaultBodyLimit::max(bytes)))
}

async fn api_not_found() -> AppError {
    AppError::NotFound
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    AppError::Internal("a request handler panicked".into()).into_response()
}

pub fn app(state: AppState) -> Router {
    let (api, ops, doc) = routes();
    let openapi_json: Arc<str> = doc.to_json().unwrap_or_default().into();
    let api = api
        .route(
            "/api/openapi.json",
            get(move || async move {
                (
                    [(CONTENT_TYPE, "application/json")],
                    openapi_json.to_string(),
                )
            }),
        )
        .route("/api/{*rest}", any(api_not_found))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            origin::check,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            reset::pad_timing,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            audit::client_context,
        ));
    let site = api.merge(spa::router(&state.config.static_dir, state.clone()));
    let prefix = state.config.base_prefix();
    let mounted = if prefix.is_empty() {
        site
    } else {
        let target = format!("{prefix}/");
        let redirect_to = target.clone();
        // `nest` matches "/sspr" but not "/sspr/", which is where the SPA lives.
        Router::new()
            .nest(&prefix, site)
            .route(&target, spa::page_as_for(Bundle::User, "/"))
            .route(
                "/",
                get(move || async move { Redirect::temporary(&redirect_to) }),
            )
    };
    mounted
        .merge(ops)
        .method_not_allowed_fallback(method_not_allowed)
        // Around the whole router: a preflight must be answered before routing makes it a 405.
        .layer(embedding::cors(state.clone()))
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            crate::infra::metrics::track,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(axum::middleware::map_response(embedding::frame_options))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(panic_response))
        .with_state(state)
}
