//! Deployment settings read at start-up from index.html (filled in by the server), so one build
//! serves any base path and any API address without rebuilding.

use std::sync::OnceLock;

pub struct RuntimeConfig {
    /// The path the SPA is mounted under, without a trailing slash ("" at the root).
    pub base_path: String,
    /// Where API calls go, without a trailing slash, e.g. `/api` or `https://x.example/api`.
    pub api_base: String,
}

fn read() -> RuntimeConfig {
    let document = web_sys::window().and_then(|w| w.document());
    let api_base = document
        .as_ref()
        .and_then(|d| {
            d.query_selector("meta[name='rekey-api-base']")
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|c| !c.is_empty() && !c.starts_with("__"))
        .unwrap_or_else(|| "/api".to_string());
    let base_path = document
        .as_ref()
        .and_then(|d| d.query_selector("base").ok().flatten())
        .and_then(|base| base.get_attribute("href"))
        .filter(|href| href.starts_with('/') && !href.starts_with("/__"))
        .unwrap_or_default();
    RuntimeConfig {
        base_path: base_path.trim_end_matches('/').to_string(),
        api_base: api_base.trim_end_matches('/').to_string(),
    }
}

pub fn get() -> &'static RuntimeConfig {
    static CONFIG: OnceLock<RuntimeConfig> = OnceLock::new();
    CONFIG.get_or_init(read)
}

/// An in-app path with the base path in front, for `<A href>` (which, unlike navigation,
/// does not add the router's base to absolute paths).
pub fn href(path: &str) -> String {
    format!("{}{}", get().base_path, path)
}

/// A browser path without the base path in front: the form routes and `navigate` take.
pub fn in_app(path: &str) -> &str {
    match path.strip_prefix(get().base_path.as_str()) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => path,
    }
}
