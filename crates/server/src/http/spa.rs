//! Serving the built SPA: hashed assets from disk (precompressed brotli/gzip when the client
//! accepts them), and index.html, with this deployment's settings filled in, for every
//! client-side route.

use std::path::Path;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::services::ServeDir;

use crate::config::Config;
use crate::state::AppState;

/// Trunk builds with this public URL; the server swaps in the real base path.
const BASE_PLACEHOLDER: &str = "/__rekey_base__/";
const API_PLACEHOLDER: &str = "__REKEY_API_BASE__";

/// Reads index.html once at start-up and fills in the base path and API URL.
pub fn prepare_index(config: &Config) -> Option<Arc<str>> {
    let raw = std::fs::read_to_string(config.static_dir.join("index.html")).ok()?;
    Some(fill_index(&raw, &config.base_prefix(), &config.effective_api_base()).into())
}

fn fill_index(raw: &str, base_prefix: &str, api_base: &str) -> String {
    raw.replace(BASE_PLACEHOLDER, &format!("{base_prefix}/"))
        .replace(API_PLACEHOLDER, &escape_attribute(api_base))
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub async fn index(State(state): State<AppState>) -> Response {
    match &state.index_html {
        Some(html) => Html(html.to_string()).into_response(),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The SPA is not built. Run scripts/build-spa.sh (or the README's run command).",
        )
            .into_response(),
    }
}

pub fn router(static_dir: &Path, state: AppState) -> Router<AppState> {
    let assets = ServeDir::new(static_dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(get(index).with_state(state));
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .fallback_service(assets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_gets_base_path_and_escaped_api_url() {
        let raw = r#"<base href="/__rekey_base__/"><meta name="rekey-api-base" content="__REKEY_API_BASE__"><script src="/__rekey_base__/app.js">"#;
        let filled = fill_index(raw, "/sspr", "https://x.example/api?a=\"b\"");
        assert!(filled.contains(r#"<base href="/sspr/">"#));
        assert!(filled.contains(r#"src="/sspr/app.js""#));
        assert!(filled.contains("https://x.example/api?a=&quot;b&quot;"));
        assert!(fill_index(raw, "", "/api").contains(r#"<base href="/">"#));
    }
}
