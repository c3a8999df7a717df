//! The built SPA's pages (`index.html`, `reset.html`, `admin.html`), read once at start-up with
//! this deployment's base path and API URL filled in, each with the Content-Security-Policy
//! that allows exactly its own inline blocks. `http::spa` serves them.

use std::sync::Arc;

use rekey_core::spa::Bundle;

use crate::config::Config;

/// Trunk builds with this public URL; the server swaps in the real base path.
const BASE_PLACEHOLDER: &str = "/__rekey_base__/";
const API_PLACEHOLDER: &str = "__REKEY_API_BASE__";

/// A bundle's page ready to serve, and the Content-Security-Policy that goes with it.
pub struct PreparedPage {
    pub html: String,
    pub csp: String,
}

/// Every bundle's page, read once at start-up with the base path and API URL filled in.
pub struct PreparedPages {
    user: PreparedPage,
    reset: PreparedPage,
    admin: PreparedPage,
}

impl PreparedPages {
    pub fn get(&self, bundle: Bundle) -> &PreparedPage {
        match bundle {
            Bundle::User => &self.user,
            Bundle::Reset => &self.reset,
            Bundle::Admin => &self.admin,
        }
    }
}

/// `None` (the server answers 503 for pages) until the SPA is built.
pub fn prepare_pages(config: &Config) -> Option<Arc<PreparedPages>> {
    let page = |bundle: Bundle| prepare_page(config, bundle);
    Some(Arc::new(PreparedPages {
        user: page(Bundle::User)?,
        reset: page(Bundle::Reset)?,
        admin: page(Bundle::Admin)?,
    }))
}

fn prepare_page(config: &Config, bundle: Bundle) -> Option<PreparedPage> {
    let raw = std::fs::read_to_string(config.static_dir.join(bundle.page())).ok()?;
    let api_base = config.effective_api_base();
    let html = fill_index(&raw, &config.base_prefix(), &api_base);
    let csp = content_security_policy(&html, &api_base);
    Some(PreparedPage { html, csp })
}

/// Allows the page's own inline script and style blocks by hash (Trunk's loader and the
/// first-paint shell) and nothing else inline; WebAssembly may compile; API calls go only to
/// this origin or the configured API origin. Framing (`frame-ancestors`) is added per request
/// from the embedding allowlist.
fn content_security_policy(html: &str, api_base: &str) -> String {
    let scripts = inline_hashes(html, "script");
    let styles = inline_hashes(html, "style");
    let api_origin = api_base
        .split_once("://")
        .map(|(scheme, rest)| format!(" {scheme}://{}", rest.split('/').next().unwrap_or("")))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
         style-src 'self'{styles}; img-src 'self' data: https:; connect-src 'self'{api_origin}; \
         object-src 'none'; base-uri 'self'; form-action 'self'"
    )
}

/// `'sha256-…'` sources for every inline `<tag>` block (those without `src`).
fn inline_hashes(html: &str, tag: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut sources = String::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let (Some(tag_end), Some(close_at)) = (after.find('>'), after.find(&close)) else {
            break;
        };
        if !after[..tag_end].contains("src=") && tag_end < close_at {
            let body = &after[tag_end + 1..close_at];
            let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body));
            sources.push_str(&format!(" 'sha256-{digest}'"));
        }
        rest = &after[close_at + close.len()..];
    }
    sources
}

fn fill_index(raw: &str, base_prefix: &str, api_base: &str) -> String {
    raw.replace(BASE_PLACEHOLDER, &format!("{base_prefix}/"))
        .replace(API_PLACEHOLDER, &crate::infra::html::escape(api_base))
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

    #[test]
    fn the_policy_allows_exactly_the_inline_blocks_by_hash() {
        let html = "<style>p{}</style><script type=\"module\">go()</script><script src=\"/a.js\"></script>";
        let csp = content_security_policy(html, "/api");
        // sha256 of "go()" and of "p{}"
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
            "{csp}"
        );
        assert_eq!(csp.matches("'sha256-").count(), 2, "{csp}");
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("connect-src 'self';"));
        assert!(!csp.contains("frame-ancestors"), "added per request");
        let cross = content_security_policy(html, "https://api.example:8443/rekey/api");
        assert!(
            cross.contains("connect-src 'self' https://api.example:8443;"),
            "{cross}"
        );
    }
}
