//! Starting a bundle, and what every bundle's route table shares.

pub mod admin;
pub mod reset;
pub mod user;

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use rekey_core::spa::Bundle;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::branding::provide_branding;
use crate::components::loading::Loading;
use crate::i18n::provide_i18n;
use crate::pages::not_found;
use crate::runtime_config::{self, href, in_app, in_app_address};

/// A routed bundle's `App` body: the shared context, then the bundle's routes (`<Route>`s)
/// under the base path, with [`elsewhere_or_not_found`] for every route the bundle does not hold.
macro_rules! bundle_routes {
    ($bundle:expr, $($routes:tt)*) => {{
        $crate::app::leave_links_to_other_bundles_to_the_browser($bundle);
        $crate::app::provide_app_context();
        $crate::session::provide_session();
        let base = $crate::runtime_config::get().base_path.clone();
        leptos::view! {
            <leptos_router::components::Router base=base>
                <leptos_router::components::Routes fallback=$crate::app::elsewhere_or_not_found($bundle)>
                    $($routes)*
                </leptos_router::components::Routes>
            </leptos_router::components::Router>
        }
    }};
}
pub(crate) use bundle_routes;

/// Mounts a bundle's app into the host element, or the body, and starts the host events.
pub fn start<V: IntoView + 'static>(app: fn() -> V) {
    // Debug builds: a panic's message in the console. The release build stops at once on a
    // panic, without a message (scripts/build-spa.sh says why).
    console_error_panic_hook::set_once();
    go_on_at_the_route_of_a_page_named();
    runtime_config::apply_theme();
    // A host page may give Rekey an element of its own; otherwise it takes the body. The
    // stylesheet applies inside the element of class `rekey` only, so the host keeps its looks.
    match runtime_config::host_element() {
        Some(host) => {
            let _ = host.class_list().add_1("rekey");
            leptos::mount::mount_to(host, app).forget()
        }
        None => leptos::mount::mount_to_body(app),
    }
    crate::embed::start();
}

/// A bundle's page asked for by name (`/reset.html`, as a portal might link it) goes on at the
/// route it stands for, in place: the route table knows no file names, and its fallback would
/// load the same page again, for ever. A portal's own page keeps its address.
fn go_on_at_the_route_of_a_page_named() {
    if runtime_config::host_element().is_some() {
        return;
    }
    if let Some(route) = Bundle::route_named(&current_route()) {
        replace_route(route);
    }
}

/// The route the address bar shows: its path inside the base path.
pub fn current_route() -> String {
    let path = window().location().pathname().unwrap_or_default();
    in_app(&path).to_string()
}

/// Shows `route` in the address bar in place of the current one, keeping the query: no page
/// load and no new history entry.
pub fn replace_route(route: &str) {
    let location = window().location();
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    if let Ok(history) = window().history() {
        let address = format!("{}{search}{hash}", href(route));
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
}

/// A click on a link to a route this bundle does not hold is left to the browser, as a plain
/// page load with one history entry: the router would add the address first and the fallback
/// then replace the page, and Chromium sometimes drops a Back to an entry made that way. The
/// router ignores links marked `rel="external"`, so the mark is added as the click starts
/// (capture phase), before the router sees it; the link's own handlers still run. On a portal's
/// page, which holds this bundle only, such routes stay "not found" in place (the fallback).
pub fn leave_links_to_other_bundles_to_the_browser(this: Bundle) {
    if runtime_config::host_element().is_some() {
        return;
    }
    let on_click = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        let anchor = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("a[href]").ok().flatten());
        let Some(anchor) = anchor else { return };
        let location = window().location();
        let (Ok(page), Some(link)) = (location.href(), anchor.get_attribute("href")) else {
            return;
        };
        let Ok(url) = web_sys::Url::new_with_base(&link, &page) else {
            return;
        };
        let same_origin = location.origin().is_ok_and(|origin| origin == url.origin());
        if same_origin && !this.holds(in_app(&url.pathname())) {
            let rel = anchor.get_attribute("rel").unwrap_or_default();
            if !rel.split_whitespace().any(|word| word == "external") {
                let _ = anchor.set_attribute("rel", format!("{rel} external").trim());
            }
        }
    });
    let _ = window().add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    // Listens for the page's whole life.
    on_click.forget();
}

/// What every bundle provides before its pages: language and branding (the routed bundles add
/// who is signed in; the reset flow needs no session, and skips asking for one). The server's
/// first paint goes once the app renders.
pub fn provide_app_context() {
    provide_i18n();
    provide_branding();
    if let Some(shell) = document().get_element_by_id("shell") {
        shell.remove();
    }
}

/// A page of an area the host shows; otherwise "not found", as if the route did not exist.
pub fn gated<V: IntoView + 'static>(
    shown: bool,
    page: fn() -> V,
) -> impl Fn() -> AnyView + Clone + Send + Sync + 'static {
    move || {
        if shown {
            page().into_any()
        } else {
            not_found::NotFound().into_any()
        }
    }
}

/// The route table's fallback in bundle `this`: a route of another bundle is loaded as a new
/// page (the server serves that bundle for it), so redirects and `navigate` across bundles need
/// no care at their call sites (links are left to the browser before they get here); anything
/// else is "not found", as is every route of another bundle on a portal's page.
pub fn elsewhere_or_not_found(this: Bundle) -> impl Fn() -> AnyView + Clone + Send + Sync {
    move || {
        let location = use_location();
        let path = in_app(&location.pathname.get_untracked()).to_string();
        // On a portal's page (mounted into its element) that page holds this bundle only, and
        // loading it again would come back here: there the route is simply not found.
        if this.holds(&path) || runtime_config::host_element().is_some() {
            return not_found::NotFound().into_any();
        }
        // Replace: the router already added this address to the history.
        let _ = window()
            .location()
            .replace(&href(&in_app_address(&location)));
        view! { <Loading/> }.into_any()
    }
}
