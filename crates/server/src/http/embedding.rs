//! Embedding in other sites, only those on the admin-managed allowlist (`EmbeddingSettings`):
//! cross-origin API calls with credentials (CORS) and framing (CSP `frame-ancestors`). The
//! allowlist is read from the database on each cross-origin request, so every instance agrees
//! the moment an admin saves it.

use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::response::Response;
use rekey_core::settings::EmbeddingSettings;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::domain::sections;
use crate::state::AppState;

/// The allowlist, or none when it cannot be read (failing closed).
pub async fn allowlist(state: &AppState) -> EmbeddingSettings {
    match sections::load::<EmbeddingSettings>(&state.db.pool).await {
        Ok(view) => view.settings,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the embedding allowlist");
            EmbeddingSettings::default()
        }
    }
}

/// CORS for the API: allowlisted origins may call with the session cookie; every other origin
/// gets no CORS headers, so browsers refuse to hand it the answer.
pub fn cors(state: AppState) -> CorsLayer {
    let allow = AllowOrigin::async_predicate(move |origin: HeaderValue, _| {
        let state = state.clone();
        async move {
            let Ok(origin) = origin.to_str() else {
                return false;
            };
            allowlist(&state).await.allows(origin)
        }
    });
    CorsLayer::new()
        .allow_origin(allow)
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static("x-csrf-token"),
            HeaderName::from_static("x-reset-token"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

/// `X-Frame-Options: DENY` on every answer, except a page whose `frame-ancestors` lets
/// allowlisted sites frame it: the two headers would disagree there, and a browser or proxy
/// reading only the older one would block what the admin allowed.
pub async fn frame_options(mut response: Response) -> Response {
    let framed = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|csp| csp.to_str().ok())
        .is_some_and(|csp| csp.contains("frame-ancestors 'self'"));
    if !framed {
        response
            .headers_mut()
            .insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

/// The CSP `frame-ancestors` directive: nobody, or this origin and the allowlisted ones.
pub fn frame_ancestors(allowed: &EmbeddingSettings) -> String {
    if allowed.allowed_origins.is_empty() {
        "frame-ancestors 'none'".to_string()
    } else {
        format!(
            "frame-ancestors 'self' {}",
            allowed.allowed_origins.join(" ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_follows_the_allowlist() {
        assert_eq!(
            frame_ancestors(&EmbeddingSettings::default()),
            "frame-ancestors 'none'"
        );
        let some = EmbeddingSettings {
            allowed_origins: vec!["https://a.example".into(), "http://localhost:3000".into()],
        };
        assert_eq!(
            frame_ancestors(&some),
            "frame-ancestors 'self' https://a.example http://localhost:3000"
        );
    }
}
