//! Defence in depth beside the CSRF token: a state-changing request that a browser sends from
//! another site is refused (403 `csrf_failed`) unless that site is on the embedding allowlist.
//! Browsers send `Origin` on every cross-site POST, PUT, PATCH and DELETE; where it is absent
//! `Sec-Fetch-Site` tells. A client sending neither is not a browser, so no page of another
//! site can be making the request, and the session's CSRF token still applies.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::embedding::allowlist;
use super::error::AppError;
use crate::state::AppState;

pub async fn check(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    let headers = request.headers();
    let allowed = match headers.get(header::ORIGIN).map(|o| o.to_str()) {
        Some(Ok(origin)) => {
            is_own(origin, headers, &state.config.public_url)
                || allowlist(&state).await.allows(origin)
        }
        // Not text: nobody's origin.
        Some(Err(_)) => false,
        None => headers
            .get("sec-fetch-site")
            .is_none_or(|site| site.as_bytes() != b"cross-site"),
    };
    if allowed {
        next.run(request).await
    } else {
        AppError::ForeignOrigin.into_response()
    }
}

/// This deployment's own origin: the configured public URL's, or the host the request was
/// sent to (the same server reached by another name, e.g. in a test or behind a proxy).
fn is_own(origin: &str, headers: &HeaderMap, public_url: &str) -> bool {
    let authority = |url: &str| {
        url.split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or("").to_ascii_lowercase())
    };
    let Some(sent) = authority(origin) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    host.as_deref() == Some(sent.as_str()) || authority(public_url).as_deref() == Some(&sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, value.parse().unwrap());
        headers
    }

    #[test]
    fn own_origin_is_the_public_url_or_the_host_asked() {
        let public = "https://sspr.contoso.example/portal";
        let none = HeaderMap::new();
        assert!(is_own("https://sspr.contoso.example", &none, public));
        assert!(is_own("https://SSPR.contoso.example", &none, public));
        assert!(is_own(
            "http://127.0.0.1:8080",
            &host("127.0.0.1:8080"),
            public
        ));
        assert!(!is_own(
            "https://evil.example",
            &host("127.0.0.1:8080"),
            public
        ));
        assert!(!is_own("https://sspr.contoso.example.evil", &none, public));
        assert!(!is_own("null", &host("127.0.0.1:8080"), public));
    }
}
