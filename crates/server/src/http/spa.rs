//! Serving the built SPA: hashed assets from disk (precompressed brotli/gzip when the client
//! accepts them), and for every client-side route the page of the bundle that holds it
//! (`index.html`, `reset.html` or `admin.html`, see [`rekey_core::spa`]), with this
//! deployment's settings filled in.

use std::convert::Infallible;
use std::path::Path;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;
use rekey_core::spa::{self, Bundle};
use tower_http::services::ServeDir;

use super::first_paint;
use crate::state::AppState;

/// The page of the bundle holding the route; the path is the one inside the base path, as
/// `nest` hands it on.
pub async fn index(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    page_of(&state, Bundle::for_path(path), path, &uri, &headers).await
}

/// The page of `bundle` as for its route `path`, where the address does not say it: a page
/// asked for by name (`/admin.html`, served filled in, never the raw file), and `{base}/`
/// itself, which the router answers outside the nested app.
pub fn page_as_for(bundle: Bundle, path: &'static str) -> MethodRouter<AppState> {
    get(
        move |State(state): State<AppState>, uri: Uri, headers: HeaderMap| async move {
            page_of(&state, bundle, path, &uri, &headers).await
        },
    )
}

/// The bundle's page for the route at `path` (inside the base path); `uri` and `headers` tell
/// the visitor's language.
async fn page_of(
    state: &AppState,
    bundle: Bundle,
    path: &str,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    match &state.spa_pages {
        Some(pages) => {
            let page = pages.get(bundle);
            let allowed = super::embedding::allowlist(state).await;
            let framing = super::embedding::frame_ancestors(&allowed);
            let csp = format!("{}; {framing}", page.csp);
            let lang = first_paint::language(uri, headers);
            let painted = match spa::opening(path) {
                Some(opening) => {
                    // The default name is a fine first paint when the settings cannot be read.
                    let org_name = crate::domain::branding::org_name(state)
                        .await
                        .unwrap_or_else(|_| state.config.org_name.clone());
                    first_paint::opening(opening, lang, &org_name)
                }
                None => first_paint::loading(lang),
            };
            let html = page
                .html
                .replacen(first_paint::LANG_PLACEHOLDER, lang.tag(), 1)
                .replacen(first_paint::PLACEHOLDER, &painted, 1);
            (
                [
                    (header::CONTENT_SECURITY_POLICY, csp),
                    // The first paint depends on these.
                    (header::VARY, "Accept-Language, Cookie".to_string()),
                ],
                Html(html),
            )
                .into_response()
        }
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The SPA is not built. Run scripts/build-spa.sh (or the README's run command).",
        )
            .into_response(),
    }
}

pub fn router(static_dir: &Path, state: AppState) -> Router<AppState> {
    let files = ServeDir::new(static_dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(get(index).with_state(state.clone()));
    // A path the file system refuses (a NUL in it, say) is an unknown route like any other:
    // the app's page, never ServeDir's 500 and its error log line.
    let assets = tower::service_fn(move |request: Request| {
        let (mut files, state) = (files.clone(), state.clone());
        let (uri, headers) = (request.uri().clone(), request.headers().clone());
        async move {
            Ok::<_, Infallible>(match files.try_call(request).await {
                Ok(response) => response.map(Body::new),
                Err(_) => index(State(state), uri, headers).await,
            })
        }
    });
    let pages = Bundle::ALL
        .into_iter()
        .fold(Router::new(), |router, bundle| {
            router.route(
                &format!("/{}", bundle.page()),
                page_as_for(bundle, bundle.home()),
            )
        });
    pages.route("/", get(index)).fallback_service(assets)
}
